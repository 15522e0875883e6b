import FTServicesCore
import FTServicesNet
import Foundation

/// The login probes: FTPS round trip, plain FTP refused, SFTP login, root refused.
extension Verifier {
    /// The outcome of a login whose password the state directory lacks.
    func missingPassword(_ login: CheckProbe.Login) -> ProbeOutcome {
        ProbeOutcome(false, "no password \(login.passwordSecret.rawValue) in the state directory (run `ftservices setup`)")
    }

    /// Logs in over explicit TLS, uploads random bytes, downloads them, compares, deletes the file.
    func ftpsRoundTrip(host: String, port: Int, login: CheckProbe.Login, timeout: Duration) async -> ProbeOutcome {
        guard let password = credentials.passwords[login.passwordSecret] else { return missingPassword(login) }
        let client = FTPClient(host: host, port: port, username: login.user, password: password,
                               security: .explicitTLS(.caFile(credentials.caFile)), timeout: timeout)
        let name = ".ftservices-verify-\(UUID().uuidString.prefix(8)).bin"
        let bytes = Data((0..<4096).map { _ in UInt8.random(in: 0...255) })
        var step = "upload"
        do {
            try await client.upload(bytes, to: name)
            step = "download"
            let back = try await client.download(name)
            step = "delete"
            try await client.delete(name)
            guard back == bytes else {
                return ProbeOutcome(false, "uploaded \(bytes.count) bytes but downloaded \(back.count) different ones")
            }
            return ProbeOutcome(true, "logged in over TLS, \(bytes.count) bytes uploaded, downloaded identical, deleted")
        } catch {
            if step == "download" { try? await client.delete(name) }
            return ProbeOutcome(false, "\(step) failed: \(Self.describe(error))")
        }
    }

    /// Passes only when the server refuses the cleartext login (vsftpd: "530 Non-anonymous sessions
    /// must use encryption."); a refused connection or an accepted login fails.
    func ftpPlainRefused(host: String, port: Int, login: CheckProbe.Login, timeout: Duration) async -> ProbeOutcome {
        guard let password = credentials.passwords[login.passwordSecret] else { return missingPassword(login) }
        let client = FTPClient(host: host, port: port, username: login.user, password: password, security: .none,
                               timeout: timeout)
        do {
            try await client.login()
            return ProbeOutcome(false, "a plain-text login as \(login.user) was accepted")
        } catch where error.kind == .loginDenied {
            return ProbeOutcome(true, "refused: \(Self.reason(error))")
        } catch {
            return ProbeOutcome(false, Self.describe(error))
        }
    }

    /// SFTP login with the install's key, listing the home directory. (libcurl's SFTP cannot run a
    /// shell command; running one needs the ssh client.)
    func sshLogin(host: String, port: Int, user: String, timeout: Duration) async -> ProbeOutcome {
        do {
            let names = try await sshClient(host: host, port: port, user: user, timeout: timeout).list("~/")
            return ProbeOutcome(true, "logged in as \(user), home lists \(names.count) entr\(names.count == 1 ? "y" : "ies")")
        } catch {
            return ProbeOutcome(false, Self.describe(error))
        }
    }

    /// Passes only when the login as root fails at authentication (not at connecting).
    func sshRootRefused(host: String, port: Int, timeout: Duration) async -> ProbeOutcome {
        do {
            _ = try await sshClient(host: host, port: port, user: "root", timeout: timeout).list("~/")
            return ProbeOutcome(false, "root logged in with the install's key")
        } catch where error.kind == .loginDenied {
            return ProbeOutcome(true, "refused: \(Self.reason(error))")
        } catch {
            return ProbeOutcome(false, Self.describe(error))
        }
    }

    func sshClient(host: String, port: Int, user: String, timeout: Duration) -> SSHFileClient {
        SSHFileClient(host: host, port: port, username: user, privateKeyPath: credentials.sshPrivateKey,
                      publicKeyPath: credentials.sshPublicKey, timeout: timeout)
    }

    /// libcurl's detailed reason, else its summary.
    static func reason(_ error: NetError) -> String {
        let detail = error.detail.trimmingCharacters(in: .whitespacesAndNewlines)
        return detail.isEmpty ? error.message : detail
    }
}
