import FTServicesCore
import Foundation

/// What ``SetupPipeline`` hands to the orchestrator once the images are built.
public struct DeploymentRequest: Sendable {
    /// The address the stack is deployed for.
    public var address: String
    /// The services to deploy (every one, or every one but Grafana).
    public var services: [ServiceName]
    /// The content hash of every image, which its tag names.
    public var hashes: [ImageName: String]
    /// The secrets `services` mount, sorted; their values are in `state`.
    public var secrets: [SecretKey]
    /// The saved state, with every secret in `secrets` generated.
    public var state: StackState
    /// Seconds to wait for every service to become healthy.
    public var timeout: Double
    /// Where the deployment says it deploys, then waits.
    public var steps: SetupSteps = SetupSteps()
}

/// The part of `setup` that differs between orchestrators: the checks before anything is rendered, deploying
/// the built images, and what the wait until every service is healthy observes. ``SetupPipeline`` does the rest.
public protocol StackDeployment: Sendable {
    /// What `prepare` found out and `deploy` needs (Kubernetes: the shared address and where the images go).
    associatedtype Target: Sendable

    /// Checks made before anything is rendered or built (Kubernetes: the kubectl context and the cluster).
    func prepare(address requested: String?) async throws -> Target
    /// The address the stack is deployed for (asked once the local engine answered).
    func address(requested: String?, target: Target) -> String
    /// Deploys the built images of `request.services`, waits until every one is healthy, and returns the
    /// address the stack answers on.
    func deploy(_ request: DeploymentRequest, to target: Target) async throws -> String

    /// Reads the deployed services' state for the wait.
    var observer: any StackObserving { get }
    /// How often the wait polls `observer`.
    var pollInterval: Duration { get }
    /// Where the wait reports each service's progress.
    var progress: any SetupProgress { get }
}

extension StackDeployment {
    /// The wait both orchestrators share: `phase`, then every service's progress until all are healthy
    /// (failures of tasks or pods older than `since` are history, not this run's). A service whose update
    /// fails gets its previous version back (``HealthWaiter``), and the wait then throws `WaitError.rolledBack`.
    /// - Parameter observer: what the wait reads (default: ``observer``).
    func waitUntilHealthy(_ services: [ServiceName], phase: String, since: Date, timeout: Double,
                          observer: (any StackObserving)? = nil) async throws {
        progress.phase(phase)
        let progress = self.progress
        try await HealthWaiter(observer: observer ?? self.observer, pollInterval: pollInterval).wait(
            for: services.map(\.rawValue), since: since.addingTimeInterval(-1), timeout: timeout
        ) { service, changed in progress.service(service, changed: changed) }
        progress.finish()
    }
}
