import Foundation
import Testing

/// The hardening checks that no auditor runs for us: TLS session tickets, read-only roots and the writable
/// paths the daemons still need.
extension AuditLiveTests {
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
            let id = try Docker.containerID(service: service)
            let write = try Shell.run(["docker", "exec", id, "touch", "/etc/ftservices-write-probe"])
            #expect(write.status != 0 && write.stderr.contains("Read-only file system"), "\(service): the root filesystem refuses writes: \(write)")
        }
        for service in ["wordpress", "phpmyadmin"] {
            let id = try Docker.containerID(service: service)
            // Every session start collects garbage here (probability 1/1), as one request in a hundred does in the pool.
            let session = try Shell.run(["docker", "exec", id, "runuser", "-u", "www-data", "--", "php",
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
        let key = directory.appendingPathComponent("key.pem").path, cert = directory.appendingPathComponent("cert.pem").path
        let made = try Shell.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                  "-subj", "/CN=localhost", "-days", "1", "-keyout", key, "-out", cert])
        try #require(made.status == 0, "a throwaway certificate: \(made)")
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
