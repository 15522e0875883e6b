import FTServicesCore
import Foundation
@testable import FTServicesKit

/// kubectl for the Kubernetes runtime's tests (no cluster can run here). `get pods` answers `before` until
/// the crash (the kill exec or `rollout restart`), then one list of `after` per read, the last repeating;
/// `get deployments` answers `deployments`; `exec` hands the container's command to `exec`. Every argv is kept.
final class FakeKubectl: ProcessRunning, @unchecked Sendable {
    /// What `exec` answers: kubectl's standard output (the wrapper's marker included) and error.
    struct ExecAnswer {
        var stdout: String
        var stderr = ""

        /// The command printed `stdout` and exited with `status`, as the wrapper reports it.
        static func exited(_ status: Int, _ stdout: String = "") -> ExecAnswer {
            ExecAnswer(stdout: stdout + "\nftservices-exit:\(status)\n")
        }
    }

    private let lock = NSLock()
    private let before: String
    private let after: [String]
    private let deployments: String
    private let exec: @Sendable (_ command: [String], _ pod: String) -> ExecAnswer
    /// Other commands' standard output, by leading words (`kubectl get services`).
    var outputs: [[String]: String] = [:]
    private var crashed = false
    private var step = 0
    private(set) var calls: [[String]] = []

    init(before: String, after: [String] = [], deployments: [String: Int] = [:],
         exec: @escaping @Sendable (_ command: [String], _ pod: String) -> ExecAnswer = { _, _ in .exited(0) }) {
        self.before = before
        self.after = after
        self.deployments = FakeKubectl.deploymentList(deployments)
        self.exec = exec
    }

    func run(_ arguments: [String], input: Data?, environment: [String: String], logFile: URL?) async throws(ProcessError) -> ProcessOutput {
        lock.withLock { calls.append(arguments) }
        if arguments.starts(with: ["kubectl", "get", "pods"]) {
            let list: String = lock.withLock {
                guard crashed, !after.isEmpty else { return before }
                defer { step += 1 }
                return after[min(step, after.count - 1)]
            }
            return ProcessOutput(standardOutput: list, standardError: "")
        }
        if arguments.starts(with: ["kubectl", "get", "deployments"]) {
            return ProcessOutput(standardOutput: deployments, standardError: "")
        }
        if arguments.starts(with: ["kubectl", "rollout", "restart"]) {
            lock.withLock { crashed = true }
            return ProcessOutput(standardOutput: "deployment.apps/\(arguments.last ?? "") restarted", standardError: "")
        }
        if arguments.starts(with: ["kubectl", "exec"]), let dash = arguments.firstIndex(of: "--"), arguments.count > dash + 4 {
            // kubectl exec … POD … -- sh -c WRAPPER sh COMMAND…
            let command = Array(arguments[(dash + 5)...])
            let answer = exec(command, arguments[4])
            if command.count > 2, command[2].contains("kill -s") { lock.withLock { crashed = true } }
            return ProcessOutput(standardOutput: answer.stdout, standardError: answer.stderr)
        }
        if let key = outputs.keys.filter({ arguments.starts(with: $0) }).max(by: { $0.count < $1.count }) {
            return ProcessOutput(standardOutput: outputs[key]!, standardError: "")
        }
        throw .failed(command: arguments, status: "exit status 1", standardError: "error: the fake kubectl does not know this", logFile: nil)
    }

    /// The exec calls, as their argv.
    var execCalls: [[String]] { lock.withLock { calls.filter { $0.starts(with: ["kubectl", "exec"]) } } }

    static func deploymentList(_ replicas: [String: Int]) -> String {
        let items = replicas.sorted { $0.key < $1.key }.map {
            #"{"metadata":{"name":"\#($0.key)","labels":{"app.kubernetes.io/part-of":"ftservices"}},"spec":{"replicas":\#($0.value)}}"#
        }
        return #"{"apiVersion":"v1","kind":"List","items":["# + items.joined(separator: ",") + "]}"
    }

    /// Answers for MariaDB's canary and answer check and for the kill script (PID 4242), as a healthy
    /// mysql container would.
    static func mysql(_ command: [String], _ pod: String) -> ExecAnswer {
        if command.first == "sh", command.count > 2, command[2].contains("kill -s") { return .exited(0, "4242\n") }
        guard command.prefix(4) == ["mariadb", "-N", "-B", "-e"], let statement = command.last else {
            return .exited(127, "")
        }
        if statement == "SELECT 1" || statement.hasPrefix("SELECT COUNT(*)") { return .exited(0, "1\n") }
        return .exited(0)
    }
}

/// A pod of `kubectl get pods -o json`, for the tests.
struct TestPod {
    enum State {
        case running(since: String)
        case waiting(reason: String, message: String)
        case terminated(code: Int, reason: String, finished: String)
    }

    var name = "mysql-1"
    var service = "mysql"
    var created = "2030-01-01T00:00:00Z"
    var restarts = 0
    var state = State.running(since: "2030-01-01T00:00:01Z")
    var lastExit: (code: Int, reason: String, finished: String)?
    var ready = false
    var started: Bool?
    var readySince = "2030-01-01T00:00:05Z"
    var deleting = false

    var json: [String: Any] {
        let state: [String: Any] = switch self.state {
        case .running(let since): ["running": ["startedAt": since]]
        case .waiting(let reason, let message): ["waiting": ["reason": reason, "message": message]]
        case .terminated(let code, let reason, let finished): ["terminated": ["exitCode": code, "reason": reason, "finishedAt": finished]]
        }
        var container: [String: Any] = ["name": service, "ready": ready, "restartCount": restarts, "state": state, "lastState": [:] as [String: Any]]
        if let lastExit {
            container["lastState"] = ["terminated": ["exitCode": lastExit.code, "reason": lastExit.reason, "finishedAt": lastExit.finished]]
        }
        if let started { container["started"] = started }
        var metadata: [String: Any] = ["name": name, "creationTimestamp": created,
                                       "labels": ["app.kubernetes.io/name": service, "app.kubernetes.io/part-of": "ftservices"]]
        if deleting { metadata["deletionTimestamp"] = "2030-01-01T01:00:00Z" }
        let conditions: [[String: Any]] = [["type": "Ready", "status": ready ? "True" : "False", "lastTransitionTime": readySince]]
        return ["metadata": metadata, "status": ["phase": "Running", "conditions": conditions, "containerStatuses": [container]]]
    }

    static func list(_ pods: TestPod...) -> String {
        let data = try! JSONSerialization.data(withJSONObject: ["apiVersion": "v1", "kind": "List", "items": pods.map(\.json)])
        return String(decoding: data, as: UTF8.self)
    }

    static func decoded(_ pods: TestPod...) -> KubernetesPodList {
        let data = try! JSONSerialization.data(withJSONObject: ["items": pods.map(\.json)])
        return try! JSONDecoder().decode(KubernetesPodList.self, from: data)
    }
}
