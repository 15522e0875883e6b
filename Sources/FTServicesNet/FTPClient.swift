import CCurl
import Foundation

/// An FTP client: explicit FTPS (`AUTH TLS` on the control port, TLS on data too) or plain FTP.
///
/// Paths are relative to the login directory, as in curl's FTP URLs ("upload.txt", "dir/file").
/// Every call opens its own connection and logs in.
public struct FTPClient: CurlFileSession {
    /// Whether and how the session is protected.
    public enum Security: Sendable, Equatable {
        /// `AUTH TLS` is required for control and data connections (`CURLUSESSL_ALL`); the
        /// server's certificate is checked as given.
        case explicitTLS(TLSVerification)
        /// No TLS at all: to show that a server refuses cleartext logins.
        case none
    }

    /// The server's host name or address.
    public let host: String
    /// The control port (21).
    public let port: Int
    /// The login name.
    public let username: String
    /// The login password.
    public let password: String
    /// TLS or not.
    public let security: Security
    /// Limit for each whole operation.
    public let timeout: Duration

    /// Makes a client; nothing is sent until an operation is called.
    public init(host: String, port: Int = 21, username: String, password: String,
                security: Security, timeout: Duration = .seconds(20)) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.security = security
        self.timeout = timeout
    }

    /// Connects and logs in, then quits without transferring anything.
    public func login() async throws(NetError) {
        _ = try await run(path: "") { handle, _ throws(NetError) in
            try handle.set(CURLOPT_NOBODY, true)
        }
    }

    /// The names in a directory (`NLST`); "" is the login directory.
    public func list(_ directory: String = "") async throws(NetError) -> [String] {
        let path = directory.isEmpty || directory.hasSuffix("/") ? directory : directory + "/"
        return try await names(in: path)
    }

    /// Stores `data` as the file at `path` (replacing it), creating missing directories.
    public func upload(_ data: Data, to path: String) async throws(NetError) {
        _ = try await run(path: path) { handle, transfer throws(NetError) in
            try handle.set(CURLOPT_FTP_CREATE_MISSING_DIRS, Int(CURLFTP_CREATE_DIR.rawValue))
            transfer.upload = data
        }
    }

    /// The bytes of the file at `path`.
    public func download(_ path: String) async throws(NetError) -> Data {
        try await run(path: path) { _, _ throws(NetError) in }
    }

    /// Deletes the file at `path` (`DELE`).
    public func delete(_ path: String) async throws(NetError) {
        _ = try await run(path: "") { handle, _ throws(NetError) in
            try handle.set(CURLOPT_QUOTE, list: ["DELE \(path)"])
            try handle.set(CURLOPT_NOBODY, true)
        }
    }

    /// The URL of `path` on this server (percent-encoded).
    public func url(for path: String) -> String {
        let encoded = Self.encoded(path)
        return "ftp://\(host):\(port)/\(encoded)"
    }

    func configureSession(_ handle: CurlHandle) throws(NetError) {
        try handle.setTimeouts(total: timeout, connect: .seconds(10))
        try handle.set(CURLOPT_USERNAME, username)
        try handle.set(CURLOPT_PASSWORD, password)
        // The server's PASV address may be the stack address rather than the control host.
        try handle.set(CURLOPT_FTP_SKIP_PASV_IP, true)
        switch security {
        case .explicitTLS(let verification):
            try handle.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
            try verification.apply(to: handle)
        case .none:
            try handle.set(CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
        }
    }
}
