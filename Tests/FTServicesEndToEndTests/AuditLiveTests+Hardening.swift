import Foundation
import Testing

/// The hardening checks that no auditor runs for us: TLS session tickets, read-only roots and the writable
/// paths the daemons still need.
extension AuditLiveTests {
    /// A one-day self-signed P-256 certificate for `name` (CN and DNS SAN) in `directory`: (cert, key) paths.
    static func selfSignedCertificate(name: String, in directory: URL) throws -> (cert: String, key: String) {
        let key = directory.appendingPathComponent("key.pem").path, cert = directory.appendingPathComponent("cert.pem").path
        let made = try Shell.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                  "-subj", "/CN=\(name)", "-addext", "subjectAltName=DNS:\(name)", "-days", "1", "-keyout", key, "-out", cert])
        try #require(made.status == 0, "a self-signed certificate for \(name): \(made)")
        return (cert, key)
    }

    /// Whether a TLS 1.2 handshake with `address:port` ends with a session ticket from the server; nil when
    /// no handshake happened (the output says why).
    static func issuesSessionTicket(address: String, port: Int, ca: URL? = nil, starttls: String? = nil) throws -> (Bool?, Shell.Result) {
        let result = try Shell.run(["openssl", "s_client", "-tls1_2", "-connect", "\(address):\(port)"]
                                   + (ca.map { ["-CAfile", $0.path] } ?? []) + (starttls.map { ["-starttls", $0] } ?? []), input: "")
        guard result.stdout.contains("Cipher is ECDHE") else { return (nil, result) }
        return (result.stdout.contains("TLS session ticket lifetime hint"), result)
    }

    /// No TLS port hands out session tickets (nginx's `ssl_session_tickets off`, and vsftpd through its OpenSSL
    /// configuration): a ticket key that never rotates would let whoever gets it decrypt every recorded session.
    static func expectNoSessionTickets(address: String, ports: [Int], ca: URL) throws {
        for port in ports {
            let (ticket, result) = try issuesSessionTicket(address: address, port: port, ca: ca)
            #expect(ticket == false, "TLS 1.2 on \(port): a handshake without a session ticket: \(result)")
        }
        let (ticket, result) = try issuesSessionTicket(address: address, port: 21, ca: ca, starttls: "ftp")
        #expect(ticket == false, "FTPS (STARTTLS) on 21: a TLS 1.2 handshake without a session ticket: \(result)")
    }

    /// The services whose root filesystem the model declares read-only refuse a write to it, while the paths
    /// their daemons write keep working: PHP sessions with garbage collection (which lists the directory), the
    /// SSH user's home.
    static func expectReadOnlyRoots(services: [String], sshKey: String, sshUser: String, address: String) throws {
        for service in services {
            let write = try Docker.run(service: service, ["touch", "/etc/ftservices-write-probe"])
            #expect(write.status != 0 && write.stderr.contains("Read-only file system"), "\(service): the root filesystem refuses writes: \(write)")
            // The pids limit of the stack file reaches the kernel (cgroup v1 here; "max" means none).
            let pids = try Docker.exec(service: service, ["cat", "/sys/fs/cgroup/pids/pids.max"])
            let limit = try Docker.inspect(try Docker.containerID(service: service), "{{.HostConfig.PidsLimit}}")
            #expect(Int(pids).map { $0 >= 256 && "\($0)" == limit } == true, "\(service): pids.max \(pids), the service's limit \(limit)")
        }
        for service in ["wordpress", "phpmyadmin"] {
            // Every session start collects garbage here (probability 1/1), as one request in a hundred does in the pool.
            let session = try Docker.run(service: service, ["runuser", "-u", "www-data", "--", "php",
                                         "-d", "session.gc_probability=1", "-d", "session.gc_divisor=1", "-d", "display_errors=stderr",
                                         "-r", "if (!session_start()) { exit(1); } $_SESSION['probe'] = 1; session_write_close(); echo session_save_path();"])
            #expect(session.status == 0 && session.stderr.isEmpty && session.stdout == "/var/lib/php/sessions",
                    "\(service): PHP starts a session and collects old ones in /var/lib/php/sessions: \(session)")
        }
        let home = try Shell.run(SSH.command(key: sshKey, user: sshUser, address: address, port: 2222,
                                             remote: "echo probe > ~/ftservices-probe && cat ~/ftservices-probe && rm ~/ftservices-probe"))
        #expect(home.status == 0 && home.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "probe", "the SSH user writes in its home: \(home)")
    }
}

extension AuditLiveTests {
    /// The ticket probe itself can fail: OpenSSL's own test server, which hands out tickets by default, is
    /// reported as issuing them (so the stack's "no ticket" is a finding, not the probe's blindness).
    @Test("the session-ticket probe reports a server that issues tickets")
    func sessionTicketProbeSeesTickets() throws {
        try E2E.requireReady()
        let directory = try E2E.temporaryStateDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (cert, key) = try Self.selfSignedCertificate(name: "localhost", in: directory)
        let port = Int.random(in: 30000...39999)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", cert, "-key", key, "-www", "-quiet"]
        server.standardInput = Pipe()
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        // Probed until a handshake happens (the server may still be starting), then judged once.
        let probe = E2E.wait(for: "a TLS handshake with openssl s_server on 127.0.0.1:\(port)", within: 15, {
            try Self.issuesSessionTicket(address: "127.0.0.1", port: port)
        }, until: { $0.0 != nil })
        #expect(probe?.0 == true, "a server with tickets on is reported as issuing them: \(String(describing: probe?.1))")
    }
}

extension AuditLiveTests {
    /// The value of a secret in the install's state file.
    static func stateSecret(_ key: String, state: URL) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: state.appendingPathComponent("state.json"))) as? [String: Any]
        return try #require((object?["secrets"] as? [String: String])?[key], "state.json holds the secret \(key)")
    }

    /// HMAC-SHA-256 of `message` under `key`, in hex (openssl, as PHP's hash_hmac computes it).
    static func hmacSHA256(_ message: String, key: String) throws -> String {
        let result = try Shell.run(["openssl", "dgst", "-sha256", "-hmac", key, "-r"], input: message)
        return String(result.stdout.prefix { $0 != " " })
    }

    /// WordPress's keys and salts come from the install's random `wordpress_salts` secret, not from the database
    /// password (which they were derived from before: whoever read one knew both).
    static func expectSaltsFromTheirOwnSecret(state: URL) throws {
        let names = ["AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"]
        let read = try Docker.run(service: "wordpress", ["runuser", "-u", "www-data", "--", "php", "-r",
                                  "require '/etc/wordpress/config-default.php'; foreach ([\(names.map { "'\($0)'" }.joined(separator: ", "))] as $k) { echo constant($k), \"\\n\"; }"])
        let values = read.stdout.split(separator: "\n").map(String.init)
        try #require(read.status == 0 && values.count == names.count, "WordPress's config defines the keys and salts: \(read)")
        #expect(Set(values).count == names.count, "eight different keys and salts: \(values)")
        let salts = try stateSecret("wordpress_salts", state: state).replacingOccurrences(of: "\n", with: "")
        let database = try stateSecret("wordpress_db_password", state: state)
        for (name, value) in zip(names, values) {
            #expect(value == (try hmacSHA256("ftservices-wordpress-\(name)", key: salts)), "\(name) derives from the secret wordpress_salts")
            #expect(value != (try hmacSHA256("ftservices-wordpress-\(name)", key: database)), "\(name) does not derive from the database password")
        }
    }

    /// nginx's /phpmyadmin/ hop verifies phpMyAdmin's certificate: a phpMyAdmin with a certificate of another CA
    /// (a Swarm secret the test made) still serves on 5000, but nginx refuses to proxy to it (502).
    static func expectVerifiedProxyHop(address: String, curl: Curl, foreignSecrets: (cert: String, key: String)) throws {
        let directory = try E2E.temporaryStateDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A certificate of a foreign CA, with the right name: only the issuer is wrong.
        let (cert, key) = try Self.selfSignedCertificate(name: "phpmyadmin", in: directory)
        for (name, file) in [(foreignSecrets.cert, cert), (foreignSecrets.key, key)] {
            let created = try Shell.run(["docker", "secret", "create", name, file])
            try #require(created.status == 0, "docker secret create \(name): \(created)")
        }
        let before = try Docker.containerID(service: "phpmyadmin")
        // `--secret-rm` takes the secret's name (ftservices_tls_cert_<hash>), not its target.
        let mounted = try Shell.run(["docker", "service", "inspect", "ftservices_phpmyadmin", "--format",
                                     "{{range .Spec.TaskTemplate.ContainerSpec.Secrets}}{{.File.Name}}={{.SecretName}} {{end}}"]).stdout
        let names = Dictionary(mounted.split(separator: " ").compactMap { pair -> (String, String)? in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }, uniquingKeysWith: { first, _ in first })
        let current = (cert: try #require(names["tls_cert"], "\(mounted)"), key: try #require(names["tls_key"], "\(mounted)"))
        let update = try Shell.run(["docker", "service", "update", "--detach",
                                    "--secret-rm", current.cert, "--secret-rm", current.key,
                                    "--secret-add", "source=\(foreignSecrets.cert),target=tls_cert,mode=0400",
                                    "--secret-add", "source=\(foreignSecrets.key),target=tls_key,mode=0400", "ftservices_phpmyadmin"])
        try #require(update.status == 0, "phpmyadmin given a foreign certificate: \(update)")
        E2E.wait(for: "phpmyadmin serving a foreign certificate on 5000", within: 90, {
            try Shell.run(["curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", "https://\(address):5000/"]).stdout
                + (try Docker.containerID(service: "phpmyadmin") == before ? " (old container)" : "")
        }, until: { $0 == "200" })
        let direct = try curl.head("https://\(address):5000/")
        #expect(direct.status == 0, "curl with the install's CA refuses phpmyadmin's foreign certificate: \(direct)")
        let proxied = try curl.get("https://\(address)/phpmyadmin/")
        #expect(proxied.status == 502, "nginx refuses to proxy to a phpmyadmin whose certificate the install's CA did not sign: \(proxied)")
    }
}

extension AuditLiveTests {
    /// Runs inside an influxdb container from its first instant: one line each time the admin mark or the set of
    /// sockets listening on 8086 changes ("fts-watch: mark=0 listen=[0100007F:1F96 ]").
    static let influxWatcher = #"""
        last=
        while :; do
            listen=$(awk '$4 == "0A" && $2 ~ /:1F96$/ { print $2 }' /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort | tr '\n' ' ')
            # The mark is read after the sockets: it only ever appears, so mark=0 means none existed while they
            # were read (read before, a slow read could pair an old "no mark" with the final listener).
            mark=0; [ -e /var/lib/influxdb/.ftservices-admin ] && mark=1
            state="mark=$mark listen=[$listen]"
            if [ "$state" != "$last" ]; then echo "fts-watch: $state"; last=$state; fi
            sleep 0.02
        done
        """#

    /// What an influxdb container started on an empty volume shows until its network listener is up: the
    /// watcher's lines, from `docker run` of `image` with `command` after the watcher.
    static func influxFirstStart(image: String, command: String) throws -> [String] {
        let name = "fts-e2e-influx-\(UUID().uuidString.prefix(8).lowercased())"
        let secrets = try E2E.temporaryStateDirectory()
        defer {
            _ = try? Shell.run(["docker", "rm", "-f", name])
            _ = try? Shell.run(["docker", "volume", "rm", "-f", name])
            try? FileManager.default.removeItem(at: secrets)
        }
        for secret in ["influxdb_admin_password", "influxdb_grafana_password"] {
            try UUID().uuidString.write(to: secrets.appendingPathComponent(secret), atomically: true, encoding: .utf8)
        }
        let run = try Shell.run(["docker", "run", "-d", "--name", name, "--network", "none", "--read-only",
                                 "--tmpfs", "/tmp", "--tmpfs", "/var/lib/collectd", "-v", "\(name):/var/lib/influxdb",
                                 "-v", "\(secrets.path):/run/secrets:ro", "--entrypoint", "bash", image,
                                 "-c", "{ \(influxWatcher); } & \(command)"])
        try #require(run.status == 0, "docker run \(image): \(run)")
        let lines = E2E.wait(for: "influxd listening on all interfaces of the container", within: 60, {
            try Shell.run(["docker", "logs", name]).stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("fts-watch: ") }
        }, until: { $0.contains { $0.contains("00000000:1F96") || $0.contains("00000000000000000000000000000000:1F96") } })
        return lines ?? []
    }

    /// The lines where something listened on 8086 beyond loopback while no admin existed yet.
    static func networkListenersWithoutAdmin(_ lines: [String]) -> [String] {
        lines.filter { line in
            guard line.contains("mark=0") else { return false }
            let listening = line.split(separator: "[").last.map { $0.dropLast() }?.split(separator: " ") ?? []
            return listening.contains { !$0.hasPrefix("0100007F:") && !$0.hasPrefix("00000000000000000000000001000000:") }
        }
    }

    /// InfluxDB creates its first admin while its HTTP API listens on 127.0.0.1 only (with auth on and no user,
    /// anyone reaching it could create the admin); the same watcher on an influxd started the old way, on all
    /// interfaces at once, is caught.
    static func expectInfluxBootstrapOnLoopback() throws {
        let image = try Shell.run(["docker", "service", "inspect", "ftservices_influxdb", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(image.hasPrefix("ftservices/influxdb:"), "the deployed influxdb image: \(image)")
        let entrypoint = try influxFirstStart(image: image, command: "exec /usr/local/bin/entrypoint")
        #expect(entrypoint.contains { $0.contains("mark=0") && $0.contains("0100007F:1F96") },
                "the first start listened on 127.0.0.1 before the admin existed: \(entrypoint)")
        #expect(networkListenersWithoutAdmin(entrypoint).isEmpty, "nothing listens beyond loopback before the admin exists: \(entrypoint)")
        let old = try influxFirstStart(image: image, command: "exec setpriv --reuid=influxdb --regid=influxdb --init-groups -- influxd -config /etc/influxdb/influxdb.conf")
        #expect(!networkListenersWithoutAdmin(old).isEmpty, "influxd started on all interfaces at once is reported: \(old)")
    }
}

extension AuditLiveTests {
    /// vsftpd's `require_ssl_reuse`: a data connection that does not resume the control connection's TLS session
    /// is refused (522), so nobody but the logged-in client can take a passive data port; the same listing with
    /// resumption (what curl, lftp and the tool's libcurl do) works.
    static func expectFTPSDataSessionReuse(address: String, ca: URL, user: String, password: String) throws {
        let curl = Curl(caFile: ca.path)
        let resumed = try curl.ftpsList(address: address, user: user, password: password)
        #expect(resumed.status == 0, "a listing over FTPS with the TLS session resumed on the data connection: \(resumed)")
        let fresh = try curl.ftpsList(address: address, user: user, password: password, extra: ["--no-sessionid"])
        #expect(fresh.status != 0 && fresh.stderr.contains("522"), "a data connection with a new TLS session is refused with 522: \(fresh)")
    }
}
