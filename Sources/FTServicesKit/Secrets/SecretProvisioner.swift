import FTServicesCore
import Foundation

/// Generates every secret the stack needs, once, and keeps them in the state store.
///
/// Passwords come from the system's CSPRNG; the TLS pair from the local CA (re-issued when the stack
/// address changes, the certificate lacks one of the names it must carry, or it is within 30 days of
/// expiry); SSH keys from `ssh-keygen`.
/// Values are never printed, logged or passed on a command line.
public struct SecretProvisioner: Sendable {
    let store: StateStore
    let runner: any ProcessRunning

    public init(store: StateStore, runner: any ProcessRunning = SubprocessRunner()) {
        self.store = store
        self.runner = runner
    }

    /// Makes sure every key in `keys` has a value; returns the (saved) state.
    /// - Parameters:
    ///   - wordpressUsers: names of the WordPress users, for `wordpress_passwords` (one line each).
    public func ensure(keys: [SecretKey], address: String, wordpressUsers: [String]) async throws -> StackState {
        try store.prepare()
        var state = try store.load() ?? StackState()
        let before = state
        for key in keys.sorted() {
            switch key.generation {
            case .tlsCertificateChain, .tlsPrivateKey:
                try await ensureTLS(&state, address: address)
            case .sshHostKey:
                if state.secrets[key] == nil { state.secrets[key] = try await generateSSHKey(comment: "ftservices host key") }
            case .sshAuthorizedKeys:
                state.secrets[key] = try await clientPublicKey()
            case .wordpressPasswordLines(let length):
                state.secrets[key] = Self.wordpressPasswords(users: wordpressUsers, existing: state.secrets[key], length: length)
            case .password(let length), .blowfishSecret(let length):
                if state.secrets[key] == nil { state.secrets[key] = PasswordGenerator.make(length: length) }
            }
        }
        if state != before { try store.save(state) }
        return state
    }

    func ensureTLS(_ state: inout StackState, address: String) async throws {
        let authority = CertificateAuthority(directory: store.caDirectory, runner: runner)
        if let cert = state.secrets[.tlsCert], state.secrets[.tlsKey] != nil,
           !Self.needsNewCertificate(recordedAddress: state.certificateAddress, address: address,
                                     secondsLeft: await authority.secondsUntilExpiry(of: cert),
                                     names: await authority.subjectAltNames(of: cert)) {
            return
        }
        let issued = try await authority.issueServerCertificate(address: address)
        state.secrets[.tlsCert] = issued.chain
        state.secrets[.tlsKey] = issued.key
        state.certificateAddress = address
    }

    /// Whether the certificate on record must be replaced: issued for another address, unreadable, within
    /// 30 days of expiry, valid for longer than ``CertificateAuthority/serverCertificateDays`` allows (one
    /// issued for 825 days before that limit), or lacking one of the names of
    /// ``CertificateAuthority/subjectAltNames(address:)`` (a certificate from before the service names were added).
    static func needsNewCertificate(recordedAddress: String?, address: String, secondsLeft: Double?, names: Set<String>?) -> Bool {
        let longest = Double(CertificateAuthority.serverCertificateDays + 1) * 86_400
        guard recordedAddress == address, let secondsLeft, secondsLeft > 30 * 86_400, secondsLeft <= longest, let names else { return true }
        return !Set(CertificateAuthority.subjectAltNames(address: address)).isSubset(of: names)
    }

    /// The client key pair users log in with; created on first use (private key 0600).
    func clientPublicKey() async throws -> String {
        let privateKey = store.sshPrivateKey
        let publicKey = URL(fileURLWithPath: privateKey.path + ".pub")
        if !FileManager.default.fileExists(atPath: privateKey.path) {
            try await runner.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ftservices", "-f", privateKey.path])
        }
        return try String(contentsOf: publicKey, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
    }

    /// A new ed25519 private key (OpenSSH format), generated in a private temporary directory.
    func generateSSHKey(comment: String) async throws -> String {
        let work = store.directory.appendingPathComponent("keygen-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: work) }
        let file = work.appendingPathComponent("key")
        try await runner.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file.path])
        return try String(contentsOf: file, encoding: .utf8)
    }

    /// `NAME<TAB>PASSWORD` lines, keeping the passwords of users that already had one.
    static func wordpressPasswords(users: [String], existing: String?, length: Int) -> String {
        let known = SecretKey.wordpressPasswords(parsing: existing ?? "")
        return SecretKey.wordpressPasswordsContent(users.map { ($0, known[$0] ?? PasswordGenerator.make(length: length)) })
    }
}

/// Strong random passwords from the system's CSPRNG, letters and digits only (safe in every config syntax).
public enum PasswordGenerator {
    static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")

    /// A password of `length` characters (≈ 5.8 bits each: 24 characters ≈ 140 bits).
    public static func make(length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}
