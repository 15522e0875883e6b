import Foundation

/// What the engine says about one service's newest task, read fresh on every poll.
public struct ServiceSnapshot: Sendable, Equatable {
    /// The newest task's state (`pending`, `starting`, `running`, `failed`, ...); nil when it has none.
    public var taskState: String?
    /// The newest task's error or status message.
    public var taskMessage: String?
    /// The container's health (`starting`, `healthy`, `unhealthy`); nil without a container or healthcheck.
    public var health: String?
    /// The last healthcheck's output.
    public var lastHealthOutput: String?
    /// Tasks of this service created after the wait began that failed or were rejected, with their errors.
    public var failuresSince: [String]

    public init(taskState: String? = nil, taskMessage: String? = nil, health: String? = nil, lastHealthOutput: String? = nil, failuresSince: [String] = []) {
        self.taskState = taskState
        self.taskMessage = taskMessage
        self.health = health
        self.lastHealthOutput = lastHealthOutput
        self.failuresSince = failuresSince
    }
}

/// Reads a deployed service's state (the Engine API in production, a fake in tests).
public protocol StackObserving: Sendable {
    func snapshot(service: String, since: Date) async throws -> ServiceSnapshot
    func recentLogs(service: String, lines: Int) async -> String
}

/// Waits until every service of the stack is healthy, failing fast when one fails.
public struct HealthWaiter: Sendable {
    let observer: any StackObserving
    let pollInterval: Duration

    public init(observer: any StackObserving, pollInterval: Duration = .milliseconds(500)) {
        self.observer = observer
        self.pollInterval = pollInterval
    }

    /// Polls until every service in `services` is healthy.
    /// - Parameters:
    ///   - since: when the deploy began; task failures before it are history, not this run's.
    ///   - report: called for every service on every poll, with `changed` true when its state or detail changed.
    /// - Throws: `WaitError` naming the service, its state, last health output and last log lines.
    public func wait(
        for services: [String], since: Date, timeout: Double,
        report: @escaping @Sendable (ServiceProgress, _ changed: Bool) -> Void
    ) async throws {
        let start = Date()
        var last: [String: ServiceProgress] = [:]
        while true {
            let snapshots = try await withThrowingTaskGroup(of: (String, ServiceSnapshot).self) { group in
                for service in services {
                    group.addTask { (service, try await observer.snapshot(service: service, since: since)) }
                }
                var result: [String: ServiceSnapshot] = [:]
                for try await (service, snapshot) in group { result[service] = snapshot }
                return result
            }
            let elapsed = Date().timeIntervalSince(start)
            var allHealthy = true
            for service in services {
                let snapshot = snapshots[service] ?? ServiceSnapshot()
                var progress = Self.progress(service: service, snapshot: snapshot, elapsed: elapsed)
                let previous = last[service]
                // A healthy service keeps the time at which it became healthy.
                if progress.state == .healthy, previous?.state == .healthy, let previous { progress.elapsed = previous.elapsed }
                report(progress, previous?.state != progress.state || previous?.detail != progress.detail)
                last[service] = progress
                switch progress.state {
                case .healthy, .skipped: break
                case .failed, .unhealthy:
                    throw WaitError.serviceFailed(
                        service: service, state: progress.state.rawValue, detail: progress.detail,
                        health: snapshot.lastHealthOutput, logs: await observer.recentLogs(service: service, lines: 15)
                    )
                case .pending, .starting: allHealthy = false
                }
            }
            if allHealthy { return }
            if elapsed > timeout {
                let waiting = services.filter { last[$0]?.state != .healthy }
                var reports: [WaitError.Stuck] = []
                for service in waiting {
                    let snapshot = snapshots[service] ?? ServiceSnapshot()
                    reports.append(WaitError.Stuck(
                        service: service, state: last[service]?.state.rawValue ?? "unknown", detail: last[service]?.detail ?? "",
                        health: snapshot.lastHealthOutput, logs: await observer.recentLogs(service: service, lines: 15)
                    ))
                }
                throw WaitError.timeout(seconds: timeout, services: reports)
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// Task failures a service may have before the wait gives up on it. Swarm restarts a failed task at
    /// once, and Docker 20.10 sometimes fails a container start for reasons of its own (moby#48783,
    /// "unable to remount dir as readonly ... device or resource busy"), so one failure is not a verdict;
    /// a service whose container keeps exiting reaches this in a few seconds.
    static let failuresBeforeGivingUp = 3

    /// Maps what the engine says to a progress state.
    static func progress(service: String, snapshot: ServiceSnapshot, elapsed: Double) -> ServiceProgress {
        if snapshot.failuresSince.count >= failuresBeforeGivingUp, let failure = snapshot.failuresSince.last {
            return ServiceProgress(service: service, state: .failed,
                                   detail: "\(snapshot.failuresSince.count) tasks failed, the last: \(failure)", elapsed: elapsed)
        }
        if let failure = snapshot.failuresSince.last, snapshot.taskState != SwarmTaskState.running.rawValue || snapshot.health != HealthStatus.healthy.rawValue {
            return ServiceProgress(service: service, state: .starting, detail: "restarting after: \(failure)", elapsed: elapsed)
        }
        guard let taskState = snapshot.taskState else {
            return ServiceProgress(service: service, state: .pending, detail: "no task yet", elapsed: elapsed)
        }
        switch taskState {
        case SwarmTaskState.running.rawValue:
            switch snapshot.health {
            case HealthStatus.healthy.rawValue: return ServiceProgress(service: service, state: .healthy, detail: "", elapsed: elapsed)
            case HealthStatus.unhealthy.rawValue:
                return ServiceProgress(service: service, state: .unhealthy, detail: Self.oneLine(snapshot.lastHealthOutput), elapsed: elapsed)
            default:
                let output = Self.oneLine(snapshot.lastHealthOutput)
                return ServiceProgress(service: service, state: .starting, detail: output.isEmpty ? "health: starting" : output, elapsed: elapsed)
            }
        case SwarmTaskState.failed.rawValue, SwarmTaskState.rejected.rawValue:
            return ServiceProgress(service: service, state: .failed, detail: snapshot.taskMessage ?? taskState, elapsed: elapsed)
        default:
            return ServiceProgress(service: service, state: .pending, detail: taskState == SwarmTaskState.pending.rawValue ? "" : taskState, elapsed: elapsed)
        }
    }

    static func oneLine(_ text: String?) -> String {
        let line = (text ?? "").split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        return line.trimmingCharacters(in: .whitespaces)
    }
}

/// The stack did not become healthy.
public enum WaitError: Error, CustomStringConvertible, LocalizedError {
    public struct Stuck: Sendable {
        public var service: String
        public var state: String
        public var detail: String
        public var health: String?
        public var logs: String
    }

    case serviceFailed(service: String, state: String, detail: String, health: String?, logs: String)
    case timeout(seconds: Double, services: [Stuck])

    public var description: String {
        switch self {
        case .serviceFailed(let service, let state, let detail, let health, let logs):
            return "service \(service) is \(state): \(detail)" + Self.diagnostics(health: health, logs: logs)
                + "\n  inspect it with `ftservices logs \(service)` and `ftservices status`; fix the cause and run setup again."
        case .timeout(let seconds, let services):
            var text = "not every service became healthy within \(Int(seconds)) s:"
            for stuck in services {
                text += "\n- \(stuck.service): \(stuck.state)" + (stuck.detail.isEmpty ? "" : " (\(stuck.detail))")
                text += Self.diagnostics(health: stuck.health, logs: stuck.logs)
            }
            return text + "\n  a slow machine may need more time: ftservices setup --timeout 600; otherwise see `ftservices logs SERVICE`."
        }
    }

    public var errorDescription: String? { description }

    static func diagnostics(health: String?, logs: String) -> String {
        var text = ""
        if let health, !health.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            text += "\n  last health check: " + health.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: " | ")
        }
        let lines = logs.split(separator: "\n").suffix(15)
        if !lines.isEmpty {
            text += "\n  last log lines:\n" + lines.map { "    " + $0 }.joined(separator: "\n")
        }
        return text
    }
}
