import FTServicesCore
import Foundation

/// The part of `kubectl get pods -o json` the health wait, `verify` and `crashtest` read.
public struct KubernetesPodList: Decodable, Sendable, Equatable {
    public var items: [Pod]

    public init(items: [Pod]) {
        self.items = items
    }

    public struct Pod: Decodable, Sendable, Equatable {
        public var metadata: Metadata
        public var status: Status?

        public struct Metadata: Decodable, Sendable, Equatable {
            public var name: String
            public var labels: [String: String]?
            public var creationTimestamp: String?
            public var deletionTimestamp: String?
        }

        public struct Status: Decodable, Sendable, Equatable {
            /// Pending, Running, Succeeded, Failed, Unknown.
            public var phase: String?
            public var conditions: [Condition]?
            public var containerStatuses: [ContainerStatus]?
        }

        public struct Condition: Decodable, Sendable, Equatable {
            public var type: String
            public var status: String
            public var reason: String?
            public var message: String?
            /// When `status` last changed (whole seconds).
            public var lastTransitionTime: String?
        }

        public struct ContainerStatus: Decodable, Sendable, Equatable {
            public var name: String
            public var ready: Bool
            public var restartCount: Int
            /// The startup probe passed (absent on old clusters).
            public var started: Bool?
            public var state: State?
            public var lastState: State?
        }

        /// Exactly one of the three is set.
        public struct State: Decodable, Sendable, Equatable {
            public var waiting: Reason?
            public var running: Running?
            public var terminated: Terminated?
        }

        public struct Reason: Decodable, Sendable, Equatable {
            public var reason: String?
            public var message: String?
        }

        public struct Running: Decodable, Sendable, Equatable {
            public var startedAt: String?
        }

        public struct Terminated: Decodable, Sendable, Equatable {
            public var exitCode: Int
            public var reason: String?
            public var message: String?
            public var finishedAt: String?
        }
    }
}

extension KubernetesPodList {
    /// Waiting reasons that no amount of waiting cures: the image or the pod's configuration is wrong.
    static let fatalWaitingReasons: Set<String> = [
        "ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName", "CreateContainerConfigError",
        "CreateContainerError",
    ]

    /// What the health wait needs about `service`, in the terms of a Swarm task: the newest pod that is not
    /// being deleted is the "task"; ready is "healthy"; each container restart seen since `since` is a
    /// failure (the restart count of a pod created since then, or its last termination if that is recent);
    /// CrashLoopBackOff is reported with Kubernetes' back-off, which grows 10 s, 20 s, 40 s … up to 5 min.
    public func snapshot(service: String, since: Date) -> ServiceSnapshot {
        guard let (pod, container) = current(service: service) else { return ServiceSnapshot() }
        var snapshot = ServiceSnapshot()
        if let container {
            let created = Self.date(pod.metadata.creationTimestamp)
            let last = container.lastState?.terminated
            let failure = last.map { "container exited with code \($0.exitCode)" + ($0.reason.map { " (\($0))" } ?? "") } ?? "container restarted"
            let backOff = container.state?.waiting.flatMap { $0.reason == "CrashLoopBackOff" ? $0.message : nil }
            let description = failure + (backOff.map { "; CrashLoopBackOff: \($0)" } ?? "")
            let count = created >= since ? container.restartCount : (Self.date(last?.finishedAt) >= since ? min(1, container.restartCount) : 0)
            snapshot.failuresSince = Array(repeating: failure, count: max(0, count - 1)) + (count > 0 ? [description] : [])
        }
        if let waiting = container?.state?.waiting, let reason = waiting.reason, Self.fatalWaitingReasons.contains(reason) {
            snapshot.taskState = SwarmTaskState.failed.rawValue
            snapshot.taskMessage = "\(reason): \(waiting.message ?? "")" + Self.hint(reason)
            return snapshot
        }
        switch pod.status?.phase {
        case "Running":
            snapshot.taskState = SwarmTaskState.running.rawValue
            snapshot.health = container?.ready == true ? HealthStatus.healthy.rawValue : HealthStatus.starting.rawValue
            if let waiting = container?.state?.waiting?.reason { snapshot.lastHealthOutput = waiting }
        case "Failed", "Succeeded":
            snapshot.taskState = SwarmTaskState.failed.rawValue
            snapshot.taskMessage = "pod \(pod.metadata.name) is \(pod.status?.phase ?? "")"
        default:
            // Pending: not scheduled yet (the reason says why: an unbound volume claim, no node…) or creating.
            let unscheduled = pod.status?.conditions?.first { $0.type == "PodScheduled" && $0.status == "False" }
            snapshot.taskState = unscheduled.map { "unschedulable: \($0.message ?? $0.reason ?? "")" }
                ?? container?.state?.waiting?.reason ?? SwarmTaskState.pending.rawValue
        }
        return snapshot
    }

    /// The service's newest pod that is not being deleted (the one that serves, or is to), and the status of
    /// the service's container in it.
    public func current(service: String) -> (pod: Pod, container: Pod.ContainerStatus?)? {
        let pods = items.filter { $0.metadata.labels?[KubernetesManifests.nameLabel] == service && $0.metadata.deletionTimestamp == nil }
        guard let pod = pods.max(by: { Self.date($0.metadata.creationTimestamp) < Self.date($1.metadata.creationTimestamp) }) else {
            return nil
        }
        return (pod, pod.container(service))
    }

    static func hint(_ reason: String) -> String {
        switch reason {
        case "ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName":
            return " (the cluster cannot get the image: setup loads it into minikube or kind, or pushes it to --registry, which the cluster must be able to pull from)"
        default:
            return " (see `kubectl describe pod --namespace \(KubernetesManifests.namespace)`)"
        }
    }

    /// RFC 3339 timestamps as Kubernetes writes them (`2025-01-02T03:04:05Z`); distant past when absent.
    static func date(_ text: String?) -> Date {
        timestamp(text) ?? .distantPast
    }

    /// An RFC 3339 timestamp of the pod status (whole seconds); nil when absent or unreadable.
    static func timestamp(_ text: String?) -> Date? {
        text.flatMap { ISO8601DateFormatter().date(from: $0) }
    }
}

extension KubernetesPodList.Pod {
    /// The status of the container named `name` (the service's), else of the pod's first container.
    public func container(_ name: String) -> ContainerStatus? {
        status?.containerStatuses?.first { $0.name == name } ?? status?.containerStatuses?.first
    }

    /// When the pod last became ready (its `Ready` condition turned true), nil when it is not ready.
    public var readySince: Date? {
        KubernetesPodList.timestamp(status?.conditions?.first { $0.type == "Ready" && $0.status == "True" }?.lastTransitionTime)
    }
}
