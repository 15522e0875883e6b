import FTServicesCore
import Foundation
import Testing
import FTServicesTestSupport
@testable import FTServicesKit

/// The verifier's connection-level probes against local servers the tests start: each passes against
/// a healthy subject and fails, saying what came back, when the subject is broken.
@Suite struct VerifierTests {
    let certificates: TestCertificates
    let verifier: Verifier

    init() throws {
        certificates = try TestCertificates.loopback.get()
        verifier = Self.verifier(caFile: certificates.caFile)
    }

    static func verifier(caFile: String, passwords: [SecretKey: String] = [:], engine: (any ContainerEngineAPI)? = nil) -> Verifier {
        let credentials = VerifyCredentials(caFile: caFile, sshPrivateKey: "/nonexistent/id_ed25519", sshPublicKey: nil, passwords: passwords)
        return engine.map { Verifier(credentials: credentials, engine: $0) } ?? Verifier(credentials: credentials)
    }

    func check(_ probe: CheckProbe, timeout: Duration? = nil) async -> CheckResult {
        await verifier.check(CheckSpec(name: "test", group: .ports, target: "t", expected: "e", probe: probe, timeout: timeout))
    }

    // MARK: HTTP status and redirects

    @Test func httpStatusAndLocation() async throws {
        let server = try TestServer("http", ["routes": [
            "/": ["status": 301, "headers": [["Location", "https://127.0.0.1/"]]],
            "/ok": ["status": 200, "body": "fine"],
        ]])
        let url = "http://127.0.0.1:\(server.port)/"
        let right = await check(.httpStatus(url: url, status: 301, location: "https://127.0.0.1/"))
        #expect(right.pass)
        #expect(right.observed == "HTTP 301 to https://127.0.0.1/")
        let anyLocation = await check(.httpStatus(url: url, status: 301, location: nil))
        #expect(anyLocation.pass)

        let wrongLocation = await check(.httpStatus(url: url, status: 301, location: "https://127.0.0.1:8443/"))
        #expect(!wrongLocation.pass)
        #expect(wrongLocation.observed == "HTTP 301 to https://127.0.0.1/")
        let wrongStatus = await check(.httpStatus(url: "http://127.0.0.1:\(server.port)/ok", status: 301, location: nil))
        #expect(!wrongStatus.pass)
        #expect(wrongStatus.observed == "HTTP 200")
        let removedRoute = await check(.httpStatus(url: "http://127.0.0.1:\(server.port)/wordpress", status: 307, location: nil))
        #expect(!removedRoute.pass)
        #expect(removedRoute.observed == "HTTP 404")
    }

    @Test func httpToAClosedPortNamesHostAndPort() async throws {
        let port = try TestServer.closedPort()
        let result = await check(.httpStatus(url: "http://127.0.0.1:\(port)/", status: 301, location: nil))
        #expect(!result.pass)
        #expect(result.observed == "cannot connect to 127.0.0.1:\(port): Connection refused")
    }

    @Test func httpBodyMustContainTheText() async throws {
        let server = try TestServer("tls", ["routes": [
            "/phpmyadmin/": ["body": "<input name=\"pma_username\">"], "/other/": ["body": "hello"],
        ]], certificate: certificates.server)
        let good = await check(.httpBody(url: "https://127.0.0.1:\(server.port)/phpmyadmin/", status: 200, contains: "pma_username"))
        #expect(good.pass, "\(good.observed)")
        #expect(good.observed == "HTTP 200, 27 bytes with \"pma_username\"")
        let missing = await check(.httpBody(url: "https://127.0.0.1:\(server.port)/other/", status: 200, contains: "pma_username"))
        #expect(!missing.pass)
        #expect(missing.observed == "HTTP 200, 5 bytes without \"pma_username\"")
    }

    // MARK: TLS

    @Test func tlsHandshakeReportsVersionSubjectAndExpiry() async throws {
        let server = try TestServer("tls", ["routes": ["/": ["body": "x"]]], certificate: certificates.server)
        let result = await check(.tlsHandshake(host: "127.0.0.1", port: server.port))
        #expect(result.pass, "\(result.observed)")
        #expect(result.observed.hasPrefix("TLSv1.3, subject CN = 127.0.0.1, expires ") || result.observed.hasPrefix("TLSv1.2, subject CN = 127.0.0.1"))
        let expiry = Verifier.day(Date().addingTimeInterval(30 * 86_400))
        #expect(result.observed.hasSuffix(expiry) || result.observed.hasSuffix(Verifier.day(Date().addingTimeInterval(30 * 86_400 - 3_600))))
    }

    @Test func tlsFailsForACertificateTheCADidNotIssue() async throws {
        let server = try TestServer("tls", [:], certificate: certificates.impostor)
        let result = await check(.tlsHandshake(host: "127.0.0.1", port: server.port))
        #expect(!result.pass)
        #expect(result.observed.hasPrefix("certificate not trusted at 127.0.0.1:\(server.port)"))
    }

    @Test func tlsFailsOnAPlainServer() async throws {
        let server = try TestServer("http", [:])
        let result = await check(.tlsHandshake(host: "127.0.0.1", port: server.port))
        #expect(!result.pass)
        #expect(result.observed.contains("127.0.0.1:\(server.port)"))
    }

    // MARK: Banners and AUTH TLS

    @Test func sshBanner() async throws {
        let ssh = try TestServer("lines", ["greeting": "SSH-2.0-OpenSSH_9.2p1 Debian-2"])
        let good = await check(.banner(host: "127.0.0.1", port: ssh.port, prefix: "SSH-2.0-"))
        #expect(good.pass)
        #expect(good.observed == "\"SSH-2.0-OpenSSH_9.2p1 Debian-2\"")

        let ftp = try TestServer("lines", ["greeting": "220 (vsFTPd 3.0.3)"])
        let wrong = await check(.banner(host: "127.0.0.1", port: ftp.port, prefix: "SSH-2.0-"))
        #expect(!wrong.pass)
        #expect(wrong.observed == "\"220 (vsFTPd 3.0.3)\"")
    }

    @Test func noBannerTimesOut() async throws {
        let silent = try TestServer("lines", [:])
        let clock = ContinuousClock()
        let start = clock.now
        let result = await check(.banner(host: "127.0.0.1", port: silent.port, prefix: "SSH-2.0-"), timeout: .milliseconds(600))
        #expect(!result.pass)
        #expect(result.observed.contains("no complete line within the timeout"))
        #expect(clock.now - start < .seconds(4), "the check's own timeout, not LineClient's default (generous: other tests load the CPUs)")
    }

    @Test func ftpGreetingAndAuthTLS() async throws {
        let vsftpd = try TestServer("lines", ["greeting": "220 (vsFTPd 3.0.3)",
                                                     "replies": ["AUTH TLS": "234 Proceed with negotiation."]])
        let good = await check(.ftpAuthTLS(host: "127.0.0.1", port: vsftpd.port))
        #expect(good.pass)
        #expect(good.observed == "\"220 (vsFTPd 3.0.3)\", then \"234 Proceed with negotiation.\" to AUTH TLS")

        let noTLS = try TestServer("lines", ["greeting": "220 plain FTP", "default": "530 Please login with USER and PASS."])
        let refused = await check(.ftpAuthTLS(host: "127.0.0.1", port: noTLS.port))
        #expect(!refused.pass)
        #expect(refused.observed.contains("\"530 Please login with USER and PASS.\" to AUTH TLS"))

        let ssh = try TestServer("lines", ["greeting": "SSH-2.0-OpenSSH_9.2", "close_after_reply": true])
        let notFTP = await check(.ftpAuthTLS(host: "127.0.0.1", port: ssh.port))
        #expect(!notFTP.pass)
    }

    // MARK: Ports that must stay inside

    @Test func aClosedPortPassesNotReachable() async throws {
        let port = try TestServer.closedPort()
        let result = await check(.notReachable(host: "127.0.0.1", port: port))
        #expect(result.pass)
        #expect(result.observed.hasPrefix("connection refused"))
        // "refused", not "no connection": the answer came at once rather than at the timeout. (The latency
        // itself is a couple of milliseconds alone, but not a stable number while the other tests load the CPUs.)
        #expect(result.latencyMilliseconds > 0)
    }

    @Test(arguments: [["greeting": "5.5.5-10.11.6-MariaDB"] as [String: String], [:]])
    func anOpenPortFailsNotReachable(spec: [String: String]) async throws {
        // A server that speaks first (MariaDB) and one that waits for the client (InfluxDB's HTTP API).
        let server = try TestServer("lines", spec)
        let result = await check(.notReachable(host: "127.0.0.1", port: server.port), timeout: .milliseconds(500))
        #expect(!result.pass)
        #expect(result.observed.hasPrefix("reachable: connected"), "\(result.observed)")
    }

    // MARK: Running many

    @Test func checksRunInParallelInPlanOrder() async throws {
        let silent = try TestServer("lines", [:])
        let port = try TestServer.closedPort()
        let specs = (0..<8).map { index in
            CheckSpec(name: "check \(index)", group: .ports, target: "t", expected: "e",
                      probe: index == 7 ? .notReachable(host: "127.0.0.1", port: port) : .banner(host: "127.0.0.1", port: silent.port, prefix: "x"),
                      timeout: .milliseconds(700))
        }
        let clock = ContinuousClock()
        let start = clock.now
        let results = await verifier.run(specs)
        // One after another they would take 5.6 s; the margin is for the CPUs the other tests load.
        #expect(clock.now - start < .milliseconds(3_500), "eight 0.7 s checks in parallel")
        #expect(results.map(\.name) == specs.map(\.name))
        #expect(results.map(\.pass) == Array(repeating: false, count: 7) + [true])
    }

    @Test func waitRetriesFailingChecksUntilTheyPass() async throws {
        let port = try TestServer.closedPort()
        let spec = CheckSpec(name: "late", group: .routes, target: "t", expected: "HTTP 200",
                             probe: .httpStatus(url: "http://127.0.0.1:\(port)/ok", status: 200, location: nil), timeout: .seconds(1))
        let starter = Task {
            try await Task.sleep(for: .milliseconds(800))
            return try TestServer("http", ["port": port, "routes": ["/ok": ["body": "up"]]])
        }
        let rounds = Counter()
        let report = await verifier.verify([spec], wait: .seconds(10), retryInterval: .milliseconds(200)) { _ in rounds.increment() }
        _ = try await starter.value
        #expect(report.allPassed, "\(report.text)")
        #expect(rounds.value >= 2)
    }

    @Test func waitGivesUpAtTheDeadline() async throws {
        let port = try TestServer.closedPort()
        let spec = CheckSpec(name: "never", group: .routes, target: "t", expected: "HTTP 200",
                             probe: .httpStatus(url: "http://127.0.0.1:\(port)/", status: 200, location: nil))
        let clock = ContinuousClock()
        let start = clock.now
        let report = await verifier.verify([spec], wait: .seconds(1), retryInterval: .milliseconds(200))
        let elapsed = clock.now - start
        #expect(!report.allPassed)
        #expect(elapsed >= .milliseconds(700) && elapsed < .seconds(3), "\(elapsed)")
        #expect(report.text.contains("expected HTTP 200, got cannot connect to 127.0.0.1:\(port)"))
    }
}

/// A thread-safe count of callbacks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
