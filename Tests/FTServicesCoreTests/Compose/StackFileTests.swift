import Foundation
import Testing
@testable import FTServicesCore

@Suite struct StackFileTests {
    let stack = Stack(config: .defaults)

    @Test func stackFileMatchesGolden() throws {
        let file = try StackFile.render(stack: stack)
        #expect(file.path == "stack.yml")
        Golden.check(file.contents, path: "srcs/stack.yml")
    }

    @Test func subsetWithoutGrafanaMatchesGolden() throws {
        let services = ServiceName.allCases.filter { $0 != .grafana }
        let file = try StackFile.render(stack: stack, services: services)
        Golden.check(file.contents, path: "stack-without-grafana.yml")
        let compose = StackFile.compose(stack: stack, services: services)
        #expect(compose.services["grafana"] == nil)
        #expect(compose.volumes?["grafana_data"] == nil)
        #expect(compose.secrets?["grafana_admin_password"] == nil)
        // influxdb still uses influxdb_grafana_password
        #expect(compose.secrets?["influxdb_grafana_password"] != nil)
    }

    @Test func subsetKeepsOnlyUsedVolumesAndSecrets() {
        let compose = StackFile.compose(stack: stack, services: [.mysql])
        #expect(Array(compose.services.keys) == ["mysql"])
        #expect(compose.volumes.map { Array($0.keys) } == ["mysql_data"])
        #expect(Set(compose.secrets?.keys ?? [:].keys) == ["mysql_root_password", "wordpress_db_password", "mysql_admin_password"])
    }

    /// Every service's pids limit is in the stack file, which is version 3.9 (the 3.8 schema rejects `limits.pids`).
    @Test func pidsLimitsAreRenderedInA39File() {
        let compose = StackFile.compose(stack: stack)
        #expect(compose.version == "3.9")
        for service in stack.services {
            let limits = compose.services[service.name.rawValue]?.deploy?.resources?.limits
            #expect(limits?.pids == service.privileges.pidsLimit, "\(service.name)")
        }
    }

    @Test func ftpsPublishesControlAndEveryPassivePort() {
        let ports = StackFile.compose(stack: stack).services["ftps"]?.ports ?? []
        #expect(ports.map(\.published) == [21, 21000, 21001, 21002, 21003, 21004])
        #expect(ports.allSatisfy { $0.mode == "host" && $0.target == $0.published && $0.protocol == "tcp" })
    }

    @Test func variables() {
        #expect(StackFile.imageVariable(.phpmyadmin) == "FTS_IMAGE_PHPMYADMIN")
        #expect(StackFile.secretVariable(.tlsCert) == "FTS_SECRET_TLS_CERT")
        let required = StackFile.requiredVariables(stack: stack, services: [.ftps])
        #expect(required == ["FTS_ADDRESS", "FTS_IMAGE_FTPS", "FTS_SECRET_FTP_PASSWORD", "FTS_SECRET_TLS_CERT", "FTS_SECRET_TLS_KEY"])
        #expect(StackFile.requiredVariables(stack: stack).count == 1 + 7 + SecretKey.allCases.count)
    }

    @Test func secretModeIsOctal() throws {
        let text = try StackFile.render(stack: stack).text
        #expect(text.contains("mode: 0400"))
    }
}
