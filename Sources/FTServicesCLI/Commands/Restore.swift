import ArgumentParser
import FTServicesCore
import FTServicesKit
import Foundation

extension FTServicesCommand {
    /// `ftservices restore FILE`.
    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put the data of a backup archive back into the deployed stack, then verify it.",
            discussion: """
                The whole archive is read and checked first (every SHA-256, its format version, the services it holds, \
                which must be deployed and healthy): a corrupt, truncated, foreign or newer archive is refused and \
                nothing changes. Then a backup of the data as it is now is written to backups/ in the state directory \
                (named in the output: restore it to undo), each service's data is replaced, WordPress, InfluxDB and \
                Grafana restart, and verify runs (the checks of the deployed services). Logins stay this install's: the archive holds no user of MariaDB or \
                InfluxDB, and WordPress resets its users' passwords from this install's secret when it restarts. Works \
                across orchestrators (a Swarm backup onto Kubernetes) and installs with other secrets. Exit status 1 \
                when the archive is refused, a step fails or verify fails; 130 when interrupted (the message says \
                whether anything changed, and where the data as it was is kept).
                """
        )

        @OptionGroup var global: GlobalOptions

        @OptionGroup var deployed: DeployedOrchestrator

        @Argument(help: ArgumentHelp("The archive written by `ftservices backup`.", valueName: "file"))
        var file: String

        @Option(help: ArgumentHelp("The stack address verify checks (default: the address its certificate was issued for).", valueName: "ipv4"))
        var address: String?

        @Flag(help: "Only read and check the archive; change nothing.")
        var checkOnly = false

        @Option(help: ArgumentHelp("Progress on standard error: auto, tty, plain or quiet.", valueName: "mode"))
        var progress: ProgressMode = .auto

        func validate() throws {
            try AddressOption.validate(address)
        }

        func run() async throws {
            let archive = URL(fileURLWithPath: file)
            let display = TransferDisplay(mode: progress)
            if checkOnly {
                do {
                    let manifest = try await Restorer.check(archive) { display.show($0) }
                    display.show(.checked(manifest))
                    print("\(archive.path) is whole: \(manifest.parts.count) parts, every SHA-256 matches")
                    return
                } catch {
                    display.finish()
                    throw error
                }
            }
            let workspace = try Workspace.load(configPath: global.config, stateDirectory: global.stateDirectory, projectDirectory: global.projectDirectory)
            let target = try address ?? Verifier.defaultAddress(workspace: workspace)
            let runner = SubprocessRunner()
            let runtime = deployed.runtime(workspace, runner: runner)
            let restorer = Restorer(runtime: runtime, maker: BackupMaker(runtime: runtime, address: target),
                                    location: BackupLocation(state: workspace.state))
            if let unfinished = UnfinishedRestore.read(in: restorer.location) {
                FileHandle.standardError.write(Data("ftservices: note: \(unfinished.warning)\n".utf8))
            }
            let work = Task { try await restorer.restore(archive) { display.show($0) } }
            let trap = SignalTrap { _ in work.cancel() }
            let result: Restorer.Result
            do {
                result = try await work.value
                trap.remove()
            } catch let error as BackupError {
                trap.remove()
                display.finish()
                if case .interrupted = error {
                    FileHandle.standardError.write(Data("ftservices: \(error)\n".utf8))
                    throw ExitCode(ExitStatus.interrupted)
                }
                throw error
            } catch {
                trap.remove()
                display.finish()
                throw error
            }
            display.finish()
            print("restored \(result.manifest.parts.map(\.service).joined(separator: ", ")) from \(archive.path) in \(String(format: "%.1f", result.seconds)) s; the data as it was before is in \(result.preRestore.path)")
            // The checks of the services this stack runs: one that is not deployed (Grafana without its package)
            // has nothing restored to check, and `verify` already says why it fails.
            let deployedServices = result.deployed
            let all = VerifyPlan.checks(stack: workspace.stack, address: target, groups: Set(CheckGroup.allCases))
            let checks = all.filter { $0.service.map(deployedServices.contains) ?? true }
            let verifier = Verifier(credentials: try VerifyCredentials.load(from: workspace), runtime: runtime, runner: runner)
            let report = await verifier.verify(checks, wait: .seconds(60))
            print(report.text)
            let skipped = Set(all.compactMap(\.service)).subtracting(deployedServices).map(\.rawValue).sorted()
            if !skipped.isEmpty { print("not checked, as not deployed: \(skipped.joined(separator: ", "))") }
            if !report.allPassed { throw ExitCode.failure }
        }
    }
}
