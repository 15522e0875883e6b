import Foundation

/// One crash of one service and its recovery, as `crashtest --json` prints it.
///
/// Phase times are milliseconds after the crash (the signal sent, the update requested, the engine
/// stopping); `nil` when the phase was not reached before the deadline.
public struct CrashRun: Sendable, Codable, Equatable {
    public var service: ServiceName
    public var mode: CrashMode
    /// 1-based, for `--repeat`.
    public var iteration: Int
    /// The process signalled (kill mode) and its PID inside the container.
    public var process: String?
    public var signal: String?
    public var pid: Int?
    /// The old container exited (Swarm: its `die` event; Kubernetes: its termination in the pod status).
    public var exitedMs: Double?
    /// The new container started (Swarm: the `start` event of the container that went on to serve;
    /// Kubernetes: its `startedAt`).
    public var runningMs: Double?
    /// The service's real protocol checks (those of `verify`) pass again.
    public var answeringMs: Double?
    /// Docker reports the new container healthy (`health_status: healthy`); Kubernetes reports it ready.
    public var healthyMs: Double?
    public var canary: CanaryOutcome
    /// Tasks Swarm started for the service after the crash: 1 when it replaced the crashed task once;
    /// more when a replacement failed to start and was replaced in turn.
    public var restarts: Int
    /// How the crashed task ended: `failed` after a kill (what `status` counts as a restart), `shutdown`
    /// after an update.
    public var crashedTaskState: String?
    /// Everything that makes this run fail; empty when it passed.
    public var problems: [String]
    /// What the reader should know that does not fail the run (Kubernetes' CrashLoopBackOff delay); absent when none.
    public var notes: [String]?

    public init(service: ServiceName, mode: CrashMode, iteration: Int, process: String? = nil, signal: String? = nil,
                pid: Int? = nil, exitedMs: Double? = nil, runningMs: Double? = nil, answeringMs: Double? = nil,
                healthyMs: Double? = nil, canary: CanaryOutcome, restarts: Int = 0, crashedTaskState: String? = nil,
                problems: [String] = []) {
        self.service = service
        self.mode = mode
        self.iteration = iteration
        self.process = process
        self.signal = signal
        self.pid = pid
        self.exitedMs = exitedMs
        self.runningMs = runningMs
        self.answeringMs = answeringMs
        self.healthyMs = healthyMs
        self.canary = canary
        self.restarts = restarts
        self.crashedTaskState = crashedTaskState
        self.problems = problems
    }

    /// Adds a note (see `notes`).
    public mutating func note(_ text: String) {
        notes = (notes ?? []) + [text]
    }

    /// True when nothing went wrong: recovered in time, canary not lost, restarts as expected.
    public var passed: Bool { problems.isEmpty }

    /// Milliseconds between two instants, rounded to a tenth.
    public static func milliseconds(from start: Date, to end: Date) -> Double {
        ((end.timeIntervalSince(start) * 1000) * 10).rounded() / 10
    }
}

/// A service `crashtest` did not test, and why (Grafana when it is not deployed).
public struct CrashSkip: Sendable, Codable, Equatable {
    public var service: ServiceName
    public var reason: String

    public init(service: ServiceName, reason: String) {
        self.service = service
        self.reason = reason
    }
}
