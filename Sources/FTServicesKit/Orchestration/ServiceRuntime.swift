import FTServicesCore
import Foundation

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// What `verify`, `crashtest` and its canaries ask of the orchestrator the stack runs on, so their logic is
/// written once: Docker Swarm through the Engine API (``SwarmRuntime``), Kubernetes through kubectl
/// (``KubernetesRuntime``).
///
/// Commands run in a container are argv arrays; a secret is read inside the container from its file and
/// is never part of one.
public protocol ServiceRuntime: Sendable {
    var orchestrator: Orchestrator { get }

    /// How messages name a service: `ftservices_mysql` on Swarm, `deployment/mysql` on Kubernetes.
    func name(of service: ServiceName) -> String

    /// The stack's services that are deployed (empty when none is); throws when the orchestrator cannot be asked.
    func deployedServices() async throws -> Set<ServiceName>

    /// What the orchestrator says about each of `services`, to explain failing checks; nil when it cannot be asked.
    func states(of services: Set<ServiceName>) async -> [ServiceName: ServiceState]?

    /// The service's running container and its health; throws ``ServiceRuntimeError/noRunningContainer(_:name:detail:hint:)``
    /// when it has none.
    func runningContainer(_ service: ServiceName) async throws -> RunningContainer

    /// Runs `command` in `container`, or in the service's running container when nil, and waits for it. A command
    /// that runs and fails is a result with its exit code; throws only when it could not be run.
    func exec(_ service: ServiceName, in container: RunningContainer?, command: [String]) async throws -> CommandResult

    /// Runs `command` in the service's running container on bytes that do not fit `exec` (backups): its
    /// standard input is the file `input` (none when nil), its standard output goes to `output` at the
    /// descriptor's offset (captured when nil). A command that fails is a result with its exit code.
    func stream(_ service: ServiceName, command: [String], input: URL?, output: FileDescriptor?) async throws -> CommandResult

    /// How often the service's container failed and was replaced or restarted.
    func restarts(_ service: ServiceName) async throws -> RestartTally
    /// What replaced `crashed` since `crashAt`: Swarm's tasks created since and how the crashed task ended;
    /// Kubernetes' restarts of the container in its pod, or a new pod.
    func replacements(_ service: ServiceName, since crashAt: Date, crashed: RunningContainer?) async throws -> Replacements

    /// Replaces the service's container with a new one without failing it (forced update, rollout restart);
    /// returns what it did, for progress.
    func redeploy(_ service: ServiceName) async throws -> String

    /// Starts following the service's recovery from a crash of `old` at `crashAt`.
    func watchRecovery(_ service: ServiceName, from old: RunningContainer, crashAt: Date) -> any RecoveryWatch

    /// Why the service runs no new container, for a recovery that failed ("its task is failed: …"); nil when
    /// there is nothing to add.
    func whyNotRunning(_ service: ServiceName) async -> String?

    /// How to restart the engine under the whole stack (`crashtest --mode engine`); nil when the orchestrator
    /// offers no such thing (Kubernetes).
    var engineRestarter: (any EngineRestarting)? { get }
}

/// One running instance of a service's container.
public struct RunningContainer: Sendable, Equatable {
    /// This instance: the Docker container ID on Swarm; `POD/RESTARTS` on Kubernetes, where a crashed
    /// container is restarted in place, in the same pod, with its restart count one higher.
    public var id: String
    /// The pod it runs in (Kubernetes); nil on Swarm.
    public var pod: String?
    /// The container's restart count in its pod (Kubernetes), which tells this instance from the next.
    public var restartCount: Int?
    /// A ``HealthStatus`` raw value: `healthy`, `starting`, `unhealthy`, or `none` without a healthcheck; nil when the
    /// orchestrator could not say.
    /// Kubernetes' readiness is Swarm's health.
    public var health: String?
    /// When this instance started (whole seconds on Kubernetes).
    public var startedAt: Date?
    /// For messages: "container 0123456789ab", "container mysql of pod mysql-7d9f-x2x (restart 2)".
    public var label: String

    public init(id: String, pod: String? = nil, restartCount: Int? = nil, health: String?, startedAt: Date?, label: String) {
        self.id = id
        self.pod = pod
        self.restartCount = restartCount
        self.health = health
        self.startedAt = startedAt
        self.label = label
    }
}

/// How many times a service's container failed, as `status` counts it.
public struct RestartTally: Sendable, Equatable {
    /// Swarm: the failed tasks in the service's history; Kubernetes: the restart count of the container in
    /// the service's pod.
    public var count: Int
    /// What `count` belongs to: empty on Swarm (the service's whole history); the pod on Kubernetes, since
    /// the new pod of a rollout starts again at 0.
    public var scope: String
    /// What the newest failures were, newest first: each failed task's error ("" when it has none), or the
    /// container's last termination.
    public var reasons: [String]
    /// What `reasons` are ("failed tasks", "last termination").
    public var reasonsLabel: String

    public init(count: Int, scope: String = "", reasons: [String] = [], reasonsLabel: String = "failed tasks") {
        self.count = count
        self.scope = scope
        self.reasons = reasons
        self.reasonsLabel = reasonsLabel
    }

    /// How many failures happened between `before` and this tally: the difference in the same scope, every
    /// failure counted here in a new one.
    public func added(since before: RestartTally) -> Int {
        scope == before.scope ? count - before.count : count
    }
}

/// What an orchestrator started after a crash in place of the crashed instance.
public struct Replacements: Sendable, Equatable {
    /// New instances started since the crash: one when the crashed one was replaced once; more when a
    /// replacement failed to start and was replaced in turn.
    public var started: Int
    /// How the crashed instance ended, where the orchestrator records it (Swarm's task state: `failed`,
    /// `shutdown`); nil otherwise.
    public var crashedState: String?
    /// The errors of replacements that failed to start.
    public var failedStarts: [String]
    /// False while the crashed instance has not ended yet as far as the orchestrator knows.
    public var settled: Bool

    public init(started: Int, crashedState: String? = nil, failedStarts: [String] = [], settled: Bool = true) {
        self.started = started
        self.crashedState = crashedState
        self.failedStarts = failedStarts
        self.settled = settled
    }
}
