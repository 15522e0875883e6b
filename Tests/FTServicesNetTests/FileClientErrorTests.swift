import FTServicesNet
import FTServicesTestSupport
import Foundation
import Testing

/// FTPS and SFTP against things that are not such servers: the errors must be clear and typed.
/// (The stack's end-to-end tests use these clients against the real vsftpd and sshd.)
@Suite("FTPClient and SSHFileClient failures")
struct FileClientErrorTests {
    @Test func ftpsToAClosedPortIsRefused() async throws {
        let port = try TestServer.closedPort()
        let client = FTPClient(host: "127.0.0.1", port: port, username: "u", password: "p",
                               security: .explicitTLS(.insecure))
        do {
            _ = try await client.list()
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .couldNotConnect)
            #expect(error.description.contains("127.0.0.1:\(port)"))
        }
    }

    @Test func ftpsWhenTheServerRefusesAuthTLS() async throws {
        // The fake answers 500 to everything but AUTH TLS... so make it refuse: it greets, then says 500.
        let server = try TestServer.banner("220 no tls here")
        let client = FTPClient(host: "127.0.0.1", port: server.port, username: "u", password: "p",
                               security: .explicitTLS(.insecure), timeout: .seconds(5))
        // AUTH TLS is accepted by the fake (234) but no handshake follows: a TLS failure, not a hang.
        await #expect(throws: NetError.self) { try await client.login() }
    }

    @Test func plainFTPLoginAgainstAServerThatRejectsIt() async throws {
        let server = try TestServer.banner("220 ready")
        let client = FTPClient(host: "127.0.0.1", port: server.port, username: "u", password: "p",
                               security: .none, timeout: .seconds(5))
        do {
            try await client.login()
            Issue.record("expected an error")
        } catch {
            // The fake answers "500 Unknown command." to USER.
            #expect(error.kind != .couldNotConnect)
            #expect(error.description.contains("127.0.0.1:\(server.port)"))
        }
    }

    @Test func ftpURLsAreRelativeToTheLoginDirectory() {
        let client = FTPClient(host: "10.0.0.5", username: "u", password: "p", security: .none)
        #expect(client.url(for: "dir/a b.txt") == "ftp://10.0.0.5:21/dir/a%20b.txt")
    }

    @Test func sftpToANonSSHServerFails() async throws {
        let server = try TestServer.banner("220 not ssh")
        let client = SSHFileClient(host: "127.0.0.1", port: server.port, username: "u",
                                   privateKeyPath: "/nonexistent/key", timeout: .seconds(5))
        do {
            _ = try await client.list()
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("127.0.0.1:\(server.port)"))
        }
    }

    @Test func sftpToAClosedPortIsRefused() async throws {
        let port = try TestServer.closedPort()
        let client = SSHFileClient(host: "127.0.0.1", port: port, username: "u", privateKeyPath: "/nonexistent/key")
        do {
            _ = try await client.list("~/")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .couldNotConnect)
        }
    }

    @Test func sftpURLs() {
        let client = SSHFileClient(host: "h", port: 2222, username: "u", privateKeyPath: "k")
        #expect(client.url(for: "~/x") == "sftp://h:2222/~/x")
        #expect(client.url(for: "/etc/hostname") == "sftp://h:2222/etc/hostname")
    }
}
