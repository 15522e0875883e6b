import ArgumentParser
import FTServicesCore
import FTServicesKit
import Foundation

extension FTServicesCommand {
    /// `ftservices logs SERVICE`.
    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a service's log: every task of it, old and new, like `docker service logs` (Swarm); its pod's container, like `kubectl logs` (Kubernetes)."
        )

        @OptionGroup var global: GlobalOptions

        @OptionGroup var deployed: DeployedOrchestrator

        @Argument(help: ArgumentHelp("The service: \(ServiceName.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "service"))
        var service: String

        @Option(name: .shortAndLong, help: "How many lines from the end to show.")
        var tail: Int = 200

        @Flag(name: .shortAndLong, help: "Keep following the log.")
        var follow = false

        func validate() throws {
            guard ServiceName(rawValue: service) != nil else {
                throw ValidationError("unknown service '\(service)'; the services are \(ServiceName.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard tail >= 0 else { throw ValidationError("--tail must be 0 or more, not \(tail)") }
        }

        func run() async throws {
            let name = ServiceName(rawValue: service)!
            let (command, target) = switch deployed.resolve(global) {
            case .swarm: (["docker", "service", "logs"], name.swarmName)
            case .kubernetes: (["kubectl", "logs", "--namespace", KubernetesManifests.namespace], "deployment/\(name.rawValue)")
            }
            var arguments = command + ["--timestamps", "--tail", String(tail)]
            if follow { arguments.append("--follow") }
            arguments.append(target)
            let status = try await SubprocessRunner().passthrough(arguments)
            if status != 0 {
                throw CleanExit.message("no logs for \(service): is the stack deployed? Run `ftservices status` or `ftservices setup`.")
            }
        }
    }
}
