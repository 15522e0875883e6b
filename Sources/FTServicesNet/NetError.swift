import Foundation

/// A failed network operation: what went wrong, against which URL, with libcurl's own words.
///
/// `kind` is for code that reacts to a failure (a refused connection, a failed certificate check);
/// `description` is for people and always names the URL (or socket path) and curl's error text.
public struct NetError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// What kind of failure this is, independent of the protocol.
    public enum Kind: Sendable, Equatable {
        /// The host name did not resolve.
        case couldNotResolve
        /// The TCP (or Unix socket) connection failed: refused, unreachable, or the socket is missing.
        case couldNotConnect
        /// The operation did not finish within its timeout.
        case timedOut
        /// The peer's certificate did not verify against the given CA (or the system's).
        case tlsVerificationFailed
        /// The TLS handshake itself failed (protocol mismatch, not a TLS server, ...).
        case tlsHandshakeFailed
        /// The server refused to switch to TLS (FTP `AUTH TLS` refused) although TLS was required.
        case tlsRefusedByServer
        /// The server refused the login (FTP 530, SSH authentication failure).
        case loginDenied
        /// The server denied access to a path (FTP 550 on CWD, SFTP permission denied).
        case accessDenied
        /// The remote file or directory does not exist.
        case notFound
        /// An SSH-level failure other than login (handshake, host key mismatch, SFTP error).
        case ssh
        /// The server answered with an HTTP error status while streaming; `detail` holds the body.
        case httpStatus(Int)
        /// The peer sent something the operation could not use (no greeting line, closed early).
        case protocolError
        /// The caller cancelled the operation.
        case cancelled
        /// The request could not be set up (an option libcurl rejected, a malformed URL).
        case invalidRequest
        /// Any other libcurl failure; see `curlCode` and `detail`.
        case other
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// The URL of the operation (for a Unix socket, the URL sent over it).
    public let url: String
    /// The Unix socket path the request went through, if any.
    public let unixSocketPath: String?
    /// libcurl's `CURLcode` (0 when the failure did not come from libcurl).
    public let curlCode: Int
    /// The operating system's `errno` for a failed connect (`ECONNREFUSED`, `ENOENT`, `EACCES`), or 0.
    public let osErrno: Int32
    /// libcurl's summary of the code (`curl_easy_strerror`), or this module's own.
    public let message: String
    /// libcurl's detailed message (its error buffer), the server's reply, or an HTTP body; may be empty.
    public let detail: String

    /// Makes an error; `curlCode`, `osErrno` and `detail` default to "none".
    public init(
        kind: Kind, url: String, unixSocketPath: String? = nil, curlCode: Int = 0, osErrno: Int32 = 0,
        message: String, detail: String = ""
    ) {
        self.kind = kind
        self.url = url
        self.unixSocketPath = unixSocketPath
        self.curlCode = curlCode
        self.osErrno = osErrno
        self.message = message
        self.detail = detail
    }

    /// `host:port` of the URL (default port by scheme when it has none), or the Unix socket path.
    public var endpoint: String {
        if let unixSocketPath { return unixSocketPath }
        guard let components = URLComponents(string: url), let host = components.host else { return url }
        let port = components.port ?? Self.defaultPort(scheme: components.scheme ?? "")
        return port.map { "\(host):\($0)" } ?? host
    }

    public var description: String {
        var text = "\(Self.verb(kind)) \(endpoint) (\(url)): \(message)"
        let extra = detail.trimmingCharacters(in: .whitespacesAndNewlines)
        if !extra.isEmpty, extra != message { text += " — \(extra)" }
        return text
    }

    public var errorDescription: String? { description }

    private static func verb(_ kind: Kind) -> String {
        switch kind {
        case .couldNotResolve: "cannot resolve"
        case .couldNotConnect: "cannot connect to"
        case .timedOut: "timed out talking to"
        case .tlsVerificationFailed: "certificate not trusted at"
        case .tlsHandshakeFailed, .tlsRefusedByServer: "TLS failed with"
        case .loginDenied: "login refused by"
        case .accessDenied: "access denied by"
        case .notFound: "not found on"
        case .httpStatus(let status): "HTTP \(status) from"
        case .cancelled: "cancelled request to"
        default: "request failed to"
        }
    }

    private static func defaultPort(scheme: String) -> Int? {
        ["http": 80, "https": 443, "ftp": 21, "ftps": 990, "sftp": 22, "scp": 22][scheme]
    }
}
