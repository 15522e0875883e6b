#if canImport(Glibc)
import Glibc
#endif
import FTServicesKit
import Foundation
import Testing

/// Against the real daemon, a live suite like those of FTServicesEndToEndTests: it runs with FTSERVICES_E2E=1
/// and then fails, rather than skips, when no daemon answers. It needs the stack's `ftservices/runtime:local`
/// image and an active Swarm, so `./setup.sh test` runs it after the stack suites have built and deployed.
/// Creates only its own throwaway container and service (named `nettest-…`) and removes them; never touches
/// other stacks.
@Suite("Engine API against the running daemon",
       .enabled(if: ProcessInfo.processInfo.environment["FTSERVICES_E2E"] == "1", "a live suite: set FTSERVICES_E2E=1 (`./setup.sh test` does)"),
       .serialized)
struct EngineAPILiveTests {
    let api = DockerEngineAPI()

    init() throws {
        try #require(DockerDaemon.isAnswering, "FTSERVICES_E2E=1 but no Docker daemon answers on \(DockerEngineAPI.defaultSocketPath)")
    }

    @Test func versionAndInfo() async throws {
        let version = try await api.version()
        #expect(!version.version.isEmpty)
        #expect(version.apiVersion.hasPrefix("1."))
        let info = try await api.info()
        #expect(["inactive", "active", "pending", "error", "locked"].contains(info.swarm.localNodeState))
        try await api.ping()
    }

    @Test func containerInspectLogsAndExec() async throws {
        let name = "nettest-\(UUID().uuidString.prefix(8).lowercased())"
        try DockerDaemon.docker(["run", "-d", "--name", name, "--label", "org.ftservices.nettest=1",
                                 "ftservices/runtime:local", "sh", "-c", "echo out1; echo err1 >&2; echo out2; exec sleep 300"])
        defer { try? DockerDaemon.docker(["rm", "-f", name]) }

        let listed = try await api.containers(all: false, labels: ["org.ftservices.nettest=1"])
        #expect(listed.contains { $0.names.contains("/\(name)") })

        let container = try await api.container(name)
        #expect(container.state.running)
        #expect(container.state.pid > 0)
        #expect(container.state.started != nil)
        #expect(container.state.health == nil)
        #expect(container.restartCount == 0)

        var lines: [EngineAPI.LogLine] = []
        for _ in 0..<50 where lines.count < 3 {
            lines = try await api.logs(container: name, tail: 10)
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(lines.filter { $0.stream == .stdout }.map(\.text) == ["out1", "out2"])
        #expect(lines.filter { $0.stream == .stderr }.map(\.text) == ["err1"])
        #expect(try await api.logs(container: name, tail: 1).count == 1)

        let result = try await api.exec(container: name, command: ["sh", "-c", "echo hi; echo oops >&2; exit 3"])
        #expect(result == CommandResult(exitCode: 3, stdout: "hi\n", stderr: "oops\n"))
        let root = try await api.exec(container: name, command: ["id", "-u"], user: "root")
        #expect(root.stdout == "0\n" && root.exitCode == 0)
    }

    @Test func eventsStreamContainerEvents() async throws {
        let name = "nettest-\(UUID().uuidString.prefix(8).lowercased())"
        let since = Date()
        let filter = EngineAPI.EventFilter(types: ["container"], labels: ["org.ftservices.nettest=\(name)"], since: since)
        let events = api.events(filter)
        try DockerDaemon.docker(["run", "-d", "--name", name, "--label", "org.ftservices.nettest=\(name)",
                                 "ftservices/runtime:local", "sh", "-c", "exit 7"])
        defer { try? DockerDaemon.docker(["rm", "-f", name]) }
        var actions: [String] = []
        var exitCode: String?
        for try await event in events {
            #expect(event.type == "container")
            #expect(event.date.timeIntervalSince(since) > -1)
            actions.append(event.action)
            if event.action == "die" {
                exitCode = event.actor.attributes?["exitCode"]
                break
            }
        }
        #expect(actions.contains("start"))
        #expect(exitCode == "7")
    }

    @Test func swarmServiceAndTasks() async throws {
        let info = try await api.info()
        try #require(info.swarm.isActiveManager, "this node is not a Swarm manager")
        let stack = "nettest\(UUID().uuidString.prefix(6).lowercased())"
        let name = "\(stack)_svc"
        let port = 39_000 + Int.random(in: 0..<900)
        try DockerDaemon.docker(["service", "create", "--detach", "--name", name,
                                 "--label", "com.docker.stack.namespace=\(stack)", "--endpoint-mode", "dnsrr",
                                 "--publish", "mode=host,target=\(port),published=\(port)",
                                 "ftservices/runtime:local", "sleep", "300"])
        defer { try? DockerDaemon.docker(["service", "rm", name]) }

        let services = try await api.services(stack: stack)
        #expect(services.map(\.name) == [name])
        let service = try await api.service(name)
        #expect(service.image?.hasPrefix("ftservices/runtime:local") == true)
        #expect(service.spec.endpointSpec?.mode == "dnsrr")
        #expect(service.publishedPorts.map(\.publishedPort) == [port])
        #expect(service.publishedPorts.first?.publishMode == "host")
        #expect(try await api.publishedPortsOfStack(stack) == [port])

        // Waits up to 60 s for the task to run: right after the stack suites removed their stack, Swarm was seen
        // keeping a new task `ready` for more than 10 s while it cleaned up.
        var tasks: [EngineAPI.ServiceTask] = []
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            tasks = try await api.tasks(service: name)
            if tasks.first?.status.state == "running" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let task = try #require(tasks.first)
        #expect(task.desiredState == "running")
        #expect(task.status.state == "running")
        #expect(task.slot == 1)
        #expect(task.created != nil)
        let containerID = try #require(task.status.containerStatus?.containerID)
        #expect(try await api.container(containerID).state.running)
    }

    @Test func imagesAndSecrets() async throws {
        let images = try await api.images(reference: "ftservices/runtime")
        #expect(images.contains { $0.repoTags?.contains("ftservices/runtime:local") == true })
        let image = try await api.image("ftservices/runtime:local")
        #expect(image.id.hasPrefix("sha256:"))
        _ = image.labels
        let secrets = try await api.secrets(names: ["nettest-no-such-secret"])
        #expect(secrets.isEmpty)
    }

    @Test func missingObjectsAre404WithTheDaemonsMessage() async throws {
        do {
            _ = try await api.container("nettest-no-such-container")
            Issue.record("expected a 404")
        } catch {
            #expect(error.hasStatus(404))
            #expect(error.description.contains("No such container"))
        }
        await #expect(throws: EngineAPIError.self) { _ = try await api.image("ftservices/no-such-image:x") }
    }
}

/// The daemon and its CLI, for setting up and removing the tests' own objects.
enum DockerDaemon {
    /// True when something accepts connections on the daemon's socket.
    static let isAnswering: Bool = {
        let path = DockerEngineAPI.defaultSocketPath
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return result == 0
    }()

    /// Runs the docker CLI; fails on a non-zero exit with its stderr.
    static func docker(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["docker"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw DockerCommandError(description: "docker \(arguments.joined(separator: " ")): \(text)")
        }
    }
}

struct DockerCommandError: Error, CustomStringConvertible {
    let description: String
}
