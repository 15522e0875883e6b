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
            var run = CrashSteps.newRun(service, mode: .engine, iteration: 1)
            if let notReady = await steps.waitUntilServing(service, deadline: options.deadline) {
                run.problems.append("not serving before the restart: \(notReady)")
            }
            if run.problems.isEmpty {
                canaries[service] = await steps.writeCanary(into: &run, before: "the restart")
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
            // The daemon's stop is every service's exit.
            let phases = RecoveryPhases(exited: restart.stopped, running: running[service], healthy: healthy[service])
            await steps.record(phases, answeringAt: answering[service], lastAnswer: lastAnswer[service] ?? "no new container yet",
                               since: crashedAt, deadline: options.deadline, into: &run)
            await steps.checkCanary(canaries[service], in: &run)
            await steps.countRestarts(&run, since: crashedAt, crashed: old[service].map {
                RunningContainer(id: $0, health: nil, startedAt: nil, label: "container \($0.prefix(12))")
            })
            progress("\(service.rawValue): " + CrashSteps.phaseLine(run))
            result.append(run)
        }
        return result
    }
}
