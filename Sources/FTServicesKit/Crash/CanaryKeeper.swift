import FTServicesCore
import FTServicesNet
import Foundation

/// Writes, reads and removes `crashtest`'s canaries: a little data in each service's own store, written
/// the way its users write (SQL, FTPS, InfluxDB's write API, Grafana's API), read back after the crash.
///
/// In-stack stores are reached by a command in the service's running container (Engine API exec, `kubectl
/// exec`); passwords are read there from `/run/secrets/` (or MariaDB's root logs in by unix socket), never
/// put on a command line. FTPS and Grafana are reached from outside with the install's CA.
public struct CanaryKeeper: Sendable {
    let runtime: any ServiceRuntime
    let credentials: VerifyCredentials
    let config: StackConfig
    let address: String

    /// Canaries of a stack on Docker Swarm.
    public init(engine: any ContainerEngineAPI, credentials: VerifyCredentials, config: StackConfig, address: String) {
        self.init(runtime: SwarmRuntime(engine: engine), credentials: credentials, config: config, address: address)
    }

    /// Canaries of a stack on the orchestrator of `runtime`.
    public init(runtime: any ServiceRuntime, credentials: VerifyCredentials, config: StackConfig, address: String) {
        self.runtime = runtime
        self.credentials = credentials
        self.config = config
        self.address = address
    }

    /// One canary: its kind and the unique value written.
    public struct Canary: Sendable, Equatable {
        public var kind: CanaryKind
        public var value: String
    }

    static let uploadsDirectory = "/var/lib/wordpress/wp-content/uploads"

    /// Writes a new canary into `service`'s data and reads it back once; throws, saying why, when either fails.
    public func write(_ service: ServiceName) async throws(CanaryError) -> Canary {
        let canary = Canary(kind: CanaryKind.of(service), value: "ftservices-canary-\(UUID().uuidString.prefix(12).lowercased())")
        switch canary.kind {
        case .none:
            return canary
        case .mysqlRow:
            _ = try await sql(service, """
                CREATE DATABASE IF NOT EXISTS ftservices_canary;
                CREATE TABLE IF NOT EXISTS ftservices_canary.canary (value VARCHAR(64) PRIMARY KEY, \
                written TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB;
                INSERT INTO ftservices_canary.canary (value) VALUES ('\(canary.value)');
                """)
        case .uploadsFile:
            _ = try await exec(service, ["sh", "-c", #"printf %s "$2" > "$1" && sync "$1""#, "sh",
                                         "\(Self.uploadsDirectory)/.\(canary.value)", canary.value])
        case .ftpsFile:
            do { try await ftp().upload(Data(canary.value.utf8), to: ".\(canary.value)") } catch {
                throw .failed(service, "FTPS upload: \(error)")
            }
        case .influxPoint:
            _ = try await influx(service, path: "/write?db=\(config.influxdbDatabase)",
                                 data: "ftservices_canary,run=\(canary.value) value=1")
        case .grafanaAnnotation:
            // Two strings always encode.
            let body = (try? JSONEncoder.stable(pretty: false).encode(GrafanaAnnotation(text: canary.value))) ?? Data()
            _ = try await grafana("POST", "/api/annotations", body: body)
        }
        guard try await isPresent(canary, in: service) else {
            throw .failed(service, "written but not read back: \(canary.kind.noun) \(canary.value)")
        }
        return canary
    }

    /// Whether the canary is still there, unchanged. Throws when the store cannot be asked at all.
    public func isPresent(_ canary: Canary, in service: ServiceName) async throws(CanaryError) -> Bool {
        switch canary.kind {
        case .none:
            return true
        case .mysqlRow:
            let count = try await sql(service, "SELECT COUNT(*) FROM ftservices_canary.canary WHERE value = '\(canary.value)'")
            return count.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
        case .uploadsFile:
            let result = try await execResult(service, ["cat", "\(Self.uploadsDirectory)/.\(canary.value)"])
            return result.exitCode == 0 && result.stdout == canary.value
        case .ftpsFile:
            do {
                return try await ftp().download(".\(canary.value)") == Data(canary.value.utf8)
            } catch where error.kind == .notFound {
                return false
            } catch {
                throw .failed(service, "FTPS download: \(error)")
            }
        case .influxPoint:
            let body = try await influx(service, path: "/query?db=\(config.influxdbDatabase)",
                                        data: Self.form(q: "SELECT count(value) FROM ftservices_canary WHERE run = '\(canary.value)'"))
            return Self.influxCountIsOne(body)
        case .grafanaAnnotation:
            let body = try await grafana("GET", "/api/annotations?tags=\(GrafanaAnnotation.canaryTag)&limit=1000")
            return String(decoding: body, as: UTF8.self).contains("\"\(canary.value)\"")
        }
    }

    /// Removes the canary (after a run that found it intact), so repeated runs leave nothing behind.
    public func remove(_ canary: Canary, from service: ServiceName) async {
        switch canary.kind {
        case .none, .grafanaAnnotation:
            // Grafana annotations are kept: deleting needs their id, and they mark when crash tests ran.
            return
        case .mysqlRow:
            _ = try? await sql(service, "DELETE FROM ftservices_canary.canary WHERE value = '\(canary.value)'")
        case .uploadsFile:
            _ = try? await execResult(service, ["rm", "-f", "\(Self.uploadsDirectory)/.\(canary.value)"])
        case .ftpsFile:
            try? await ftp().delete(".\(canary.value)")
        case .influxPoint:
            _ = try? await influx(service, path: "/query?db=\(config.influxdbDatabase)",
                                  data: Self.form(q: "DROP SERIES FROM ftservices_canary WHERE run = '\(canary.value)'"))
        }
    }

    // MARK: Stores

    /// Whether an InfluxDB 1.x `/query` answer to `SELECT count(…)` counts exactly one point:
    /// `{"results":[{"statement_id":0,"series":[{"name":"…","columns":["time","count"],"values":[["1970-01-01T00:00:00Z",1]]}]}]}`.
    /// No matching point gives no series at all.
    static func influxCountIsOne(_ body: String) -> Bool {
        body.contains("\"count\"") && body.range(of: #",1\]\]"#, options: .regularExpression) != nil
    }

    /// `q=<InfluxQL>` form-encoded (InfluxDB reads POSTed queries as a form).
    static func form(q query: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "q=" + (query.addingPercentEncoding(withAllowedCharacters: allowed) ?? query)
    }

    func ftp() -> FTPClient {
        FTPClient(host: address, port: config.ports.ftps, username: config.users.ftp,
                  password: credentials.passwords[.ftpPassword] ?? "", security: .explicitTLS(.caFile(credentials.caFile)),
                  timeout: .seconds(10))
    }

    /// Runs SQL as MariaDB's root (unix socket) in the service's container; returns the tab-separated rows.
    func sql(_ service: ServiceName, _ statement: String) async throws(CanaryError) -> String {
        try await exec(service, ["mariadb", "-N", "-B", "-e", statement])
    }

    /// POSTs `data` to InfluxDB inside its container with the admin password read from its secret file;
    /// returns the response body (fails on an HTTP status other than 2xx).
    func influx(_ service: ServiceName, path: String, data: String) async throws(CanaryError) -> String {
        let script = InfluxLogin.curlScriptPrefix + #"-m 5 -w '\n%{http_code}' --data-binary "$4" "http://127.0.0.1:$5$3""#
        let output = try await exec(service, ["sh", "-c", script, "sh", config.users.influxAdmin,
                                              SecretKey.influxdbAdminPassword.rawValue, path, data, String(config.ports.influxdb)])
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        let status = lines.last.map(String.init) ?? ""
        let body = lines.dropLast().joined(separator: "\n")
        guard status.hasPrefix("2") else { throw .failed(service, "InfluxDB answered HTTP \(status): \(body)") }
        return body
    }

    /// Grafana's HTTP API from outside, as its admin.
    func grafana(_ method: String, _ path: String, body: Data? = nil) async throws(CanaryError) -> Data {
        let password = credentials.passwords[.grafanaAdminPassword] ?? ""
        let token = Data("\(config.users.grafanaAdmin):\(password)".utf8).base64EncodedString()
        let url = VerifyPlan.url("https", address, config.ports.grafana, path)
        let request = HTTPRequest(method: method, url: url, headers: [("Authorization", "Basic \(token)"), ("Content-Type", "application/json")],
                                  body: body, timeout: .seconds(10), tls: .caFile(credentials.caFile))
        do {
            let response = try await HTTPClient().send(request)
            guard (200..<300).contains(response.status) else {
                throw CanaryError.failed(.grafana, "Grafana answered HTTP \(response.status) to \(method) \(path)")
            }
            return response.body
        } catch let error as CanaryError {
            throw error
        } catch {
            throw .failed(.grafana, "\(method) \(path): \(error)")
        }
    }

    func exec(_ service: ServiceName, _ command: [String]) async throws(CanaryError) -> String {
        let result = try await execResult(service, command)
        guard result.exitCode == 0 else {
            let text = (result.stderr + result.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
            throw .failed(service, "`\(command[0])` exited \(result.exitCode): \(text)")
        }
        return result.stdout
    }

    func execResult(_ service: ServiceName, _ command: [String]) async throws(CanaryError) -> CommandResult {
        do {
            return try await runtime.exec(service, in: nil, command: command)
        } catch ServiceRuntimeError.noRunningContainer {
            throw .failed(service, "no running container")
        } catch {
            throw .failed(service, "\(error)")
        }
    }
}

/// A canary could not be written or read.
public enum CanaryError: Error, Sendable, Equatable, CustomStringConvertible {
    case failed(ServiceName, String)

    public var description: String {
        switch self {
        case .failed(let service, let reason): "\(service.rawValue) canary: \(reason)"
        }
    }
}
