import ArgumentParser
import FTServicesCore
import FTServicesKit
import Foundation

extension FTServicesCommand {
    /// `ftservices status [--json]`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each service's state, health, restarts, published ports and latest CPU and memory.",
            discussion: """
                On Kubernetes: the state of the service's container in its newest pod (running, CrashLoopBackOff, …), \
                readiness as health, the container's restart count and the ports its LoadBalancer Service publishes. \
                Exit status 1 when nothing is deployed, or a deployed service is not running or not healthy.
                """
        )

        @OptionGroup var global: GlobalOptions

        @OptionGroup var deployed: DeployedOrchestrator

        @Flag(help: "Print JSON (an array of objects: service, state, health, restarts, ports, detail, rolledBackFrom, cpuPercent, memoryBytes).")
        var json = false

        func run() async throws {
            let rows = switch deployed.resolve(global) {
            case .swarm: try await SwarmStatusService(engine: DockerEngineAPI()).status()
            case .kubernetes: try await KubernetesStatusService().status()
            }
            if json {
                print(String(decoding: try JSONEncoder.stable(escapingSlashes: true).encode(rows), as: UTF8.self))
            } else {
                print(Self.table(rows))
                for row in rows where row.detail?.isEmpty == false {
                    print("\(row.service): \(row.detail!.split(separator: "\n").last ?? "")")
                }
            }
            if let unfinished = UnfinishedRestore.read(in: BackupLocation(state: global.stateStore)) {
                FileHandle.standardError.write(Data("ftservices: warning: \(unfinished.warning)\n".utf8))
            }
            let deployed = rows.filter { $0.state != "not deployed" }
            if deployed.isEmpty || deployed.contains(where: { $0.health != "healthy" }) { throw ExitCode.failure }
        }

        /// The text table: one row per service.
        static func table(_ rows: [ServiceStatus]) -> String {
            TextTable.render(
                header: ["SERVICE", "STATE", "HEALTH", "RESTARTS", "CPU", "MEMORY", "PORTS"],
                rows: rows.map {
                    [$0.service, $0.state, $0.health, String($0.restarts), cpu($0.cpuPercent), memory($0.memoryBytes), ports($0.ports)]
                }
            )
        }

        /// "1.3%" (of one core), "-" without a recent point.
        static func cpu(_ percent: Double?) -> String {
            percent.map { String(format: "%.1f%%", $0) } ?? "-"
        }

        /// "42.0 MiB", "-" without a recent point.
        static func memory(_ bytes: Double?) -> String {
            bytes.map { String(format: "%.1f MiB", $0 / 1_048_576) } ?? "-"
        }

        /// "21, 21000-21004" rather than six numbers.
        static func ports(_ ports: [Int]) -> String {
            var parts: [String] = []
            var index = 0
            while index < ports.count {
                var end = index
                while end + 1 < ports.count && ports[end + 1] == ports[end] + 1 { end += 1 }
                parts.append(end - index >= 2 ? "\(ports[index])-\(ports[end])" : (index...end).map { String(ports[$0]) }.joined(separator: ", "))
                index = end + 1
            }
            return parts.isEmpty ? "-" : parts.joined(separator: ", ")
        }
    }
}
