import Foundation
import Testing
@testable import FTServicesCore

/// A file probe that knows a fixed set of readable files.
struct FakeFileProbe: FileProbe {
    var readable: Set<String> = []
    func isReadableFile(atPath path: String) -> Bool { readable.contains(path) }
}

@Suite struct ConfigLoaderTests {
    func decode(_ yaml: String, probe: FakeFileProbe = FakeFileProbe(), base: String? = nil) throws(ConfigError) -> StackConfig {
        try ConfigLoader.decode(yaml: yaml, fileName: "ftservices.yaml", baseDirectory: base, fileProbe: probe)
    }

    /// The problems of `yaml` as `key: message` lines.
    func problems(_ yaml: String, probe: FakeFileProbe = FakeFileProbe()) -> [String] {
        do {
            _ = try decode(yaml, probe: probe)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test(arguments: ["", "# only a comment\n", "---\n", "~\n"])
    func emptyDocumentGivesTheDefaults(yaml: String) throws {
        #expect(try decode(yaml) == .defaults)
    }

    @Test func defaultsAreThoseOfTheDesign() {
        let config = StackConfig.defaults
        #expect(config.address == nil)
        let ports: [Int] = [
            config.ports.http, config.ports.https, config.ports.ssh, config.ports.wordpress, config.ports.phpmyadmin,
            config.ports.ftps, config.ports.grafana,
        ]
        #expect(ports == [80, 443, 2222, 5050, 5000, 21, 3000])
        #expect(config.ports.passive == 21000...21004)
        #expect([config.users.ssh, config.users.ftp, config.users.mysqlAdmin, config.users.grafanaAdmin] == ["ftssh", "ftpuser", "dbadmin", "admin"])
        #expect(config.wordpress.users.map(\.name) == ["wpadmin", "editor", "author", "subscriber"])
        #expect(config.wordpress.users.map(\.role) == [.administrator, .editor, .author, .subscriber])
        #expect(config.wordpress.users[1].email == "editor@ftservices.invalid")
        #expect(config.wordpress.title == "ft_services")
        #expect(config.grafanaPackage == .apt)
    }

    /// The README points users at this file: it must stay valid, and apart from its address and state
    /// directory it must describe exactly the defaults.
    @Test func exampleConfigIsValidAndShowsTheDefaults() throws {
        let path = Golden.repositoryRoot.appendingPathComponent("ftservices.example.yaml").path
        var config = try ConfigLoader.load(path: path)
        #expect(config.address == "192.168.56.10")
        #expect(config.stateDirectory == "/var/lib/ftservices")
        config.address = nil
        config.stateDirectory = nil
        var defaults = StackConfig.defaults
        defaults.wordpress.users[0].email = "wpadmin@example.org"
        #expect(config == defaults)
    }

    @Test func fullFileIsDecoded() throws {
        let yaml = """
            address: 192.168.56.10
            ports: {http: 8080, https: 8443, ssh: 2200, wordpress: 5051, phpmyadmin: 5001, ftps: 2121, grafana: 3001,
                    passive: {min: 30000, max: 30009}}
            users:
              ssh: alice
              ftp: bob
              mysqlAdmin: carol
              grafanaAdmin: dave
              wordpressAdmin: boss
              wordpress:
                - {name: ed, role: editor}
                - {name: boss, role: administrator, email: boss@example.org}
                - {name: au, role: author}
                - {name: co, role: contributor}
            grafana: {package: debs/grafana_10.deb}
            stateDirectory: /var/lib/fts
            wordpress: {title: My site}
            """
        let config = try decode(yaml, probe: FakeFileProbe(readable: ["/cfg/debs/grafana_10.deb"]), base: "/cfg")
        #expect(config.address == "192.168.56.10")
        #expect(config.ports.passive == 30000...30009)
        #expect(config.ports.ftps == 2121)
        #expect(config.users.ssh == "alice")
        #expect(config.users.wordpressAdmin == "boss")
        #expect(config.wordpress.users.map(\.name) == ["boss", "ed", "au", "co"])
        #expect(config.wordpress.users[0].email == "boss@example.org")
        #expect(config.wordpress.users[1].email == "ed@ftservices.invalid")
        #expect(config.grafanaPackage == .localDeb(path: "/cfg/debs/grafana_10.deb"))
        #expect(config.stateDirectory == "/var/lib/fts")
        #expect(config.wordpress.title == "My site")
    }

    @Test func addressAutoIsNil() throws {
        #expect(try decode("address: auto").address == nil)
    }

    @Test(arguments: ["10.0.0", "10.0.0.256", "010.0.0.1", "::1", "host.example", "1.2.3.4 "])
    func addressMustBeIPv4(address: String) {
        let found = problems("address: '\(address)'")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("address: \"\(address)\" is not an IPv4 address") == true)
    }

    @Test func unspecifiedAddressIsRejected() {
        #expect(problems("address: 0.0.0.0").first?.contains("not an address clients can connect to") == true)
    }

    @Test func portRules() {
        #expect(problems("ports: {ssh: 0}") == ["ports.ssh: 0 is out of range; use a port from 1 to 65535"])
        #expect(problems("ports: {grafana: 70000}") == ["ports.grafana: 70000 is out of range; use a port from 1 to 65535"])
        #expect(problems("ports: {ssh: 443}") == ["ports.ssh: 443 is also ports.https; every published port must be different"])
        #expect(problems("ports: {passive: {min: 21010, max: 21000}}")
            == ["ports.passive: min 21010 is greater than max 21000; give the lower port as min"])
        #expect(problems("ports: {passive: {min: 21000, max: 21050}}")
            == ["ports.passive: 21000-21050 is 51 ports; at most 50 (each one is published by the ftps service)"])
        #expect(problems("ports: {passive: {min: 2990, max: 3010}}")
            == ["ports.passive: 2990-3010 contains ports.grafana (3000); move one of them"])
        #expect(problems("ports: {passive: {min: 0, max: 4}}") == ["ports.passive.min: 0 is out of range; use a port from 1 to 65535"])
    }

    @Test func userNameRules() {
        #expect(problems("users: {ssh: Alice}").first?.hasPrefix("users.ssh: \"Alice\" is not a valid user name") == true)
        #expect(problems("users: {ftp: root}") == ["users.ftp: \"root\" is reserved (a system or internal account); choose another name"])
        #expect(problems("users: {mysqlAdmin: wordpress}").first?.hasPrefix("users.mysqlAdmin: \"wordpress\" is reserved") == true)
        #expect(problems("users: {grafanaAdmin: \(String(repeating: "a", count: 33))}").count == 1)
        #expect(problems("users: {grafanaAdmin: \(String(repeating: "a", count: 32))}").isEmpty)
        #expect(problems("users: {ssh: _svc-1}").isEmpty)
        #expect(problems("users: {ssh: 1abc}").count == 1)
    }

    @Test func wordpressNeedsAnAdministratorAndThreeOthers() {
        #expect(problems("""
            users:
              wordpress:
                - {name: a, role: administrator}
                - {name: b, role: editor}
            """) == ["users.wordpress: 2 users listed; WordPress needs an administrator plus at least 3 other users"])
        #expect(problems("""
            users:
              wordpress:
                - {name: a, role: editor}
                - {name: b, role: editor}
                - {name: c, role: editor}
                - {name: d, role: editor}
            """) == ["users.wordpress: no user has the role administrator; WordPress needs one administrator plus at least 3 other users"])
    }

    @Test func wordpressUserRules() {
        let found = problems("""
            users:
              wordpressAdmin: b
              wordpress:
                - {name: a, role: administrator}
                - {name: b, role: boss}
                - {name: a, role: editor, email: x@example.org}
                - {role: author}
                - {name: d, role: author, email: not-an-email}
                - {name: e, email: X@example.org}
            """)
        #expect(found == [
            "users.wordpress[1].role: \"boss\" is not a WordPress role; use one of administrator, editor, author, contributor, subscriber",
            "users.wordpress[2].name: \"a\" is already users.wordpress[0].name; names must be unique",
            "users.wordpress[3].name: missing; every WordPress user needs a name",
            "users.wordpress[4].email: \"not-an-email\" is not an email address like name@example.org",
            "users.wordpress[5].role: missing; use one of administrator, editor, author, contributor, subscriber",
            "users.wordpress[5].email: \"X@example.org\" is already the email of users.wordpress[2]; WordPress needs a different email per user",
        ])
    }

    @Test func wordpressAdminMustBeAnAdministratorOfTheList() {
        #expect(problems("users: {wordpressAdmin: someone}")
            == ["users.wordpressAdmin: \"someone\" is not in users.wordpress; list the WordPress users with someone as an administrator"])
        #expect(problems("""
            users:
              wordpressAdmin: b
              wordpress:
                - {name: a, role: administrator}
                - {name: b, role: editor}
                - {name: c, role: editor}
                - {name: d, role: editor}
            """) == ["users.wordpressAdmin: \"b\" does not have the role administrator in users.wordpress"])
    }

    @Test func grafanaPackageRules() {
        #expect(problems("grafana: {package: yum}") == ["grafana.package: \"yum\" is neither \"apt\" nor the path of a .deb file"])
        #expect(problems("grafana: {package: /nope/grafana.deb}")
            == ["grafana.package: /nope/grafana.deb does not exist or is not readable; give the path of a Grafana .deb, or \"apt\""])
        #expect(problems("grafana: {package: /ok/grafana.deb}", probe: FakeFileProbe(readable: ["/ok/grafana.deb"])).isEmpty)
    }

    @Test func unknownKeysAreRejectedAtEveryLevel() {
        let found = problems("""
            adress: 10.0.0.1
            ports: {htps: 443, passive: {min: 21000, maximum: 21004}}
            users: {wordpress: [{name: a, role: administrator, mail: a@b.c}]}
            """)
        #expect(found.contains("adress: unknown key; the keys allowed here are address, ports, users, grafana, stateDirectory, wordpress"))
        #expect(found.contains("ports.htps: unknown key; the keys allowed here are http, https, ssh, wordpress, phpmyadmin, ftps, grafana, passive"))
        #expect(found.contains("ports.passive.maximum: unknown key; the keys allowed here are min, max"))
        #expect(found.contains("users.wordpress[0].mail: unknown key; the keys allowed here are name, role, email"))
    }

    @Test func wrongTypesNameTheKeyAndTheExpectedType() {
        let found = problems("""
            ports: {ssh: twenty-two, passive: [1, 2]}
            users: {wordpress: {name: a}}
            wordpress: nope
            """)
        #expect(found == [
            "ports.ssh: expected an integer, found \"twenty-two\"",
            "ports.passive: expected a mapping, found a list",
            "users.wordpress: expected a list, found a mapping",
            "wordpress: expected a mapping, found \"nope\"",
        ])
    }

    @Test func wrongTypeInsideAListNamesTheElement() {
        // The list that failed to decode counts as absent, so no rule about it is reported twice.
        #expect(problems("users: {wordpress: [alice]}") == ["users.wordpress[0]: expected a mapping, found a value of another kind"])
    }

    @Test func everyProblemIsReportedAtOnce() {
        let yaml = """
            address: 1.2.3
            ports: {ssh: 80, grafana: 0, passive: {min: 5, max: 1}}
            users: {ssh: root, ftp: Bad}
            grafana: {package: x.rpm}
            bogus: 1
            """
        do {
            _ = try decode(yaml)
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.count == 8)
            let lines = error.description.split(separator: "\n")
            #expect(lines.count == 8)
            #expect(lines.allSatisfy { $0.hasPrefix("ftservices.yaml: ") })
            #expect(lines.contains("ftservices.yaml: ports.ssh: 80 is also ports.http; every published port must be different"))
        }
    }

    @Test func badYAMLNamesFileAndLine() {
        let yaml = "address: auto\nports:\n  http: [80\n  https: 443\n"
        #expect {
            try decode(yaml)
        } throws: { error in
            guard case .syntax(let file, let line, _, let message) = error as? ConfigError else { return false }
            return file == "ftservices.yaml" && line == 4 && !message.isEmpty
        }
        let duplicate = "ports:\n  http: 80\n  http: 81\n"
        #expect {
            try decode(duplicate)
        } throws: { error in
            "\(error)".hasPrefix("ftservices.yaml:") && "\(error)".contains("duplicate key http")
        }
    }

    @Test func topLevelMustBeAMapping() {
        #expect(problems("- a\n- b\n") == ["the file must be a mapping of settings (key: value)"])
    }

    @Test func loadReadsAFileAndResolvesRelativePathsAgainstItsDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ftservices-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("ftservices.yaml")
        try Data("grafana: {package: grafana.deb}\n".utf8).write(to: file)
        try Data("deb".utf8).write(to: directory.appendingPathComponent("grafana.deb"))
        let config = try ConfigLoader.load(path: file.path)
        #expect(config.grafanaPackage == .localDeb(path: directory.appendingPathComponent("grafana.deb").path))
        #expect(throws: ConfigError.self) { try ConfigLoader.load(path: directory.appendingPathComponent("missing.yaml").path) }
    }
}
