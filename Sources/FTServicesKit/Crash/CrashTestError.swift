import FTServicesCore
import Foundation

/// `crashtest` could not run at all (a crash that goes wrong is a problem of its run, not an error).
public enum CrashTestError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case noStack
    case notDeployed(ServiceName, String)
    case unknownProcess(ServiceName, String, [String])
    case noServiceRuns(String)
    case signalFailed(String, String)
    case engineRestart(String)
    case noKubernetesStack
    case engineModeNeedsSwarm(Orchestrator)

    public var description: String {
        switch self {
        case .noStack:
            "no \(Stack.name) stack is deployed on this Docker engine: run `ftservices setup` first"
        case .notDeployed(let service, let reason):
            "\(service.rawValue) is \(reason)"
        case .unknownProcess(let service, let process, let processes):
            "\(service.rawValue) runs no process named \(process): it runs \(processes.joined(separator: ", ")) (or use --process all)"
        case .noServiceRuns(let process):
            "no chosen service runs a process named \(process)"
        case .signalFailed(let process, let detail):
            "could not signal \(process): \(detail)"
        case .engineRestart(let detail):
            "could not restart the Docker engine: \(detail)"
        case .noKubernetesStack:
            "no \(Stack.name) stack is deployed in namespace \(KubernetesManifests.namespace) of the current kubectl context: run `ftservices setup --orchestrator kubernetes` first (or `kubectl config use-context` the cluster it runs on)"
        case .engineModeNeedsSwarm(let orchestrator):
            "--mode engine restarts the Docker daemon under a Swarm stack; it is not supported on \(orchestrator.rawValue) (restarting a node's kubelet or container runtime is the cluster's business): use --mode kill or --mode redeploy, or --orchestrator swarm"
        }
    }

    public var errorDescription: String? { description }
}
