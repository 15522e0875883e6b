import Foundation

/// An HTTP(S) request, optionally sent over a Unix socket (the Docker Engine API).
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, `HEAD`, `DELETE`, ...
    public var method: String
    /// The full URL; over a Unix socket the host part is only sent as `Host:` (`http://localhost/v1.41/info`).
    public var url: String
    /// Request headers in order (`("Content-Type", "application/json")`).
    public var headers: [(name: String, value: String)]
    /// The request body, if any (sent as is, with its length).
    public var body: Data?
    /// Limit for the whole exchange; `nil` means none (for streams).
    public var timeout: Duration?
    /// Limit for connecting (TCP + TLS).
    public var connectTimeout: Duration
    /// Whether 3xx redirects are followed; off by default so redirects can be checked.
    public var followRedirects: Bool
    /// How the server certificate is checked for `https://` URLs.
    public var tls: TLSVerification
    /// Send the request over this Unix socket instead of TCP (`/var/run/docker.sock`).
    public var unixSocketPath: String?

    /// Makes a request; only `url` is required.
    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: Data? = nil,
        timeout: Duration? = .seconds(30), connectTimeout: Duration = .seconds(10), followRedirects: Bool = false,
        tls: TLSVerification = .system, unixSocketPath: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.followRedirects = followRedirects
        self.tls = tls
        self.unixSocketPath = unixSocketPath
    }
}
