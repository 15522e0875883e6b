import Foundation
import Yams

/// Checks Grafana's rendered provisioning files against the model: the datasource YAML (InfluxDB at the
/// collector service, the metrics database, a password only by `$__file{…}`) and the dashboard JSON (one
/// per service plus the overview, unique uids, every panel and query on that datasource, every query
/// filtered on its service's `host` and on `$timeFilter`). Returns one line per problem.
public enum GrafanaProvisioningCheck {
    public static let datasourcePath = "grafana/provisioning/datasources/influxdb.yaml"

    /// The problems of `files` (the grafana image's rendered files; others are ignored).
    public static func problems(files: [RenderedFile], monitoring: Monitoring, influxPort: Int) -> [String] {
        var problems: [String] = []
        if let datasource = files.first(where: { $0.path == datasourcePath }) {
            problems += datasourceProblems(datasource, monitoring: monitoring, influxPort: influxPort)
        } else {
            problems.append("\(datasourcePath): missing; Grafana would have no InfluxDB datasource")
        }
        problems += dashboardProblems(files.filter { $0.path.hasPrefix(DashboardRenderer.directory + "/") }, monitoring: monitoring)
        return problems
    }

    struct DatasourceFile: Decodable {
        var apiVersion: Int
        var datasources: [Datasource]

        struct Datasource: Decodable {
            var name: String
            var uid: String?
            var type: String
            var url: String?
            var user: String?
            var jsonData: [String: String]?
            var secureJsonData: [String: String]?
        }
    }

    static func datasourceProblems(_ file: RenderedFile, monitoring: Monitoring, influxPort: Int) -> [String] {
        let path = file.path
        let parsed: DatasourceFile
        do {
            parsed = try YAMLDecoder().decode(DatasourceFile.self, from: file.text)
        } catch {
            return ["\(path): not a Grafana datasource provisioning file: \(error)"]
        }
        var problems: [String] = []
        if parsed.apiVersion != 1 { problems.append("\(path): apiVersion is \(parsed.apiVersion); Grafana reads apiVersion 1") }
        let uid = DashboardRenderer.datasource.uid
        guard let source = parsed.datasources.first(where: { $0.uid == uid }) else {
            return problems + ["\(path): no datasource with uid \(uid); every dashboard panel refers to it"]
        }
        if source.type != "influxdb" { problems.append("\(path): datasource \(uid) has type \(source.type); expected influxdb") }
        let url = "http://\(monitoring.collector.rawValue):\(influxPort)"
        if source.url != url { problems.append("\(path): datasource \(uid) url is \(source.url ?? "missing"); expected \(url) (the service name on the stack's network)") }
        if source.jsonData?["dbName"] != monitoring.database {
            problems.append("\(path): datasource \(uid) jsonData.dbName is \(source.jsonData?["dbName"] ?? "missing"); expected \(monitoring.database), where the agents write")
        }
        if source.jsonData?["timeInterval"] != Monitoring.minimumQueryInterval {
            problems.append("\(path): datasource \(uid) jsonData.timeInterval is \(source.jsonData?["timeInterval"] ?? "missing"); expected \(Monitoring.minimumQueryInterval) (two agent intervals)")
        }
        let password = source.secureJsonData?["password"] ?? ""
        if !(password.hasPrefix("$__file{/") && password.hasSuffix("}")) {
            problems.append("\(path): datasource \(uid) secureJsonData.password must be $__file{/path} (a secret file), never a literal value")
        }
        if source.user?.isEmpty ?? true { problems.append("\(path): datasource \(uid) has no user") }
        return problems
    }

    static func dashboardProblems(_ files: [RenderedFile], monitoring: Monitoring) -> [String] {
        var problems: [String] = []
        var seen: [String: String] = [:]
        let expected = [DashboardRenderer.overviewUID] + monitoring.services.map { DashboardRenderer.uid(service: $0.name) }
        for file in files.sorted(by: { $0.path < $1.path }) {
            guard let dashboard = try? JSONDecoder().decode(GrafanaDashboard.self, from: file.contents) else {
                problems.append("\(file.path): not a dashboard JSON of the expected shape")
                continue
            }
            if let other = seen[dashboard.uid] { problems.append("\(file.path): uid \(dashboard.uid) is also the uid of \(other)") }
            seen[dashboard.uid] = file.path
            let service = monitoring.services.first { DashboardRenderer.uid(service: $0.name) == dashboard.uid }?.name
            if service == nil, dashboard.uid != DashboardRenderer.overviewUID {
                problems.append("\(file.path): uid \(dashboard.uid) belongs to no service of the model")
            }
            if dashboard.panels.isEmpty { problems.append("\(file.path): no panels") }
            if Set(dashboard.panels.map(\.id)).count != dashboard.panels.count { problems.append("\(file.path): panel ids are not unique") }
            for panel in dashboard.panels {
                let where_ = "\(file.path): panel \"\(panel.title)\""
                if panel.datasource != DashboardRenderer.datasource { problems.append("\(where_): datasource is not \(DashboardRenderer.datasource.uid)") }
                if panel.targets.isEmpty { problems.append("\(where_): no query") }
                for target in panel.targets {
                    let host = service ?? target.alias
                    if target.datasource != DashboardRenderer.datasource { problems.append("\(where_) \(target.refId): datasource is not \(DashboardRenderer.datasource.uid)") }
                    if !target.rawQuery || target.query.isEmpty { problems.append("\(where_) \(target.refId): no raw InfluxQL query") }
                    if !target.query.contains("\"host\" = \(InfluxQL.literal(host))") {
                        problems.append("\(where_) \(target.refId): query does not filter \"host\" = '\(host)': \(target.query)")
                    }
                    if !target.query.contains("$timeFilter") { problems.append("\(where_) \(target.refId): query has no $timeFilter") }
                }
            }
        }
        for uid in expected where seen[uid] == nil { problems.append("\(DashboardRenderer.directory): no dashboard with uid \(uid)") }
        return problems
    }
}
