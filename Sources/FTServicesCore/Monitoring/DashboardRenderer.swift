import Foundation

/// Builds Grafana's provisioned dashboards from ``Monitoring``: one per service (its processes and its own
/// figures) and an overview (CPU, memory and processes per service), as JSON files of the grafana image.
public enum DashboardRenderer {
    /// Where the dashboard files go under `srcs/` (copied to /etc/grafana/provisioning/dashboards/ftservices/,
    /// the path the provider `templates/grafana/provisioning/dashboards/ftservices.yaml` reads).
    public static let directory = "grafana/provisioning/dashboards/ftservices"
    /// The provisioned InfluxDB datasource (`templates/grafana/provisioning/datasources/influxdb.yaml`).
    public static let datasource = GrafanaDashboard.DatasourceRef(type: "influxdb", uid: "ftservices-influxdb")
    /// The tag every dashboard carries (the link bar lists them by it).
    public static let tag = "ftservices"
    /// The overview's uid and file name.
    public static let overviewUID = "ftservices-overview"

    /// The dashboard uid of a service.
    public static func uid(service: String) -> String { "ftservices-\(service)" }

    /// Every dashboard: the overview first, then one per service in model order.
    public static func dashboards(_ monitoring: Monitoring) -> [GrafanaDashboard] {
        [dashboard(uid: overviewUID, title: "ftservices: overview", panels: MetricPanel.overviewPanels(services: monitoring.services))]
            + monitoring.services.map { dashboard(uid: uid(service: $0.name), title: "ftservices: \($0.name)", panels: $0.panels) }
    }

    /// The dashboards as files (`<uid without prefix>.json`), sorted by path.
    public static func render(_ monitoring: Monitoring) throws -> [RenderedFile] {
        let encoder = JSONEncoder.stable()
        return try dashboards(monitoring).map { dashboard in
            let name = dashboard.uid.hasPrefix("ftservices-") ? String(dashboard.uid.dropFirst("ftservices-".count)) : dashboard.uid
            var data = try encoder.encode(dashboard)
            data.append(UInt8(ascii: "\n"))
            return RenderedFile(path: "\(directory)/\(name).json", contents: data)
        }.sorted { $0.path < $1.path }
    }

    /// Every panel query of every dashboard, for running them against InfluxDB (the live test).
    public static func panelQueries(_ monitoring: Monitoring) -> [PanelQuery] {
        dashboards(monitoring).flatMap { dashboard in
            dashboard.panels.flatMap { panel in
                panel.targets.map { target in
                    PanelQuery(dashboardUID: dashboard.uid, panel: panel.title, refId: target.refId,
                               service: hostOf(dashboard: dashboard, target: target, monitoring: monitoring), query: target.query)
                }
            }
        }
    }

    /// The service a target reads: its dashboard's service, or (overview) the service named by its alias.
    static func hostOf(dashboard: GrafanaDashboard, target: GrafanaDashboard.Target, monitoring: Monitoring) -> String {
        monitoring.services.first { uid(service: $0.name) == dashboard.uid }?.name ?? target.alias
    }

    static func dashboard(uid: String, title: String, panels: [MetricPanel]) -> GrafanaDashboard {
        GrafanaDashboard(
            uid: uid, title: title, tags: [tag], timezone: "browser", schemaVersion: 39, version: 1, editable: false,
            refresh: "10s", time: .init(from: "now-30m", to: "now"),
            links: [.init(title: "ftservices", type: "dashboards", tags: [tag], asDropdown: false, includeVars: false, keepTime: true)],
            panels: panels.enumerated().map { index, panel in
                GrafanaDashboard.Panel(
                    id: index + 1, type: "timeseries", title: panel.title, datasource: datasource,
                    gridPos: .init(h: 8, w: 12, x: (index % 2) * 12, y: (index / 2) * 8),
                    fieldConfig: .init(defaults: .init(unit: panel.unit, min: 0), overrides: []),
                    options: .init(legend: .init(displayMode: "list", placement: "bottom", showLegend: true),
                                   tooltip: .init(mode: "multi", sort: "none")),
                    interval: Monitoring.minimumQueryInterval,
                    targets: panel.targets.enumerated().map { number, target in
                        GrafanaDashboard.Target(
                            refId: refId(number), datasource: datasource, query: target.query, rawQuery: true,
                            resultFormat: "time_series", alias: target.alias)
                    })
            })
    }

    /// "A", "B", … "Z", "AA", …
    static func refId(_ number: Int) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return number < 26 ? String(letters[number]) : refId(number / 26 - 1) + String(letters[number % 26])
    }
}

/// One query of one dashboard panel, and the service it must return data for.
public struct PanelQuery: Sendable, Equatable, CustomStringConvertible {
    public let dashboardUID: String
    public let panel: String
    public let refId: String
    /// The service whose points the query reads (its `"host" = '…'` filter).
    public let service: String
    /// The InfluxQL text as in the dashboard (with Grafana's `$timeFilter` and `$__interval`).
    public let query: String

    /// The query runnable outside Grafana: `$timeFilter` becomes `time > now() - LOOKBACK`, `$__interval`
    /// becomes `interval` (default: the dashboards' minimum interval).
    public func resolved(lookback: String = "5m", interval: String = Monitoring.minimumQueryInterval) -> String {
        query.replacingOccurrences(of: "$timeFilter", with: "time > now() - \(lookback)")
            .replacingOccurrences(of: "$__interval", with: interval)
    }

    public var description: String { "\(dashboardUID) / \(panel) / \(refId) (\(service))" }
}
