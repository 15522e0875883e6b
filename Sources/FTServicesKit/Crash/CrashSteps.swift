import FTServicesCore
import Foundation

/// The steps every crash mode shares, so a mode only says how it crashes: wait until a service serves,
/// ask it its own checks, read its canary back, count what replaced the crashed container, explain a
/// recovery that failed, and say the phases in one line. Holds what those steps ask: the orchestrator,
/// the checks of `verify` and the canaries.
struct CrashSteps: Sendable {
    /// The orchestrator's side of a crash: containers, exec, restarts, redeploys, recovery phases.
    let runtime: any ServiceRuntime
    let verifier: Verifier
    let canaries: CanaryKeeper
    /// The full `verify` plan against the stack's address; each service's recovery is judged by its checks.
    let checks: [CheckSpec]

    /// Waits until the service has a running, healthy container and answers its checks; the failure otherwise.
    func waitUntilServing(_ service: ServiceName, deadline: Duration) async -> String? {
        let end = Date().addingTimeInterval(deadline.timeInterval)
        var last = "no running container"
        repeat {
            do {
                let container = try await runtime.runningContainer(service)
                if let health = container.health {
                    if health == HealthStatus.healthy.rawValue {
                        guard let failure = await answer(service) else { return nil }
                        last = failure
                    } else {
                        last = "\(container.label) is \(health)"
                    }
                }
            } catch {
                if runtime.orchestrator == .kubernetes { last = "\(error)" }
            }
            try? await Task.sleep(for: .milliseconds(250))
        } while Date() < end
        return "\(last) after \(Verifier.seconds(deadline))"
    }

    /// `nil` when the service answers its real protocol checks (those of `verify` for it; for MariaDB, which
    /// publishes nothing, a query inside its container), else what failed.
    func answer(_ service: ServiceName) async -> String? {
        let own = checks.filter {
            if case .notReachable = $0.probe { return false }
            return $0.service == service
        }
        if service == .mysql {
            do {
                let result = try await canaries.sql(service, "SELECT 1")
                return result.trimmingCharacters(in: .whitespacesAndNewlines) == "1" ? nil : "SELECT 1 returned \(result)"
            } catch {
                return "\(error)"
            }
        }
        let results = await verifier.run(own)
        return results.first { !$0.pass }.map { "\($0.name): \($0.observed)" }
    }

    /// Reads the canary back (retrying for a few seconds while a just-recovered store settles).
    func readBack(_ canary: CanaryKeeper.Canary, service: ServiceName, recovered: Bool) async -> CanaryOutcome {
        var outcome = CanaryOutcome(kind: canary.kind, state: .lost, detail: "")
        for attempt in 0..<10 {
            do {
                if try await canaries.isPresent(canary, in: service) {
                    await canaries.remove(canary, from: service)
                    return CanaryOutcome(kind: canary.kind, state: .intact, detail: "\(canary.kind.noun) \(canary.value) read back")
                }
                outcome.detail = "\(canary.kind.noun) \(canary.value) is gone after the crash"
            } catch {
                outcome.state = recovered ? .lost : .unwritten
                outcome.detail = "could not read \(canary.kind.noun) \(canary.value) back: \(error)"
            }
            if attempt < 9 { try? await Task.sleep(for: .milliseconds(500)) }
        }
        return outcome
    }

    /// Asks the orchestrator what replaced the crashed instance since the crash (Swarm: the tasks created
    /// since and how the crashed task ended; Kubernetes: the container's restarts in its pod, or a new pod)
    /// and records a problem when that differs from what the run's mode expects.
    func countRestarts(_ run: inout CrashRun, since crashedAt: Date, crashed: RunningContainer?) async {
        let expected = run.mode.expectedRestarts
        let expectedState = run.mode.expectedCrashedTaskState
        var replaced = Replacements(started: 0)
        for attempt in 0..<20 {
            replaced = (try? await runtime.replacements(run.service, since: crashedAt, crashed: crashed)) ?? Replacements(started: 0)
            if replaced.settled, replaced.started >= (expected ?? 0) { break }
            if attempt < 19 { try? await Task.sleep(for: .milliseconds(250)) }
        }
        run.restarts = replaced.started
        run.crashedTaskState = replaced.crashedState
        if let expected, replaced.started != expected {
            let errors = replaced.failedStarts.map { "\"\($0)\"" }
            run.problems.append("\(runtime.orchestrator == .kubernetes ? "Kubernetes" : "Swarm") started \(replaced.started) "
                                + "new container\(replaced.started == 1 ? "" : "s") after the crash, expected exactly \(expected)"
                                + (errors.isEmpty ? "" : " (failed starts: \(errors.joined(separator: ", ")))"))
        }
        if let expectedState, let state = replaced.crashedState, state != expectedState {
            run.problems.append("the crashed task ended \(state), expected \(expectedState)"
                                + (expectedState == SwarmTaskState.failed.rawValue ? " (`status` counts a restart for failed tasks only)" : ""))
        }
    }

    /// Why a service did not come back in time, with what the orchestrator shows.
    func notRecovered(_ service: ServiceName, phases: RecoveryPhases, answering: Bool, lastAnswer: String,
                      deadline: Duration) async -> String {
        let within = "did not recover within \(Verifier.seconds(deadline))"
        guard phases.running != nil else {
            var why = "no new container started"
            let reason = await runtime.whyNotRunning(service)
            if let reason { why += " (\(reason))" }
            if let backOff = phases.backOff, reason?.contains("CrashLoopBackOff") != true {
                why += "; Kubernetes held its restart back (CrashLoopBackOff: \(backOff))"
            }
            return "\(within): \(why)"
        }
        if !answering { return "\(within): not answering: \(lastAnswer)" }
        return "\(within): answering but never reported healthy"
    }

    /// "exited 31 ms, running 1.20 s, answering 1.35 s, healthy 3.30 s".
    static func phaseLine(_ run: CrashRun) -> String {
        [("exited", run.exitedMs), ("running", run.runningMs), ("answering", run.answeringMs), ("healthy", run.healthyMs)]
            .map { "\($0.0) \($0.1.map(CrashReport.duration) ?? "-")" }.joined(separator: ", ")
    }
}
