import Foundation

/// Deploys the rendered stack file to a single-node Docker Swarm with the docker CLI.
public struct SwarmDeployer: Sendable {
    /// The stack's namespace: services are `ftservices_<service>`.
    public static let stackName = "ftservices"

    let runner: any ProcessRunning

    public init(runner: any ProcessRunning = SubprocessRunner()) {
        self.runner = runner
    }

    /// Initialises a single-node Swarm unless this engine is already a manager of one.
    /// - Returns: true when a new Swarm was initialised.
    @discardableResult
    public func ensureSwarm(advertiseAddress: String) async throws -> Bool {
        let state = try await runner.output(["docker", "info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}"])
        let parts = state.split(separator: " ")
        switch parts.first {
        case "active":
            if parts.count > 1, parts[1] == "false" {
                throw DeployError.notManager
            }
            return false
        case "inactive":
            try await runner.run([
                "docker", "swarm", "init", "--advertise-addr", advertiseAddress, "--task-history-limit", "100",
            ])
            return true
        default:
            throw DeployError.swarmState(String(state))
        }
    }

    /// Creates the Swarm secrets that do not exist yet (values go through stdin, never argv).
    /// - Parameter secrets: Swarm secret name → value.
    /// - Returns: the names created.
    @discardableResult
    public func ensureSecrets(_ secrets: [String: String]) async throws -> [String] {
        let existing = Set(try await listSecrets())
        var created: [String] = []
        for (name, value) in secrets.sorted(by: { $0.key < $1.key }) where !existing.contains(name) {
            try await runner.run(
                ["docker", "secret", "create", "--label", "org.ftservices=1", name, "-"],
                input: Data(value.utf8)
            )
            created.append(name)
        }
        return created
    }

    /// Removes the stack's secrets that are no longer referenced by `current` (older versions).
    /// Secrets still used by a running task cannot be removed by Docker; those are left for the next run.
    public func pruneSecrets(keeping current: Set<String>) async {
        guard let names = try? await listSecrets() else { return }
        for name in names where name.hasPrefix("ftservices_") && !current.contains(name) {
            try? await runner.run(["docker", "secret", "rm", name])
        }
    }

    func listSecrets() async throws -> [String] {
        try await runner.output(["docker", "secret", "ls", "--format", "{{.Name}}"])
            .split(separator: "\n").map(String.init)
    }

    /// `docker stack deploy` of `stackFile` with the runtime variables it interpolates.
    public func deploy(stackFile: URL, variables: [String: String], logFile: URL) async throws {
        do {
            try? FileManager.default.removeItem(at: logFile)
            try await runner.run(
                ["docker", "stack", "deploy", "--prune", "--resolve-image", "never", "-c", stackFile.path, Self.stackName],
                environment: variables, logFile: logFile
            )
        } catch {
            throw DeployError.deployFailed(detail: "\(error)")
        }
    }

    /// The stack's data volumes (deployed or not: `down` keeps them).
    public func volumes() async throws -> [String] {
        try await runner.output([
            "docker", "volume", "ls", "-q", "--filter", "label=com.docker.stack.namespace=\(Self.stackName)",
        ]).split(separator: "\n").map(String.init)
    }

    /// Removes the stack (services, network and its Swarm secrets); volumes stay unless `volumes` is true.
    public func remove(volumes: Bool, waitSeconds: Double = 60) async throws -> [String] {
        _ = try? await runner.output(["docker", "stack", "rm", Self.stackName])
        let deadline = Date().addingTimeInterval(waitSeconds)
        // Volumes and the network can only go once the stack's containers are gone.
        while Date() < deadline {
            let containers = try await runner.output([
                "docker", "ps", "-aq", "--filter", "label=com.docker.stack.namespace=\(Self.stackName)",
            ])
            let networks = try await runner.output([
                "docker", "network", "ls", "-q", "--filter", "label=com.docker.stack.namespace=\(Self.stackName)",
            ])
            if containers.isEmpty && networks.isEmpty { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        // The Swarm keeps secrets in its store; the state directory has the values, so setup recreates them.
        await pruneSecrets(keeping: [])
        guard volumes else { return [] }
        var removed: [String] = []
        for name in try await self.volumes() {
            do {
                try await runner.run(["docker", "volume", "rm", name])
                removed.append(name)
            } catch {
                throw DeployError.volumeBusy(name: name, detail: error.standardError)
            }
        }
        return removed
    }
}

/// Deploying to the Swarm failed.
public enum DeployError: Error, CustomStringConvertible, LocalizedError {
    case notManager
    case swarmState(String)
    case deployFailed(detail: String)
    case volumeBusy(name: String, detail: String)

    public var description: String {
        switch self {
        case .notManager:
            return "this Docker engine is a Swarm worker, not a manager: run ftservices on a manager node, or `docker swarm leave` to use a single-node Swarm here."
        case .swarmState(let state):
            return "the Swarm is in state '\(state)': wait for it to settle, or reset it with `docker swarm leave --force` (this removes every Swarm service on this engine)."
        case .deployFailed(let detail):
            return "docker stack deploy failed: \(detail)"
        case .volumeBusy(let name, let detail):
            return "cannot remove volume \(name) (\(detail.trimmingCharacters(in: .whitespacesAndNewlines))): a container still uses it; run `ftservices down --volumes` again in a few seconds."
        }
    }

    public var errorDescription: String? { description }
}
