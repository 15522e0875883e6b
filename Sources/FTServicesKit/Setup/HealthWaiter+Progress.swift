import Foundation

extension HealthWaiter {
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

    /// Why the new version of an updated service is given up, or nil while it is not: the orchestrator
    /// rolls it back (or did), or its task failed or turned unhealthy (which ends the wait for a service
    /// deployed for the first time).
    static func updateFailure(snapshot: ServiceSnapshot, progress: ServiceProgress) -> String? {
        switch snapshot.update {
        case .rollingBack, .rolledBack:
            return snapshot.failuresSince.last ?? "the orchestrator rolled it back"
        case .updating:
            guard progress.state == .failed || progress.state == .unhealthy else { return nil }
            return progress.state == .unhealthy ? "unhealthy: \(progress.detail)" : progress.detail
        case .firstDeploy, nil:
            return nil
        }
    }

    /// A rolled-back service's progress: rolling back until its previous version is healthy (on an
    /// orchestrator that rolls back itself, once it says the rollback is done), then rolled back. The new
    /// version's failures do not count against the previous one.
    static func rollbackProgress(_ rollback: Rollback, snapshot: ServiceSnapshot, progress: ServiceProgress,
                                 orchestratorDoesIt: Bool) -> ServiceProgress {
        let healthy = snapshot.taskState == SwarmTaskState.running.rawValue && snapshot.health == HealthStatus.healthy.rawValue
        var putBack = rollback.requested || !orchestratorDoesIt
        if case .rolledBack = snapshot.update { putBack = true }
        var result = progress
        let failed = "\(rollback.failed ?? "the new version") failed: \(rollback.reason)"
        if healthy, putBack {
            result.state = .rolledBack
            result.detail = "previous version healthy again; " + failed
        } else {
            result.state = .rollingBack
            result.detail = failed
        }
        return result
    }
}
