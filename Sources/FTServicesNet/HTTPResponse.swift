import Foundation

/// What an HTTP(S) server answered, with how long it took and who it said it was.
public struct HTTPResponse: Sendable {
    /// The status code of the last response (200, 301, ...).
    public let status: Int
    /// The header lines of the last response, without the status line, in order.
    public let headers: [(name: String, value: String)]
    /// The body bytes.
    public let body: Data
    /// The URL the answer came from (differs from the request's only when redirects are followed).
    public let effectiveURL: String
    /// Where a 3xx answer points (the `Location` resolved against the request URL), if anywhere.
    public let redirectURL: String?
    /// How long the phases took.
    public let timings: TransferTimings
    /// The TLS session (version, peer certificates) for `https://` URLs; `nil` for plain HTTP.
    public let tls: TLSSessionInfo?

    /// Makes a response (for fakes in tests).
    public init(
        status: Int, headers: [(name: String, value: String)] = [], body: Data = Data(), effectiveURL: String = "",
        redirectURL: String? = nil, timings: TransferTimings = TransferTimings(), tls: TLSSessionInfo? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.effectiveURL = effectiveURL
        self.redirectURL = redirectURL
        self.timings = timings
        self.tls = tls
    }

    /// The first header with this name, compared without case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The body decoded as UTF-8 (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Parses "Name: value" header lines, skipping the status line and blank lines.
    static func parseHeaders(_ lines: [String]) -> [(name: String, value: String)] {
        lines.compactMap { line in
            guard !line.hasPrefix("HTTP/"), let colon = line.firstIndex(of: ":") else { return nil }
            let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            return (name, value)
        }
    }
}
