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
    /// On Kubernetes: the restart count of the service's container in its current pod.
    public var restarts: Int
    public var ports: [Int]
    /// The last health check's output when the service is not healthy.
    public var detail: String?
    /// The latest CPU use of the service's own processes as its metrics agent reported it to InfluxDB,
    /// in percent of one core; nil when InfluxDB has no recent point (or cannot be asked).
    public var cpuPercent: Double?
    /// The latest resident memory of the service's own processes, in bytes (same source).
    public var memoryBytes: Double?
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
            if let id = current?.status.containerStatus?.containerID, !id.isEmpty, current?.status.state == SwarmTaskState.running.rawValue,
               let container = try? await engine.container(id) {
                health = container.state.health?.status ?? "-"
                if health != HealthStatus.healthy.rawValue { detail = container.state.health?.last?.output.trimmingCharacters(in: .whitespacesAndNewlines) }
            }
            rows.append(ServiceStatus(
                service: name.rawValue, state: current?.status.state ?? "no task", health: health,
                restarts: tasks.filter { SwarmTaskState.failedStates.contains($0.status.state) }.count, ports: service.publishedPorts.map(\.publishedPort).sorted(), detail: detail
            ))
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

    /// The latest CPU and memory of every service from the stack's InfluxDB (``ServiceFigures``), asked from
    /// inside the influxdb container through the Engine API exec as the read-only Grafana account, whose
    /// password is read there from its secret file and given to curl on stdin (never on a command line).
    public func figures() async throws -> [ServiceFigures] {
        try await Self.figures(via: SwarmRuntime(engine: engine))
    }

    /// The figures asked inside the influxdb container of the stack on `runtime`'s orchestrator.
    static func figures(via runtime: any ServiceRuntime) async throws -> [ServiceFigures] {
        // InfluxDB's port, read-only user and database are fixed by the model, not by the user's config.
        let config = StackConfig.defaults
        let collector = ServiceName.influxdb
        let command = Self.figuresCommand(
            url: "http://127.0.0.1:\(config.ports.influxdb)", user: config.users.influxGrafana,
            secret: .influxdbGrafanaPassword, database: config.influxdbDatabase, query: ServiceFigures.query())
        let result: CommandResult
        do {
            result = try await runtime.exec(collector, in: nil, command: command)
        } catch ServiceRuntimeError.noRunningContainer {
            throw StatusError.noRunningTask(runtime.name(of: collector))
        }
        guard result.exitCode == 0 else {
            throw StatusError.figuresFailed("exit \(result.exitCode): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return try ServiceFigures.parse(Data(result.stdout.utf8), services: ServiceName.allCases.map(\.rawValue))
    }

    /// `sh -c SCRIPT sh USER SECRET URL DATABASE QUERY`: GET /query with the password from `/run/secrets/SECRET`.
    static func figuresCommand(url: String, user: String, secret: SecretKey, database: String, query: String) -> [String] {
        let script = InfluxLogin.curlScriptPrefix + #"-m 5 -G --data-urlencode "db=$4" --data-urlencode "q=$5" "$3/query""#
        return ["sh", "-c", script, "sh", user, secret.rawValue, url, database, query]
    }
}

/// Why `status` could not read the figures.
public enum StatusError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case noRunningTask(String)
    case figuresFailed(String)

    public var description: String {
        switch self {
        case .noRunningTask(let service): "no running task of \(service): InfluxDB cannot be asked (`ftservices status` shows why)"
        case .figuresFailed(let detail): "the figures query inside the influxdb container failed: \(detail)"
        }
    }

    public var errorDescription: String? { description }
}
