import FTServicesCore
import Foundation

/// Failing checks explained with the state of the service behind them, read from the engine: a check
/// that says "connection refused" also says "ftservices_ftps is scaled to 0 replicas".
extension Verifier {
    /// What the engine says about the service behind a check.
    enum ServiceState: Equatable {
        /// The engine has no service of the stack at all.
        case noStack
        /// The stack is deployed without this service (Grafana when setup had no Grafana image).
        case notDeployed
        case scaledToZero
        /// Its current task is not running (`starting`, `failed: ...`).
        case notRunning(String)
        /// Running, publishing these ports.
        case running(published: [Int])
    }

    /// The state of every service of the stack on this engine, or `nil` when the engine cannot be asked
    /// (a stack checked from another machine).
    func serviceStates(_ names: Set<ServiceName>) async -> [ServiceName: ServiceState]? {
        guard let deployed = try? await engine.services(stack: Stack.name) else { return nil }
        var states: [ServiceName: ServiceState] = [:]
        for name in names {
            guard let service = deployed.first(where: { $0.name == name.swarmName }) else {
                states[name] = deployed.isEmpty ? .noStack : .notDeployed
                continue
            }
            if service.replicas == 0 { states[name] = .scaledToZero; continue }
            let current = (try? await engine.tasks(service: service.id))?.current
            if let current, current.status.state == "running" {
                states[name] = .running(published: service.publishedPorts.map(\.publishedPort))
            } else {
                let why = current.map { $0.status.err ?? $0.status.message ?? "" } ?? ""
                let state = current?.status.state ?? "missing"
                states[name] = .notRunning(why.isEmpty ? state : "\(state): \(why)")
            }
        }
        return states
    }

    /// `report` with each failing check's `observed` extended by its service's state when that state
    /// explains the failure. Without an engine the report is returned as it is.
    func explainFailures(_ report: VerifyReport, checks: [CheckSpec]) async -> VerifyReport {
        let failing = report.results.indices.filter { !report.results[$0].pass && $0 < checks.count }
        let names = Set(failing.compactMap { checks[$0].service })
        guard !names.isEmpty, let states = await serviceStates(names) else { return report }
        var explained = report
        for index in failing {
            guard let name = checks[index].service, let state = states[name],
                  let note = Self.note(for: checks[index], service: name, state: state) else { continue }
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
    static func note(for check: CheckSpec, service name: ServiceName, state: ServiceState) -> String? {
        let swarmName = name.swarmName
        switch state {
        case .noStack:
            return "no \(Stack.name) stack is deployed on this engine (run `ftservices setup`)"
        case .notDeployed where name == .grafana:
            return "\(swarmName) is not deployed: setup ran without a Grafana image (see `grafana.package` in the README)"
        case .notDeployed:
            return "\(swarmName) is not deployed (run `ftservices setup`)"
        case .scaledToZero:
            return "\(swarmName) is scaled to 0 replicas (`docker service scale \(swarmName)=1`)"
        case .notRunning(let why):
            return "\(swarmName)'s task is \(why)"
        case .running(let published):
            if case .notReachable(_, let port) = check.probe, published.contains(port) {
                return "\(swarmName) publishes port \(port); it must stay inside the stack (run `ftservices setup` to deploy the committed stack file)"
            }
            return nil
        }
    }
}
