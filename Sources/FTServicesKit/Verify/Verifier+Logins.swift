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

    /// Passes only when the server refuses a cleartext login for want of encryption before it asks for a
    /// password (vsftpd with `force_local_logins_ssl`: "530 Non-anonymous sessions must use encryption."
    /// to USER). The server is suspected of taking plain logins, so it gets a throwaway user name and no
    /// password: never `login`'s name or password. A server that asks for a password (331), logs the
    /// user in, refuses for another reason or cannot be reached fails the check.
    func ftpPlainRefused(host: String, port: Int, login: CheckProbe.Login, timeout: Duration) async -> ProbeOutcome {
        let user = "ftservices-probe-\(UUID().uuidString.prefix(8).lowercased())"
        do {
            let transcript = try await LineClient(host: host, port: port, timeout: timeout).converse(sending: ["USER \(user)"])
            let greeting = Self.lastLine(transcript.greeting)
            guard greeting.hasPrefix("220") else { return ProbeOutcome(false, "not an FTP server: it greeted with \"\(greeting)\"") }
            let reply = Self.lastLine(transcript.replies.first ?? "")
            return Self.plainLoginOutcome(reply: reply)
        } catch {
            return ProbeOutcome(false, Self.describe(error))
        }
    }

    /// Judges the reply to a cleartext `USER` of a throwaway name.
    static func plainLoginOutcome(reply: String) -> ProbeOutcome {
        let code = reply.prefix(3)
        let aboutEncryption = ["encrypt", "tls", "ssl", "secure"].contains { reply.lowercased().contains($0) }
        switch code {
        case "530" where aboutEncryption, "534" where aboutEncryption, "550" where aboutEncryption:
            return ProbeOutcome(true, "refused: \(reply)")
        case "331", "332":
            return ProbeOutcome(false, "a plain-text login is possible: the server asked for a password without TLS (\"\(reply)\" to USER)")
        case "230":
            return ProbeOutcome(false, "a plain-text login was accepted without a password (\"\(reply)\" to USER)")
        default:
            return ProbeOutcome(false, reply.isEmpty ? "no reply to USER" : "\"\(reply)\" to USER, not a refusal for want of TLS; plain-text logins may be possible")
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
                      publicKeyPath: credentials.sshPublicKey, hostKeySHA256: credentials.sshHostKey?.fingerprintSHA256,
                      timeout: timeout)
    }

    /// Runs `echo <nonce>; id -un` over the ssh client, with the host key pinned through a private
    /// known_hosts file: passes when both lines come back (the nonce proves the command ran now).
    func sshCommand(host: String, port: Int, user: String, timeout: Duration) async -> ProbeOutcome {
        guard let hostKey = credentials.sshHostKey else {
            return ProbeOutcome(false, "no SSH host key (ssh_host_ed25519_key) in the state directory (run `ftservices setup`)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ftservices-ssh-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let knownHosts = directory.appendingPathComponent("known_hosts")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
            try Data("[\(host)]:\(port) \(hostKey.openSSHLine)\n".utf8).write(to: knownHosts)
        } catch {
            return ProbeOutcome(false, "could not write a known_hosts file in \(directory.path): \(error.localizedDescription)")
        }
        let nonce = "ftservices-verify-\(UUID().uuidString.prefix(8).lowercased())"
        let connectSeconds = max(1, Int(timeout.components.seconds))
        let command = ["ssh", "-F", "/dev/null", "-i", credentials.sshPrivateKey, "-p", "\(port)",
                       "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=yes",
                       "-o", "UserKnownHostsFile=\(knownHosts.path)", "-o", "GlobalKnownHostsFile=/dev/null",
                       "-o", "ConnectTimeout=\(connectSeconds)", "-o", "LogLevel=ERROR",
                       "\(user)@\(host)", "echo \(nonce); id -un"]
        do {
            let output = try await runner.output(command)
            let lines = output.split(whereSeparator: \.isNewline).map(String.init)
            guard lines == [nonce, user] else {
                return ProbeOutcome(false, "the command printed \(lines.joined(separator: " | ").debugDescription), not the nonce and \(user)")
            }
            return ProbeOutcome(true, "ran `id -un` as \(user) over ssh (host key \(hostKey.type) SHA256:\(hostKey.fingerprintSHA256))")
        } catch {
            return ProbeOutcome(false, Self.describe(sshFailure: error))
        }
    }

    /// What the ssh client's failure means, from its standard error.
    static func describe(sshFailure error: ProcessError) -> String {
        switch error {
        case .notFound:
            return "the ssh client is not installed: apt-get install openssh-client"
        case .couldNotStart(_, let reason):
            return "could not start ssh: \(reason)"
        case .failed(_, let status, let standardError, _):
            let text = standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") || text.contains("Host key verification failed") {
                return "host key verification failed: the server's key is not the install's sshd key (ssh \(status))"
            }
            let last = text.split(whereSeparator: \.isNewline).last.map(String.init) ?? "no message"
            return "ssh \(status): \(last)"
        }
    }

    /// libcurl's detailed reason, else its summary.
    static func reason(_ error: NetError) -> String {
        let detail = error.detail.trimmingCharacters(in: .whitespacesAndNewlines)
        return detail.isEmpty ? error.message : detail
    }
}
