import FTServicesCore
import Foundation

/// Turns successive pod lists of one service into the phases of its recovery from a crash of `old`, as
/// ``SwarmPhaseWatch`` does from Docker's events.
///
/// A killed process ends the container and the kubelet restarts it in the same pod, its restart count one
/// higher (at once the first time, after a CrashLoopBackOff delay when it crashed recently); a rollout
/// replaces the pod. The pod status dates things in whole seconds, on the node's clock, so a phase is dated
/// at the end of the second its status gives, or when the poll that first saw it returned if that is
/// earlier: never before it happened, and at most one second (or one poll) late.
struct PodRecoveryTracker: Sendable {
    let service: ServiceName
    let oldPod: String
    let oldRestarts: Int
    private(set) var phases = RecoveryPhases()
    /// When the last poll that saw the service began: what a later poll sees first happened after it.
    private var seenUntil: Date

    init(service: ServiceName, old: RunningContainer, crashAt: Date) {
        self.service = service
        oldPod = old.pod ?? ""
        oldRestarts = old.restartCount ?? 0
        seenUntil = crashAt
    }

    /// Takes in one poll's pod list, read between `start` and `end`.
    mutating func observe(_ list: KubernetesPodList, polledFrom start: Date, to end: Date) {
        defer { seenUntil = max(seenUntil, start) }
        let name = service.rawValue
        let pods = list.items.filter { $0.metadata.labels?[KubernetesManifests.nameLabel] == name }

        if phases.exited == nil {
            if let pod = pods.first(where: { $0.metadata.name == oldPod }) {
                if let status = pod.container(name) {
                    if status.restartCount == oldRestarts, status.state?.running == nil,
                       let ended = status.state?.terminated ?? status.lastState?.terminated {
                        phases.exited = date(ended.finishedAt, seenBy: end)
                    } else if status.restartCount == oldRestarts + 1 {
                        phases.exited = date(status.lastState?.terminated?.finishedAt, seenBy: end)
                    } else if status.restartCount > oldRestarts + 1 {
                        phases.exited = end
                    }
                }
            } else {
                phases.exited = end  // the pod is gone (a rollout deleted it)
            }
        }

        // The newest container that is not the crashed one and runs: the one that is to serve.
        let running = pods.compactMap { pod -> (pod: KubernetesPodList.Pod, status: KubernetesPodList.Pod.ContainerStatus)? in
            guard pod.metadata.deletionTimestamp == nil, let status = pod.container(name), status.state?.running != nil,
                  pod.metadata.name != oldPod || status.restartCount > oldRestarts else { return nil }
            return (pod, status)
        }.max { ($0.pod.metadata.creationTimestamp ?? "", $0.status.restartCount) < ($1.pod.metadata.creationTimestamp ?? "", $1.status.restartCount) }
        if let (pod, status) = running {
            let id = KubernetesRuntime.containerID(pod: pod.metadata.name, restarts: status.restartCount)
            if id != phases.runningContainer {
                // A container that crashes again is replaced by another: the newest start is the one that serves.
                phases.runningContainer = id
                phases.running = date(status.state?.running?.startedAt, seenBy: end)
                phases.healthy = nil
            }
            if phases.healthy == nil, status.ready {
                let ready = date(pod.readySince, seenBy: end)
                phases.healthy = max(ready, phases.running ?? ready)
            }
        }

        for pod in pods {
            if let waiting = pod.container(name)?.state?.waiting, waiting.reason == "CrashLoopBackOff" {
                phases.backOff = waiting.message ?? "CrashLoopBackOff"
            }
        }
    }

    /// The end of the second `timestamp` names, or `end` (when the poll saw it) if that is earlier, or if the
    /// timestamp is absent or before the previous poll (a node clock that disagrees with this host's).
    func date(_ timestamp: String?, seenBy end: Date) -> Date {
        date(KubernetesPodList.timestamp(timestamp), seenBy: end)
    }

    func date(_ at: Date?, seenBy end: Date) -> Date {
        guard let at else { return end }
        let endOfSecond = at.addingTimeInterval(1)
        return endOfSecond > seenUntil ? min(end, endOfSecond) : end
    }
}
