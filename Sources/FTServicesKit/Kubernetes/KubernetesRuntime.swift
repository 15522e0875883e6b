import FTServicesCore
import Foundation

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The stack on Kubernetes, through kubectl (the one ``ProcessRunning`` door): a service is its Deployment,
/// its running container the container named after it in its newest pod; commands run with `kubectl exec`,
/// restarts are that container's restart count, a redeploy is `kubectl rollout restart`, and a recovery is
/// followed by polling the pod status (``KubernetesRecoveryWatch``).
public struct KubernetesRuntime: ServiceRuntime {
    let runner: any ProcessRunning
    /// How often a recovery is polled.
    let pollInterval: Duration

    public init(runner: any ProcessRunning = SubprocessRunner(), pollInterval: Duration = .milliseconds(200)) {
        self.runner = runner
        self.pollInterval = pollInterval
    }

    var deployer: KubernetesDeployer { KubernetesDeployer(runner: runner) }
    static let namespace = KubernetesManifests.namespace
    /// What the wrapper shell prints after the command's own output: `\nftservices-exit:STATUS\n`.
    static let exitMarker = "ftservices-exit:"
    /// Runs its arguments and then prints their exit status: kubectl exits with the command's status and
    /// drops its output when that is not 0, and the callers need both.
    static let execWrapper = #""$@"; printf '\nftservices-exit:%s\n' "$?""#

    public var orchestrator: Orchestrator { .kubernetes }

    public func name(of service: ServiceName) -> String { "deployment/\(service.rawValue)" }

    public func deployedServices() async throws -> Set<ServiceName> {
        let deployments = try await kubectl { try await deployer.deployments() }
        return Set(deployments.keys.compactMap(ServiceName.init(rawValue:)))
    }

    public func states(of names: Set<ServiceName>) async -> [ServiceName: ServiceState]? {
        guard let deployments = try? await deployer.deployments() else { return nil }
        let pods = try? await deployer.pods()
        var states: [ServiceName: ServiceState] = [:]
        for name in names {
            guard let replicas = deployments[name.rawValue] else {
                states[name] = deployments.isEmpty ? .noStack : .notDeployed
                continue
            }
            if replicas == 0 { states[name] = .scaledToZero; continue }
            let current = pods?.current(service: name.rawValue)
            if current?.container?.state?.running != nil {
                // Published ports are not compared on Kubernetes: a Service, not the pod, publishes them.
                states[name] = .running(published: [])
            } else {
                states[name] = .notRunning(Self.describe(current))
            }
        }
        return states
    }

    public func runningContainer(_ service: ServiceName) async throws -> RunningContainer {
        let list = try await kubectl { try await deployer.pods(of: service) }
        let current = list.current(service: service.rawValue)
        guard let pod = current?.pod, let status = current?.container, let running = status.state?.running else {
            throw ServiceRuntimeError.noRunningContainer(service, message: "no running container of \(name(of: service)): its container is "
                + "\(Self.describe(current)) (`kubectl describe pod --namespace \(Self.namespace) --selector \(KubernetesManifests.nameLabel)=\(service.rawValue)` shows why)")
        }
        let health = status.ready ? HealthStatus.healthy.rawValue : (status.started == true ? HealthStatus.unhealthy.rawValue : HealthStatus.starting.rawValue)
        return RunningContainer(
            id: Self.containerID(pod: pod.metadata.name, restarts: status.restartCount), pod: pod.metadata.name,
            restartCount: status.restartCount, health: health, startedAt: KubernetesPodList.timestamp(running.startedAt),
            label: "container \(status.name) of pod \(pod.metadata.name) (restart \(status.restartCount))")
    }

    /// `kubectl exec --namespace ftservices POD --container SERVICE -- sh -c WRAPPER sh COMMAND…`.
    public func exec(_ service: ServiceName, in container: RunningContainer?, command: [String]) async throws -> CommandResult {
        let pod: String
        if let known = container?.pod { pod = known } else { pod = try await runningContainer(service).pod ?? "" }
        let arguments = Self.execArguments(pod: pod, container: service.rawValue, command: command)
        let output: ProcessOutput
        do {
            output = try await runner.run(arguments, input: nil, environment: [:], logFile: nil)
        } catch {
            if case .notFound = error { throw KubernetesError.kubectlMissing }
            throw ServiceRuntimeError.commandFailed("kubectl exec \(pod)", detail: KubernetesError.oneLine(error.standardError))
        }
        guard let result = Self.execResult(output) else {
            throw ServiceRuntimeError.unreadableExec("pod \(pod)", detail: "no \(Self.exitMarker) line in \(KubernetesError.oneLine(output.standardOutput))")
        }
        return result
    }

    /// `kubectl exec --stdin` without the wrapper (its marker would end up in the data): kubectl exits with
    /// the command's status, and the data is already in `output` when it fails.
    public func stream(_ service: ServiceName, command: [String], input: URL?, output: FileDescriptor?) async throws -> CommandResult {
        guard let pod = try await runningContainer(service).pod else {
            throw ServiceRuntimeError.noRunningContainer(service, message: "no pod of \(name(of: service))")
        }
        do {
            return try await runner.stream(Self.streamArguments(pod: pod, container: service.rawValue, command: command, input: input != nil),
                                           input: input, output: output)
        } catch {
            if case .notFound = error { throw KubernetesError.kubectlMissing }
            throw ServiceRuntimeError.commandFailed("kubectl exec \(pod)", detail: KubernetesError.oneLine(error.description))
        }
    }

    static func streamArguments(pod: String, container: String, command: [String], input: Bool) -> [String] {
        ["kubectl", "exec", "--namespace", namespace, pod] + (input ? ["--stdin"] : []) + ["--container", container, "--"] + command
    }

    static func execArguments(pod: String, container: String, command: [String]) -> [String] {
        ["kubectl", "exec", "--namespace", namespace, pod, "--container", container, "--", "sh", "-c", execWrapper, "sh"] + command
    }

    /// The command's own output and exit status, from what the wrapper printed.
    static func execResult(_ output: ProcessOutput) -> CommandResult? {
        let stdout = output.standardOutput
        guard let marker = stdout.range(of: "\n" + exitMarker, options: .backwards),
              let status = Int(stdout[marker.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        return CommandResult(exitCode: status, stdout: String(stdout[..<marker.lowerBound]), stderr: output.standardError)
    }

    public func restarts(_ service: ServiceName) async throws -> RestartTally {
        let list = try await kubectl { try await deployer.pods(of: service) }
        guard let current = list.current(service: service.rawValue) else { return RestartTally(count: 0, reasonsLabel: "last termination") }
        let last = current.container?.lastState?.terminated.map(Self.describe)
        return RestartTally(count: current.container?.restartCount ?? 0, scope: current.pod.metadata.name, reasons: last.map { [$0] } ?? [],
                            reasonsLabel: "last termination")
    }

    /// A crashed container restarts in place: the restarts since are its pod's count minus the crashed
    /// instance's. A rollout starts a new pod: that pod counts as one, plus its own restarts. Kubernetes
    /// keeps no task state, so `crashedState` stays nil.
    public func replacements(_ service: ServiceName, since crashAt: Date, crashed: RunningContainer?) async throws -> Replacements {
        let list = try await kubectl { try await deployer.pods(of: service) }
        guard let current = list.current(service: service.rawValue) else { return Replacements(started: 0) }
        let restarts = current.container?.restartCount ?? 0
        let last = current.container?.lastState?.terminated.map(Self.describe)
        let started: Int
        if let crashed, current.pod.metadata.name == crashed.pod {
            started = restarts - (crashed.restartCount ?? 0)
        } else {
            started = 1 + restarts
        }
        return Replacements(started: started, failedStarts: started > 1 ? (last.map { [$0] } ?? []) : [])
    }

    public func redeploy(_ service: ServiceName) async throws -> String {
        do {
            try await deployer.restart([service])
        } catch {
            throw ServiceRuntimeError.commandFailed("kubectl rollout restart \(name(of: service))", detail: "\(error)")
        }
        return "restarted the rollout of \(name(of: service))"
    }

    public func watchRecovery(_ service: ServiceName, from old: RunningContainer, crashAt: Date) -> any RecoveryWatch {
        KubernetesRecoveryWatch(deployer: deployer, service: service, old: old, crashAt: crashAt, interval: pollInterval)
    }

    public func whyNotRunning(_ service: ServiceName) async -> String? {
        guard let list = try? await deployer.pods(of: service) else { return nil }
        return "its container is \(Self.describe(list.current(service: service.rawValue)))"
    }

    /// Restarting a node's kubelet or container runtime is the cluster's business, not `crashtest`'s.
    public var engineRestarter: (any EngineRestarting)? { nil }

    /// `POD/RESTARTS`: one instance of the service's container.
    static func containerID(pod: String, restarts: Int) -> String { "\(pod)/\(restarts)" }

    /// What the service's container is doing, after "its container is": "running", "waiting: CrashLoopBackOff
    /// (back-off 20s restarting failed container=…)", "pending: 0/1 nodes are available: …", "not created (no pod)".
    static func describe(_ current: (pod: KubernetesPodList.Pod, container: KubernetesPodList.Pod.ContainerStatus?)?) -> String {
        guard let current else { return "not created (no pod)" }
        if let state = current.container?.state {
            if state.running != nil { return "running" }
            if let waiting = state.waiting {
                return "waiting: \(waiting.reason ?? "no reason given")" + (waiting.message.map { " (\($0))" } ?? "")
            }
            if let terminated = state.terminated { return describe(terminated) }
        }
        let unscheduled = current.pod.status?.conditions?.first { $0.type == "PodScheduled" && $0.status == "False" }
        let phase = (current.pod.status?.phase ?? "Pending").lowercased()
        return unscheduled.map { "\(phase): \($0.message ?? $0.reason ?? "not scheduled")" } ?? phase
    }

    /// "exited with code 137 (Error)".
    static func describe(_ terminated: KubernetesPodList.Pod.Terminated) -> String {
        "exited with code \(terminated.exitCode)" + (terminated.reason.map { " (\($0))" } ?? "")
    }

    /// Runs a kubectl query, naming the fix when kubectl is missing or the cluster does not answer.
    func kubectl<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ProcessError {
            switch error {
            case .notFound: throw KubernetesError.kubectlMissing
            case .failed(let command, _, let detail, _): throw KubernetesError.queryFailed(command: command, detail: detail)
            case .couldNotStart(let command, let reason): throw KubernetesError.queryFailed(command: command, detail: reason)
            }
        }
    }
}
