import Foundation

/// The public half of an unencrypted OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`,
/// "openssh-key-v1"), read without running `ssh-keygen`: `verify` pins the sshd host key with it.
///
/// The format (OpenSSH's PROTOCOL.key): the magic "openssh-key-v1\0", then SSH strings for the cipher,
/// the KDF and its options, a uint32 key count, and each public key as an SSH string. Only the first
/// public key is read; the (possibly encrypted) private part is never touched.
public struct SSHPublicKey: Sendable, Equatable {
    /// The key type, as in the key blob ("ssh-ed25519").
    public var type: String
    /// The public key blob in SSH wire format (what fingerprints hash).
    public var blob: [UInt8]

    public init(type: String, blob: [UInt8]) {
        self.type = type
        self.blob = blob
    }

    /// Reads the public key stored in `privateKeyPEM`.
    public init(openSSHPrivateKey privateKeyPEM: String) throws(SSHKeyError) {
        let lines = privateKeyPEM.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(of: "-----BEGIN OPENSSH PRIVATE KEY-----"),
              let end = lines.firstIndex(of: "-----END OPENSSH PRIVATE KEY-----"), begin < end else {
            throw .notOpenSSH("no BEGIN/END OPENSSH PRIVATE KEY lines")
        }
        guard let data = Data(base64Encoded: lines[(begin + 1)..<end].joined()) else {
            throw .notOpenSSH("the body is not base64")
        }
        var reader = Reader(bytes: Array(data))
        let magic = Array("openssh-key-v1".utf8) + [0]
        guard reader.take(magic.count) == magic else { throw .notOpenSSH("no openssh-key-v1 magic") }
        for field in ["cipher name", "KDF name", "KDF options"] {
            guard reader.string() != nil else { throw .truncated(field) }
        }
        guard let count = reader.uint32(), count >= 1 else { throw .truncated("key count") }
        guard let blob = reader.string() else { throw .truncated("public key") }
        var inner = Reader(bytes: blob)
        guard let type = inner.string(), let name = String(bytes: type, encoding: .utf8), !name.isEmpty else {
            throw .truncated("key type")
        }
        self.init(type: name, blob: blob)
    }

    /// The SHA-256 fingerprint as OpenSSH prints it after "SHA256:" (base64, no padding).
    public var fingerprintSHA256: String {
        var hash = SHA256()
        hash.update(blob)
        return Data(hash.finalize()).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    /// The key as one known_hosts / authorized_keys field pair: "ssh-ed25519 AAAA...".
    public var openSSHLine: String { "\(type) \(Data(blob).base64EncodedString())" }

    /// Reads SSH wire-format fields (RFC 4251: uint32 big-endian, length-prefixed strings).
    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func take(_ count: Int) -> [UInt8]? {
            guard count >= 0, offset + count <= bytes.count else { return nil }
            defer { offset += count }
            return Array(bytes[offset..<(offset + count)])
        }

        mutating func uint32() -> UInt32? {
            take(4).map { $0.reduce(0) { $0 << 8 | UInt32($1) } }
        }

        mutating func string() -> [UInt8]? {
            uint32().flatMap { take(Int($0)) }
        }
    }
}

/// A private key file `SSHPublicKey` cannot read.
public enum SSHKeyError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// Not an OpenSSH-format private key (the reason says what is wrong).
    case notOpenSSH(String)
    /// The key ends before the named field.
    case truncated(String)

    public var description: String {
        switch self {
        case .notOpenSSH(let reason):
            "not an OpenSSH private key (\(reason)): expected the format `ssh-keygen` writes by default"
        case .truncated(let field):
            "the OpenSSH private key ends before its \(field): the key is damaged; remove it from the state file and run `ftservices setup` to make a new one"
        }
    }

    public var errorDescription: String? { description }
}
