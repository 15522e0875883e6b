import FTServicesCore
import Foundation

/// Reads the stack's pods for ``HealthWaiter``, so the Kubernetes path waits, fails and reports exactly as
/// the Swarm path does. One `kubectl get pods` serves every service of a poll (the waiter asks for each
/// service at nearly the same moment).
public struct KubernetesStackObserver: StackObserving {
    let deployer: KubernetesDeployer
    let cache: PodListCache

    public init(deployer: KubernetesDeployer, maxAge: Duration = .milliseconds(300)) {
        self.deployer = deployer
        self.cache = PodListCache(maxAge: maxAge)
    }

    public func snapshot(service: String, since: Date) async throws -> ServiceSnapshot {
        try await cache.pods { try await deployer.pods() }.snapshot(service: service, since: since)
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
