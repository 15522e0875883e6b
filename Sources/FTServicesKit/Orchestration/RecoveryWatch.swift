import Foundation

/// When each phase of a service's recovery from a crash happened.
public struct RecoveryPhases: Sendable, Equatable {
    /// The crashed container exited (Swarm: its `die` event; Kubernetes: its termination in the pod status).
    public var exited: Date?
    /// The newest other container started, the one that is to serve.
    public var running: Date?
    /// Its ``RunningContainer/id``.
    public var runningContainer: String?
    /// It first reported healthy (Kubernetes: ready).
    public var healthy: Date?
    /// Kubernetes held a restart back (CrashLoopBackOff), with its own message ("back-off 20s restarting
    /// failed container=…"); the running time then includes that delay.
    public var backOff: String?

    public init(exited: Date? = nil, running: Date? = nil, runningContainer: String? = nil, healthy: Date? = nil, backOff: String? = nil) {
        self.exited = exited
        self.running = running
        self.runningContainer = runningContainer
        self.healthy = healthy
        self.backOff = backOff
    }
}

/// Follows one service after a crash, in the background, until stopped: ``SwarmPhaseWatch`` from Docker's event
/// stream, ``KubernetesRecoveryWatch`` by polling the pod status.
public protocol RecoveryWatch: AnyObject, Sendable {
    /// The phases seen so far.
    var phases: RecoveryPhases { get }
    func stop()
}
