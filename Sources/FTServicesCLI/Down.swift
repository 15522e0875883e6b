import ArgumentParser
import FTServicesCore
import FTServicesEngine
import Foundation

extension FTServicesCommand {
    /// `ftservices down [--volumes]`.
    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the stack's services, network and Swarm secrets. The data volumes stay unless --volumes is given.",
            discussion: "The images, the Swarm and the state directory (passwords, CA) stay: the next setup brings back the same stack with the same data."
        )

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Also delete the data volumes (MariaDB, WordPress uploads, FTP files, InfluxDB, Grafana). This cannot be undone.")
        var volumes = false

        func run() async throws {
            let removed = try await SwarmDeployer().remove(volumes: volumes)
            print("stack \(Stack.name) removed" + (volumes ? "; volumes deleted: \(removed.isEmpty ? "none" : removed.joined(separator: ", "))" : "; data volumes kept (delete them with --volumes)"))
        }
    }
}
