import Foundation
import Testing
@testable import FTServicesKit

/// The wait logic against a scripted observer: healthy ends the wait, a failed task or an unhealthy
/// container fails fast with its diagnostics, a stuck service times out naming itself.
@Suite struct HealthWaiterTests {
    final class ScriptedObserver: StackObserving, @unchecked Sendable {
        let lock = NSLock()
        var script: [String: [ServiceSnapshot]]
        var polls: [String: Int] = [:]

        /// Whether the scripted orchestrator rolls failed updates back itself (Swarm) or waits to be asked (Kubernetes).
        let rollsBackOnItsOwn: Bool
        /// The services the wait asked to roll back.
        var rollBacks: [String] = []

        init(_ script: [String: [ServiceSnapshot]], rollsBackOnItsOwn: Bool = true) {
            self.script = script
            self.rollsBackOnItsOwn = rollsBackOnItsOwn
        }

        func rollBack(service: String) async throws { lock.withLock { rollBacks.append(service) } }

        func failureDetails(service: String, snapshot: ServiceSnapshot, lines: Int) async -> FailureDetails {
            FailureDetails(health: snapshot.lastHealthOutput ?? "health of the failed \(service)", logs: "log line of the failed \(service)")
        }

        func snapshot(service: String, since: Date) async throws -> ServiceSnapshot {
            lock.withLock {
                let index = polls[service, default: 0]
                polls[service] = index + 1
                let steps = script[service] ?? []
                return steps[min(index, steps.count - 1)]
            }
        }

        func recentLogs(service: String, lines: Int) async -> String { "log line of \(service)" }
    }

    let healthy = ServiceSnapshot(taskState: "running", health: "healthy")
    let starting = ServiceSnapshot(taskState: "running", health: "starting", lastHealthOutput: "waiting for mysql")

    func wait(_ observer: ScriptedObserver, timeout: Double = 60) async throws {
        try await HealthWaiter(observer: observer, pollInterval: .milliseconds(10), rollbackGrace: 5)
            .wait(for: Array(observer.script.keys).sorted(), since: Date(), timeout: timeout) { _, _ in }
    }

    @Test func returnsWhenEveryServiceIsHealthy() async throws {
        let observer = ScriptedObserver([
            "nginx": [ServiceSnapshot(taskState: "preparing"), starting, healthy],
            "mysql": [starting, starting, starting, healthy],
        ])
        try await wait(observer)
        #expect(observer.polls["mysql"] == 4)
    }

    @Test func oneFailedStartIsRetriedNotFatal() async throws {
        let transient = "starting container failed: unable to remount dir as readonly (exit code 128)"
        let observer = ScriptedObserver([
            "nginx": [ServiceSnapshot(taskState: "failed", failuresSince: [transient]),
                      ServiceSnapshot(taskState: "running", health: "healthy", failuresSince: [transient])],
        ])
        try await wait(observer)
    }

    @Test func aCrashLoopFailsFastWithItsErrorAndLogs() async throws {
        let exit = "task: non-zero exit (1) (exit code 1)"
        let observer = ScriptedObserver([
            "nginx": [healthy],
            "wordpress": [starting, ServiceSnapshot(taskState: "running", failuresSince: [exit]),
                          ServiceSnapshot(taskState: "running", failuresSince: [exit, exit, exit])],
        ])
        let error = await #expect(throws: WaitError.self) { try await wait(observer, timeout: 60) }
        let text = "\(error!)"
        #expect(text.contains("service wordpress is failed: 3 tasks failed, the last: task: non-zero exit (1)"), "\(text)")
        #expect(text.contains("log line of wordpress"), "\(text)")
        #expect(text.contains("ftservices logs wordpress"), "\(text)")
    }

    @Test func unhealthyFailsFastWithTheHealthOutput() async throws {
        let observer = ScriptedObserver([
            "ftps": [ServiceSnapshot(taskState: "running", health: "unhealthy", lastHealthOutput: "no 220 greeting on 127.0.0.1:21")],
        ])
        let error = await #expect(throws: WaitError.self) { try await wait(observer, timeout: 60) }
        #expect("\(error!)".contains("no 220 greeting on 127.0.0.1:21"))
    }

    @Test func timeoutNamesTheStuckServiceItsStateAndLastHealthOutput() async throws {
        let observer = ScriptedObserver(["nginx": [healthy], "mysql": [starting]])
        let error = await #expect(throws: WaitError.self) { try await wait(observer, timeout: 0.1) }
        let text = "\(error!)"
        #expect(text.contains("- mysql: starting (waiting for mysql)"), "\(text)")
        #expect(text.contains("last health check: waiting for mysql"), "\(text)")
        #expect(!text.contains("- nginx"), "\(text)")
    }
}
