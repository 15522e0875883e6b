import FTServicesCore
import Foundation

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The stack on Docker Swarm, through the Engine API: a service's running container is its current task's,
/// commands run in it through the exec API, restarts are failed tasks, recovery is followed on the event stream.
public struct SwarmRuntime: ServiceRuntime {
    let engine: any ContainerEngineAPI
    /// Runs `docker service update --force` (redeploy).
    let runner: any ProcessRunning
    /// Where a Docker daemon restarted by `crashtest --mode engine` logs (the state directory's log directory).
    let logDirectory: URL?

    public init(engine: any ContainerEngineAPI = DockerEngineAPI(), runner: any ProcessRunning = SubprocessRunner(),
                logDirectory: URL? = nil) {
        self.engine = engine
        self.runner = runner
        self.logDirectory = logDirectory
    }

    public var orchestrator: Orchestrator { .swarm }

    public func name(of service: ServiceName) -> String { service.swarmName }

    public func deployedServices() async throws -> Set<ServiceName> {
        let deployed = try await engine.services(stack: Stack.name)
        return Set(ServiceName.allCases.filter { name in deployed.contains { $0.name == name.swarmName } })
    }

    public func states(of names: Set<ServiceName>) async -> [ServiceName: ServiceState]? {
        guard let deployed = try? await engine.services(stack: Stack.name) else { return nil }
        var states: [ServiceName: ServiceState] = [:]
        for name in names {
            guard let service = deployed.first(where: { $0.name == name.swarmName }) else {
                states[name] = deployed.isEmpty ? .noStack : .notDeployed
                continue
            }
            if service.replicas == 0 { states[name] = .scaledToZero; continue }
            let current = (try? await engine.tasks(service: service.id))?.current
            if let current, current.status.state == SwarmTaskState.running.rawValue {
                states[name] = .running(published: service.publishedPorts.map(\.publishedPort))
            } else {
                let why = current.map { $0.status.err ?? $0.status.message ?? "" } ?? ""
                let state = current?.status.state ?? "missing"
                states[name] = .notRunning(why.isEmpty ? state : "\(state): \(why)")
            }
        }
        return states
    }

    public func runningContainer(_ service: ServiceName) async throws -> RunningContainer {
        let id = try await runningContainerID(service)
        let container = try? await engine.container(id)
        return RunningContainer(id: id, health: container.map { $0.state.health?.status ?? HealthStatus.noHealthcheck.rawValue },
                                startedAt: container.flatMap { EngineAPI.date($0.state.startedAt) }, label: "container \(String(id.prefix(12)))")
    }

    /// The container of the service's current task, when that task runs.
    func runningContainerID(_ service: ServiceName) async throws -> String {
        let tasks = try await engine.tasks(service: service.swarmName)
        guard let current = tasks.current, current.status.state == SwarmTaskState.running.rawValue,
              let id = current.status.containerStatus?.containerID, !id.isEmpty else {
            throw ServiceRuntimeError.noRunningContainer(service, message: "no running task of \(service.swarmName) (`ftservices status` shows why)")
        }
        return id
    }

    public func exec(_ service: ServiceName, in container: RunningContainer?, command: [String]) async throws -> CommandResult {
        let id: String
        if let container { id = container.id } else { id = try await runningContainerID(service) }
        return try await engine.exec(container: id, command: command)
    }

    /// `docker exec` (the Engine API's exec cannot take a standard input over libcurl).
    public func stream(_ service: ServiceName, command: [String], input: URL?, output: FileDescriptor?) async throws -> CommandResult {
        let id = try await runningContainerID(service)
        return try await runner.stream(["docker", "exec"] + (input == nil ? [] : ["--interactive"]) + [id] + command,
                                       input: input, output: output)
    }

    public func restarts(_ service: ServiceName) async throws -> RestartTally {
        let failed = try await engine.tasks(service: service.swarmName).filter { SwarmTaskState.failedStates.contains($0.status.state) }
        return RestartTally(count: failed.count, reasons: failed.map { $0.status.err ?? "" }, reasonsLabel: "failed tasks")
    }

    /// Tasks are counted by creation time, not from the failed tasks in the history: Swarm caps the
    /// history, so a count of failed tasks can fall while a crash adds one.
    public func replacements(_ service: ServiceName, since crashAt: Date, crashed: RunningContainer?) async throws -> Replacements {
        let tasks = try await engine.tasks(service: service.swarmName)
        let started = tasks.filter { ($0.created ?? .distantPast) > crashAt }
        let old = crashed.flatMap { crashed in tasks.first { $0.status.containerStatus?.containerID == crashed.id } }
        return Replacements(started: started.count, crashedState: old?.status.state,
                            failedStarts: started.compactMap { $0.status.err }, settled: old.map { !SwarmTaskState.liveStates.contains($0.status.state) } ?? true)
    }

    public func redeploy(_ service: ServiceName) async throws -> String {
        do {
            try await runner.run(["docker", "service", "update", "--force", "--detach", "--quiet", "--no-resolve-image", service.swarmName])
        } catch {
            throw ServiceRuntimeError.commandFailed("docker service update --force", detail: "\(error)")
        }
        return "forced an update of \(service.swarmName)"
    }

    public func watchRecovery(_ service: ServiceName, from old: RunningContainer, crashAt: Date) -> any RecoveryWatch {
        // The event stream replays from a second before the crash, so no event is missed while it connects.
        SwarmPhaseWatch(engine: engine, service: service, oldContainer: old.id, since: crashAt.addingTimeInterval(-1))
    }

    public func whyNotRunning(_ service: ServiceName) async -> String? {
        if let spec = try? await engine.service(service.swarmName), let condition = spec.restartCondition, condition != "any" {
            return "its restart policy condition is \"\(condition)\""
        }
        if let task = try? await engine.tasks(service: service.swarmName).current {
            return "its task is \(task.status.state)\(task.status.err.map { ": \($0)" } ?? "")"
        }
        return nil
    }
}
