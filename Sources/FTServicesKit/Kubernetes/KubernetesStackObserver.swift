import FTServicesCore
import Foundation

/// Reads the stack's pods for ``HealthWaiter``, so the Kubernetes path waits, fails and reports exactly as
/// the Swarm path does. One `kubectl get pods` serves every service of a poll (the waiter asks for each
/// service at nearly the same moment).
///
/// Kubernetes leaves a failed rollout as it is: the wait undoes it (`kubectl rollout undo`) for the services
/// `updates` says this apply changed.
public struct KubernetesStackObserver: StackObserving {
    let deployer: KubernetesDeployer
    let cache: PodListCache
    /// What this apply did to each service's Deployment (``UpdatePhase/firstDeploy`` or ``UpdatePhase/updating(previous:)``);
    /// absent: left as it was.
    let updates: [String: UpdatePhase]
    /// The image each service's Deployment names after this apply.
    let versions: [String: String]

    public init(deployer: KubernetesDeployer, maxAge: Duration = .milliseconds(300), updates: [String: UpdatePhase] = [:],
                versions: [String: String] = [:]) {
        self.deployer = deployer
        self.cache = PodListCache(maxAge: maxAge)
        self.updates = updates
        self.versions = versions
    }

    public var rollsBackOnItsOwn: Bool { false }

    public func snapshot(service: String, since: Date) async throws -> ServiceSnapshot {
        var snapshot = try await cache.pods { try await deployer.pods() }.snapshot(service: service, since: since)
        snapshot.update = updates[service]
        snapshot.version = versions[service]
        return snapshot
    }

    /// `kubectl rollout undo`: the Deployment's previous pod template (its previous image) comes back.
    public func rollBack(service: String) async throws {
        try await deployer.undo(service: service, failed: versions[service])
    }

    public func recentLogs(service: String, lines: Int) async -> String {
        await deployer.logs(service: service, lines: lines)
    }
}

/// The last pod list and when it was read.
actor PodListCache {
    let maxAge: Duration
    private var last: (list: KubernetesPodList, at: ContinuousClock.Instant)?
    private var inFlight: Task<KubernetesPodList, any Error>?

    init(maxAge: Duration) {
        self.maxAge = maxAge
    }

    func pods(_ fetch: @escaping @Sendable () async throws -> KubernetesPodList) async throws -> KubernetesPodList {
        let now = ContinuousClock.now
        if let last, now - last.at < maxAge { return last.list }
        if let inFlight { return try await inFlight.value }
        let task = Task { try await fetch() }
        inFlight = task
        defer { inFlight = nil }
        let list = try await task.value
        last = (list, ContinuousClock.now)
        return list
    }
}
