import FTServicesCore
import Foundation

/// One row of `ftservices status`.
public struct ServiceStatus: Codable, Sendable, Equatable {
    public var service: String
    /// The newest task's state (`running`, `starting`, ...) or `not deployed`.
    public var state: String
    /// The container's health (`healthy`, `starting`, `unhealthy`) or `-`.
    public var health: String
    /// How many of the service's tasks failed and were replaced (a crash, a failed healthcheck), from the
    /// task history Swarm keeps (100 per service when ftservices created the Swarm). Updates are not counted.
    public var restarts: Int
    public var ports: [Int]
    /// The last health check's output when the service is not healthy.
    public var detail: String?
}

/// Reads the deployed stack's state from the Engine API.
public struct StatusService: Sendable {
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
            if let id = current?.status.containerStatus?.containerID, !id.isEmpty, current?.status.state == "running",
               let container = try? await engine.container(id) {
                health = container.state.health?.status ?? "-"
                if health != "healthy" { detail = container.state.health?.last?.output.trimmingCharacters(in: .whitespacesAndNewlines) }
            }
            rows.append(ServiceStatus(
                service: name.rawValue, state: current?.status.state ?? "no task", health: health,
                restarts: tasks.filter { ["failed", "rejected"].contains($0.status.state) }.count, ports: service.publishedPorts.map(\.publishedPort).sorted(), detail: detail
            ))
        }
        return rows
    }
}
