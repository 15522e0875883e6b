import FTServicesCore
import Foundation

/// A mode that crashes one service's container at a time (``KillCrash``, ``RedeployCrash``). The run around
/// the crash is the same for both and written here once: wait until the service serves, write its canary,
/// follow its recovery on the orchestrator, time when it answers, read the canary back, count restarts.
protocol ContainerCrashStrategy: CrashStrategy {
    var steps: CrashSteps { get }

    /// Crashes `container`, the running container of `target.service`, and records what it did in `run`;
    /// returns what to show as progress ("sent SIGKILL to mariadbd (pid 42) in ftservices_mysql").
    func crash(_ target: CrashTarget, in container: RunningContainer, run: inout CrashRun,
               options: CrashTester.Options) async throws -> String
}

extension ContainerCrashStrategy {
    /// Every target crashed `options.repeatCount` times, one crash after the other.
    func crash(_ targets: [CrashTarget], options: CrashTester.Options,
               progress: @escaping @Sendable (String) -> Void) async throws -> [CrashRun] {
        var runs: [CrashRun] = []
        for target in targets {
            for iteration in 1...max(1, options.repeatCount) {
                runs.append(await crashOnce(target, iteration: iteration, options: options, progress: progress))
            }
        }
        return runs
    }

    /// One crash of one service, start to finish; every failure is a problem of the run.
    func crashOnce(_ target: CrashTarget, iteration: Int, options: CrashTester.Options,
                   progress: @Sendable (String) -> Void) async -> CrashRun {
        let service = target.service
        let runtime = steps.runtime
        var run = CrashSteps.newRun(service, mode: options.mode, iteration: iteration, process: target.process,
                                    signal: options.mode == .kill ? options.signal.name : nil)
        let label = "\(service.rawValue)\(options.repeatCount > 1 ? " #\(iteration)" : "")"

        if let notReady = await steps.waitUntilServing(service, deadline: options.deadline) {
            run.problems.append("not serving before the crash, so not crashed: \(notReady)")
            return run
        }
        let canary = await steps.writeCanary(into: &run, before: "the crash")
        guard let old = try? await runtime.runningContainer(service) else {
            run.problems.append("no running container to crash")
            return run
        }

        let crashedAt = Date()
        let watch = runtime.watchRecovery(service, from: old, crashAt: crashedAt)
        do {
            progress("\(label): " + (try await crash(target, in: old, run: &run, options: options)))
        } catch {
            watch.stop()
            run.problems.append("\(error)")
            return run
        }

        let deadline = Date().addingTimeInterval(options.deadline.timeInterval)
        var answeringAt: Date?
        var lastAnswer = "no new container yet"
        var phases = RecoveryPhases()
        while Date() < deadline {
            phases = watch.phases
            if phases.running != nil, answeringAt == nil {
                if let failure = await steps.answer(service) { lastAnswer = failure } else { answeringAt = Date() }
            }
            if answeringAt != nil, phases.healthy != nil { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        phases = watch.phases
        watch.stop()
        await steps.record(phases, answeringAt: answeringAt, lastAnswer: lastAnswer, since: crashedAt, deadline: options.deadline, into: &run)
        progress("\(label): " + CrashSteps.phaseLine(run))
        await steps.checkCanary(canary, in: &run)
        await steps.countRestarts(&run, since: crashedAt, crashed: old)
        return run
    }
}
