import Foundation

/// The Mustache view model of every template (docs/DESIGN.md, "Template view model").
///
/// swift-mustache reads stored properties of structs through `Mirror`, so each nested struct is a
/// Mustache object and `[WordPressUser]` is a list section (`{{#wordpress.users}}…{{/wordpress.users}}`).
/// Keep the property names equal to the documented keys: ``TemplateKeyChecker`` derives the set of
/// valid keys from this type, and a key the templates use but this type lacks is an error.
public struct TemplateContext: Sendable {
    /// The image being rendered ("nginx").
    public let image: String
    public let ports: Ports
    public let users: Users
    public let wordpress: WordPress
    public let influxdb: InfluxDB
    public let monitoring: Monitoring

    public struct Ports: Sendable {
        public let http: Int
        public let https: Int
        public let ssh: Int
        public let wordpress: Int
        public let phpmyadmin: Int
        public let ftps: Int
        public let passiveMin: Int
        public let passiveMax: Int
        public let grafana: Int
        public let mysql: Int
        public let influxdb: Int
    }

    public struct Users: Sendable {
        public let ssh: String
        public let ftp: String
        public let mysqlAdmin: String
        public let mysqlWordpress: String
        public let influxAdmin: String
        public let influxGrafana: String
        public let grafanaAdmin: String
    }

    public struct WordPress: Sendable {
        public let database: String
        public let title: String
        /// The administrator first, then the others.
        public let users: [User]
        /// nginx's page cache in front of php-fpm (``PageCache``).
        public let cache: Cache
    }

    /// ``PageCache``, for the wordpress image's nginx config.
    public struct Cache: Sendable {
        public let directory: String
        public let lifetimeSeconds: Int
        public let maxSizeMiB: Int
        public let header: String
    }

    public struct User: Sendable {
        public let name: String
        public let role: String
        public let email: String
    }

    public struct InfluxDB: Sendable {
        public let database: String
    }

    /// The metrics agent (collectd) of the image's service and the collector (docs/DESIGN.md, "Monitoring").
    public struct Monitoring: Sendable {
        /// collectd's `Hostname`: the service this image runs ("" for runtime and webphp, which run none).
        public let host: String
        /// collectd's `Interval` in seconds.
        public let interval: Int
        /// Grafana's minimum query interval ("10s").
        public let minimumQueryInterval: String
        /// The service agents send to, by its name on the stack network ("influxdb").
        public let collector: String
        public let collectorPort: Int
        /// The OS user collectd runs as (and MariaDB's unix_socket monitoring account).
        public let agentUser: String
        /// The process group name of the agent in the `processes` plugin.
        public let agentProcess: String
        /// Retention of the metrics database.
        public let retention: String
        /// Loopback-only status port (nginx stub_status, php-fpm status).
        public let statusPort: Int
        public let nginxStatusPath: String
        public let phpFpmStatusPath: String
        /// Plugin instances of the curl_json/curl/mysql sources.
        public let phpFpmInstance: String
        public let influxdbInstance: String
        public let grafanaInstance: String
        public let mariadbInstance: String
        /// The provisioned Grafana datasource's uid.
        public let datasourceUid: String
        /// The image's service processes (`comm` names), one collectd `Process` match each.
        public let processes: [Process]
        /// vsftpd's passive data ports (the ftps agent counts their connections).
        public let passivePorts: [Int]
    }

    public struct Process: Sendable {
        public let name: String
    }

    /// The context for rendering `image`'s templates from `stack`.
    public init(image: ImageName, stack: Stack) {
        let config = stack.config
        self.image = image.rawValue
        ports = Ports(
            http: config.ports.http, https: config.ports.https, ssh: config.ports.ssh,
            wordpress: config.ports.wordpress, phpmyadmin: config.ports.phpmyadmin, ftps: config.ports.ftps,
            passiveMin: config.ports.passive.lowerBound, passiveMax: config.ports.passive.upperBound,
            grafana: config.ports.grafana, mysql: config.ports.mysql, influxdb: config.ports.influxdb)
        users = Users(
            ssh: config.users.ssh, ftp: config.users.ftp, mysqlAdmin: config.users.mysqlAdmin,
            mysqlWordpress: config.users.mysqlWordpress, influxAdmin: config.users.influxAdmin,
            influxGrafana: config.users.influxGrafana, grafanaAdmin: config.users.grafanaAdmin)
        wordpress = WordPress(
            database: config.wordpress.database, title: config.wordpress.title,
            users: config.wordpress.users.map { User(name: $0.name, role: $0.role.rawValue, email: $0.email) },
            cache: Cache(directory: PageCache.directory, lifetimeSeconds: PageCache.lifetimeSeconds,
                         maxSizeMiB: PageCache.maxSizeMiB, header: PageCache.header))
        influxdb = InfluxDB(database: config.influxdbDatabase)
        let service = stack.services.first { $0.image == image }
        monitoring = Monitoring(
            host: service?.name.rawValue ?? "", interval: FTServicesCore.Monitoring.interval,
            minimumQueryInterval: FTServicesCore.Monitoring.minimumQueryInterval,
            collector: ServiceName.influxdb.rawValue, collectorPort: FTServicesCore.Monitoring.collectorPort,
            agentUser: FTServicesCore.Monitoring.agentUser, agentProcess: FTServicesCore.Monitoring.agentProcess,
            retention: FTServicesCore.Monitoring.retention, statusPort: FTServicesCore.Monitoring.localStatusPort,
            nginxStatusPath: FTServicesCore.Monitoring.nginxStatusPath,
            phpFpmStatusPath: FTServicesCore.Monitoring.phpFpmStatusPath,
            phpFpmInstance: MetricSource.phpFpmInstance, influxdbInstance: MetricSource.influxdbInstance,
            grafanaInstance: MetricSource.grafanaInstance, mariadbInstance: MetricSource.mariadbInstance,
            datasourceUid: DashboardRenderer.datasource.uid,
            processes: (service?.ownProcesses ?? []).map { Process(name: $0) },
            passivePorts: Array(config.ports.passive))
    }
}
