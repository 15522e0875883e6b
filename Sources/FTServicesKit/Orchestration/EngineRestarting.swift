/// A runtime that can restart the container engine under the whole stack, for `crashtest --mode engine`:
/// Swarm restarts the local Docker daemon; Kubernetes offers no such thing (restarting a node's kubelet or
/// container runtime is the cluster's business), so its ``ServiceRuntime/engineRestarter`` is nil.
public protocol EngineRestarting: Sendable {
    /// Restarts the engine and returns once it answers again, with when it stopped and when it answered;
    /// throws ``CrashTestError/engineRestart(_:)`` naming what went wrong and what to do.
    func restartEngine() async throws(CrashTestError) -> EngineRestart
}
