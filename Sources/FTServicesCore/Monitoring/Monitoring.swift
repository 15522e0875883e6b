import Foundation

/// How the stack watches itself (docs/DESIGN.md, "Monitoring"): every service container runs collectd,
/// which sends to InfluxDB's collectd listener; Grafana shows one dashboard per service plus an overview.
///
/// The same values feed the agents' configs (through ``TemplateContext``), InfluxDB's listener, the
/// dashboards (``DashboardRenderer``), the live test's panel queries (``PanelQuery``) and `status`
/// (``ServiceFigures``), so a panel and the agent that feeds it cannot disagree on names.
public struct Monitoring: Sendable, Equatable {
    /// collectd's `Interval`: one value list per plugin every 5 s. Short enough that a crash and the
    /// restart (about 1 s in Swarm) show as a gap within seconds and `status` is at most 5 s old; long
    /// enough that seven agents cost InfluxDB well under 100 points per second.
    public static let interval = 5
    /// collectd's network plugin port (its default), on InfluxDB's `[[collectd]]` listener (UDP).
    public static let collectorPort = 25826
    /// The unprivileged OS user collectd runs as in every image; MariaDB's monitoring account has the
    /// same name and authenticates through `unix_socket` (no password exists).
    public static let agentUser = "collectd"
    /// How long InfluxDB keeps metrics (the default retention policy of the metrics database).
    public static let retention = "7d"
    /// A loopback-only HTTP port in the nginx, wordpress and phpmyadmin containers: nginx's stub_status
    /// and php-fpm's status page, read by the local agent only.
    public static let localStatusPort = 8099
    /// nginx `stub_status` location on ``localStatusPort``.
    public static let nginxStatusPath = "/nginx_status"
    /// php-fpm's `pm.status_path`, proxied by nginx on ``localStatusPort`` only.
    public static let phpFpmStatusPath = "/fpm_status"
    /// The process-group name of the agent itself in the `processes` plugin (reported, but not counted
    /// as the service's own figures in the overview and in `status`).
    public static let agentProcess = "collectd"

    /// The Swarm service agents send to (services reach each other by service name on the overlay).
    public let collector: ServiceName
    /// The InfluxDB database the listener writes into (the one Grafana's datasource reads).
    public let database: String
    /// What each service reports, in service order.
    public let services: [ServiceMonitoring]

    public init(stack: Stack) {
        collector = .influxdb
        database = stack.config.influxdbDatabase
        services = stack.services.map { ServiceMonitoring(service: $0, config: stack.config) }
    }

    public init(collector: ServiceName, database: String, services: [ServiceMonitoring]) {
        self.collector = collector
        self.database = database
        self.services = services
    }

    /// What `name` reports.
    public func service(_ name: String) -> ServiceMonitoring? { services.first { $0.name == name } }

    /// Grafana's minimum query interval for the datasource: two agent intervals, so every bucket of a
    /// `GROUP BY time($__interval)` holds at least one point of every series (no false gaps or dips).
    public static var minimumQueryInterval: String { "\(2 * interval)s" }
}

/// What one service's agent reports: its own processes (CPU, memory, count) and its own figures.
public struct ServiceMonitoring: Sendable, Equatable {
    /// The service name, used as collectd's `Hostname`, hence the `host` tag of every point.
    public let name: String
    /// The process names (`comm`) of the service, one collectd `Process` match each.
    public let processes: [String]
    /// The service's own figures, each read by one collectd plugin.
    public let sources: [MetricSource]

    public init(name: String, processes: [String], sources: [MetricSource]) {
        self.name = name
        self.processes = processes
        self.sources = sources
    }

    init(service: StackService, config: StackConfig) {
        let sources: [MetricSource] =
            switch service.name {
            case .nginx: [.nginx]
            case .wordpress, .phpmyadmin: [.nginx, .phpFpm]
            case .mysql: [.mariadb]
            case .ftps: [.ftpConnections(control: config.ports.ftps, passive: Array(config.ports.passive))]
            case .influxdb: [.influxdb(httpPort: config.ports.influxdb, collectdPort: Monitoring.collectorPort)]
            case .grafana: [.grafana]
            }
        self.init(name: service.name.rawValue, processes: service.ownProcesses, sources: sources)
    }

    /// Every panel of the service's dashboard: its processes first, then its own figures.
    public var panels: [MetricPanel] {
        MetricPanel.processPanels(host: name) + sources.flatMap { $0.panels(host: name) }
    }
}
