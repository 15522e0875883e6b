import FTServicesCore
import Foundation

/// Reads a stack service's newest task and its container's health from the Docker Engine API.
public struct SwarmStackObserver: StackObserving {
    let engine: any ContainerEngineAPI
    let runner: any ProcessRunning

    public init(engine: any ContainerEngineAPI, runner: any ProcessRunning = SubprocessRunner()) {
        self.engine = engine
        self.runner = runner
    }

    public func snapshot(service: String, since: Date) async throws -> ServiceSnapshot {
        let tasks: [EngineAPI.ServiceTask]
        do {
            tasks = try await engine.tasks(service: Self.swarmName(service))
        } catch {
            if case .api(let status, _, _, _) = error, status == 404 { return ServiceSnapshot() }
            throw error
        }
        var snapshot = ServiceSnapshot()
        snapshot.failuresSince = tasks
            .filter { ($0.created ?? .distantPast) >= since && SwarmTaskState.failedStates.contains($0.status.state) }
            .map { task in
                let exit = task.status.containerStatus?.exitCode.map { " (exit code \($0))" } ?? ""
                return (task.status.err ?? task.status.message ?? task.status.state) + exit
            }
        guard let task = tasks.current else { return snapshot }
        snapshot.taskState = task.status.state
        snapshot.taskMessage = task.status.err ?? task.status.message
        if task.status.state == SwarmTaskState.running.rawValue, let id = task.status.containerStatus?.containerID, !id.isEmpty,
           let container = try? await engine.container(id) {
            snapshot.health = container.state.health?.status
            snapshot.lastHealthOutput = container.state.health?.last?.output
        }
        return snapshot
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
}
