import ArgumentParser
import FTServicesCore
import FTServicesKit
import Foundation

extension CrashMode: ExpressibleByArgument {}

extension FTServicesCommand {
    /// `ftservices crashtest SERVICE|all`.
    struct Crashtest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Crash a service the way an evaluator does, time its recovery and prove its data survived.",
            discussion: """
                kill (default): a signal to one process inside the service's container, sent from inside (Engine API \
                exec, `kubectl exec`). redeploy: a forced update (`docker service update --force`, `kubectl rollout \
                restart`). engine (Swarm only): the Docker daemon restarted under the whole stack. Before the crash a \
                canary goes into the service's data (a MariaDB row, a file over FTPS, an InfluxDB point, a file in \
                WordPress's uploads, a Grafana annotation); after it, the table shows when the old container exited, \
                the new one ran, the service answered its real protocol checks again and the orchestrator reported it \
                healthy (ready), and whether the canary is intact. On Kubernetes the times come from the pod status, \
                polled every 200 ms, whose timestamps are whole seconds, and a CrashLoopBackOff delay is named. Exit \
                status 1 when a service did not recover before the deadline, lost its canary, or the crashed container \
                was not replaced exactly once (on Swarm, a killed task must also end failed: what `status` counts).
                """
        )

        @OptionGroup var global: GlobalOptions

        @OptionGroup var deployed: DeployedOrchestrator

        @Argument(help: ArgumentHelp("The service to crash, or all: \(ServiceName.allCases.map(\.rawValue).joined(separator: ", ")).",
                                     valueName: "service"))
        var service: String

        @Option(help: ArgumentHelp("How to crash it: kill, redeploy or engine.", valueName: "mode"))
        var mode: CrashMode = .kill

        @Option(help: ArgumentHelp("The signal for kill mode: KILL, TERM, INT, QUIT, HUP, ABRT, SEGV, USR1, USR2 (or SIGKILL, 9).",
                                   valueName: "signal"))
        var signal = "KILL"

        @Option(help: ArgumentHelp("The process to signal instead of the service's main one (php-fpm8.2, sshd, nginx, collectd...), or all of them in turn.",
                                   valueName: "name"))
        var process: String?

        @Option(help: ArgumentHelp("Crash each service this many times in a row; the table shows the median and min–max.", valueName: "n"))
        var `repeat` = 1

        @Option(help: ArgumentHelp("How long a service has to recover: 60s, 2m, or seconds.", valueName: "duration"))
        var deadline = "60s"

        @Option(help: ArgumentHelp("The stack address the protocol checks use (default: the address its certificate was issued for).", valueName: "ipv4"))
        var address: String?

        @Flag(help: "Print JSON: {runs: [...], skipped: [...]}, phase times in milliseconds after the crash.")
        var json = false

        var services: [ServiceName] {
            service == "all" ? ServiceName.allCases : [ServiceName(rawValue: service)!]
        }

        func validate() throws {
            guard service == "all" || ServiceName(rawValue: service) != nil else {
                throw ValidationError("unknown service '\(service)'; the services are \(ServiceName.allCases.map(\.rawValue).joined(separator: ", ")), or all")
            }
            guard CrashSignal(argument: signal) != nil else {
                throw ValidationError("--signal '\(signal)' is not one of \(CrashSignal.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard (1...100).contains(`repeat`) else { throw ValidationError("--repeat must be between 1 and 100, not \(`repeat`)") }
            guard let parsed = WaitDuration.parse(deadline) else {
                throw ValidationError("--deadline '\(deadline)' is not a duration: write 60s, 2m, 1m30s or a number of seconds")
            }
            // A zero deadline would still crash the service, then leave it no time to recover.
            guard parsed > .zero else { throw ValidationError("--deadline '\(deadline)' must be longer than zero, such as 60s") }
            if mode != .kill, process != nil { throw ValidationError("--process only applies to --mode kill") }
            if mode == .engine, deployed.orchestrator == .kubernetes {
                throw ValidationError("--mode engine restarts the Docker daemon under a Swarm stack and is not supported on kubernetes: use --mode kill or redeploy")
            }
            if mode == .engine, `repeat` != 1 { throw ValidationError("--repeat is not supported with --mode engine (each run restarts the daemon)") }
            try AddressOption.validate(address)
        }

        func run() async throws {
            let workspace = try Workspace.load(configPath: global.config, stateDirectory: global.stateDirectory, projectDirectory: global.projectDirectory)
            let target = try address ?? Verifier.defaultAddress(workspace: workspace)
            let credentials = try VerifyCredentials.load(from: workspace)
            let runner = SubprocessRunner()
            let runtime = deployed.runtime(workspace, runner: runner)
            let tester = CrashTester(
                runtime: runtime, verifier: Verifier(credentials: credentials, runtime: runtime, runner: runner),
                canaries: CanaryKeeper(runtime: runtime, credentials: credentials, config: workspace.stack.config, address: target),
                stack: workspace.stack, address: target)
            let choice: CrashTester.ProcessChoice = switch process {
            case nil: .main
            case "all": .all
            case let name?: .named(name)
            }
            let options = CrashTester.Options(mode: mode, signal: CrashSignal(argument: signal)!, process: choice,
                                              repeatCount: `repeat`, deadline: WaitDuration.parse(deadline)!)
            let report = try await tester.run(services, explicit: service != "all", options: options) { line in
                FileHandle.standardError.write(Data("\(line)\n".utf8))
            }
            print(json ? report.json : report.text)
            if !report.allPassed { throw ExitCode.failure }
        }
    }
}
