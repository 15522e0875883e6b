import FTServicesCore
import Foundation

/// What `ftservices verify` logs in with: the install's CA (to trust its certificates), the SSH client
/// key, and the generated passwords by secret key. All of it comes from the state directory.
public struct VerifyCredentials: Sendable {
    /// The PEM file of the install's CA (`StateStore.caCertificate`).
    public var caFile: String
    /// The SSH client key that logs in to the nginx container.
    public var sshPrivateKey: String
    /// Its public half (`<private key>.pub`), when present; libssh2 derives it otherwise.
    public var sshPublicKey: String?
    /// Generated passwords, by the secret that holds them.
    public var passwords: [SecretKey: String]
    /// sshd's host key, read from the install's secret: SSH checks refuse any other (`nil` pins nothing).
    public var sshHostKey: SSHPublicKey?

    public init(caFile: String, sshPrivateKey: String, sshPublicKey: String?, passwords: [SecretKey: String],
                sshHostKey: SSHPublicKey? = nil) {
        self.caFile = caFile
        self.sshPrivateKey = sshPrivateKey
        self.sshPublicKey = sshPublicKey
        self.passwords = passwords
        self.sshHostKey = sshHostKey
    }

    /// Reads the state directory of `workspace`; fails, naming the fix, when setup never ran there.
    public static func load(from workspace: Workspace) throws -> VerifyCredentials {
        let store = workspace.state
        guard let state = try store.load() else { throw StateError.missing(directory: store.directory) }
        for file in [store.caCertificate, store.sshPrivateKey] where !FileManager.default.fileExists(atPath: file.path) {
            throw VerifyError.missingFile(file.path)
        }
        let publicKey = store.sshPrivateKey.path + ".pub"
        var passwords: [SecretKey: String] = [:]
        for key in SecretKey.allCases {
            if let value = state.secrets[key] { passwords[key] = value }
        }
        var hostKey: SSHPublicKey?
        if let pem = state.secrets[.sshHostEd25519Key] {
            do { hostKey = try SSHPublicKey(openSSHPrivateKey: pem) } catch {
                throw VerifyError.unreadableHostKey(store.stateFile.path, error)
            }
        }
        return VerifyCredentials(
            caFile: store.caCertificate.path, sshPrivateKey: store.sshPrivateKey.path,
            sshPublicKey: FileManager.default.fileExists(atPath: publicKey) ? publicKey : nil, passwords: passwords,
            sshHostKey: hostKey)
    }
}

/// `ftservices verify` could not start (checks that merely fail are results, not errors).
public enum VerifyError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// A file setup makes is missing from the state directory.
    case missingFile(String)
    /// The state file's SSH host key cannot be read.
    case unreadableHostKey(String, SSHKeyError)

    public var description: String {
        switch self {
        case .missingFile(let path):
            "\(path) is missing: run `ftservices setup` to create it (or pass the --state-dir of the install to verify)."
        case .unreadableHostKey(let path, let error):
            "\(path): secret ssh_host_ed25519_key: \(error)"
        }
    }

    public var errorDescription: String? { description }
}
