import ArgumentParser
import FTServicesCore
import FTServicesKit
import Foundation

extension FTServicesCommand {
    /// `ftservices down [--volumes [--no-backup]]`.
    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the stack's services, network and secrets. The data volumes stay unless --volumes is given.",
            discussion: """
                The images, the Swarm and the state directory (passwords, CA) stay: the next setup brings back the same \
                stack with the same data. On Kubernetes: the Deployments, Services, Secrets and MetalLB address pool go; \
                the namespace and its volume claims stay unless --volumes, which deletes the namespace. Before --volumes \
                deletes anything, a last backup of the data is written to backups/ in the state directory (`ftservices \
                restore FILE` brings it back); if it cannot be taken, nothing is removed. --no-backup skips it.
                """
        )

        @OptionGroup var global: GlobalOptions

        @OptionGroup var deployed: DeployedOrchestrator

        @Flag(help: "Also delete the data volumes (MariaDB, WordPress uploads, FTP files, InfluxDB, Grafana), after a last backup.")
        var volumes = false

        @Flag(help: "With --volumes: delete the data without taking a last backup first. This cannot be undone.")
        var noBackup = false

        @Option(help: ArgumentHelp("Progress of the last backup on standard error: auto, tty, plain or quiet.", valueName: "mode"))
        var progress: ProgressMode = .auto

        func validate() throws {
            if noBackup && !volumes { throw ValidationError("--no-backup only applies with --volumes (without it, down keeps the data)") }
        }

        func run() async throws {
            let orchestrator = deployed.resolve(global)
            if volumes && !noBackup { try await lastBackup(orchestrator) }
            if orchestrator == .kubernetes {
                let removed = try await KubernetesDeployer().remove(volumes: volumes)
                print("stack \(Stack.name) removed from namespace \(KubernetesManifests.namespace)"
                      + (volumes ? "; namespace and volume claims deleted: \(removed.isEmpty ? "none" : removed.joined(separator: ", "))"
                                 : "; volume claims kept (delete them with --volumes)"))
                return
            }
            let removed = try await SwarmDeployer().remove(volumes: volumes)
            print("stack \(Stack.name) removed" + (volumes ? "; volumes deleted: \(removed.isEmpty ? "none" : removed.joined(separator: ", "))" : "; data volumes kept (delete them with --volumes)"))
        }

        /// Writes the last backup before the volumes go, or refuses to delete them.
        func lastBackup(_ orchestrator: Orchestrator) async throws {
            let state = global.stateStore
            let runtime = DeployedOrchestrator.runtime(orchestrator, state: state, runner: SubprocessRunner())
            let deployedServices: Set<ServiceName>
            do {
                deployedServices = try await runtime.deployedServices()
            } catch {
                throw BackupError.lastBackupFailed("cannot ask \(orchestrator.rawValue) which services run (\(error))")
            }
            guard BackupPart.all.contains(where: { deployedServices.contains($0.service) }) else {
                let leftovers = orchestrator == .swarm ? ((try? await SwarmDeployer().volumes()) ?? []) : []
                guard leftovers.isEmpty else { throw BackupError.volumesWithoutStack(leftovers) }
                return
            }
            let address = (try? state.load())??.certificateAddress ?? global.looseConfig.address ?? "unknown"
            let display = TransferDisplay(mode: progress)
            do {
                let destination = try BackupLocation(state: state).newArchive(.beforeDown, at: Date())
                let result = try await BackupMaker(runtime: runtime, address: address).make(to: destination) { display.show($0, label: "last backup, ") }
                display.finish()
                print("last " + result.summary + " (`ftservices restore \(result.archive.path)` brings it back)")
            } catch {
                display.finish()
                throw BackupError.lastBackupFailed("\(error)")
            }
        }
    }
}
