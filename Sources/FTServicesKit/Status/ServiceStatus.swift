import Foundation

/// One row of `ftservices status`.
public struct ServiceStatus: Codable, Sendable, Equatable {
    public var service: String
    /// The newest task's state (`running`, `starting`, ...) or `not deployed`.
    public var state: String
    /// The container's health (`healthy`, `starting`, `unhealthy`) or `-`.
    public var health: String
    /// How many of the service's tasks failed and were replaced (a crash, a failed healthcheck), from the
    /// task history Swarm keeps (100 per service when ftservices created the Swarm). Updates are not counted.
    /// On Kubernetes: the restart count of the service's container in its current pod.
    public var restarts: Int
    public var ports: [Int]
    /// The last health check's output when the service is not healthy; what failed when it was rolled back.
    public var detail: String?
    /// The version (image) whose update failed when the service was rolled back to its previous one: it runs
    /// the previous version until the next setup deploys a good one.
    public var rolledBackFrom: String?
    /// The latest CPU use of the service's own processes as its metrics agent reported it to InfluxDB,
    /// in percent of one core; nil when InfluxDB has no recent point (or cannot be asked).
    public var cpuPercent: Double?
    /// The latest resident memory of the service's own processes, in bytes (same source).
    public var memoryBytes: Double?
}
