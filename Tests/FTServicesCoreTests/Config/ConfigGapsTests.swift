import Foundation
import Testing
@testable import FTServicesCore

/// Config values that would collide with what the stack uses inside (the metrics agent's account,
/// nginx's status listener) or break what they are written into (the WordPress title), and the one
/// address rule the config and `--address` share.
@Suite struct ConfigGapsTests {
    func problems(_ yaml: String) -> [String] {
        do {
            _ = try ConfigLoader.decode(yaml: yaml, fileName: "ftservices.yaml", baseDirectory: nil, fileProbe: FakeFileProbe())
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test(arguments: ["ssh", "ftp", "mysqlAdmin", "grafanaAdmin"])
    func collectdIsReserved(key: String) {
        let found = problems("users: {\(key): collectd}")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("users.\(key): \"collectd\" is reserved") == true, "\(found)")
        #expect(found.first?.contains("metrics agent") == true, "\(found)")
    }

    @Test(arguments: ["http", "https", "ssh", "wordpress", "phpmyadmin", "ftps", "grafana"])
    func nginxStatusPortIsNotPublished(key: String) {
        let port = Monitoring.localStatusPort
        let found = problems("ports: {\(key): \(port)}")
        #expect(found == ["ports.\(key): \(port) is nginx's loopback status port (the metrics agent reads it inside the stack); choose another port"])
    }

    @Test func passiveRangeLeavesTheStatusPortOut() {
        let port = Monitoring.localStatusPort
        let found = problems("ports: {passive: {min: \(port - 2), max: \(port + 2)}}")
        #expect(found == ["ports.passive: \(port - 2)-\(port + 2) contains \(port), nginx's loopback status port; move the range"])
    }

    @Test(arguments: ["Site\\tName", "Site\\u0007", "\\x1b[31mRed", "Site\\u007f"])
    func titleRefusesControlCharacters(escaped: String) {
        let found = problems("wordpress: {title: \"\(escaped)\"}")
        #expect(found.count == 1 && found.first?.hasPrefix("wordpress.title: ") == true, "\(found)")
        #expect(found.first?.contains("control character") == true, "\(found)")
    }

    @Test func titleHasALengthLimit() throws {
        #expect(problems("wordpress: {title: \"\(String(repeating: "a", count: 100))\"}").isEmpty)
        let found = problems("wordpress: {title: \"\(String(repeating: "a", count: 101))\"}")
        #expect(found == ["wordpress.title: 101 characters long; at most 100"])
        #expect(problems("wordpress: {title: \"Café ☕ ft_services\"}").isEmpty)
    }

    @Test(arguments: ["0.0.0.0", "255.255.255.255", "0.1.2.3", "224.0.0.1", "239.255.255.250", "240.0.0.1"])
    func unusableAddressesAreRefusedByConfigAndCommandLineAlike(address: String) {
        #expect(IPv4.check(address) == .notConnectable)
        #expect(problems("address: \(address)").first?.contains("not an address clients can connect to") == true)
    }

    @Test(arguments: ["127.0.0.1", "192.168.56.10", "10.0.0.255", "223.255.255.254"])
    func usableAddressesPass(address: String) {
        #expect(IPv4.check(address) == nil)
        #expect(problems("address: \(address)").isEmpty)
    }
}
