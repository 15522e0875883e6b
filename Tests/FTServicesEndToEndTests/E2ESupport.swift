import Foundation
import Testing

/// Whether the end-to-end tests may run here, and the tool they drive.
enum E2E {
    static let environment = ProcessInfo.processInfo.environment

    /// Whether the live suites were asked for (FTSERVICES_E2E=1, as `./setup.sh test` sets it). Without it
    /// they are skipped: a unit run. With it, anything that stops them running is a failure, never a skip.
    static var requested: Bool { environment["FTSERVICES_E2E"] == "1" }

    static let notRequested: Comment = "end-to-end tests need FTSERVICES_E2E=1 and a Docker engine; `./setup.sh test` sets them up"

    /// Fails the running test, before it touches anything, when the live suites cannot run here: no binary,
    /// no Docker engine answering (DOCKER_HOST included), or somebody's stack deployed. Every live test calls
    /// this first.
    static func requireReady(sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(blocker == nil, Comment(rawValue: "FTSERVICES_E2E=1 but the end-to-end tests cannot run: \(blocker ?? "")"),
                     sourceLocation: sourceLocation)
    }

    /// Why the end-to-end tests cannot run here, or nil when they can.
    static let blocker: String? = {
        guard let binary = binaryPath, FileManager.default.isExecutableFile(atPath: binary) else {
            return "no ftservices binary: build it with `swift build -c release` or set FTSERVICES_BINARY"
        }
        let info: Shell.Result
        do {
            info = try Shell.run(["docker", "info", "--format", "{{.ServerVersion}}"])
        } catch {
            return "the docker CLI could not be run (\(error)): install it"
        }
        guard info.status == 0 else {
            let host = environment["DOCKER_HOST"].map { " at DOCKER_HOST=\($0)" } ?? ""
            return "the Docker engine\(host) does not answer (`docker info` exit \(info.status): \(info.stderr.trimmingCharacters(in: .whitespacesAndNewlines))): start it, e.g. with ./setup.sh test"
        }
        // CI machines are disposable; elsewhere a deployed stack is somebody's data.
        if environment["FTSERVICES_E2E_REPLACE"] != "1", environment["CI"] == nil {
            guard let stacks = try? Shell.run(["docker", "stack", "ls", "--format", "{{.Name}}"]), stacks.status == 0 else {
                return "`docker stack ls` failed: cannot tell whether a stack named ftservices (somebody's data) is deployed"
            }
            if stacks.stdout.split(separator: "\n").contains("ftservices") {
                return "a stack named ftservices is deployed here and the end-to-end test would replace it and its data: run `ftservices down` first, or set FTSERVICES_E2E_REPLACE=1"
            }
        }
        return nil
    }()

    static var binaryPath: String? {
        if let path = environment["FTSERVICES_BINARY"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for configuration in ["release", "debug"] {
            let candidate = root.appendingPathComponent(".build/\(configuration)/ftservices").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Waits for a state: calls `read` every half second until `done` holds for what it returned, or until
    /// `seconds` pass. On the deadline it records a failure that says what was awaited and the last value
    /// read (or the error reading it), so a timeout is never silent. Returns the last value read.
    @discardableResult
    static func wait<Value>(
        for what: String, within seconds: Double, sourceLocation: SourceLocation = #_sourceLocation,
        _ read: () throws -> Value, until done: (Value) -> Bool
    ) -> Value? {
        let deadline = Date().addingTimeInterval(seconds)
        var last: Result<Value, any Error>
        while true {
            last = Result { try read() }
            if case .success(let value) = last, done(value) { return value }
            if Date() >= deadline { break }
            Thread.sleep(forTimeInterval: 0.5)
        }
        let lastRead: String
        switch last {
        case .success(let value): lastRead = "\(value)"
        case .failure(let error): lastRead = "error: \(error)"
        }
        Issue.record(Comment(rawValue: "timed out after \(Int(seconds)) s waiting for \(what); last read: \(lastRead)"), sourceLocation: sourceLocation)
        return try? last.get()
    }

    /// Output that should have been JSON of a shape and was not; says what was read.
    struct UnreadableOutput: Error, CustomStringConvertible {
        var expected: String
        var read: String
        var description: String { "expected JSON (\(expected)), read: \(read)" }
    }

    /// Decodes a command's JSON output; throws `UnreadableOutput` with the output itself when it is not JSON of
    /// the expected shape (a thrown error fails the test, or is the last read of a `wait`).
    static func json<T>(_ output: String, as type: T.Type = T.self) throws -> T {
        let object = try? JSONSerialization.jsonObject(with: Data(output.utf8), options: .fragmentsAllowed)
        guard let value = object as? T else { throw UnreadableOutput(expected: "\(T.self)", read: output.isEmpty ? "nothing" : output) }
        return value
    }

    static func json<T>(_ result: Shell.Result, as type: T.Type = T.self) throws -> T {
        do {
            return try json(result.stdout, as: type)
        } catch {
            throw UnreadableOutput(expected: "\(T.self)", read: "\(result)")
        }
    }

    static func temporaryStateDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ftservices-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A copy of the checkout's templates/ and srcs/ (for changing a template without touching the repository).
    static func checkoutCopy() throws -> URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("checkout-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for directory in ["templates", "srcs"] {
            try FileManager.default.copyItem(at: root.appendingPathComponent(directory), to: copy.appendingPathComponent(directory))
        }
        return copy
    }

    /// Every generated secret of an install: key → a distinctive piece of its value (a password itself, or
    /// the second line of a PEM/OpenSSH block).
    static func generatedSecrets(stateDirectory: URL) throws -> [String: String] {
        let data = try Data(contentsOf: stateDirectory.appendingPathComponent("state.json"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let secrets = object?["secrets"] as? [String: String] ?? [:]
        var result: [String: String] = [:]
        for (key, value) in secrets {
            let lines = value.split(whereSeparator: \.isNewline).map(String.init)
            if key == "ssh_authorized_keys" { continue }  // a public key: not a secret
            if key == "tls_cert" { continue }  // certificates are public; tls_key is the secret
            if key == "wordpress_passwords" {
                for line in lines { result["wordpress_passwords:\(line.prefix { $0 != "\t" })"] = String(line.split(separator: "\t").last ?? "") }
            } else if lines.count > 1 {
                result[key] = lines[1]
            } else {
                result[key] = value
            }
        }
        return result
    }

    /// A stack the test deployed for itself, with a private state directory.
    struct FreshStack {
        let tool: Tool
        let state: URL
        /// What `setup` returned: 0, or 3 when it deployed everything but Grafana.
        let setup: Shell.Result
        var grafanaMissing: Bool { setup.status == 3 }
    }

    /// `verify` passes: every check, except Grafana's when setup could not deploy it (they say so).
    static func expectVerifyPasses(_ tool: E2E.Tool, address: String, grafanaMissing: Bool, after: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try tool.run(["verify", "--address", address, "--json"])
        let checks = try E2E.json(result, as: [[String: Any]].self)
        #expect(!checks.isEmpty, "verify ran no check after \(after): \(result)", sourceLocation: sourceLocation)
        for check in checks where check["pass"] as? Bool != true {
            let name = check["name"] as? String ?? ""
            #expect(grafanaMissing && name.hasPrefix("grafana"), "verify after \(after): \(name) failed: \(check)", sourceLocation: sourceLocation)
        }
    }

    /// Deploys the stack from scratch (volumes removed first) with a new state directory, runs `body`, and
    /// whatever happens removes the stack, its volumes and the state directory.
    static func withFreshStack(address: String, _ body: (FreshStack) throws -> Void) throws {
        try requireReady()
        let state = try temporaryStateDirectory()
        defer { try? FileManager.default.removeItem(at: state) }
        let tool = Tool(stateDirectory: state)
        _ = try tool.run(["down", "--volumes", "--no-backup"])
        // Whatever fails, leave no stack behind (a later run would find it and refuse to replace it).
        defer { _ = try? tool.run(["down", "--volumes", "--no-backup"]) }
        let setup = try tool.run(["setup", "--address", address, "--progress", "plain"])
        try #require(setup.status == 0 || setup.status == 3, "setup: \(setup)")
        try body(FreshStack(tool: tool, state: state, setup: setup))
    }

    /// The ftservices binary with a private state directory.
    struct Tool {
        var stateDirectory: URL

        func run(_ arguments: [String]) throws -> Shell.Result {
            let result = try Shell.run([binaryPath!] + arguments + ["--state-dir", stateDirectory.path])
            // The tool's own output is part of the test log: it is what a user would read.
            print("$ ftservices \(arguments.joined(separator: " ")) -> exit \(result.status) in \(String(format: "%.1f", result.seconds)) s")
            if !result.stderr.isEmpty { print(result.stderr.split(separator: "\n").map { "  | " + $0 }.joined(separator: "\n")) }
            return result
        }
    }
}

/// `ftservices credentials --json`.
struct Credentials {
    struct Entry {
        var service: String
        var user: String
        var password: String?
        var privateKeyPath: String?
        var port: Int?
        var url: String?
    }

    var entries: [Entry]

    init(json: String) throws {
        let array = try E2E.json(json, as: [[String: Any]].self)
        entries = array.map {
            Entry(service: $0["service"] as? String ?? "", user: $0["user"] as? String ?? "", password: $0["password"] as? String,
                  privateKeyPath: $0["privateKeyPath"] as? String, port: $0["port"] as? Int, url: $0["url"] as? String)
        }
    }

    func all(service: String) -> [Entry] { entries.filter { $0.service == service } }
    func first(service: String, user: String? = nil) -> Entry? {
        entries.first { $0.service == service && (user == nil || $0.user == user) }
    }
}

/// The curl program, verifying TLS against the stack's CA.
struct Curl {
    struct Response: CustomStringConvertible {
        var status: Int
        var location: String?
        var body: String
        /// Every header line of the answer, as sent.
        var headers: [String] = []
        /// The values of the header `name` (case-insensitive), one per occurrence.
        func values(of name: String) -> [String] {
            headers.compactMap { line in
                guard line.lowercased().hasPrefix(name.lowercased() + ":") else { return nil }
                return line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        var description: String { "HTTP \(status)" + (location.map { " → \($0)" } ?? "") }
    }

    var caFile: String

    func head(_ url: String) throws -> Response { try request(url, extra: ["-o", "/dev/null"]) }
    func get(_ url: String) throws -> Response { try request(url, extra: []) }
    /// POSTs `data` (as curl's `--data`), discarding the body.
    func post(_ url: String, data: String) throws -> Response { try request(url, extra: ["-o", "/dev/null", "--data", data]) }
    /// A request with more curl arguments: `["-b", jar]` sends a cookie jar's cookies, `["-H", "Cookie: a=b"]` a
    /// header, `["-I"]` makes it a HEAD request, `["--data", "x=1"]` a POST.
    func get(_ url: String, with arguments: [String]) throws -> Response { try request(url, extra: arguments) }

    private func request(_ url: String, extra: [String]) throws -> Response {
        let headers = FileManager.default.temporaryDirectory.appendingPathComponent("hdr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: headers) }
        let result = try Shell.run(["curl", "-sS", "--max-time", "15", "--cacert", caFile, "-D", headers.path] + extra + [url])
        let text = (try? String(contentsOf: headers, encoding: .utf8)) ?? ""
        let lines = text.split(whereSeparator: \.isNewline)
        let statusLine = lines.first { $0.hasPrefix("HTTP/") }
        let status = statusLine.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
        let location = lines.first { $0.lowercased().hasPrefix("location:") }
            .map { $0.dropFirst("location:".count).trimmingCharacters(in: .whitespacesAndNewlines) }
        return Response(status: status, location: location, body: result.stdout, headers: lines.map(String.init))
    }

    /// Logs in to phpMyAdmin with a cookie jar and returns the page reached after the login redirect.
    func phpMyAdminLogin(base: String, user: String, password: String) throws -> String {
        let jar = FileManager.default.temporaryDirectory.appendingPathComponent("jar-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: jar) }
        let form = try Shell.run(["curl", "-sS", "--max-time", "15", "--cacert", caFile, "-c", jar, "-b", jar, base]).stdout
        let token = Self.capture(#"name="token" value="([^"]+)""#, in: form) ?? ""
        let set = Self.capture(#"name="set_session" value="([^"]+)""#, in: form) ?? ""
        let page = try Shell.run([
            "curl", "-sS", "-L", "--max-time", "20", "--cacert", caFile, "-c", jar, "-b", jar,
            "--data-urlencode", "pma_username=\(user)", "--data-urlencode", "pma_password=\(password)",
            "--data-urlencode", "server=1", "--data-urlencode", "token=\(token)", "--data-urlencode", "set_session=\(set)",
            base + "index.php?route=/",
        ])
        return page.stdout
    }

    /// Logs in to WordPress; true when wp-admin is reached. With `keeping` (a file path), the login cookies
    /// stay in that cookie jar for later requests (the caller removes it).
    func wordpressLogin(base: String, user: String, password: String, keeping cookieJar: String? = nil) throws -> Bool {
        let jar = cookieJar ?? FileManager.default.temporaryDirectory.appendingPathComponent("jar-\(UUID().uuidString)").path
        defer { if cookieJar == nil { try? FileManager.default.removeItem(atPath: jar) } }
        _ = try Shell.run(["curl", "-sS", "--max-time", "15", "--cacert", caFile, "-c", jar, "-b", jar, base + "wp-login.php"])
        let result = try Shell.run([
            "curl", "-sS", "-L", "--max-time", "20", "--cacert", caFile, "-c", jar, "-b", jar,
            "--data-urlencode", "log=\(user)", "--data-urlencode", "pwd=\(password)", "--data-urlencode", "testcookie=1",
            "--data-urlencode", "redirect_to=\(base)wp-admin/", base + "wp-login.php",
        ])
        return result.stdout.contains("wp-admin-bar") || result.stdout.contains("Dashboard")
    }

    func ftpsUpload(address: String, user: String, password: String, name: String, contents: String) throws -> Shell.Result {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("up-\(UUID().uuidString)")
        try contents.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try Shell.run(["curl", "-sS", "--max-time", "20", "--ssl-reqd", "--cacert", caFile, "-u", "\(user):\(password)",
                              "-T", file.path, "ftp://\(address)/\(name)"])
    }

    /// Lists the FTP home over FTPS; `extra` goes to curl before the URL (e.g. `--no-sessionid`).
    func ftpsList(address: String, user: String, password: String, extra: [String] = []) throws -> Shell.Result {
        try Shell.run(["curl", "-sS", "--max-time", "20", "--ssl-reqd", "--cacert", caFile, "-u", "\(user):\(password)"]
                      + extra + ["ftp://\(address):21/"])
    }

    func ftpsDownload(address: String, user: String, password: String, name: String) throws -> Shell.Result {
        try Shell.run(["curl", "-sS", "--max-time", "20", "--ssl-reqd", "--cacert", caFile, "-u", "\(user):\(password)",
                       "-Q", "-DELE \(name)", "ftp://\(address)/\(name)"])
    }

    static func capture(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }
}

enum SSH {
    static func command(key: String, user: String, address: String, port: Int, remote: String) -> [String] {
        ["ssh", "-i", key, "-p", "\(port)", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
         "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10", "\(user)@\(address)", remote]
    }
}

/// The docker CLI, for looking inside the stack.
enum Docker {
    static func containerID(service: String) throws -> String {
        let result = try Shell.run(["docker", "ps", "-q", "--filter", "label=com.docker.swarm.service.name=ftservices_\(service)"])
        return result.stdout.split(separator: "\n").first.map(String.init) ?? ""
    }

    /// `docker inspect -f FORMAT ID`, trimmed.
    static func inspect(_ id: String, _ format: String) throws -> String {
        try Shell.run(["docker", "inspect", "-f", format, id]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func health(containerID: String) throws -> String {
        try Shell.run(["docker", "inspect", "-f", "{{.State.Health.Status}}", containerID]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func exec(service: String, _ command: [String], environment: [String: String] = [:]) throws -> String {
        try run(service: service, command, environment: environment).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `docker exec` in the service's running container, with its exit status and both streams.
    static func run(service: String, _ command: [String], environment: [String: String] = [:]) throws -> Shell.Result {
        let id = try containerID(service: service)
        let env = environment.flatMap { ["-e", "\($0.key)=\($0.value)"] }
        return try Shell.run(["docker", "exec"] + env + [id] + command)
    }

    /// Swarm's service update that gives `service` a writable root again, so a test can weaken a config inside it;
    /// waits until its replacement container is healthy and returns the new container's ID.
    static func makeWritable(service: String) throws -> String {
        let before = try Docker.containerID(service: service)
        let update = try Shell.run(["docker", "service", "update", "--detach", "--read-only=false", "ftservices_\(service)"])
        try #require(update.status == 0, "docker service update --read-only=false: \(update)")
        let id = E2E.wait(for: "a new healthy \(service) container with a writable root", within: 90, { () throws -> (id: String, health: String) in
            let id = try Docker.containerID(service: service)
            return (id, id.isEmpty ? "" : try Docker.health(containerID: id))
        }, until: { (state: (id: String, health: String)) in !state.id.isEmpty && state.id != before && state.health == "healthy" })?.id
        return try #require(id)
    }

    /// A request to InfluxDB's HTTP API inside its container (`/query?db=…`, `/write?db=…`), `arguments` going to
    /// curl (`--data-urlencode q=…`, `--data-binary LINE`): as `user` with `password` given on standard input,
    /// else as the admin with the password read there from its secret file. Never a password on a command line.
    static func influx(_ path: String, _ arguments: [String], user: String? = nil, password: String? = nil) throws -> Shell.Result {
        let script = #"""
            if [ -n "$1" ]; then pw=$(cat); else pw=$(tr -d '\n' < /run/secrets/influxdb_admin_password); fi
            user=${1:-admin}; url=$2; shift 2
            printf 'user = "%s:%s"\n' "$user" "$pw" | curl -sS --fail-with-body -K - -m 10 "$@" "http://127.0.0.1:8086$url"
            """#
        return try Shell.run(["docker", "exec", "-i", try containerID(service: "influxdb"), "sh", "-c", script, "sh",
                              user ?? "", path] + arguments, input: password ?? "")
    }

    static func sql(service: String, user: String, password: String, query: String) throws -> String {
        try exec(service: service, ["mariadb", "-N", "-B", "-u", user, "-e", query], environment: ["MYSQL_PWD": password])
    }

    /// Service name → its running container's ID.
    static func containersByService() throws -> [String: String] {
        let output = try Shell.run(["docker", "ps", "--no-trunc", "--filter", "label=com.docker.stack.namespace=ftservices",
                                    "--format", "{{.Label \"com.docker.swarm.service.name\"}} {{.ID}}"]).stdout
        var result: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { result[String(parts[0].dropFirst("ftservices_".count))] = String(parts[1]) }
        }
        return result
    }

    /// Everything Docker shows about the stack: service specs, its containers' inspect (environment
    /// included), its images' config and layer history, and every service's log.
    static func exposedText() throws -> String {
        var text = ""
        let services = try Shell.run(["docker", "service", "ls", "-q", "--filter", "label=com.docker.stack.namespace=ftservices"]).stdout
            .split(separator: "\n").map(String.init)
        for service in services {
            text += try Shell.run(["docker", "service", "inspect", service]).stdout
            text += try Shell.run(["docker", "service", "logs", "--raw", service]).stdout
            text += try Shell.run(["docker", "service", "logs", "--raw", service]).stderr
        }
        let containers = try Shell.run(["docker", "ps", "-q", "--filter", "label=com.docker.stack.namespace=ftservices"]).stdout
            .split(separator: "\n").map(String.init)
        if !containers.isEmpty { text += try Shell.run(["docker", "inspect"] + containers).stdout }
        let images = try Shell.run(["docker", "image", "ls", "--format", "{{.Repository}}:{{.Tag}}", "ftservices/*"]).stdout
            .split(separator: "\n").map(String.init)
        for image in images {
            text += try Shell.run(["docker", "image", "inspect", image]).stdout
            text += try Shell.run(["docker", "history", "--no-trunc", image]).stdout
        }
        return text
    }

    static func runningTaskIDs() throws -> [String] {
        try Shell.run(["docker", "ps", "-q", "--no-trunc", "--filter", "label=com.docker.stack.namespace=ftservices"])
            .stdout.split(separator: "\n").map(String.init).sorted()
    }

    static func volumes() throws -> [String] {
        try Shell.run(["docker", "volume", "ls", "-q"]).stdout.split(separator: "\n").map(String.init)
    }
}

enum Net {
    /// True when a TCP connection to address:port succeeds within 2 s.
    static func isOpen(address: String, port: Int) -> Bool {
        let result = try? Shell.run(["curl", "-s", "--max-time", "2", "-o", "/dev/null", "telnet://\(address):\(port)"], input: "")
        // curl's telnet exits 0 once connected and stdin ends; 7 = connection refused, 28 = timeout.
        return result?.status == 0
    }
}

/// An ftservices command whose standard error is read as it comes: the moment a chunk brings `marker`, the
/// reader sends `signal` (SIGINT unless told), `signals` times, so the signal follows the progress line by
/// milliseconds, not a poll (InterruptionLiveTests stops setup, BackupLiveTests restore).
final class SignalledRun: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var text = ""
    private var signalledAt: Date?
    private let done = DispatchSemaphore(value: 0)

    init(_ arguments: [String], interruptOn marker: String, signal: Int32 = SIGINT, signals: Int = 1) throws {
        process.executableURL = URL(fileURLWithPath: E2E.binaryPath!)
        process.arguments = arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        DispatchQueue.global().async { [self] in
            while case let data = err.fileHandleForReading.availableData, !data.isEmpty {
                let fire: Bool = lock.withLock {
                    text += String(decoding: data, as: UTF8.self)
                    guard signalledAt == nil, text.contains(marker) else { return false }
                    signalledAt = Date()
                    return true
                }
                if fire { for _ in 0..<signals { kill(pid, signal) } }
            }
            done.signal()
        }
    }

    var stderr: String { lock.withLock { text } }

    /// Waits for setup to end (at most `seconds`); returns the seconds from the signal to its end, nil
    /// when no signal was sent (the marker never came).
    func finish(within seconds: Double) -> Double? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let end = Date()
        done.wait()
        return lock.withLock { signalledAt.map { end.timeIntervalSince($0) } }
    }
}

/// A shell loop run in a service's container until ``stop()``: `body` runs with `$i` = 1, 2, … while the stop
/// file is absent; with `into`, the loop's output is piped to that command in the container (`mariadb`).
/// The writers of the backup tests: they commit while a backup is taken.
final class ContainerLoop {
    static let stopFile = "/tmp/ftservices-test-stop-loop"
    let service: String
    let process = Process()

    init(service: String, body: String, into: String? = nil) throws {
        self.service = service
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["docker", "exec", try Docker.containerID(service: service), "bash", "-c", """
            rm -f \(Self.stopFile); i=0
            while [ ! -e \(Self.stopFile) ]; do
                i=$((i + 1))
                \(body)
            done\(into.map { " | \($0)" } ?? "")
            """]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// Stops the loop (waiting up to 30 s, then ending the `docker exec`); returns its exit status.
    @discardableResult
    func stop() -> Int32 {
        _ = try? Docker.run(service: service, ["touch", Self.stopFile])
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
