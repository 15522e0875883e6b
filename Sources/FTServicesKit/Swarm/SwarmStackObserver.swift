import FTServicesCore
import Foundation

/// Reads a stack service's newest task, its container's health and where its update stands from the Docker
/// Engine API. Swarm rolls a failed update back itself (`update_config.failure_action: rollback`).
public struct SwarmStackObserver: StackObserving {
    let engine: any ContainerEngineAPI
    let runner: any ProcessRunning

    public init(engine: any ContainerEngineAPI, runner: any ProcessRunning = SubprocessRunner()) {
        self.engine = engine
        self.runner = runner
    }

    public var rollsBackOnItsOwn: Bool { true }

    public func snapshot(service: String, since: Date) async throws -> ServiceSnapshot {
        let swarmService: EngineAPI.Service
        let tasks: [EngineAPI.ServiceTask]
        do {
            swarmService = try await engine.service(Self.swarmName(service))
            tasks = try await engine.tasks(service: swarmService.id)
        } catch {
            if case .api(let status, _, _, _) = error, status == 404 { return ServiceSnapshot() }
            throw error
        }
        var snapshot = ServiceSnapshot()
        let version = swarmService.image.map(Self.withoutDigest)
        snapshot.version = version
        let thisDeploy = tasks.filter { ($0.created ?? .distantPast) >= since }
        snapshot.failuresSince = thisDeploy
            .filter { Self.endedStates.contains($0.status.state) }
            .map { task in
                let exit = task.status.containerStatus?.exitCode.map { " (exit code \($0))" } ?? ""
                return (task.status.err ?? task.status.message ?? task.status.state) + exit
            }
        snapshot.failedInstance = thisDeploy.first { Self.endedStates.contains($0.status.state) }?.status.containerStatus?.containerID
        snapshot.update = Self.phase(of: swarmService, failed: thisDeploy.first { $0.image.map(Self.withoutDigest) != version }?.image)
        guard let task = tasks.current else { return snapshot }
        // Until Swarm replaced it, the task that runs may be the previous version's: not the one to wait for.
        if let image = task.image, let version, Self.withoutDigest(image) != version {
            snapshot.taskState = SwarmTaskState.pending.rawValue
            snapshot.taskMessage = "waiting for Swarm to replace the task of \(Self.withoutDigest(image))"
            return snapshot
        }
        snapshot.taskState = task.status.state
        snapshot.taskMessage = task.status.err ?? task.status.message
        if task.status.state == SwarmTaskState.running.rawValue, let id = task.status.containerStatus?.containerID, !id.isEmpty,
           let container = try? await engine.container(id) {
            snapshot.health = container.state.health?.status
            snapshot.lastHealthOutput = container.state.health?.lastReported?.output
        }
        return snapshot
    }

    /// How a task of this deploy ends when it fails: `failed`, `rejected`, or `complete` — Swarm stops a
    /// container that turns unhealthy while starting, and the images' PID 1 exits 0 on SIGTERM.
    static let endedStates = SwarmTaskState.failedStates.union([SwarmTaskState.complete.rawValue])

    /// Where the deploy stands with the service's previous version. `docker stack deploy` clears
    /// `UpdateStatus`, so any state in it is this deploy's; a service without `PreviousSpec` and without an
    /// update was created by this deploy (a rollback clears `PreviousSpec` too, but says so in its state).
    /// - Parameter failed: the image of the newest task of this deploy that runs another version than the spec.
    static func phase(of service: EngineAPI.Service, failed: String?) -> UpdatePhase? {
        let failed = failed.map(withoutDigest)
        switch service.updateStatus?.state {
        case "rollback_started", "rollback_paused": return .rollingBack(failed: failed)
        case "rollback_completed": return .rolledBack(failed: failed)
        // `paused`: a stack file from before failure_action was rollback; the wait rolls back at its deadline.
        case "updating", "paused": return .updating(previous: (service.previousSpec?.taskTemplate.containerSpec?.image).map(withoutDigest))
        case "completed": return nil
        default: return service.previousSpec == nil ? .firstDeploy : nil
        }
    }

    /// "ftservices/nginx:abc" of "ftservices/nginx:abc@sha256:…" (a deploy that resolved a digest adds it).
    static func withoutDigest(_ image: String) -> String {
        String(image.prefix { $0 != "@" })
    }

    static func swarmName(_ service: String) -> String {
        ServiceName(rawValue: service)?.swarmName ?? "\(Stack.name)_\(service)"
    }

    public func recentLogs(service: String, lines: Int) async -> String {
        let output = try? await runner.run(
            ["docker", "service", "logs", "--no-task-ids", "--tail", String(lines), Self.swarmName(service)],
            input: nil, environment: [:], logFile: nil)
        guard let output else { return "" }
        return (output.standardOutput + output.standardError).split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// The failed task's own container: its last healthcheck output and log lines (Swarm keeps the
    /// containers of the task history, so they are there after the rollback too).
    public func failureDetails(service: String, snapshot: ServiceSnapshot, lines: Int) async -> FailureDetails {
        guard let id = snapshot.failedInstance, !id.isEmpty else {
            return FailureDetails(health: snapshot.lastHealthOutput, logs: await recentLogs(service: service, lines: lines))
        }
        let container = try? await engine.container(id)
        let logs = (try? await engine.logs(container: id, tail: lines))?.map(\.text).joined(separator: "\n") ?? ""
        return FailureDetails(health: container?.state.health?.lastReported?.output ?? snapshot.lastHealthOutput, logs: logs,
                              healthStatus: container?.state.health?.status)
    }

    /// `docker service rollback`: Swarm puts the spec before the last update back (used when an update is
    /// still not healthy at the deadline; a failed task makes Swarm do it on its own).
    public func rollBack(service: String) async throws {
        try await runner.run(["docker", "service", "rollback", "--detach", Self.swarmName(service)])
    }
}
