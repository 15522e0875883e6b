import Foundation

/// One graph of a dashboard: a title, a unit and one or more InfluxQL queries.
///
/// Queries use Grafana's `$timeFilter` and `$__interval` macros; ``PanelQuery/resolved(lookback:interval:)``
/// replaces them for running a query outside Grafana.
public struct MetricPanel: Sendable, Equatable {
    public let title: String
    /// Grafana unit id (`percent`, `bytes`, `short`, `reqps`, `ops`).
    public let unit: String
    public let targets: [Target]

    public init(title: String, unit: String, targets: [Target]) {
        self.title = title
        self.unit = unit
        self.targets = targets
    }

    /// One query of a panel and the service whose points it reads (its `host` filter).
    public struct Target: Sendable, Equatable {
        public let host: String
        public let query: String
        /// Grafana's legend alias (`$tag_instance`, or a fixed name).
        public let alias: String

        public init(host: String, query: String, alias: String) {
            self.host = host
            self.query = query
            self.alias = alias
        }
    }

    /// A panel with a single query for `host`.
    init(_ title: String, unit: String, host: String, alias: String, _ query: String) {
        self.init(title: title, unit: unit, targets: [Target(host: host, query: query, alias: alias)])
    }

    /// CPU, memory and process count of each process group of `host` (collectd `processes` plugin).
    static func processPanels(host: String) -> [MetricPanel] {
        let by = InfluxQL.groupBy("instance")
        return [
            MetricPanel(
                "CPU by process (% of one core)", unit: "percent", host: host, alias: "$tag_instance",
                "SELECT \(InfluxQL.cpuPercent) AS \"cpu\" FROM \"processes\" WHERE "
                    + InfluxQL.filter(host: host, ["type": "ps_cputime"]) + by),
            MetricPanel(
                "Memory (RSS) by process", unit: "bytes", host: host, alias: "$tag_instance",
                "SELECT last(\"value\") FROM \"processes\" WHERE " + InfluxQL.filter(host: host, ["type": "ps_rss"]) + by),
            MetricPanel(
                "Processes", unit: "short", host: host, alias: "$tag_instance",
                "SELECT last(\"processes\") FROM \"processes\" WHERE " + InfluxQL.filter(host: host, ["type": "ps_count"]) + by),
        ]
    }

    /// The overview's panels: one query per service, each the sum over the service's own process groups
    /// (the agent excluded).
    static func overviewPanels(services: [ServiceMonitoring]) -> [MetricPanel] {
        func perService(_ title: String, unit: String, _ query: (String) -> String) -> MetricPanel {
            MetricPanel(title: title, unit: unit, targets: services.map { Target(host: $0.name, query: query($0.name), alias: $0.name) })
        }
        let own = "\"instance\" != \(InfluxQL.literal(Monitoring.agentProcess))"
        return [
            perService("CPU per service (% of one core)", unit: "percent") { host in
                "SELECT sum(\"cpu\") FROM (SELECT \(InfluxQL.cpuPercent) AS \"cpu\" FROM \"processes\" WHERE "
                    + InfluxQL.filter(host: host, ["type": "ps_cputime"], extra: [own]) + InfluxQL.groupBy("instance")
                    + ") WHERE $timeFilter" + InfluxQL.groupBy()
            },
            perService("Memory (RSS) per service", unit: "bytes") { host in
                "SELECT sum(\"rss\") FROM (SELECT last(\"value\") AS \"rss\" FROM \"processes\" WHERE "
                    + InfluxQL.filter(host: host, ["type": "ps_rss"], extra: [own]) + InfluxQL.groupBy("instance")
                    + ") WHERE $timeFilter" + InfluxQL.groupBy()
            },
            perService("Processes per service", unit: "short") { host in
                "SELECT sum(\"count\") FROM (SELECT last(\"processes\") AS \"count\" FROM \"processes\" WHERE "
                    + InfluxQL.filter(host: host, ["type": "ps_count"], extra: [own]) + InfluxQL.groupBy("instance")
                    + ") WHERE $timeFilter" + InfluxQL.groupBy()
            },
        ]
    }
}

/// InfluxQL pieces shared by the panels and `status`.
enum InfluxQL {
    /// A string literal: `'value'` with backslashes and single quotes escaped.
    static func literal(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    /// A double-quoted identifier.
    static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// collectd's `ps_cputime` counts microseconds of CPU time (fields `user` and `syst`); its rate per
    /// second divided by 10 000 is the percentage of one core.
    static let cpuPercent = "(non_negative_derivative(last(\"user\"), 1s) + non_negative_derivative(last(\"syst\"), 1s)) / 10000"

    /// `"host" = 'HOST' AND "k" = 'v' … AND $timeFilter` (tags in key order, so output is deterministic).
    static func filter(host: String, _ tags: [String: String] = [:], extra: [String] = []) -> String {
        let conditions = ["\"host\" = \(literal(host))"]
            + tags.keys.sorted().map { "\(identifier($0)) = \(literal(tags[$0]!))" }
            + extra + ["$timeFilter"]
        return conditions.joined(separator: " AND ")
    }

    /// ` GROUP BY time($__interval)[, "tag"…] fill(none)`.
    static func groupBy(_ tags: String...) -> String {
        " GROUP BY " + (["time($__interval)"] + tags.map(identifier)).joined(separator: ", ") + " fill(none)"
    }
}
