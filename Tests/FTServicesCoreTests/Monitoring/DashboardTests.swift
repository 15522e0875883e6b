import Foundation
import Testing
@testable import FTServicesCore

/// The provisioned dashboards and datasource, checked by ``GrafanaProvisioningCheck``; each rule of the
/// check is also shown failing on a file broken on purpose.
@Suite struct DashboardTests {
    let stack = Stack(config: .defaults)
    var monitoring: Monitoring { Monitoring(stack: stack) }

    /// The grafana image's files as `ftservices render` writes them.
    func grafanaFiles(_ monitoring: Monitoring? = nil) throws -> [RenderedFile] {
        let templates = try TemplateRenderer(templatesDirectory: Golden.templatesDirectory, stack: stack).render(image: .grafana)
        return templates + (try DashboardRenderer.render(monitoring ?? self.monitoring))
    }

    func problems(_ files: [RenderedFile], _ monitoring: Monitoring? = nil) -> [String] {
        GrafanaProvisioningCheck.problems(files: files, monitoring: monitoring ?? self.monitoring, influxPort: stack.config.ports.influxdb)
    }

    /// `files` with the file at `path` rewritten by `change`.
    func replacing(_ path: String, in files: [RenderedFile], _ change: (String) -> String) -> [RenderedFile] {
        files.map { $0.path == path ? RenderedFile(path: path, contents: Data(change($0.text).utf8)) : $0 }
    }

    @Test func renderedProvisioningPassesTheCheck() throws {
        #expect(problems(try grafanaFiles()) == [])
    }

    @Test func onePerServicePlusTheOverviewWithUniqueUIDs() {
        let uids = DashboardRenderer.dashboards(monitoring).map(\.uid)
        #expect(uids == ["ftservices-overview"] + ServiceName.allCases.map { "ftservices-\($0.rawValue)" })
        #expect(Set(uids).count == uids.count)
    }

    @Test func everyPanelHasTheDatasourceAndEveryQueryItsHostFilter() {
        for dashboard in DashboardRenderer.dashboards(monitoring) {
            #expect(!dashboard.panels.isEmpty)
            for panel in dashboard.panels {
                #expect(panel.datasource?.uid == "ftservices-influxdb")
                #expect(!panel.targets.isEmpty)
            }
        }
        let queries = DashboardRenderer.panelQueries(monitoring)
        #expect(Set(queries.map(\.service)) == Set(ServiceName.allCases.map(\.rawValue)))
        for query in queries {
            #expect(query.query.contains("\"host\" = '\(query.service)'"), "\(query)")
            #expect(!query.resolved().contains("$"), "\(query) keeps a Grafana macro: \(query.resolved())")
        }
    }

    @Test func panelsShowTheIssuesFigures() {
        func titles(_ service: ServiceName) -> [String] { monitoring.service(service.rawValue)!.panels.map(\.title) }
        for service in ServiceName.allCases {
            #expect(Array(titles(service).prefix(3)) == ["CPU by process (% of one core)", "Memory (RSS) by process", "Processes"])
        }
        #expect(titles(.nginx).contains("nginx requests") && titles(.nginx).contains("nginx connections"))
        #expect(titles(.wordpress).contains("php-fpm pool processes") && titles(.phpmyadmin).contains("php-fpm accepted requests"))
        #expect(titles(.mysql).contains("MariaDB statements by command") && titles(.mysql).contains("MariaDB connections (threads)"))
        #expect(titles(.ftps).contains("FTP sessions (control connections)"))
        #expect(titles(.influxdb).contains("InfluxDB points written"))
        #expect(titles(.grafana).contains("Grafana HTTP requests"))
    }

    @Test func aNewServiceInTheModelGetsItsDashboard() throws {
        let extra = ServiceMonitoring(name: "redis", processes: ["redis-server"], sources: [])
        let grown = Monitoring(collector: .influxdb, database: monitoring.database, services: monitoring.services + [extra])
        let dashboards = DashboardRenderer.dashboards(grown)
        let redis = try #require(dashboards.first { $0.uid == "ftservices-redis" })
        #expect(redis.panels.map(\.title) == ["CPU by process (% of one core)", "Memory (RSS) by process", "Processes"])
        #expect(redis.panels.allSatisfy { $0.targets.allSatisfy { $0.query.contains("\"host\" = 'redis'") } })
        let overview = try #require(dashboards.first { $0.uid == "ftservices-overview" })
        #expect(overview.panels.allSatisfy { $0.targets.contains { $0.alias == "redis" && $0.query.contains("\"host\" = 'redis'") } })
        let files = try DashboardRenderer.render(grown)
        #expect(files.contains { $0.path == "grafana/provisioning/dashboards/ftservices/redis.json" })
        #expect(problems(try grafanaFiles(grown), grown) == [])
        // The stack's own files lack it: the check names the missing dashboard.
        #expect(problems(try grafanaFiles(), grown) == ["grafana/provisioning/dashboards/ftservices: no dashboard with uid ftservices-redis"])
    }

    @Test func renderingIsDeterministic() throws {
        #expect(try DashboardRenderer.render(monitoring) == (try DashboardRenderer.render(monitoring)))
    }

    // MARK: each rule failing once

    @Test func aLiteralDatasourcePasswordFails() throws {
        let files = replacing(GrafanaProvisioningCheck.datasourcePath, in: try grafanaFiles()) {
            $0.replacingOccurrences(of: "$__file{/dev/shm/ftservices-grafana/influxdb_grafana_password}", with: "hunter2hunter2")
        }
        #expect(problems(files) == [
            "grafana/provisioning/datasources/influxdb.yaml: datasource ftservices-influxdb secureJsonData.password must be $__file{/path} (a secret file), never a literal value",
        ])
    }

    @Test func aDatasourceOnAnotherDatabaseOrHostFails() throws {
        let files = replacing(GrafanaProvisioningCheck.datasourcePath, in: try grafanaFiles()) {
            $0.replacingOccurrences(of: "dbName: ftservices", with: "dbName: other")
                .replacingOccurrences(of: "http://influxdb:8086", with: "http://10.0.0.5:8086")
        }
        #expect(problems(files).count == 2)
        #expect(problems(files).allSatisfy { $0.hasPrefix("grafana/provisioning/datasources/influxdb.yaml: datasource ftservices-influxdb ") })
    }

    @Test func unparsableDatasourceYAMLFails() throws {
        let files = replacing(GrafanaProvisioningCheck.datasourcePath, in: try grafanaFiles()) { $0 + "\n  - : [" }
        #expect(problems(files).count == 1)
        #expect(problems(files).first?.contains("not a Grafana datasource provisioning file") == true)
    }

    @Test func aQueryWithoutItsHostFilterFails() throws {
        let path = "grafana/provisioning/dashboards/ftservices/mysql.json"
        let files = replacing(path, in: try grafanaFiles()) { $0.replacingOccurrences(of: "\\\"host\\\" = 'mysql' AND ", with: "") }
        let found = problems(files)
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0.hasPrefix("\(path): panel ") && $0.contains("does not filter \"host\" = 'mysql'") })
    }

    @Test func aDuplicateUIDFails() throws {
        let path = "grafana/provisioning/dashboards/ftservices/ftps.json"
        let files = replacing(path, in: try grafanaFiles()) { $0.replacingOccurrences(of: "\"uid\" : \"ftservices-ftps\"", with: "\"uid\" : \"ftservices-nginx\"") }
        #expect(problems(files).contains("grafana/provisioning/dashboards/ftservices/nginx.json: uid ftservices-nginx is also the uid of \(path)"))
        #expect(problems(files).contains("grafana/provisioning/dashboards/ftservices: no dashboard with uid ftservices-ftps"))
    }

    @Test func aPanelOnAnotherDatasourceFails() throws {
        let path = "grafana/provisioning/dashboards/ftservices/grafana.json"
        let files = replacing(path, in: try grafanaFiles()) { $0.replacingOccurrences(of: "\"uid\" : \"ftservices-influxdb\"", with: "\"uid\" : \"prometheus\"") }
        #expect(!problems(files).isEmpty)
        #expect(problems(files).allSatisfy { $0.contains("datasource is not ftservices-influxdb") })
    }

    @Test func theCollectdPortIsNeverPublished() throws {
        let compose = StackFile.compose(stack: stack)
        #expect(compose.services.values.allSatisfy { ($0.ports ?? []).allSatisfy { $0.published != Monitoring.collectorPort } })
    }
}
