/// A container's health as the tool names it, on either orchestrator: Docker's healthcheck status, or
/// Kubernetes' readiness said the same way (ready is `healthy`, started but not ready `unhealthy`). The raw
/// values are what `status`, `setup` and `crashtest` print and compare, so they are spelled here once.
public enum HealthStatus: String, Sendable, CaseIterable {
    case healthy
    case starting
    case unhealthy
    /// The container has no healthcheck.
    case noHealthcheck = "none"
}
