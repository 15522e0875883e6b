import FTServicesCore
import Foundation
@testable import FTServicesKit

/// kubectl for the backup and restore tests: one ready pod per deployed service (a new pod after each
/// `rollout restart`), `exec … -- /usr/local/lib/ftservices/backup` prints the service's `data`, and
/// `exec --stdin … restore` keeps what it was given as the service's data. Every argv is kept, in order.
final class BackupKubectl: ProcessRunning, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var data: [ServiceName: String]
    let deployed: Set<ServiceName>
    /// Services whose scripts exit 1 (backup or restore).
    var failing: Set<ServiceName> = []
    /// Services whose restore script exits 1.
    var failingRestores: Set<ServiceName> = []
    /// Services whose pods are not ready.
    var notReady: Set<ServiceName> = []
    private var generation: [ServiceName: Int] = [:]
    private(set) var calls: [[String]] = []
    /// What each restore was given, in order.
    private(set) var restored: [(ServiceName, String)] = []

    init(data: [ServiceName: String], deployed: Set<ServiceName>? = nil) {
        self.data = data
        self.deployed = deployed ?? Set(ServiceName.allCases.filter { $0 != .grafana })
    }

    func run(_ arguments: [String], input: Data?, environment: [String: String], logFile: URL?) async throws(ProcessError) -> ProcessOutput {
        lock.withLock { calls.append(arguments) }
        if arguments.starts(with: ["kubectl", "get", "deployments"]) {
            return ProcessOutput(standardOutput: FakeKubectl.deploymentList(Dictionary(uniqueKeysWithValues: deployed.map { ($0.rawValue, 1) })),
                                 standardError: "")
        }
        if arguments.starts(with: ["kubectl", "get", "pods"]) {
            let name = arguments.first { $0.contains("app.kubernetes.io/name=") }?.components(separatedBy: "app.kubernetes.io/name=").last
            guard let service = name.flatMap(ServiceName.init(rawValue:)), deployed.contains(service) else {
                return ProcessOutput(standardOutput: TestPod.list(), standardError: "")
            }
            let pod = lock.withLock {
                TestPod(name: "\(service.rawValue)-\(generation[service, default: 1])", service: service.rawValue,
                        ready: !notReady.contains(service), started: true)
            }
            return ProcessOutput(standardOutput: TestPod.list(pod), standardError: "")
        }
        if arguments.starts(with: ["kubectl", "rollout", "restart"]), let target = arguments.last?.split(separator: "/").last,
           let service = ServiceName(rawValue: String(target)) {
            lock.withLock { generation[service, default: 1] += 1 }
            return ProcessOutput(standardOutput: "deployment.apps/\(service.rawValue) restarted", standardError: "")
        }
        if arguments.starts(with: ["kubectl", "exec"]), let dash = arguments.firstIndex(of: "--"),
           let containerFlag = arguments.firstIndex(of: "--container"), let service = ServiceName(rawValue: arguments[containerFlag + 1]) {
            let command = Array(arguments[(dash + 1)...])
            if lock.withLock({ failing.contains(service) || (failingRestores.contains(service) && command == BackupPart.restoreCommand) }) {
                throw .failed(command: arguments, status: "exit status 1", standardError: "\(service.rawValue): disk full\ncommand terminated with exit code 1", logFile: nil)
            }
            if command == BackupPart.backupCommand {
                return ProcessOutput(standardOutput: lock.withLock { data[service] ?? "" }, standardError: "")
            }
            if command == BackupPart.restoreCommand {
                let text = String(decoding: input ?? Data(), as: UTF8.self)
                lock.withLock {
                    data[service] = text
                    restored.append((service, text))
                }
                return ProcessOutput(standardOutput: "", standardError: "")
            }
        }
        throw .failed(command: arguments, status: "exit status 1", standardError: "error: the backup kubectl does not know this", logFile: nil)
    }

    /// The services the calls touched, as "backup mysql", "restore mysql", "restart wordpress", in order.
    var steps: [String] {
        lock.withLock {
            calls.compactMap { call in
                if call.starts(with: ["kubectl", "rollout", "restart"]) { return "restart \(call.last!.split(separator: "/").last!)" }
                guard call.starts(with: ["kubectl", "exec"]), let flag = call.firstIndex(of: "--container") else { return nil }
                return (call.last == BackupPart.restoreCommand.last ? "restore " : "backup ") + call[flag + 1]
            }
        }
    }
}
