import FTServicesCore
import Foundation

/// Follows one service's recovery on Kubernetes by reading its pods every `interval` (200 ms): the API has
/// no event stream with the container's own timestamps, as Docker's has. ``PodRecoveryTracker`` reads each list.
final class KubernetesRecoveryWatch: RecoveryWatch, @unchecked Sendable {
    private let lock = NSLock()
    private var tracker: PodRecoveryTracker
    private var task: Task<Void, Never>?

    init(deployer: KubernetesDeployer, service: ServiceName, old: RunningContainer, crashAt: Date, interval: Duration = .milliseconds(200)) {
        tracker = PodRecoveryTracker(service: service, old: old, crashAt: crashAt)
        task = Task { [weak self] in
            while !Task.isCancelled {
                let start = Date()
                // A poll that fails (the API busy, kubectl slow) is skipped: the next one sees what it missed.
                if let list = try? await deployer.pods(of: service) {
                    guard let self else { return }
                    self.observe(list, start: start, end: Date())
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    private func observe(_ list: KubernetesPodList, start: Date, end: Date) {
        lock.withLock { tracker.observe(list, polledFrom: start, to: end) }
    }

    var phases: RecoveryPhases { lock.withLock { tracker.phases } }

    func stop() {
        task?.cancel()
    }

    deinit {
        task?.cancel()
    }
}
