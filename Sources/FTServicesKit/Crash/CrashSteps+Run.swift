import FTServicesCore
import Foundation

/// The bookkeeping of a crash run that every mode does the same way: the run before the crash, its canary,
/// the phases after it, and the canary read back.
extension CrashSteps {
    /// A new run of `service`, its canary not written yet (`none` for a service that keeps no data).
    static func newRun(_ service: ServiceName, mode: CrashMode, iteration: Int, process: String? = nil, signal: String? = nil) -> CrashRun {
        let kind = CanaryKind.of(service)
        return CrashRun(service: service, mode: mode, iteration: iteration, process: process, signal: signal,
                        canary: CanaryOutcome(kind: kind, state: kind == .none ? .none : .unwritten, detail: kind.noun))
    }

    /// Writes the canary of `run`'s service when it keeps data, and notes it in `run`; a canary that cannot be
    /// written is a problem of the run "before `event`" ("the crash", "the restart").
    func writeCanary(into run: inout CrashRun, before event: String) async -> CanaryKeeper.Canary? {
        let kind = run.canary.kind
        guard kind != .none else { return nil }
        do {
            let canary = try await canaries.write(run.service)
            run.canary.detail = "\(kind.noun) \(canary.value)"
            return canary
        } catch {
            run.canary.detail = "\(error)"
            run.problems.append("the canary could not be written before \(event): \(error)")
            return nil
        }
    }

    /// Records when each phase came after `crashedAt` and, when the service did not both answer and report
    /// healthy, why it did not recover within `deadline`.
    func record(_ phases: RecoveryPhases, answeringAt: Date?, lastAnswer: String, since crashedAt: Date, deadline: Duration,
                into run: inout CrashRun) async {
        run.exitedMs = phases.exited.map { CrashRun.milliseconds(from: crashedAt, to: $0) }
        run.runningMs = phases.running.map { CrashRun.milliseconds(from: crashedAt, to: $0) }
        run.healthyMs = phases.healthy.map { CrashRun.milliseconds(from: crashedAt, to: $0) }
        run.answeringMs = answeringAt.map { CrashRun.milliseconds(from: crashedAt, to: $0) }
        if answeringAt == nil || phases.healthy == nil {
            run.problems.append(await notRecovered(run.service, phases: phases, answering: answeringAt != nil, lastAnswer: lastAnswer,
                                                   deadline: deadline))
        } else if let backOff = phases.backOff {
            run.note("Kubernetes held the restart back (CrashLoopBackOff: \(backOff)); the running time includes that delay")
        }
    }

    /// Reads `canary` back into `run` (nothing to do without one); a lost canary is a problem of the run.
    func checkCanary(_ canary: CanaryKeeper.Canary?, in run: inout CrashRun) async {
        guard let canary else { return }
        run.canary = await readBack(canary, service: run.service, recovered: run.problems.isEmpty)
        if run.canary.state == .lost { run.problems.append("canary lost: \(run.canary.detail)") }
    }
}
