import FTServicesCore
import Foundation
import Testing

/// End-to-end: the metrics of the real stack. Every query of every dashboard panel, run against the
/// stack's InfluxDB, returns data for its service (a dashboard that shows nothing is a failure); points
/// keep arriving from every service after each one is crashed; Grafana lists the dashboards and finds its
/// datasource healthy, or the test says why it could not look (never a pass).
///
/// Same gate as `StackLifecycleTests` (FTSERVICES_E2E=1, no foreign stack), run one suite at a time.
@Suite(.serialized, .enabled(if: E2E.requested, E2E.notRequested))
struct MonitoringLiveTests {
    let address = "127.0.0.1"

    /// Runs InfluxQL inside the influxdb container as its admin (the password is read there from its
    /// secret file) and returns the decoded `/query` answer; throws, with what it read, when that is not
    /// an InfluxDB answer.
    static func influx(_ query: String) throws -> [String: Any] {
        let script = #"curl -sS -m 5 -G -u "admin:$(cat /run/secrets/influxdb_admin_password)" "http://127.0.0.1:8086/query?db=ftservices" --data-urlencode "q=$1""#
        let output = try Docker.exec(service: "influxdb", ["sh", "-c", script, "sh", query])
        let answer = try E2E.json(output, as: [String: Any].self)
        guard answer["results"] is [[String: Any]] else { throw E2E.UnreadableOutput(expected: "an InfluxDB answer with results", read: output) }
        return answer
    }

    /// The non-null values of every series of a query's answer.
    static func values(_ answer: [String: Any]) -> [Any] {
        let results = answer["results"] as? [[String: Any]] ?? []
        return results.flatMap { ($0["series"] as? [[String: Any]] ?? []) }
            .flatMap { ($0["values"] as? [[Any]] ?? []) }
            .flatMap { $0.dropFirst() }
            .filter { !($0 is NSNull) }
    }

    @Test("every panel query returns data for its service, and data keeps arriving after a crash of any service")
    func panelsShowData() throws {
        try E2E.withFreshStack(address: address) { stack in
            let tool = stack.tool
            let grafanaMissing = stack.grafanaMissing

            let queries = DashboardRenderer.panelQueries(Monitoring(stack: Stack(config: .defaults)))
                .filter { !(grafanaMissing && $0.service == "grafana") }
            #expect(queries.count >= 30, "the dashboards have panels: \(queries.count)")
            // Rates need two points per series: give the agents (5 s interval) a few rounds.
            // A panel without data, or whose query InfluxDB could not answer, is listed with why.
            E2E.wait(for: "every panel to show data", within: 90, { () -> [String] in
                queries.compactMap { query in
                    do {
                        return Self.values(try Self.influx(query.resolved())).isEmpty ? "\(query): \(query.resolved()): no data" : nil
                    } catch {
                        return "\(query): \(query.resolved()): \(error)"
                    }
                }
            }) { $0.isEmpty }

            // Crash every service; afterwards every service's agent reports again.
            let crash = try tool.run(["crashtest", "all"])
            #expect(crash.status == 0, "crashtest all: \(crash.stdout)")
            let services = ServiceName.allCases.map(\.rawValue).filter { !(grafanaMissing && $0 == "grafana") }
            E2E.wait(for: "points in the last 10 s from every service after the crash", within: 30, { () -> [String] in
                services.compactMap { service in
                    do {
                        let recent = try Self.influx("SELECT count(\"value\") FROM \"processes\" WHERE \"host\" = '\(service)' AND \"type\" = 'ps_rss' AND time > now() - 10s")
                        return Self.values(recent).isEmpty ? "\(service): no points" : nil
                    } catch {
                        return "\(service): \(error)"
                    }
                }
            }) { $0.isEmpty }

            // The agent is one of each container's processes: killing it restarts the container, like any other.
            let agent = try tool.run(["crashtest", "influxdb", "--process", "collectd"])
            #expect(agent.status == 0, "killing the agent restarts the influxdb container: \(agent.stdout)")

            // `status` shows each service's latest CPU and memory from InfluxDB (restarted just now: wait for
            // its figures). Unreadable output fails with what was read; a service missing from it fails too.
            func showsFigures(_ row: [String: Any]?) -> Bool {
                ((row?["memoryBytes"] as? NSNumber)?.doubleValue ?? 0) > 0 && row?["cpuPercent"] != nil
            }
            func rowsByService(_ result: Shell.Result) throws -> [String: [String: Any]] {
                let rows = try E2E.json(result, as: [[String: Any]].self)
                return Dictionary(rows.map { ($0["service"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
            }
            let status = try #require(E2E.wait(for: "status to show CPU and memory of every service", within: 60, {
                try tool.run(["status", "--json"])
            }) { result in
                let rows = (try? rowsByService(result)) ?? [:]
                return services.allSatisfy { showsFigures(rows[$0]) }
            }, "status --json never ran")
            let rows = try rowsByService(status)
            for service in services {
                let row = try #require(rows[service], "status lists \(service): \(status.stdout)")
                #expect(((row["memoryBytes"] as? NSNumber)?.doubleValue ?? 0) > 0, "status shows memory for \(service): \(row)")
                #expect(row["cpuPercent"] != nil, "status shows CPU for \(service): \(row)")
            }
        }
    }

    @Test("Grafana lists every dashboard and finds its InfluxDB datasource healthy")
    func grafanaAPI() throws {
        try E2E.requireReady()
        let listing = try Shell.run(["docker", "image", "ls", "-q", "ftservices/grafana"])
        try #require(listing.status == 0, "docker image ls: \(listing)")
        if listing.stdout.isEmpty {
            // Not a pass: this machine has no Grafana package (no Debian package, APT source unreachable,
            // no local .deb configured), so there is no Grafana to ask.
            try Test.cancel("skipped: no Grafana image could be built here (no Grafana package source; see grafana.package in the README)")
        }
        let state = try E2E.temporaryStateDirectory()
        defer { try? FileManager.default.removeItem(at: state) }
        let tool = E2E.Tool(stateDirectory: state)
        _ = try tool.run(["down", "--volumes", "--no-backup"])
        defer { _ = try? tool.run(["down", "--volumes", "--no-backup"]) }
        let setup = try tool.run(["setup", "--address", address, "--progress", "plain"])
        try #require(setup.status == 0, "setup with Grafana: \(setup)")
        let credentials = try Credentials(json: try tool.run(["credentials", "--json"]).stdout)
        let admin = try #require(credentials.first(service: "grafana"))
        let ca = state.appendingPathComponent("ca/ca.crt").path
        func api(_ path: String) throws -> String {
            try Shell.run(["curl", "-sS", "--cacert", ca, "-u", "\(admin.user):\(admin.password ?? "")", "https://\(address):3000\(path)"]).stdout
        }
        let search = try api("/api/search?type=dash-db")
        for service in ServiceName.allCases {
            #expect(search.contains(DashboardRenderer.uid(service: service.rawValue)), "dashboard of \(service.rawValue) listed")
        }
        let health = try api("/api/datasources/uid/\(DashboardRenderer.datasource.uid)/health")
        #expect(health.contains("\"status\":\"OK\""), "datasource health: \(health)")
    }
}
