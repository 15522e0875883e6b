import Foundation
import Testing

/// End-to-end: the auditors an evaluator brings accept the live stack, and each of them fails when the config
/// it audits is weakened for real inside the running container.
///
/// - sslyze against Mozilla's "intermediate" profile on every TLS port: nginx 443, WordPress 5050, phpMyAdmin
///   5000, FTPS 21 through STARTTLS, and Grafana 3000 when setup could deploy it.
/// - ssh-audit on sshd (2222): no failure. Warnings remain: libssh2 1.10, which `verify`'s SFTP check uses,
///   needs the encrypt-and-MAC hmac-sha2 MACs, and curve25519 is not post-quantum (docs/SECURITY.md).
///
/// The auditors come from PyPI into `.build/auditors-live` (`./setup.sh test` installs them and sets
/// FTSERVICES_AUDITORS to its bin/ folder). Same gate as the other live suites.
@Suite(.serialized, .enabled(if: E2E.requested, E2E.notRequested))
struct AuditLiveTests {
    let address = "127.0.0.1"

    /// The auditor `name` from FTSERVICES_AUDITORS.
    static func auditor(_ name: String) throws -> String {
        let directory = try #require(E2E.environment["FTSERVICES_AUDITORS"],
                                     "FTSERVICES_AUDITORS must name the bin/ folder holding sslyze and ssh-audit (./setup.sh test installs them into .build/auditors-live)")
        let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
        try #require(FileManager.default.isExecutableFile(atPath: path), "no auditor at \(path)")
        return path
    }

    /// sslyze's verdict on `targets` against Mozilla's intermediate profile (exit 0: compliant), trusting the
    /// install's CA (the profile includes certificate path validation).
    static func sslyze(_ sslyze: String, ca: URL, _ targets: [String], starttls: String? = nil) throws -> Shell.Result {
        try Shell.run([sslyze, "--mozilla_config=intermediate", "--certinfo_ca_file", ca.path]
                      + (starttls.map { ["--starttls", $0] } ?? []) + targets)
    }

    /// ssh-audit's exit statuses: 0 nothing to report, 1 connection error, 2 warnings only, 3 at least one failure.
    static let sshAuditAcceptable: Set<Int32> = [0, 2]
    static let sshAuditFailure: Int32 = 3

    @Test("sslyze and ssh-audit pass the live stack, and fail when its TLS or SSH config is weakened")
    func auditorsOnTheLiveStack() throws {
        try E2E.requireReady()
        let sslyze = try Self.auditor("sslyze")
        let sshAudit = try Self.auditor("ssh-audit")
        // Swarm secrets the proxy-hop check makes (a foreign certificate for phpmyadmin): removed once the stack is gone.
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let foreign = (cert: "fts-e2e-foreign-cert-\(suffix)", key: "fts-e2e-foreign-key-\(suffix)")
        defer { _ = try? Shell.run(["docker", "secret", "rm", foreign.cert, foreign.key]) }
        try E2E.withFreshStack(address: address) { stack in
            let ca = stack.state.appendingPathComponent("ca/ca.crt")
            var ports = [443, 5050, 5000]
            if !stack.grafanaMissing { ports.append(3000) }
            let https = try Self.sslyze(sslyze, ca: ca, ports.map { "\(address):\($0)" })
            #expect(https.status == 0, "sslyze: a TLS port is not compliant with Mozilla's intermediate profile: \(https)")
            let ftps = try Self.sslyze(sslyze, ca: ca, ["\(address):21"], starttls: "ftp")
            #expect(ftps.status == 0, "sslyze on FTPS (STARTTLS): \(ftps)")
            let audit = try Shell.run([sshAudit, "-p", "2222", address])
            #expect(Self.sshAuditAcceptable.contains(audit.status), "ssh-audit found failures in sshd's config (or could not connect): \(audit)")

            // The service findings of the hardening, as a client sees them.
            let tool = stack.tool
            let credentials = try Credentials(json: try tool.run(["credentials", "--json"]).stdout)
            let curl = Curl(caFile: ca.path)
            for url in ["https://\(address)/no-such-page", "https://\(address)/wordpress", "https://\(address):5050/",
                        "https://\(address):5000/", "https://\(address)/phpmyadmin/"] {
                let hsts = try curl.head(url).values(of: "Strict-Transport-Security")
                #expect(hsts.count == 1 && hsts.first?.contains("max-age=63072000") == true, "one HSTS header on \(url): \(hsts)")
            }
            let plain = try curl.head("http://\(address)/")
            #expect(plain.values(of: "Strict-Transport-Security").isEmpty, "no HSTS over plain HTTP: \(plain.headers)")
            let xmlrpc = try curl.post("https://\(address):5050/xmlrpc.php", data: "<methodCall/>")
            #expect(xmlrpc.status == 403, "xmlrpc.php is refused: \(xmlrpc)")
            let dbadmin = try #require(credentials.first(service: "phpmyadmin"), "credentials list phpMyAdmin's login")
            let grants = try Docker.sql(service: "mysql", user: dbadmin.user, password: dbadmin.password ?? "", query: "SHOW GRANTS")
            #expect(!grants.contains("WITH GRANT OPTION") && !grants.contains("ALL PRIVILEGES ON *.*"),
                    "\(dbadmin.user) has no global rights and cannot grant: \(grants)")
            #expect(grants.contains("ALL PRIVILEGES ON `wordpress`.*"), "\(dbadmin.user) administers the wordpress database: \(grants)")

            try Self.expectNoSessionTickets(address: address, ports: ports, ca: ca)
            let ssh = try #require(credentials.first(service: "ssh"), "credentials list the SSH login")
            try Self.expectReadOnlyRoots(services: ["nginx", "wordpress", "phpmyadmin", "mysql", "ftps", "influxdb"],
                                         sshKey: try #require(ssh.privateKeyPath), sshUser: ssh.user, address: address)

            let ftp = try #require(credentials.first(service: "ftps"), "credentials list the FTP login")
            try Self.expectFTPSDataSessionReuse(address: address, ca: ca, user: ftp.user, password: try #require(ftp.password))
            try Self.expectSaltsFromTheirOwnSecret(state: stack.state)
            try Self.expectInfluxBootstrapOnLoopback()
            try Self.expectVerifiedProxyHop(address: address, curl: curl, foreignSecrets: foreign)

            // The weakening below edits nginx's and sshd's configs inside the container: its root must be writable first.
            _ = try Docker.makeWritable(service: "nginx")

            // Weakened TLS: nginx back on its default cipher list (CBC suites and all), reloaded.
            _ = try Docker.exec(service: "nginx", ["sh", "-c", #"""
                sed -i 's/^\( *ssl_ciphers \).*/\1HIGH:!aNULL:!MD5;/' /usr/local/lib/ftservices/nginx-tls.conf && nginx -t -q && nginx -s reload
                """#])
            _ = E2E.wait(for: "sslyze to fail nginx with its default cipher list", within: 90, {
                try Self.sslyze(sslyze, ca: ca, ["\(address):443"])
            }, until: { $0.status != 0 && $0.stdout.contains("intermediate") })

            // Weakened SSH: sshd offering hmac-sha1, reloaded (SIGHUP: sshd re-executes itself with the new config).
            _ = try Docker.exec(service: "nginx", ["sh", "-c", #"""
                sed -i 's/^MACs .*/MACs hmac-sha1,hmac-sha2-256/' /etc/ssh/sshd_config && /usr/sbin/sshd -t && pkill -HUP -o -x sshd
                """#])
            _ = E2E.wait(for: "ssh-audit to fail sshd offering hmac-sha1", within: 60, {
                try Shell.run([sshAudit, "-p", "2222", address])
            }, until: { $0.status == Self.sshAuditFailure && $0.stdout.contains("hmac-sha1") })
        }
    }
}
