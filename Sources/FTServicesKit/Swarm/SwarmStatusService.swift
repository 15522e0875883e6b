import FTServicesCore
import Foundation

/// `ftservices status` on Docker Swarm: reads the deployed stack's state from the Engine API.
public struct SwarmStatusService: Sendable {
    let engine: any ContainerEngineAPI

    public init(engine: any ContainerEngineAPI) {
        self.engine = engine
    }

    public func status() async throws -> [ServiceStatus] {
        try await engine.ping()
        let deployed = try await engine.services(stack: Stack.name)
        var rows: [ServiceStatus] = []
        for name in ServiceName.allCases {
            guard let service = deployed.first(where: { $0.name == name.swarmName }) else {
                rows.append(ServiceStatus(service: name.rawValue, state: "not deployed", health: "-", restarts: 0, ports: []))
                continue
            }
            let tasks = try await engine.tasks(service: service.id)
            let current = tasks.current
            var health = "-"
            var detail: String?
            if let id = current?.status.containerStatus?.containerID, !id.isEmpty, current?.status.state == SwarmTaskState.running.rawValue,
               let container = try? await engine.container(id) {
                health = container.state.health?.status ?? "-"
                if health != HealthStatus.healthy.rawValue { detail = container.state.health?.lastReported?.output.trimmingCharacters(in: .whitespacesAndNewlines) }
            }
            var row = ServiceStatus(
                service: name.rawValue, state: current?.status.state ?? "no task", health: health,
                restarts: tasks.filter { SwarmTaskState.failedStates.contains($0.status.state) }.count, ports: service.publishedPorts.map(\.publishedPort).sorted(), detail: detail
            )
            if let update = service.updateStatus, update.isRollback {
                row.state = update.state == "rollback_completed" ? "rolled back" : (update.state ?? "").replacingOccurrences(of: "_", with: " ")
                row.rolledBackFrom = Self.failedVersion(tasks: tasks, current: service.image)
                row.detail = "\(row.rolledBackFrom ?? "the new version") failed; Swarm put the previous version back (\(update.message ?? ""))"
                    + (detail.map { "; health: \($0)" } ?? "")
            }
            rows.append(row)
        }
        // Figures are extra: a stack whose InfluxDB is down still has a status.
        if let figures = try? await figures() {
            for index in rows.indices {
                guard let figure = figures.first(where: { $0.service == rows[index].service }) else { continue }
                rows[index].cpuPercent = figure.cpuPercent
                rows[index].memoryBytes = figure.memoryBytes
            }
        }
        return rows
    }

    /// The version a rollback gave up: the image of the newest task that runs another image than the
    /// service's (rolled-back) spec.
    static func failedVersion(tasks: [EngineAPI.ServiceTask], current: String?) -> String? {
        let current = current.map(SwarmStackObserver.withoutDigest)
        return tasks.lazy.compactMap { $0.image.map(SwarmStackObserver.withoutDigest) }.first { $0 != current }
    }

    /// The latest CPU and memory of every service from the stack's InfluxDB (``ServiceFigures``), asked from
    /// inside the influxdb container through the Engine API exec as the read-only Grafana account, whose
    /// password is read there from its secret file and given to curl on stdin (never on a command line).
    public func figures() async throws -> [ServiceFigures] {
        try await ServiceFiguresQuery.figures(via: SwarmRuntime(engine: engine))
    }
}
