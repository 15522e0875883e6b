import FTServicesCore
import Foundation

/// Failing checks explained with the state of the service behind them, read from the orchestrator: a check
/// that says "connection refused" also says "ftservices_ftps is scaled to 0 replicas".
extension Verifier {
    /// The state of every service of the stack, or `nil` when the orchestrator cannot be asked (a stack
    /// checked from another machine).
    func serviceStates(_ names: Set<ServiceName>) async -> [ServiceName: ServiceState]? {
        await runtime.states(of: names)
    }

    /// `report` with each failing check's `observed` extended by its service's state when that state
    /// explains the failure. Without an orchestrator to ask the report is returned as it is.
    func explainFailures(_ report: VerifyReport, checks: [CheckSpec]) async -> VerifyReport {
        let failing = report.results.indices.filter { !report.results[$0].pass && $0 < checks.count }
        let names = Set(failing.compactMap { checks[$0].service })
        guard !names.isEmpty, let states = await serviceStates(names) else { return report }
        var explained = report
        for index in failing {
            guard let name = checks[index].service, let state = states[name],
                  let note = Self.note(for: checks[index], service: name, state: state, runtime: runtime) else { continue }
            explained.results[index].observed += " — \(note)"
        }
        return explained
    }

    /// The indices of failing checks that retrying cannot fix: their service is not part of the deployed
    /// stack (Grafana without its image). `verify --wait` stops waiting for them.
    func hopeless(_ report: VerifyReport, checks: [CheckSpec]) async -> Set<Int> {
        let failing = report.results.indices.filter { !report.results[$0].pass && $0 < checks.count }
        let names = Set(failing.compactMap { checks[$0].service })
        guard !names.isEmpty, let states = await serviceStates(names) else { return [] }
        return Set(failing.filter { index in checks[index].service.map { states[$0] == .notDeployed } ?? false })
    }

    /// What `state` adds to a failure of `check`, or `nil` when it explains nothing.
    static func note(for check: CheckSpec, service name: ServiceName, state: ServiceState, runtime: any ServiceRuntime = SwarmRuntime())
        -> String? {
        let serviceName = runtime.name(of: name)
        let kubernetes = runtime.orchestrator == .kubernetes
        switch state {
        case .noStack where kubernetes:
            return "no \(Stack.name) stack is deployed in namespace \(KubernetesManifests.namespace) of the current kubectl context (run `ftservices setup --orchestrator kubernetes`)"
        case .noStack:
            return "no \(Stack.name) stack is deployed on this engine (run `ftservices setup`)"
        case .notDeployed where name == .grafana:
            return "\(serviceName) is not deployed: setup ran without a Grafana image (see `grafana.package` in the README)"
        case .notDeployed:
            return "\(serviceName) is not deployed (run `ftservices setup\(kubernetes ? " --orchestrator kubernetes" : "")`)"
        case .scaledToZero where kubernetes:
            return "\(serviceName) is scaled to 0 replicas (`kubectl scale --namespace \(KubernetesManifests.namespace) \(serviceName) --replicas=1`)"
        case .scaledToZero:
            return "\(serviceName) is scaled to 0 replicas (`docker service scale \(serviceName)=1`)"
        case .notRunning(let why):
            return kubernetes ? "\(serviceName)'s container is \(why)" : "\(serviceName)'s task is \(why)"
        case .running(let published):
            if case .notReachable(_, let port) = check.probe, published.contains(port) {
                return "\(serviceName) publishes port \(port); it must stay inside the stack (run `ftservices setup` to deploy the committed stack file)"
            }
            return nil
        }
    }
}
