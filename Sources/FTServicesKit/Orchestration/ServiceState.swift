/// What the orchestrator says about one service of the stack, so `verify` can explain a failing check
/// ("ftservices_ftps is scaled to 0 replicas") whichever orchestrator runs it.
public enum ServiceState: Sendable, Equatable {
    /// The orchestrator has no service of the stack at all.
    case noStack
    /// The stack is deployed without this service (Grafana when setup had no Grafana image).
    case notDeployed
    case scaledToZero
    /// Its current task or container is not running (`starting`, `failed: ...`, `waiting: CrashLoopBackOff (…)`).
    case notRunning(String)
    /// Running, publishing these ports (Swarm; Kubernetes publishes through Services and says none).
    case running(published: [Int])
}
