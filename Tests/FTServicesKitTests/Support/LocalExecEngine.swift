import Foundation
@testable import FTServicesKit

/// A Docker engine stand-in for in-stack probes: `tasks` and `services` return the scripted ones, `exec` runs the
/// command on this machine, with `/run/secrets/` pointing at a test directory. Everything else fails.
struct LocalExecEngine: ContainerEngineAPI {
    var tasks: [EngineAPI.ServiceTask]
    /// Stands in for the container's `/run/secrets/`.
    var secretsDirectory: URL
    /// The stack's services; `nil` fails like an engine that cannot be reached.
    var stackServices: [EngineAPI.Service]? = nil

    func tasks(service idOrName: String) async throws(EngineAPIError) -> [EngineAPI.ServiceTask] { tasks }

    func exec(container idOrName: String, command: [String], user: String?) async throws(EngineAPIError) -> EngineAPI.ExecResult {
        let rewritten = command.map { $0.replacingOccurrences(of: "/run/secrets/", with: secretsDirectory.path + "/") }
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
        return EngineAPI.ExecResult(exitCode: Int(process.terminationStatus), stdout: String(decoding: out, as: UTF8.self),
                                    stderr: String(decoding: err, as: UTF8.self))
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
    func services(stack: String) async throws(EngineAPIError) -> [EngineAPI.Service] {
        guard let stackServices else { throw unsupported("services") }
        return stackServices
    }
    func service(_ idOrName: String) async throws(EngineAPIError) -> EngineAPI.Service { throw unsupported("service") }
    func images(reference: String) async throws(EngineAPIError) -> [EngineAPI.ImageSummary] { throw unsupported("images") }
    func image(_ reference: String) async throws(EngineAPIError) -> EngineAPI.Image { throw unsupported("image") }
    func secrets(names: [String]) async throws(EngineAPIError) -> [EngineAPI.Secret] { throw unsupported("secrets") }
    func events(_ filter: EngineAPI.EventFilter) -> AsyncThrowingStream<EngineAPI.Event, any Error> {
        AsyncThrowingStream { $0.finish(throwing: unsupported("events")) }
    }
}
