import FTServicesCore
import Foundation
@testable import FTServicesKit

/// The one Docker engine stand-in of the unit tests: the stack's services and each service's tasks are
/// scripted, `exec` runs the command on this machine (behind an optional prefix such as `nsenter …`, with
/// `/run/secrets/` pointing at a test directory), `events` hands out streams the test feeds. Every exec and
/// event filter is recorded; every other call fails like an engine without it.
final class FakeEngine: ContainerEngineAPI, @unchecked Sendable {
    /// The stack's services; `nil` fails like an engine that cannot be reached.
    let stackServices: [EngineAPI.Service]?
    /// The tasks of a service by the name or ID asked for (`ftservices_mysql`).
    let tasksOf: @Sendable (String) -> [EngineAPI.ServiceTask]
    /// Put before every exec'd command (`["nsenter", "-t", "123", "-p", "-m"]` runs it in another PID namespace).
    let execPrefix: [String]
    /// Stands in for the container's `/run/secrets/` in exec'd commands.
    let secretsDirectory: URL

    private let lock = NSLock()
    private var _execs: [(container: String, command: [String])] = []
    private var _filters: [EngineAPI.EventFilter] = []
    private var _streams: [AsyncThrowingStream<EngineAPI.Event, any Error>.Continuation] = []
    private var _terminations = 0

    init(services: [EngineAPI.Service]?, tasksOf: @escaping @Sendable (String) -> [EngineAPI.ServiceTask], execPrefix: [String] = [],
         secretsDirectory: URL = URL(fileURLWithPath: "/nonexistent")) {
        stackServices = services
        self.tasksOf = tasksOf
        self.execPrefix = execPrefix
        self.secretsDirectory = secretsDirectory
    }

    /// Tasks by service name (`ftservices_mysql`); a service without an entry has none.
    convenience init(services: [EngineAPI.Service]?, tasks: [String: [EngineAPI.ServiceTask]] = [:], execPrefix: [String] = []) {
        self.init(services: services, tasksOf: { tasks[$0] ?? [] }, execPrefix: execPrefix)
    }

    /// For in-stack probes: every service has `tasks`, and exec'd commands read their secrets from `secretsDirectory`.
    convenience init(tasks: [EngineAPI.ServiceTask], secretsDirectory: URL, stackServices: [EngineAPI.Service]? = nil) {
        self.init(services: stackServices, tasksOf: { _ in tasks }, secretsDirectory: secretsDirectory)
    }

    /// The deployed services named, as `GET /services` lists them.
    convenience init(deployed: [ServiceName], execPrefix: [String] = []) {
        self.init(services: deployed.map { name in
            EngineAPI.Service(id: "id-\(name.rawValue)", spec: .init(name: name.swarmName, taskTemplate: .init(containerSpec: nil),
                                                                     mode: .init(replicated: .init(replicas: 1))))
        }, execPrefix: execPrefix)
    }

    var execs: [(container: String, command: [String])] { lock.withLock { _execs } }
    var eventFilters: [EngineAPI.EventFilter] { lock.withLock { _filters } }
    /// How many event streams ended because their consumer stopped listening.
    var streamTerminations: Int { lock.withLock { _terminations } }

    /// Sends `event` to every open event stream.
    func emit(_ event: EngineAPI.Event) {
        for continuation in lock.withLock({ _streams }) { continuation.yield(event) }
    }

    func events(_ filter: EngineAPI.EventFilter) -> AsyncThrowingStream<EngineAPI.Event, any Error> {
        let (stream, continuation) = AsyncThrowingStream<EngineAPI.Event, any Error>.makeStream()
        continuation.onTermination = { [weak self] _ in self?.lock.withLock { self?._terminations += 1 } }
        lock.withLock {
            _filters.append(filter)
            _streams.append(continuation)
        }
        return stream
    }

    func exec(container idOrName: String, command: [String], user: String?) async throws(EngineAPIError) -> CommandResult {
        lock.withLock { _execs.append((idOrName, command)) }
        let rewritten = (execPrefix + command).map { $0.replacingOccurrences(of: "/run/secrets/", with: secretsDirectory.path + "/") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = rewritten
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        do { try process.run() } catch { throw unsupported("exec \(error)") }
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(exitCode: Int(process.terminationStatus), stdout: String(decoding: out, as: UTF8.self),
                                    stderr: String(decoding: err, as: UTF8.self))
    }

    func services(stack: String) async throws(EngineAPIError) -> [EngineAPI.Service] {
        guard let stackServices else { throw unsupported("services") }
        return stackServices
    }

    func tasks(service idOrName: String) async throws(EngineAPIError) -> [EngineAPI.ServiceTask] {
        tasksOf(idOrName)
    }

    func unsupported(_ call: String) -> EngineAPIError {
        .api(status: 501, method: "TEST", path: call, message: "not part of this fake")
    }

    func ping() async throws(EngineAPIError) { throw unsupported("ping") }
    func version() async throws(EngineAPIError) -> EngineAPI.Version { throw unsupported("version") }
    func info() async throws(EngineAPIError) -> EngineAPI.Info { throw unsupported("info") }
    func containers(all: Bool, labels: [String]) async throws(EngineAPIError) -> [EngineAPI.ContainerSummary] { throw unsupported("containers") }
    func container(_ idOrName: String) async throws(EngineAPIError) -> EngineAPI.Container { throw unsupported("container") }
    func logs(container idOrName: String, tail: Int) async throws(EngineAPIError) -> [EngineAPI.LogLine] { throw unsupported("logs") }
    func service(_ idOrName: String) async throws(EngineAPIError) -> EngineAPI.Service { throw unsupported("service") }
    func images(reference: String) async throws(EngineAPIError) -> [EngineAPI.ImageSummary] { throw unsupported("images") }
    func image(_ reference: String) async throws(EngineAPIError) -> EngineAPI.Image { throw unsupported("image") }
    func secrets(names: [String]) async throws(EngineAPIError) -> [EngineAPI.Secret] { throw unsupported("secrets") }
}
