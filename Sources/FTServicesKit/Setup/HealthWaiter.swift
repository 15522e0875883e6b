import Foundation

/// Waits until every service of the stack is healthy, failing fast when one fails, and putting a service's
/// previous version back when its update fails (or lets the orchestrator do so and waits for it).
public struct HealthWaiter: Sendable {
    let observer: any StackObserving
    let pollInterval: Duration
    /// Extra seconds, once the deadline has passed, for the previous version of services whose update did
    /// not become healthy in time to be put back and to become healthy.
    let rollbackGrace: Double

    public init(observer: any StackObserving, pollInterval: Duration = .milliseconds(500), rollbackGrace: Double = 120) {
        self.observer = observer
        self.pollInterval = pollInterval
        self.rollbackGrace = rollbackGrace
    }

    /// A service whose new version failed: what it said, and whether the wait asked for the rollback.
    struct Rollback {
        var failed: String?
        /// The version put back, when the update said which it replaced.
        var previous: String?
        var reason: String
        var details: FailureDetails
        var requested: Bool
    }

    /// Polls until every service in `services` is healthy, or is healthy again on its previous version.
    /// - Parameters:
    ///   - since: when the deploy began; task failures before it are history, not this run's.
    ///   - report: called for every service on every poll, with `changed` true when its state or detail changed.
    /// - Throws: `WaitError` naming the service, its state, last health output and last log lines;
    ///   `WaitError.rolledBack` once every service is healthy but some only on their previous version.
    public func wait(
        for services: [String], since: Date, timeout: Double,
        report: @escaping @Sendable (ServiceProgress, _ changed: Bool) -> Void
    ) async throws {
        let start = Date()
        var deadline = timeout
        var last: [String: ServiceProgress] = [:]
        var rollbacks: [String: Rollback] = [:]
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
            var allDone = true
            for service in services {
                let snapshot = snapshots[service] ?? ServiceSnapshot()
                var progress = Self.progress(service: service, snapshot: snapshot, elapsed: elapsed)
                if rollbacks[service] == nil, let reason = Self.updateFailure(snapshot: snapshot, progress: progress) {
                    rollbacks[service] = try await beginRollback(service: service, snapshot: snapshot, reason: reason)
                }
                if let rollback = rollbacks[service] {
                    progress = Self.rollbackProgress(rollback, snapshot: snapshot, progress: progress, orchestratorDoesIt: observer.rollsBackOnItsOwn)
                } else if progress.state == .healthy, case .updating = snapshot.update, observer.rollsBackOnItsOwn {
                    // Swarm still counts a failure of the new task as the update's for a few seconds.
                    progress.state = .starting
                    progress.detail = "healthy; the update completes once it stays so"
                }
                let previous = last[service]
                // A healthy service keeps the time at which it became healthy.
                if progress.state == previous?.state, progress.state == .healthy || progress.state == .rolledBack, let previous {
                    progress.elapsed = previous.elapsed
                }
                report(progress, previous?.state != progress.state || previous?.detail != progress.detail)
                last[service] = progress
                switch progress.state {
                case .healthy, .skipped, .rolledBack: break
                case .failed, .unhealthy:
                    throw WaitError.serviceFailed(
                        service: service, state: progress.state.rawValue, detail: progress.detail,
                        health: snapshot.lastHealthOutput, logs: await observer.recentLogs(service: service, lines: 15),
                        firstDeploy: snapshot.update == .firstDeploy
                    )
                case .pending, .starting, .rollingBack: allDone = false
                }
            }
            if allDone {
                if rollbacks.isEmpty { return }
                throw WaitError.rolledBack(services.compactMap { service in
                    rollbacks[service].map {
                        WaitError.RolledBack(service: service, failed: $0.failed, restored: $0.previous ?? snapshots[service]?.version,
                                             reason: $0.reason, details: $0.details)
                    }
                })
            }
            if elapsed > deadline {
                // Updates that are not healthy by the deadline are given up once: their previous version gets
                // `rollbackGrace` seconds to serve again.
                let late = services.filter { service in
                    guard rollbacks[service] == nil, last[service]?.state != .healthy, case .updating = snapshots[service]?.update else { return false }
                    return true
                }
                if deadline == timeout, !late.isEmpty {
                    for service in late {
                        let snapshot = snapshots[service] ?? ServiceSnapshot()
                        var rollback = try await beginRollback(
                            service: service, snapshot: snapshot,
                            reason: "not healthy within \(Int(timeout)) s: \(last[service]?.detail ?? "")")
                        if !rollback.requested {
                            try await observer.rollBack(service: service)
                            rollback.requested = true
                        }
                        rollbacks[service] = rollback
                    }
                    deadline += rollbackGrace
                    continue
                }
                let waiting = services.filter { ![.healthy, .rolledBack].contains(last[$0]?.state) }
                var reports: [WaitError.Stuck] = []
                for service in waiting {
                    let snapshot = snapshots[service] ?? ServiceSnapshot()
                    let details: FailureDetails
                    if let rollback = rollbacks[service] {
                        details = rollback.details
                    } else {
                        details = FailureDetails(health: snapshot.lastHealthOutput, logs: await observer.recentLogs(service: service, lines: 15))
                    }
                    reports.append(WaitError.Stuck(
                        service: service, state: last[service]?.state.rawValue ?? "unknown", detail: last[service]?.detail ?? "",
                        health: details.health, logs: details.logs
                    ))
                }
                throw WaitError.timeout(seconds: deadline, services: reports)
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// Reads what the failed version said, then asks for the rollback unless the orchestrator does it itself
    /// (or already did).
    func beginRollback(service: String, snapshot: ServiceSnapshot, reason: String) async throws -> Rollback {
        let details = await observer.failureDetails(service: service, snapshot: snapshot, lines: 15)
        var failed = snapshot.version
        var previous: String?
        var requested = false
        switch snapshot.update {
        case .rollingBack(let version), .rolledBack(let version): failed = version
        case .updating(let version):
            previous = version
            if !observer.rollsBackOnItsOwn {
                try await observer.rollBack(service: service)
                requested = true
            }
        case .firstDeploy, nil: break
        }
        // A container stopped for its healthcheck ends like a stopped one ("finished", exit 0): say why.
        var reason = reason
        if details.healthStatus == HealthStatus.unhealthy.rawValue, !reason.hasPrefix("unhealthy") {
            reason = "unhealthy, so the orchestrator stopped it: " + Self.oneLine(details.health)
        }
        return Rollback(failed: failed, previous: previous, reason: reason, details: details, requested: requested)
    }
}
