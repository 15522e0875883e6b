import Foundation

/// What the engine says about one service's newest task, read fresh on every poll.
public struct ServiceSnapshot: Sendable, Equatable {
    /// The newest task's state (`pending`, `starting`, `running`, `failed`, ...); nil when it has none.
    public var taskState: String?
    /// The newest task's error or status message.
    public var taskMessage: String?
    /// The container's health (`starting`, `healthy`, `unhealthy`); nil without a container or healthcheck.
    public var health: String?
    /// The last healthcheck's output.
    public var lastHealthOutput: String?
    /// Tasks of this service created after the wait began that failed or were rejected, with their errors.
    public var failuresSince: [String]
    /// Whether this deploy replaces a running version of the service, and where a rollback stands; nil when
    /// the deploy left the service as it was (or its update is done).
    public var update: UpdatePhase?
    /// The version the service's spec names now (the image): the new one during an update, the previous one
    /// again once rolled back.
    public var version: String?
    /// The newest instance (Swarm: container) of this deploy that failed, for its health output and logs.
    public var failedInstance: String?

    public init(taskState: String? = nil, taskMessage: String? = nil, health: String? = nil, lastHealthOutput: String? = nil,
                failuresSince: [String] = [], update: UpdatePhase? = nil, version: String? = nil, failedInstance: String? = nil) {
        self.taskState = taskState
        self.taskMessage = taskMessage
        self.health = health
        self.lastHealthOutput = lastHealthOutput
        self.failuresSince = failuresSince
        self.update = update
        self.version = version
        self.failedInstance = failedInstance
    }
}

/// Where a deploy stands with one service's previous version.
public enum UpdatePhase: Sendable, Equatable {
    /// The service did not exist before this deploy: there is nothing to roll back to.
    case firstDeploy
    /// The deploy replaces the running `previous` version (an image) with the spec's new one.
    case updating(previous: String?)
    /// The orchestrator is putting the previous version back after `failed` failed.
    case rollingBack(failed: String?)
    /// The previous version is the service's spec again; `failed` is the version that failed.
    case rolledBack(failed: String?)
}

/// What a failed version said before it was replaced.
public struct FailureDetails: Sendable, Equatable {
    /// Its last healthcheck output, if it ran one.
    public var health: String?
    /// Its last log lines.
    public var logs: String
    /// Its health status when it ended (`unhealthy`: the orchestrator stopped it for failing its healthcheck).
    public var healthStatus: String?

    public init(health: String?, logs: String, healthStatus: String? = nil) {
        self.health = health
        self.logs = logs
        self.healthStatus = healthStatus
    }
}

/// Reads a deployed service's state (the Engine API or kubectl in production, a fake in tests) and puts a
/// service's previous version back.
public protocol StackObserving: Sendable {
    func snapshot(service: String, since: Date) async throws -> ServiceSnapshot
    func recentLogs(service: String, lines: Int) async -> String
    /// The failed version's last health output and log lines (`snapshot` saw it fail), read before a
    /// rollback replaces it.
    func failureDetails(service: String, snapshot: ServiceSnapshot, lines: Int) async -> FailureDetails
    /// Whether the orchestrator rolls a failed update back on its own (Swarm's `failure_action: rollback`);
    /// otherwise the wait calls ``rollBack(service:)`` when it sees the new version fail.
    var rollsBackOnItsOwn: Bool { get }
    /// Puts the service's previous version back (Swarm: `docker service rollback`; Kubernetes: `kubectl
    /// rollout undo`).
    func rollBack(service: String) async throws
}

extension StackObserving {
    /// The snapshot's health output and the service's recent log lines.
    public func failureDetails(service: String, snapshot: ServiceSnapshot, lines: Int) async -> FailureDetails {
        FailureDetails(health: snapshot.lastHealthOutput, logs: await recentLogs(service: service, lines: lines))
    }
}
