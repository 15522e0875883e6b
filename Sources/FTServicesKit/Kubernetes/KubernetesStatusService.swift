import FTServicesCore
import Foundation

/// `ftservices status` on Kubernetes, in the columns of the Swarm rows: each service's Deployment, the
/// state of its container in its newest pod, readiness as health, the container's restart count, the ports
/// its LoadBalancer Service publishes, and CPU and memory asked inside the influxdb pod as on Swarm.
public struct KubernetesStatusService: Sendable {
    let runtime: KubernetesRuntime

    public init(runner: any ProcessRunning = SubprocessRunner()) {
        runtime = KubernetesRuntime(runner: runner)
    }

    public func status() async throws -> [ServiceStatus] {
        let deployer = runtime.deployer
        let deployments = try await runtime.kubectl { try await deployer.deployments() }
        let pods = try await runtime.kubectl { try await deployer.pods() }
        // Ports are extra: a stack whose Services cannot be listed still has a status.
        let ports = (try? await deployer.publishedPorts()) ?? [:]
        // The rolled-back marks are extra too.
        let revisions = (try? await deployer.deploymentRevisions()) ?? [:]
        var rows = ServiceName.allCases.map { name in
            var row = Self.row(name, replicas: deployments[name.rawValue], current: pods.current(service: name.rawValue), ports: ports[name.rawValue] ?? [])
            if let failed = revisions[name.rawValue]?.rolledBackFrom {
                row.rolledBackFrom = failed
                row.state = "rolled back"
                row.detail = "\(failed) failed; setup put the previous version back (kubectl rollout undo)" + (row.detail.map { "; \($0)" } ?? "")
            }
            return row
        }
        if let figures = try? await ServiceFiguresQuery.figures(via: runtime) {
            for index in rows.indices {
                guard let figure = figures.first(where: { $0.service == rows[index].service }) else { continue }
                rows[index].cpuPercent = figure.cpuPercent
                rows[index].memoryBytes = figure.memoryBytes
            }
        }
        return rows
    }

    /// One row: `replicas` nil when the service has no Deployment.
    static func row(_ name: ServiceName, replicas: Int?, current: (pod: KubernetesPodList.Pod, container: KubernetesPodList.Pod.ContainerStatus?)?,
                    ports: [Int]) -> ServiceStatus {
        guard let replicas else { return ServiceStatus(service: name.rawValue, state: "not deployed", health: "-", restarts: 0, ports: []) }
        guard replicas > 0 else { return ServiceStatus(service: name.rawValue, state: "scaled to 0", health: "-", restarts: 0, ports: ports) }
        guard let current else { return ServiceStatus(service: name.rawValue, state: "no pod", health: "-", restarts: 0, ports: ports) }
        let container = current.container
        let state: String
        var health = "-"
        var detail: String?
        if container?.state?.running != nil {
            state = SwarmTaskState.running.rawValue
            health = container?.ready == true ? HealthStatus.healthy.rawValue : (container?.started == true ? HealthStatus.unhealthy.rawValue : HealthStatus.starting.rawValue)
            if health != HealthStatus.healthy.rawValue { detail = container?.lastState?.terminated.map { "last " + KubernetesRuntime.describe($0) } }
        } else if let waiting = container?.state?.waiting {
            state = waiting.reason ?? "waiting"
            detail = waiting.message ?? container?.lastState?.terminated.map { "last " + KubernetesRuntime.describe($0) }
        } else if let terminated = container?.state?.terminated {
            state = "exited"
            detail = KubernetesRuntime.describe(terminated)
        } else {
            let unscheduled = current.pod.status?.conditions?.first { $0.type == "PodScheduled" && $0.status == "False" }
            state = unscheduled == nil ? (current.pod.status?.phase ?? "Pending").lowercased() : "unschedulable"
            detail = unscheduled?.message
        }
        return ServiceStatus(service: name.rawValue, state: state, health: health, restarts: container?.restartCount ?? 0, ports: ports, detail: detail)
    }
}
