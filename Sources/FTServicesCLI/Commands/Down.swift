import ArgumentParser
import FTServicesCore
import FTServicesKit
import Foundation

extension FTServicesCommand {
    /// `ftservices down [--volumes]`.
    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the stack's services, network and secrets. The data volumes stay unless --volumes is given.",
            discussion: """
                The images, the Swarm and the state directory (passwords, CA) stay: the next setup brings back the same \
                stack with the same data. On Kubernetes: the Deployments, Services, Secrets and MetalLB address pool go; \
                the namespace and its volume claims stay unless --volumes, which deletes the namespace.
                """
        )

        @OptionGroup var global: GlobalOptions

        @OptionGroup var deployed: DeployedOrchestrator

        @Flag(help: "Also delete the data volumes (MariaDB, WordPress uploads, FTP files, InfluxDB, Grafana). This cannot be undone.")
        var volumes = false

        func run() async throws {
            if deployed.resolve(global) == .kubernetes {
                let removed = try await KubernetesDeployer().remove(volumes: volumes)
                print("stack \(Stack.name) removed from namespace \(KubernetesManifests.namespace)"
                      + (volumes ? "; namespace and volume claims deleted: \(removed.isEmpty ? "none" : removed.joined(separator: ", "))"
                                 : "; volume claims kept (delete them with --volumes)"))
                return
            }
            let removed = try await SwarmDeployer().remove(volumes: volumes)
            print("stack \(Stack.name) removed" + (volumes ? "; volumes deleted: \(removed.isEmpty ? "none" : removed.joined(separator: ", "))" : "; data volumes kept (delete them with --volumes)"))
        }
    }
}
