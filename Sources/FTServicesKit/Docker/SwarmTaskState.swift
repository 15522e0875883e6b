/// The states of a Swarm task as the Engine API spells them (`Status.State`, `DesiredState`), named once;
/// Kubernetes' pod status is said in the same words where `setup` and `status` show it.
public enum SwarmTaskState: String, Sendable, CaseIterable {
    case new, pending, assigned, accepted, preparing, starting, running
    case complete, shutdown, failed, rejected, remove, orphaned

    /// The states of a task that failed: `status` counts them as restarts, `setup` as failures.
    public static let failedStates: Set<String> = [failed.rawValue, rejected.rawValue]

    /// The states of a task that has not ended yet (it is on its way to running, or runs).
    public static let liveStates: Set<String> = Set([new, pending, assigned, accepted, preparing, starting, running].map(\.rawValue))
}
