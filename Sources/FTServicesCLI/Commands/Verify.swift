import ArgumentParser
import FTServicesCore
import FTServicesKit
import Foundation

extension FTServicesCommand {
    /// `ftservices verify [ports|routes|ftps|ssh|services|all]`.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the running stack from outside as its users would: ports, routes, FTPS, SSH and the applications.",
            discussion: """
                Every check runs in parallel with its own timeout; each line names the check, its target and how long it \
                took, and a failing one says what was expected and what came back, and what the orchestrator says about \
                the service behind it. Exit status 1 when any check fails.
                """
        )

        /// Which checks `verify` runs.
        enum Scope: String, ExpressibleByArgument, CaseIterable {
            case ports, routes, ftps, ssh, services, all

            var groups: Set<CheckGroup> {
                self == .all ? Set(CheckGroup.allCases) : [CheckGroup(rawValue: rawValue)!]
            }
        }

        @OptionGroup var global: GlobalOptions

        @OptionGroup var deployed: DeployedOrchestrator

        @Argument(help: ArgumentHelp("What to check: ports, routes, ftps, ssh, services or all.", valueName: "scope"))
        var scope: Scope = .all

        @Option(help: ArgumentHelp("The stack address to check (default: the address its certificate was issued for, else the config's).", valueName: "ipv4"))
        var address: String?

        @Flag(help: "Print JSON: an array of objects with name, target, expected, observed, latency (ms) and pass.")
        var json = false

        @Option(help: ArgumentHelp("Run failing checks again until every check passes or this much time has passed: 30s, 2m, or seconds.", valueName: "duration"))
        var wait: String?

        func validate() throws {
            try AddressOption.validate(address)
            if let wait, WaitDuration.parse(wait) == nil {
                throw ValidationError("--wait '\(wait)' is not a duration: write 30s, 2m, 1m30s, 500ms or a number of seconds")
            }
        }

        func run() async throws {
            let workspace = try Workspace.load(configPath: global.config, stateDirectory: global.stateDirectory, projectDirectory: global.projectDirectory)
            let target = try address ?? Verifier.defaultAddress(workspace: workspace)
            let checks = VerifyPlan.checks(stack: workspace.stack, address: target, groups: scope.groups)
            let runner = SubprocessRunner()
            let verifier = Verifier(credentials: try VerifyCredentials.load(from: workspace),
                                    runtime: deployed.runtime(workspace, runner: runner), runner: runner)
            let report = await verifier.verify(checks, wait: wait.flatMap(WaitDuration.parse))
            print(json ? report.json : report.text)
            if !report.allPassed { throw ExitCode.failure }
        }
    }
}
