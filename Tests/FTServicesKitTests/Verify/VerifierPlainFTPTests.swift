import FTServicesCore
import Foundation
import Testing
import FTServicesTestSupport
@testable import FTServicesKit

/// The plain-FTP-refused check talks to a server suspected of accepting cleartext logins: it sends a
/// throwaway user name (never the real login, never a password), and passes only when the server refuses
/// that user for lack of encryption before asking for a password.
@Suite struct VerifierPlainFTPTests {
    let services: VerifierServiceTests
    let login = CheckProbe.Login(user: "ftpuser", passwordSecret: .ftpPassword)

    init() throws {
        services = try VerifierServiceTests()
    }

    func check(_ replies: [String: String], log: URL? = nil) async throws -> CheckResult {
        var spec: [String: Any] = ["greeting": VerifierServiceTests.vsftpdGreeting, "replies": replies]
        if let log { spec["log"] = log.path }
        let server = try TestServer("lines", spec)
        defer { server.stop() }
        return await services.check(.ftpPlainRefused(host: "127.0.0.1", port: server.port, login: login),
                                    passwords: [.ftpPassword: "Real-Pa55word"])
    }

    @Test func theRealLoginNeverGoesOverPlainFTP() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("ftp-lines-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let result = try await check(["USER": "530 Non-anonymous sessions must use encryption."], log: log)
        #expect(result.pass, "\(result.observed)")
        let sent = try String(contentsOf: log, encoding: .utf8)
        #expect(!sent.contains("Real-Pa55word") && !sent.contains("ftpuser"), "\(sent)")
        #expect(sent.hasPrefix("USER ftservices-probe-"), "\(sent)")
    }

    /// A server that asks for a password over plain FTP takes cleartext logins: refusing the throwaway
    /// password afterwards does not make it pass.
    @Test func aServerAskingForAPasswordFails() async throws {
        let result = try await check(["USER": "331 Please specify the password.", "PASS": "530 Login incorrect."])
        #expect(!result.pass)
        #expect(result.observed.contains("331 Please specify the password."), "\(result.observed)")
    }

    /// A 530 that is not about encryption (an unknown or denied user) says nothing about plain logins.
    @Test func aRefusalForAnotherReasonFails() async throws {
        let result = try await check(["USER": "530 Permission denied."])
        #expect(!result.pass)
        #expect(result.observed.contains("530 Permission denied."), "\(result.observed)")
    }

    @Test func aServerLoggingInWithoutAPasswordFails() async throws {
        let result = try await check(["USER": "230 Login successful."])
        #expect(!result.pass)
    }
}
