import Foundation
import Testing
@testable import FTServicesCore

/// The plan is derived from the stack model: every published port is checked, internal ports must be
/// unreachable, and a config with other ports or users changes the checks.
@Suite struct VerifyPlanTests {
    let address = "10.1.2.3"

    func plan(_ config: StackConfig = .defaults, groups: Set<CheckGroup> = Set(CheckGroup.allCases)) -> [CheckSpec] {
        VerifyPlan.checks(stack: Stack(config: config), address: address, groups: groups)
    }

    /// The ports a check connects to (from its probe, not its words).
    static func ports(of probe: CheckProbe) -> [Int] {
        switch probe {
        case .httpStatus(let url, _, _), .httpBody(let url, _, _), .phpMyAdminLogin(let url, _), .wordpressSite(let url, _),
             .grafanaHealth(let url):
            let components = URLComponents(string: url)
            return [components?.port ?? (components?.scheme == "https" ? 443 : 80)]
        case .tlsHandshake(_, let port), .banner(_, let port, _), .ftpAuthTLS(_, let port), .notReachable(_, let port),
             .ftpPlainRefused(_, let port, _), .sshLogin(_, let port, _), .sshCommand(_, let port, _), .sshRootRefused(_, let port):
            return [port]
        case .ftpsRoundTrip(_, let port, _, let passive):
            return [port] + Array(passive)
        case .influxInside:
            return []
        }
    }

    @Test func everyPublishedPortIsCheckedInThePortsGroup() {
        let stack = Stack(config: .defaults)
        let portChecks = plan(groups: [.ports])
        #expect(portChecks.allSatisfy { $0.group == .ports })
        for service in stack.services {
            for port in service.publishedPorts where port.purpose != .ftpsPassive {
                #expect(portChecks.filter { Self.ports(of: $0.probe) == [port.number] }.count == 1,
                        "published port \(port.number) of \(service.name) has no ports check")
            }
        }
        // Passive data ports have no listener outside a transfer: the FTPS round trip uses them.
        let covered = Set(plan().flatMap { Self.ports(of: $0.probe) })
        for port in stack.services.flatMap(\.publishedPorts) {
            #expect(covered.contains(port.number), "published port \(port.number) is never exercised")
        }
    }

    @Test func probesMatchEachPortsPurpose() {
        let checks = Dictionary(uniqueKeysWithValues: plan(groups: [.ports]).map { (Self.ports(of: $0.probe)[0], $0) })
        #expect(checks[80]?.probe == .httpStatus(url: "http://10.1.2.3/", status: 301, location: nil))
        for port in [443, 5050, 5000, 3000] {
            #expect(checks[port]?.probe == .tlsHandshake(host: address, port: port))
            #expect(checks[port]?.target == "10.1.2.3:\(port)")
        }
        #expect(checks[2222]?.probe == .banner(host: address, port: 2222, prefix: "SSH-2.0-"))
        #expect(checks[21]?.probe == .ftpAuthTLS(host: address, port: 21))
    }

    @Test func internalPortsMustNotBeReachable() {
        let unreachable = plan(groups: [.ports]).filter { if case .notReachable = $0.probe { true } else { false } }
        #expect(unreachable.map(\.probe) == [.notReachable(host: address, port: 3306), .notReachable(host: address, port: 8086)])
        #expect(unreachable.map(\.name) == ["mysql :3306 internal", "influxdb :8086 internal"])
        #expect(unreachable.allSatisfy { $0.expected == "not reachable from outside the stack" })
    }

    @Test func routesFollowTheConfiguredPorts() {
        let routes = plan(groups: [.routes])
        #expect(routes.map(\.name) == ["route http → https", "route /", "route /wordpress", "route /phpmyadmin/"])
        #expect(routes.map(\.probe) == [
            .httpStatus(url: "http://10.1.2.3/", status: 301, location: "https://10.1.2.3/"),
            .httpStatus(url: "https://10.1.2.3/", status: 200, location: nil),
            .httpStatus(url: "https://10.1.2.3/wordpress", status: 307, location: "https://10.1.2.3:5050/"),
            .httpBody(url: "https://10.1.2.3/phpmyadmin/", status: 200, contains: "pma_username"),
        ])
        #expect(routes[0].expected == "HTTP 301 to https://10.1.2.3/")
    }

    @Test func anotherConfigChangesTargets() {
        var config = StackConfig.defaults
        config.ports = .init(http: 8080, https: 8443, ssh: 2022, wordpress: 6050, phpmyadmin: 6000, ftps: 2121, grafana: 4000,
                             passive: 30000...30002)
        config.users.ftp = "files"
        config.users.ssh = "admin2"
        config.wordpress.title = "Site"
        let checks = plan(config)
        let ports = Set(checks.flatMap { Self.ports(of: $0.probe) })
        #expect(ports == [8080, 8443, 2022, 6050, 6000, 2121, 4000, 30000, 30001, 30002, 3306, 8086])
        let byName = Dictionary(uniqueKeysWithValues: checks.map { ($0.name, $0) })
        #expect(byName["route http → https"]?.probe == .httpStatus(url: "http://10.1.2.3:8080/", status: 301, location: "https://10.1.2.3:8443/"))
        #expect(byName["route /wordpress"]?.probe == .httpStatus(url: "https://10.1.2.3:8443/wordpress", status: 307, location: "https://10.1.2.3:6050/"))
        #expect(byName["ftps round trip"]?.probe == .ftpsRoundTrip(
            host: address, port: 2121, login: .init(user: "files", passwordSecret: .ftpPassword), passive: 30000...30002))
        #expect(byName["ftps round trip"]?.expected.contains("passive 30000-30002") == true)
        #expect(byName["ssh login"]?.probe == .sshLogin(host: address, port: 2022, user: "admin2"))
        #expect(byName["wordpress site"]?.probe == .wordpressSite(url: "https://10.1.2.3:6050/", title: "Site"))
        #expect(byName["grafana health"]?.target == "https://10.1.2.3:4000/api/health")
        #expect(byName["nginx :8443 TLS"] != nil)
        #expect(byName["nginx :443 TLS"] == nil)
    }

    @Test func everyCheckOfAServiceNamesIt() {
        let all = plan()
        for check in all {
            #expect(check.service != nil, "\(check.name) must name the service it checks")
        }
        #expect(all.first { $0.name == "mysql :3306 internal" }?.service == .mysql)
        #expect(all.first { $0.name == "grafana health" }?.service == .grafana)
        #expect(all.first { $0.name == "ftps :21 FTP AUTH TLS" }?.service == .ftps)
        #expect(all.first { $0.name == "route /wordpress" }?.service == .nginx)
    }

    @Test func groupsSelectTheirChecksInOrder() {
        #expect(plan(groups: [.ftps]).map(\.name) == ["ftps round trip", "ftp plain refused"])
        #expect(plan(groups: [.ssh]).map(\.probe) == [.sshLogin(host: address, port: 2222, user: "ftssh"),
                                                       .sshCommand(host: address, port: 2222, user: "ftssh"),
                                                       .sshRootRefused(host: address, port: 2222)])
        #expect(plan(groups: [.services]).map(\.name) == ["wordpress site", "phpmyadmin login", "grafana health", "influxdb inside the stack"])
        let all = plan()
        #expect(all.map(\.group) == all.map(\.group).sorted())
        #expect(Set(all.map(\.name)).count == all.count, "check names are unique")
        #expect(all.count == 9 + 4 + 2 + 3 + 4)
    }

    @Test func servicesUseTheGeneratedAccountsNeverAPassword() {
        let byName = Dictionary(uniqueKeysWithValues: plan(groups: [.services]).map { ($0.name, $0) })
        #expect(byName["phpmyadmin login"]?.probe == .phpMyAdminLogin(
            url: "https://10.1.2.3:5000/", login: .init(user: "dbadmin", passwordSecret: .mysqlAdminPassword)))
        #expect(byName["influxdb inside the stack"]?.probe == .influxInside(
            service: .influxdb, url: "http://127.0.0.1:8086", login: .init(user: "admin", passwordSecret: .influxdbAdminPassword),
            database: "ftservices"))
    }

    @Test func timeoutsAreShortForConnectsAndLongerForRoundTrips() {
        let byName = Dictionary(uniqueKeysWithValues: plan().map { ($0.name, $0) })
        #expect(byName["mysql :3306 internal"]?.timeout == .seconds(1))
        #expect(byName["nginx :443 TLS"]?.timeout == .seconds(3))
        #expect(byName["ssh login"]?.timeout == .seconds(5))
        #expect(byName["ftps round trip"]?.timeout == .seconds(6))
    }

    @Test func urlsLeaveOutDefaultPorts() {
        #expect(VerifyPlan.url("http", "h", 80, "/") == "http://h/")
        #expect(VerifyPlan.url("https", "h", 443, "/x") == "https://h/x")
        #expect(VerifyPlan.url("https", "h", 80, "/") == "https://h:80/")
    }
}
