import FTServicesCore
import Foundation

/// The latest CPU and memory of every service (``ServiceFigures``), asked from inside the influxdb container of
/// the stack on either orchestrator: `status` on Swarm and on Kubernetes shows the same figures.
enum ServiceFiguresQuery {
    /// The figures asked inside the influxdb container of the stack on `runtime`'s orchestrator.
    static func figures(via runtime: any ServiceRuntime) async throws -> [ServiceFigures] {
        // InfluxDB's port, read-only user and database are fixed by the model, not by the user's config.
        let config = StackConfig.defaults
        let collector = ServiceName.influxdb
        let command = figuresCommand(
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
