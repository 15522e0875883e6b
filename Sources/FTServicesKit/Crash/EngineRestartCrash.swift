import FTServicesCore
import Foundation

/// `crashtest --mode engine`: the engine restarted under the whole stack (the Docker daemon, through the
/// runtime's ``EngineRestarting``). Every chosen service gets a canary first; after the restart each one's
/// phases are polled (the event stream does not survive its daemon) until it runs a new container, answers
/// and is healthy, and its canary is read back.
struct EngineRestartCrash: CrashStrategy {
    let steps: CrashSteps
    let restarter: any EngineRestarting

    func crash(_ targets: [CrashTarget], options: CrashTester.Options,
               progress: @escaping @Sendable (String) -> Void) async throws -> [CrashRun] {
        let runtime = steps.runtime
        let services = targets.map(\.service)
        var runs: [ServiceName: CrashRun] = [:]
        var canaries: [ServiceName: CanaryKeeper.Canary] = [:]
        var old: [ServiceName: String] = [:]
        for service in services {
            let kind = CanaryKind.of(service)
            var run = CrashRun(service: service, mode: .engine, iteration: 1,
                               canary: CanaryOutcome(kind: kind, state: kind == .none ? .none : .unwritten, detail: kind.noun))
            if let notReady = await steps.waitUntilServing(service, deadline: options.deadline) {
                run.problems.append("not serving before the restart: \(notReady)")
            }
            if kind != .none, run.problems.isEmpty {
                do {
                    let canary = try await steps.canaries.write(service)
                    canaries[service] = canary
                    run.canary.detail = "\(kind.noun) \(canary.value)"
                } catch {
                    run.canary.detail = "\(error)"
                    run.problems.append("the canary could not be written before the restart: \(error)")
                }
            }
            old[service] = try? await runtime.runningContainer(service).id
            runs[service] = run
        }

        let crashedAt = Date()
        progress("restarting the Docker daemon")
        let restart = try await restarter.restartEngine()
        progress("the Docker daemon answers again after \(CrashReport.duration(CrashRun.milliseconds(from: crashedAt, to: restart.back)))")

        var running: [ServiceName: Date] = [:]
        var healthy: [ServiceName: Date] = [:]
        var answering: [ServiceName: Date] = [:]
        var lastAnswer: [ServiceName: String] = [:]
        let deadline = Date().addingTimeInterval(options.deadline.timeInterval)
        while Date() < deadline, services.contains(where: { healthy[$0] == nil || answering[$0] == nil }) {
            for service in services where healthy[service] == nil || answering[service] == nil {
                guard let container = try? await runtime.runningContainer(service), container.id != old[service] else { continue }
                if running[service] == nil {
                    running[service] = container.startedAt ?? Date()
                }
                if healthy[service] == nil, container.health == HealthStatus.healthy.rawValue {
                    healthy[service] = Date()
                }
                if answering[service] == nil {
                    if let failure = await steps.answer(service) { lastAnswer[service] = failure } else { answering[service] = Date() }
                }
            }
            try? await Task.sleep(for: .milliseconds(200))
        }

        var result: [CrashRun] = []
        for service in services {
            guard var run = runs[service] else { continue }
            run.exitedMs = restart.stopped.map { CrashRun.milliseconds(from: crashedAt, to: $0) }
            run.runningMs = running[service].map { CrashRun.milliseconds(from: crashedAt, to: $0) }
            run.healthyMs = healthy[service].map { CrashRun.milliseconds(from: crashedAt, to: $0) }
            run.answeringMs = answering[service].map { CrashRun.milliseconds(from: crashedAt, to: $0) }
            if answering[service] == nil || healthy[service] == nil {
                let phases = RecoveryPhases(running: running[service], healthy: healthy[service])
                run.problems.append(await steps.notRecovered(service, phases: phases, answering: answering[service] != nil,
                                                             lastAnswer: lastAnswer[service] ?? "no new container yet",
                                                             deadline: options.deadline))
            }
            if let canary = canaries[service] {
                run.canary = await steps.readBack(canary, service: service, recovered: run.problems.isEmpty)
                if run.canary.state == .lost { run.problems.append("canary lost: \(run.canary.detail)") }
            }
            await steps.countRestarts(&run, since: crashedAt, crashed: old[service].map {
                RunningContainer(id: $0, health: nil, startedAt: nil, label: "container \($0.prefix(12))")
            })
            progress("\(service.rawValue): " + CrashSteps.phaseLine(run))
            result.append(run)
        }
        return result
    }
}
