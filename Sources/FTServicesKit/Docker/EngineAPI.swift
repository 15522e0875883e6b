import FTServicesCore
import FTServicesNet
import Foundation

/// The Docker Engine API over the daemon's Unix socket, through libcurl (`FTServicesNet`).
///
/// Every call is one HTTP request to `http://localhost/<apiVersion>/...` on `socketPath`. Failures are
/// `EngineAPIError`s: a daemon that is not running or a socket this user may not open say what to
/// do; an error status carries the daemon's own `message`.
public struct DockerEngineAPI: ContainerEngineAPI {
    /// Where the daemon listens by default.
    /// `/var/run/docker.sock`, or the socket of `DOCKER_HOST=unix:///path` (the same variable the docker
    /// CLI, which the tool also runs, reads).
    public static var defaultSocketPath: String {
        let host = ProcessInfo.processInfo.environment["DOCKER_HOST"] ?? ""
        return host.hasPrefix("unix://") ? String(host.dropFirst("unix://".count)) : "/var/run/docker.sock"
    }

    /// The daemon's Unix socket.
    public let socketPath: String
    /// The API version prefix of every path ("v1.41", what Docker 20.10 speaks).
    public let apiVersion: String
    /// Limit for each ordinary call (not for event streams).
    public let timeout: Duration
    let http: HTTPClient

    /// Makes a client; nothing is sent until a call is made.
    public init(socketPath: String = DockerEngineAPI.defaultSocketPath, apiVersion: String = "v1.41",
                timeout: Duration = .seconds(30)) {
        self.socketPath = socketPath
        self.apiVersion = apiVersion
        self.timeout = timeout
        self.http = HTTPClient()
    }

    // MARK: Transport

    /// The request for `path` (starting with "/") with query items, JSON body and timeout.
    func makeRequest(_ method: String, _ path: String, query: [(String, String)] = [], body: Data? = nil,
                     timeout: Duration?? = nil) -> HTTPRequest {
        var url = "http://localhost/\(apiVersion)\(path)"
        if !query.isEmpty {
            url += "?" + query.map { "\($0.0)=\(Self.percentEncode($0.1))" }.joined(separator: "&")
        }
        let headers: [(name: String, value: String)] = body == nil ? [] : [("Content-Type", "application/json")]
        return HTTPRequest(method: method, url: url, headers: headers, body: body,
                           timeout: timeout ?? self.timeout, unixSocketPath: socketPath)
    }

    /// Sends a request and returns the body of a 2xx answer; anything else becomes an `EngineAPIError`.
    func call(_ method: String, _ path: String, query: [(String, String)] = [], body: Data? = nil,
              timeout: Duration?? = nil) async throws(EngineAPIError) -> Data {
        let request = makeRequest(method, path, query: query, body: body, timeout: timeout)
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch {
            throw EngineAPIError.from(error, socket: socketPath)
        }
        guard (200..<300).contains(response.status) else {
            throw EngineAPIError.api(status: response.status, method: method, path: path,
                                     message: Self.daemonMessage(response.body))
        }
        return response.body
    }

    /// Sends a request and decodes the JSON answer.
    func get<Value: Decodable>(_ type: Value.Type, _ path: String, query: [(String, String)] = [],
                               method: String = "GET", body: Data? = nil) async throws(EngineAPIError) -> Value {
        let data = try await call(method, path, query: query, body: body)
        return try decode(type, from: data, method: method, path: path)
    }

    func decode<Value: Decodable>(_ type: Value.Type, from data: Data, method: String, path: String)
        throws(EngineAPIError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw EngineAPIError.decoding(method: method, path: path, type: String(describing: type),
                                          detail: String(describing: error))
        }
    }

    /// The `filters` query value: `{"label":["a=b"],"type":["container"]}` with sorted keys.
    static func filters(_ filters: [String: [String]]) -> String {
        let nonEmpty = filters.filter { !$0.value.isEmpty }
        return (try? String(decoding: JSONEncoder.stable(pretty: false, escapingSlashes: true).encode(nonEmpty), as: UTF8.self)) ?? "{}"
    }

    /// Encodes a JSON body.
    static func json(_ value: some Encodable) -> Data {
        (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
    }

    /// The daemon's `{"message": "..."}`, or the raw body when it is not that.
    static func daemonMessage(_ body: Data) -> String {
        struct Message: Decodable { let message: String }
        if let decoded = try? JSONDecoder().decode(Message.self, from: body) { return decoded.message }
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(no message)" : text
    }

    /// Percent-encodes everything but unreserved characters (RFC 3986).
    static func percentEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// A path component (container name, image reference) made safe for a URL path.
    /// Slashes and colons stay as they are: the daemon routes `/images/{name:.*}/json` on the raw path.
    static func component(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/:@")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
