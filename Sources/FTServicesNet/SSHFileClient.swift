import CCurl
import Foundation

/// SFTP and SCP through libcurl (libssh2), logging in with a private key.
///
/// Paths are absolute, or relative to the home directory with a leading "~/" ("~/", "~/notes.txt").
/// Every call opens its own connection.
public struct SSHFileClient: CurlFileSession {
    /// The file protocol to use over SSH.
    public enum FileProtocol: String, Sendable {
        /// SFTP (listing, download, upload).
        case sftp
        /// SCP (download, upload; no listing).
        case scp
    }

    /// The server's host name or address.
    public let host: String
    /// The SSH port.
    public let port: Int
    /// The login name.
    public let username: String
    /// The private key file (OpenSSH or PEM format).
    public let privateKeyPath: String
    /// The matching public key file; libssh2 derives it from the private key when `nil`.
    public let publicKeyPath: String?
    /// A known_hosts file the server's key must be in; `nil` accepts any host key.
    public let knownHostsPath: String?
    /// The expected SHA-256 fingerprint of the host key (base64, as `ssh-keygen -l` prints after
    /// "SHA256:"); `nil` skips the check.
    public let hostKeySHA256: String?
    /// SFTP or SCP.
    public let fileProtocol: FileProtocol
    /// Limit for each whole operation.
    public let timeout: Duration

    /// Makes a client; nothing is sent until an operation is called.
    public init(
        host: String, port: Int = 22, username: String, privateKeyPath: String, publicKeyPath: String? = nil,
        knownHostsPath: String? = nil, hostKeySHA256: String? = nil, fileProtocol: FileProtocol = .sftp,
        timeout: Duration = .seconds(20)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.privateKeyPath = privateKeyPath
        self.publicKeyPath = publicKeyPath
        self.knownHostsPath = knownHostsPath
        self.hostKeySHA256 = hostKeySHA256
        self.fileProtocol = fileProtocol
        self.timeout = timeout
    }

    /// The names in a directory (SFTP only); "~/" is the home directory.
    public func list(_ directory: String = "~/") async throws(NetError) -> [String] {
        let path = directory.hasSuffix("/") ? directory : directory + "/"
        return try await names(in: path, ignoring: [".", ".."])
    }

    /// The bytes of the file at `path`.
    public func download(_ path: String) async throws(NetError) -> Data {
        try await run(path: path) { _, _ throws(NetError) in }
    }

    /// Stores `data` as the file at `path` (replacing it).
    public func upload(_ data: Data, to path: String) async throws(NetError) {
        _ = try await run(path: path) { _, transfer throws(NetError) in transfer.upload = data }
    }

    /// The URL of `path` on this server.
    public func url(for path: String) -> String {
        let encoded = Self.encoded(path)
        let separator = encoded.hasPrefix("/") ? "" : "/"
        return "\(fileProtocol.rawValue)://\(host):\(port)\(separator)\(encoded)"
    }

    func configureSession(_ handle: CurlHandle) throws(NetError) {
        try handle.setTimeouts(total: timeout, connect: .seconds(10))
        try handle.set(CURLOPT_USERNAME, username)
        try handle.set(CURLOPT_SSH_AUTH_TYPES, Int(CURLSSH_AUTH_PUBLICKEY))
        try handle.set(CURLOPT_SSH_PRIVATE_KEYFILE, privateKeyPath)
        if let publicKeyPath { try handle.set(CURLOPT_SSH_PUBLIC_KEYFILE, publicKeyPath) }
        if let knownHostsPath { try handle.set(CURLOPT_SSH_KNOWNHOSTS, knownHostsPath) }
        if let hostKeySHA256 { try handle.set(CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256, hostKeySHA256) }
    }
}
