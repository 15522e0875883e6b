import CCurl
import Foundation

/// Talks a line-based protocol over a raw TCP connection: reads what the server says first (an SSH
/// banner, an FTP `220` greeting), then sends lines and reads each reply (`AUTH TLS` → `234 ...`).
///
/// A reply is every complete line that arrives until the server pauses briefly after a line end,
/// so multi-line greetings come whole; a trailing partial line (binary data) is left out.
public struct LineClient: Sendable {
    /// The server's host name or address.
    public let host: String
    /// The TCP port.
    public let port: Int
    /// Limit for the whole conversation, connect included.
    public let timeout: Duration

    /// Makes a client; nothing happens until `greeting()` or `converse(sending:)`.
    public init(host: String, port: Int, timeout: Duration = .seconds(5)) {
        self.host = host
        self.port = port
        self.timeout = timeout
    }

    /// Connects and returns the server's first line(s), without line endings, joined by "\n".
    public func greeting() async throws(NetError) -> String {
        try await converse(sending: []).greeting
    }

    /// Connects, reads the greeting, then for each line sends it (with CRLF) and reads the reply.
    public func converse(sending lines: [String]) async throws(NetError) -> LineTranscript {
        let client = self
        return try await CurlRuntime.run { cancel in
            Result { () throws(NetError) in try client.conversation(lines, cancel: cancel) }
        }.get()
    }

    private func conversation(_ lines: [String], cancel: CancelFlag) throws(NetError) -> LineTranscript {
        let handle = try CurlHandle(url: "http://\(host):\(port)/")
        handle.reportedURL = "tcp://\(host):\(port)"
        try handle.set(CURLOPT_CONNECT_ONLY, 1)
        try handle.setTimeouts(total: nil, connect: timeout)
        try handle.perform(cancel: cancel)
        var socket: curl_socket_t = -1
        guard ccurl_getinfo_socket(handle.raw, &socket) == CURLE_OK, socket >= 0 else {
            throw NetError(kind: .protocolError, url: handle.reportedURL, message: "no socket after connecting")
        }
        var session = LineSession(handle: handle, socket: socket, deadline: .now + timeout, cancel: cancel)
        let greeting = try session.readReply(after: nil)
        var replies: [String] = []
        for line in lines {
            try session.send(line)
            replies.append(try session.readReply(after: line))
        }
        return LineTranscript(greeting: greeting, replies: replies)
    }
}

/// What a `LineClient` conversation heard.
public struct LineTranscript: Sendable, Equatable {
    /// The server's first line(s), joined by "\n".
    public let greeting: String
    /// The reply to each line sent, in order.
    public let replies: [String]

    /// Makes a transcript (for fakes in tests).
    public init(greeting: String, replies: [String]) {
        self.greeting = greeting
        self.replies = replies
    }
}

/// The blocking read/write loop over a `CURLOPT_CONNECT_ONLY` connection.
private struct LineSession {
    let handle: CurlHandle
    let socket: curl_socket_t
    let deadline: ContinuousClock.Instant
    let cancel: CancelFlag
    var buffer = Data()

    /// How long to wait for more after a complete line before calling the reply complete.
    static let pause = 100

    mutating func readReply(after sent: String?) throws(NetError) -> String {
        while true {
            let hasLine = buffer.contains(UInt8(ascii: "\n"))
            let wait = hasLine ? Self.pause : remainingMilliseconds()
            if wait <= 0 || cancel.isRaised {
                throw stop(cancel.isRaised ? .cancelled : .timedOut,
                           "no complete line within the timeout" + context(sent))
            }
            let ready = ccurl_wait_socket(socket, 1, Int32(min(wait, 250)))
            if ready == 0 {
                if hasLine { return takeLines() }
                continue
            }
            if try !receive() {
                if hasLine { return takeLines() }
                throw stop(.protocolError, "the server closed the connection" + context(sent))
            }
        }
    }

    mutating func send(_ line: String) throws(NetError) {
        var bytes = Array(line.utf8)
        if !line.hasSuffix("\n") { bytes += [13, 10] }
        var offset = 0
        while offset < bytes.count {
            var sent = 0
            let code = bytes[offset...].withUnsafeBytes { curl_easy_send(handle.raw, $0.baseAddress, $0.count, &sent) }
            if code == CURLE_AGAIN {
                guard remainingMilliseconds() > 0 else { throw stop(.timedOut, "could not send \"\(line)\"") }
                _ = ccurl_wait_socket(socket, 0, 250)
                continue
            }
            guard code == CURLE_OK else { throw handle.failure(code) }
            offset += sent
        }
    }

    /// Reads what is available; false when the server closed the connection.
    private mutating func receive() throws(NetError) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        var count = 0
        let code = chunk.withUnsafeMutableBytes { curl_easy_recv(handle.raw, $0.baseAddress, $0.count, &count) }
        if code == CURLE_AGAIN { return true }
        guard code == CURLE_OK else { throw handle.failure(code) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }

    /// Removes and returns the complete lines of the buffer, without their line endings.
    private mutating func takeLines() -> String {
        guard let last = buffer.lastIndex(of: UInt8(ascii: "\n")) else { return "" }
        let text = String(decoding: buffer[buffer.startIndex..<last], as: UTF8.self)
        buffer = Data()  // The rest is a partial line (often binary); it is not part of any reply.
        // "\r\n" is one Character in Swift, so normalise before splitting.
        return text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: ["\r"]) }.joined(separator: "\n")
    }

    private func remainingMilliseconds() -> Int {
        (deadline - .now).milliseconds
    }

    private func context(_ sent: String?) -> String {
        sent.map { " (after sending \"\($0)\")" } ?? " (waiting for the greeting)"
    }

    private func stop(_ kind: NetError.Kind, _ detail: String) -> NetError {
        NetError(kind: kind, url: handle.reportedURL, message: kind == .timedOut ? "timed out" : "conversation failed",
                 detail: detail)
    }
}
