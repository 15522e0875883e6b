import Foundation
import Testing
@testable import FTServicesKit

/// A failed update against a scripted observer: the previous version is waited for (Swarm rolls back
/// itself) or asked for (Kubernetes), the other services still converge, and the wait ends with an error
/// naming the service, the version that failed, its health output and log lines, and the rollback. A
/// first deploy that fails has nothing to roll back to and says so.
@Suite struct HealthWaiterRollbackTests {
    typealias ScriptedObserver = HealthWaiterTests.ScriptedObserver

    let healthy = ServiceSnapshot(taskState: "running", health: "healthy")
    let new = "ftservices/nginx:new"
    let old = "ftservices/nginx:old"

    func wait(_ observer: ScriptedObserver, timeout: Double = 60) async throws {
        try await HealthWaiter(observer: observer, pollInterval: .milliseconds(10), rollbackGrace: 5)
            .wait(for: Array(observer.script.keys).sorted(), since: Date(), timeout: timeout) { _, _ in }
    }

    func rolledBack(_ error: (any Error)?) -> [WaitError.RolledBack] {
        if case .rolledBack(let services) = error as? WaitError { return services }
        return []
    }

    @Test func swarmRollsBackItselfAndTheWaitReportsIt() async throws {
        let exit = "task: non-zero exit (1) (exit code 1)"
        let observer = ScriptedObserver([
            "mysql": [healthy],
            "nginx": [
                ServiceSnapshot(taskState: "starting", update: .updating(previous: old), version: new),
                ServiceSnapshot(taskState: "failed", taskMessage: exit, failuresSince: [exit], update: .updating(previous: old), version: new),
                ServiceSnapshot(taskState: "pending", failuresSince: [exit], update: .rollingBack(failed: new), version: old),
                // Healthy again, but Swarm has not said the rollback is done: not yet.
                ServiceSnapshot(taskState: "running", health: "healthy", failuresSince: [exit], update: .rollingBack(failed: new), version: old),
                ServiceSnapshot(taskState: "running", health: "healthy", failuresSince: [exit], update: .rolledBack(failed: new), version: old),
            ],
        ])
        let error = await #expect(throws: WaitError.self) { try await wait(observer) }
        let services = rolledBack(error)
        #expect(services.map(\.service) == ["nginx"])
        #expect(services.first?.failed == new && services.first?.restored == old)
        #expect(observer.rollBacks.isEmpty, "Swarm rolls back itself: the wait must not ask")
        #expect(observer.polls["nginx"] == 5)
        let text = "\(error!)"
        #expect(text.contains("the update of nginx failed and was rolled back"), "\(text)")
        #expect(text.contains("its new version \(new) failed (\(exit)); rolled back: the previous version \(old) serves again"), "\(text)")
        #expect(text.contains("last health check of the failed version: health of the failed nginx"), "\(text)")
        #expect(text.contains("last log lines of the failed version:\n    log line of the failed nginx"), "\(text)")
    }

    @Test func kubernetesIsAskedToRollBackOnceWhenTheNewVersionFails() async throws {
        let exit = "container exited with code 1 (Error)"
        let failing = ServiceSnapshot(taskState: "running", health: "starting", failuresSince: [exit, exit, exit], update: .updating(previous: old), version: new)
        let observer = ScriptedObserver([
            "mysql": [healthy],
            "nginx": [failing, failing, ServiceSnapshot(taskState: "running", health: "healthy", update: .updating(previous: old), version: new)],
        ], rollsBackOnItsOwn: false)
        let error = await #expect(throws: WaitError.self) { try await wait(observer) }
        #expect(observer.rollBacks == ["nginx"])
        #expect(rolledBack(error).first?.reason.contains("3 tasks failed") == true, "\(error!)")
    }

    @Test func anUpdateStillStartingAtTheDeadlineIsRolledBack() async throws {
        let starting = ServiceSnapshot(taskState: "starting", update: .updating(previous: old), version: new)
        let observer = ScriptedObserver([
            "nginx": Array(repeating: starting, count: 30) + [ServiceSnapshot(taskState: "running", health: "healthy", update: .rolledBack(failed: new), version: old)],
        ])
        let error = await #expect(throws: WaitError.self) { try await wait(observer, timeout: 0.1) }
        #expect(observer.rollBacks == ["nginx"])
        #expect(rolledBack(error).first?.reason.hasPrefix("not healthy within 0 s") == true, "\(error!)")
    }

    @Test func aHealthyUpdateOnSwarmIsDoneOnlyWhenSwarmSaysSo() async throws {
        let monitored = ServiceSnapshot(taskState: "running", health: "healthy", update: .updating(previous: old), version: new)
        let observer = ScriptedObserver(["nginx": [monitored, monitored, ServiceSnapshot(taskState: "running", health: "healthy", version: new)]])
        try await wait(observer)
        #expect(observer.polls["nginx"] == 3)
    }

    @Test func aFailedFirstDeploySaysThereIsNothingToRollBackTo() async throws {
        let exit = "task: non-zero exit (1) (exit code 1)"
        let observer = ScriptedObserver([
            "nginx": [ServiceSnapshot(taskState: "running", failuresSince: [exit, exit, exit], update: .firstDeploy, version: new)],
        ])
        let error = await #expect(throws: WaitError.self) { try await wait(observer) }
        #expect(observer.rollBacks.isEmpty)
        let text = "\(error!)"
        #expect(text.contains("service nginx is failed"), "\(text)")
        #expect(text.contains("nothing to roll back to: this is the first deploy of nginx"), "\(text)")
    }
}
