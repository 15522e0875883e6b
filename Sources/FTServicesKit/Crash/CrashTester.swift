import FTServicesCore
import Foundation

/// `ftservices crashtest`: crashes a service the way an evaluator does (a signal to a process inside its
/// container, a forced update, an engine restart), times its recovery from the orchestrator (Docker's event
/// stream, the pod status on Kubernetes) and the service's own protocol checks, and proves its data survived
/// with a canary.
public struct CrashTester: Sendable {
    /// The orchestrator's side of a crash: containers, exec, restarts, redeploys, recovery phases.
    let runtime: any ServiceRuntime
    let verifier: Verifier
    let canaries: CanaryKeeper
    let stack: Stack
    /// The full `verify` plan against the stack's address; each service's recovery is judged by its checks.
    let checks: [CheckSpec]

    /// A crash tester of a stack on Docker Swarm.
    public init(engine: any ContainerEngineAPI, runner: any ProcessRunning, verifier: Verifier, canaries: CanaryKeeper,
                stack: Stack, address: String) {
        self.init(runtime: SwarmRuntime(engine: engine, runner: runner), verifier: verifier, canaries: canaries, stack: stack, address: address)
    }

    /// A crash tester of a stack on the orchestrator of `runtime` (engine mode needs Swarm).
    public init(runtime: any ServiceRuntime, verifier: Verifier, canaries: CanaryKeeper, stack: Stack, address: String) {
        self.runtime = runtime
        self.verifier = verifier
        self.canaries = canaries
        self.stack = stack
        checks = VerifyPlan.checks(stack: stack, address: address)
    }

    /// Which process `kill` mode signals.
    public enum ProcessChoice: Sendable, Equatable {
        /// The service's main process (nginx, php-fpm, mariadbd, vsftpd, influxd, grafana).
        case main
        /// This process, in every chosen service that runs it.
        case named(String)
        /// Every process of the service, one after the other.
        case all
    }

    public struct Options: Sendable {
        public var mode: CrashMode
        public var signal: CrashSignal
        public var process: ProcessChoice
        public var repeatCount: Int
        /// How long a service has to recover (and to be ready before the crash).
        public var deadline: Duration

        public init(mode: CrashMode = .kill, signal: CrashSignal = .KILL, process: ProcessChoice = .main, repeatCount: Int = 1,
                    deadline: Duration = .seconds(60)) {
            self.mode = mode
            self.signal = signal
            self.process = process
            self.repeatCount = repeatCount
            self.deadline = deadline
        }
    }

    /// Crash-tests `services` (in stack order) and reports every run; `progress` gets one line per step.
    /// Throws only when nothing can be tested (no engine, no stack, a service or process that does not exist).
    public func run(_ services: [ServiceName], explicit: Bool, options: Options,
                    progress: @escaping @Sendable (String) -> Void) async throws -> CrashReport {
        if options.mode == .engine, runtime.engineRestarter == nil { throw CrashTestError.engineModeNeedsSwarm(runtime.orchestrator) }
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
            let runs = try await EngineCrash(tester: self, services: chosen, options: options, progress: progress).run()
            return CrashReport(runs: runs, skipped: skipped)
        }
        var plan: [(ServiceName, String?)] = []
        for name in chosen {
            let service = stack.service(name)
            switch (options.mode, options.process) {
            case (.redeploy, _): plan.append((name, nil))
            case (_, .main): plan.append((name, service.mainProcess))
            case (_, .all): plan += service.processes.map { (name, $0) }
            case (_, .named(let process)):
                if service.processes.contains(process) {
                    plan.append((name, process))
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
        var runs: [CrashRun] = []
        for (name, process) in plan {
            for iteration in 1...max(1, options.repeatCount) {
                let run = await crashOnce(name, process: process, iteration: iteration, options: options, progress: progress)
                runs.append(run)
            }
        }
        return CrashReport(runs: runs, skipped: skipped)
    }

    /// One crash of one service in `kill` or `redeploy` mode, start to finish; every failure is a problem of the run.
    func crashOnce(_ service: ServiceName, process: String?, iteration: Int, options: Options,
                   progress: @Sendable (String) -> Void) async -> CrashRun {
        let kind = CanaryKind.of(service)
        var run = CrashRun(service: service, mode: options.mode, iteration: iteration, process: process,
                           signal: options.mode == .kill ? options.signal.name : nil,
                           canary: CanaryOutcome(kind: kind, state: kind == .none ? .none : .unwritten, detail: kind.noun))
        let label = "\(service.rawValue)\(options.repeatCount > 1 ? " #\(iteration)" : "")"

        if let notReady = await waitUntilServing(service, deadline: options.deadline) {
            run.problems.append("not serving before the crash, so not crashed: \(notReady)")
            return run
        }
        var canary: CanaryKeeper.Canary?
        if kind != .none {
            do {
                canary = try await canaries.write(service)
                run.canary.detail = "\(kind.noun) \(canary!.value)"
            } catch {
                run.canary.detail = "\(error)"
                run.problems.append("the canary could not be written before the crash: \(error)")
            }
        }
        guard let old = try? await runtime.runningContainer(service) else {
            run.problems.append("no running container to crash")
            return run
        }

        let crashedAt = Date()
        let watch = runtime.watchRecovery(service, from: old, crashAt: crashedAt)
        switch options.mode {
        case .kill:
            let process = process ?? stack.service(service).mainProcess
            do {
                run.pid = try await signal(process, in: old, of: service, signal: options.signal)
                progress("\(label): sent \(options.signal.name) to \(process) (pid \(run.pid!)) in \(runtime.name(of: service))")
            } catch {
                watch.stop()
                run.problems.append("\(error)")
                return run
            }
        case .redeploy:
            do {
                progress("\(label): " + (try await runtime.redeploy(service)))
            } catch {
                watch.stop()
                run.problems.append("\(error)")
                return run
            }
        case .engine:
            preconditionFailure("engine mode crashes the whole stack (EngineCrash)")
        }

        let deadline = Date().addingTimeInterval(options.deadline.timeInterval)
        var answeringAt: Date?
        var lastAnswer = "no new container yet"
        var phases = RecoveryPhases()
        while Date() < deadline {
            phases = watch.phases
            if phases.running != nil, answeringAt == nil {
                if let failure = await answer(service) { lastAnswer = failure } else { answeringAt = Date() }
            }
            if answeringAt != nil, phases.healthy != nil { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        phases = watch.phases
        watch.stop()
        run.exitedMs = phases.exited.map { CrashRun.milliseconds(from: crashedAt, to: $0) }
        run.runningMs = phases.running.map { CrashRun.milliseconds(from: crashedAt, to: $0) }
        run.healthyMs = phases.healthy.map { CrashRun.milliseconds(from: crashedAt, to: $0) }
        run.answeringMs = answeringAt.map { CrashRun.milliseconds(from: crashedAt, to: $0) }
        if answeringAt == nil || phases.healthy == nil {
            run.problems.append(await notRecovered(service, phases: phases, answering: answeringAt != nil, lastAnswer: lastAnswer,
                                                   deadline: options.deadline))
        } else if let backOff = phases.backOff {
            run.note("Kubernetes held the restart back (CrashLoopBackOff: \(backOff)); the running time includes that delay")
        }
        progress("\(label): " + Self.phaseLine(run))

        if let canary {
            run.canary = await readBack(canary, service: service, recovered: run.problems.isEmpty)
            if run.canary.state == .lost { run.problems.append("canary lost: \(run.canary.detail)") }
        }
        await countRestarts(&run, since: crashedAt, crashed: old)
        return run
    }

    // MARK: Steps shared with engine mode

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

    // MARK: Orchestrator helpers

    /// Sends `signal` to the oldest process named `process` (its master: nginx's, php-fpm's) inside the
    /// container, from inside like `kubectl exec … kill`; returns its PID. PID 1, the supervisor, is never chosen.
    func signal(_ process: String, in container: RunningContainer, of service: ServiceName, signal: CrashSignal) async throws -> Int {
        let script = #"""
            found=""
            for dir in /proc/[0-9]*; do
                pid=${dir#/proc/}
                [ "$pid" = 1 ] && continue
                [ "$(cat "$dir/comm" 2>/dev/null)" = "$1" ] || continue
                if [ -z "$found" ] || [ "$pid" -lt "$found" ]; then found=$pid; fi
            done
            [ -n "$found" ] || { echo "no process named $1 is running" >&2; exit 3; }
            kill -s "$2" "$found" && echo "$found"
            """#
        let result = try await runtime.exec(service, in: container, command: ["sh", "-c", script, "sh", process, signal.rawValue])
        guard result.exitCode == 0, let pid = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CrashTestError.signalFailed(process, (result.stderr + result.stdout).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return pid
    }

    /// "exited 31 ms, running 1.20 s, answering 1.35 s, healthy 3.30 s".
    static func phaseLine(_ run: CrashRun) -> String {
        [("exited", run.exitedMs), ("running", run.runningMs), ("answering", run.answeringMs), ("healthy", run.healthyMs)]
            .map { "\($0.0) \($0.1.map(CrashReport.duration) ?? "-")" }.joined(separator: ", ")
    }
}

/// `crashtest` could not run at all (a crash that goes wrong is a problem of its run, not an error).
public enum CrashTestError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case noStack
    case notDeployed(ServiceName, String)
    case unknownProcess(ServiceName, String, [String])
    case noServiceRuns(String)
    case noRunningContainer(ServiceName)
    case signalFailed(String, String)
    case engineRestart(String)
    case noKubernetesStack
    case engineModeNeedsSwarm(Orchestrator)

    public var description: String {
        switch self {
        case .noStack:
            "no \(Stack.name) stack is deployed on this Docker engine: run `ftservices setup` first"
        case .notDeployed(let service, let reason):
            "\(service.rawValue) is \(reason)"
        case .unknownProcess(let service, let process, let processes):
            "\(service.rawValue) runs no process named \(process): it runs \(processes.joined(separator: ", ")) (or use --process all)"
        case .noServiceRuns(let process):
            "no chosen service runs a process named \(process)"
        case .noRunningContainer(let service):
            "\(service.swarmName) has no running container (`ftservices status` shows why)"
        case .signalFailed(let process, let detail):
            "could not signal \(process): \(detail)"
        case .engineRestart(let detail):
            "could not restart the Docker engine: \(detail)"
        case .noKubernetesStack:
            "no \(Stack.name) stack is deployed in namespace \(KubernetesManifests.namespace) of the current kubectl context: run `ftservices setup --orchestrator kubernetes` first (or `kubectl config use-context` the cluster it runs on)"
        case .engineModeNeedsSwarm(let orchestrator):
            "--mode engine restarts the Docker daemon under a Swarm stack; it is not supported on \(orchestrator.rawValue) (restarting a node's kubelet or container runtime is the cluster's business): use --mode kill or --mode redeploy, or --orchestrator swarm"
        }
    }

    public var errorDescription: String? { description }
}
