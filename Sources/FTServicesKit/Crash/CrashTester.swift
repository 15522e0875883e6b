import FTServicesCore
import Foundation

/// `ftservices crashtest`: crashes a service the way an evaluator does (a signal to a process inside its
/// container, a forced update, an engine restart), times its recovery from the orchestrator (Docker's event
/// stream, the pod status on Kubernetes) and the service's own protocol checks, and proves its data survived
/// with a canary. It plans what to crash and hands the crashes to the mode's ``CrashStrategy``.
public struct CrashTester: Sendable {
    /// The orchestrator's side of a crash: containers, exec, restarts, redeploys, recovery phases.
    let runtime: any ServiceRuntime
    let stack: Stack
    /// The steps every mode shares (ready checks, canaries, restarts), given to the strategies.
    let steps: CrashSteps

    /// A crash tester of a stack on Docker Swarm.
    public init(engine: any ContainerEngineAPI, runner: any ProcessRunning, verifier: Verifier, canaries: CanaryKeeper,
                stack: Stack, address: String) {
        self.init(runtime: SwarmRuntime(engine: engine, runner: runner), verifier: verifier, canaries: canaries, stack: stack, address: address)
    }

    /// A crash tester of a stack on the orchestrator of `runtime` (engine mode needs one that can restart its
    /// engine: Swarm).
    public init(runtime: any ServiceRuntime, verifier: Verifier, canaries: CanaryKeeper, stack: Stack, address: String) {
        self.runtime = runtime
        self.stack = stack
        steps = CrashSteps(runtime: runtime, verifier: verifier, canaries: canaries,
                           checks: VerifyPlan.checks(stack: stack, address: address))
    }

    /// Crash-tests `services` (in stack order) and reports every run; `progress` gets one line per step.
    /// Throws only when nothing can be tested (no engine, no stack, a service or process that does not exist).
    public func run(_ services: [ServiceName], explicit: Bool, options: Options,
                    progress: @escaping @Sendable (String) -> Void) async throws -> CrashReport {
        let strategy = try strategy(for: options.mode)
        let deployed = try await runtime.deployedServices()
        guard !deployed.isEmpty else { throw runtime.orchestrator == .kubernetes ? CrashTestError.noKubernetesStack : CrashTestError.noStack }
        var chosen: [ServiceName] = []
        var skipped: [CrashSkip] = []
        for name in services {
            if deployed.contains(name) {
                chosen.append(name)
            } else {
                let setup = runtime.orchestrator == .kubernetes ? "ftservices setup --orchestrator kubernetes" : "ftservices setup"
                let reason = name == .grafana ? "not deployed (setup ran without a Grafana image)" : "not deployed (run `\(setup)`)"
                if explicit { throw CrashTestError.notDeployed(name, reason) }
                skipped.append(CrashSkip(service: name, reason: reason))
            }
        }
        if options.mode == .engine {
            // The engine restarts once under every chosen service; there is no process to choose.
            let runs = try await strategy.crash(chosen.map { CrashTarget(service: $0) }, options: options, progress: progress)
            return CrashReport(runs: runs, skipped: skipped)
        }
        var plan: [CrashTarget] = []
        for name in chosen {
            let service = stack.service(name)
            switch (options.mode, options.process) {
            case (.redeploy, _): plan.append(CrashTarget(service: name))
            case (_, .main): plan.append(CrashTarget(service: name, process: service.mainProcess))
            case (_, .all): plan += service.processes.map { CrashTarget(service: name, process: $0) }
            case (_, .named(let process)):
                if service.processes.contains(process) {
                    plan.append(CrashTarget(service: name, process: process))
                } else if explicit || chosen.count == 1 {
                    throw CrashTestError.unknownProcess(name, process, service.processes)
                } else {
                    skipped.append(CrashSkip(service: name, reason: "runs no process named \(process)"))
                }
            }
        }
        if plan.isEmpty, case .named(let process) = options.process {
            throw CrashTestError.noServiceRuns(process)
        }
        let runs = try await strategy.crash(plan, options: options, progress: progress)
        return CrashReport(runs: runs, skipped: skipped)
    }

    /// How `mode` crashes; engine mode needs a runtime that can restart its engine.
    func strategy(for mode: CrashMode) throws -> any CrashStrategy {
        switch mode {
        case .kill:
            return KillCrash(steps: steps, stack: stack)
        case .redeploy:
            return RedeployCrash(steps: steps)
        case .engine:
            guard let restarter = runtime.engineRestarter else { throw CrashTestError.engineModeNeedsSwarm(runtime.orchestrator) }
            return EngineRestartCrash(steps: steps, restarter: restarter)
        }
    }
}
