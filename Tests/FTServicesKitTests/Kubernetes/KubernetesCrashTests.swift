import FTServicesCore
import Foundation
import Testing
@testable import FTServicesKit

/// `crashtest` on Kubernetes against a scripted kubectl: a killed container comes back in the same pod with
/// its restart count one higher, a rollout brings a new pod, CrashLoopBackOff is named, engine mode is refused.
@Suite struct KubernetesCrashTests {
    static let credentials = VerifyCredentials(caFile: "/nonexistent", sshPrivateKey: "/nonexistent", sshPublicKey: nil, passwords: [:])

    static func tester(_ kubectl: FakeKubectl) -> CrashTester {
        let runtime = KubernetesRuntime(runner: kubectl, pollInterval: .milliseconds(10))
        let config = StackConfig.defaults
        return CrashTester(runtime: runtime, verifier: Verifier(credentials: credentials, runtime: runtime, runner: kubectl),
                           canaries: CanaryKeeper(runtime: runtime, credentials: credentials, config: config, address: "192.0.2.10"),
                           stack: Stack(config: config), address: "192.0.2.10")
    }

    static let healthy = TestPod(ready: true, started: true)

    static func run(_ kubectl: FakeKubectl, mode: CrashMode = .kill, deadline: Duration = .seconds(10)) async throws -> (CrashRun, [String]) {
        let lines = ProgressLines()
        let report = try await tester(kubectl).run([.mysql], explicit: true, options: .init(mode: mode, deadline: deadline)) { lines.add($0) }
        return (try #require(report.runs.first), lines.all)
    }

    /// SIGKILL of mariadbd: the container terminates, the kubelet starts it again in the same pod (restart
    /// count 0 → 1), it turns ready; the canary row is still there.
    @Test func killRunTimesEachPhaseFromThePodStatus() async throws {
        let kubectl = FakeKubectl(before: TestPod.list(Self.healthy), after: [
            TestPod.list(TestPod(state: .terminated(code: 137, reason: "Error", finished: "2030-01-01T00:01:00Z"), started: false)),
            TestPod.list(TestPod(restarts: 1, state: .running(since: "2030-01-01T00:01:01Z"),
                                 lastExit: (137, "Error", "2030-01-01T00:01:00Z"), started: false)),
            TestPod.list(TestPod(restarts: 1, state: .running(since: "2030-01-01T00:01:01Z"),
                                 lastExit: (137, "Error", "2030-01-01T00:01:00Z"), ready: true, started: true)),
        ], deployments: ["mysql": 1, "nginx": 1], exec: FakeKubectl.mysql)
        let (run, lines) = try await Self.run(kubectl)

        #expect(run.passed, "\(run.problems)")
        #expect(run.pid == 4242 && run.process == "mariadbd" && run.signal == "SIGKILL")
        let exited = try #require(run.exitedMs), running = try #require(run.runningMs), healthy = try #require(run.healthyMs)
        #expect(exited <= running && running <= healthy, "\(exited) \(running) \(healthy)")
        #expect(run.answeringMs != nil)
        #expect(run.restarts == 1 && run.crashedTaskState == nil, "the container restarted once in its pod")
        #expect(run.canary.kind == .mysqlRow && run.canary.state == .intact, "\(run.canary)")
        #expect(run.notes == nil)
        #expect(lines.contains("mysql: sent SIGKILL to mariadbd (pid 4242) in deployment/mysql"), "\(lines)")

        // The signal goes from inside the pod's mysql container, by process name; the wrapper reports the exit status.
        let kill = try #require(kubectl.execCalls.first { $0.contains("KILL") })
        #expect(Array(kill.prefix(12)) == ["kubectl", "exec", "--namespace", "ftservices", "mysql-1", "--container", "mysql", "--",
                                          "sh", "-c", KubernetesRuntime.execWrapper, "sh"])
        #expect(kill.count == 18 && Array(kill[12...13]) == ["sh", "-c"] && Array(kill[15...]) == ["sh", "mariadbd", "KILL"], "\(kill)")
        // After the crash the canary is read in the same pod, its container restarted.
        #expect(kubectl.execCalls.last?[4] == "mysql-1")
    }

    /// A crash soon after another: the kubelet holds the restart back; the run passes when the service comes
    /// back in time, and says the running time includes Kubernetes' delay.
    @Test func crashLoopBackOffIsNamedInTheRun() async throws {
        let backOff = TestPod(state: .waiting(reason: "CrashLoopBackOff", message: "back-off 10s restarting failed container=mysql pod=mysql-1_ftservices(1234)"),
                              lastExit: (137, "Error", "2030-01-01T00:01:00Z"), started: false)
        let back = TestPod(restarts: 1, state: .running(since: "2030-01-01T00:01:10Z"), lastExit: (137, "Error", "2030-01-01T00:01:00Z"),
                           ready: true, started: true)
        let kubectl = FakeKubectl(before: TestPod.list(Self.healthy), after: [TestPod.list(backOff), TestPod.list(backOff), TestPod.list(backOff), TestPod.list(back)],
                                  deployments: ["mysql": 1], exec: FakeKubectl.mysql)
        let (run, _) = try await Self.run(kubectl)
        #expect(run.passed, "\(run.problems)")
        #expect(run.notes == ["Kubernetes held the restart back (CrashLoopBackOff: back-off 10s restarting failed container=mysql pod=mysql-1_ftservices(1234)); the running time includes that delay"])
        #expect(CrashReport(runs: [run]).text.contains("note: mysql SIGKILL mariadbd: Kubernetes held the restart back (CrashLoopBackOff: back-off 10s"))
    }

    /// When the back-off outlasts the deadline, the failure says so with kubectl's own message.
    @Test func aRecoveryStuckInCrashLoopBackOffSaysSo() async throws {
        let stuck = TestPod(state: .waiting(reason: "CrashLoopBackOff", message: "back-off 40s restarting failed container=mysql pod=mysql-1"),
                            lastExit: (137, "Error", "2030-01-01T00:01:00Z"), started: false)
        let tester = Self.tester(FakeKubectl(before: TestPod.list(stuck)))
        let why = await tester.steps.notRecovered(.mysql, phases: RecoveryPhases(exited: Date(), backOff: "back-off 40s restarting failed container=mysql pod=mysql-1"),
                                                  answering: false, lastAnswer: "no new container yet", deadline: .seconds(60))
        #expect(why == "did not recover within 60 s: no new container started (its container is waiting: CrashLoopBackOff (back-off 40s restarting failed container=mysql pod=mysql-1))")
    }

    /// `kubectl rollout restart`: a new pod replaces the old one; its restart count starts at 0, which is no
    /// restart at all, whatever the old pod had counted.
    @Test func redeployIsARolloutRestartAndItsNewPodIsTheOneReplacement() async throws {
        let old = TestPod(restarts: 3, ready: true, started: true)
        var leaving = old
        leaving.deleting = true
        leaving.state = .terminated(code: 0, reason: "Completed", finished: "2030-01-01T00:02:00Z")
        leaving.ready = false
        let fresh = TestPod(name: "mysql-2", created: "2030-01-01T00:02:01Z", state: .running(since: "2030-01-01T00:02:02Z"), started: false)
        var ready = fresh
        ready.ready = true
        ready.started = true
        let kubectl = FakeKubectl(before: TestPod.list(old), after: [TestPod.list(leaving), TestPod.list(fresh), TestPod.list(ready)],
                                  deployments: ["mysql": 1], exec: FakeKubectl.mysql)
        let (run, lines) = try await Self.run(kubectl, mode: .redeploy)
        #expect(run.passed, "\(run.problems)")
        #expect(run.restarts == 1, "the new pod replaces the old one once; the old pod's 3 restarts are not counted")
        #expect(run.exitedMs != nil && run.runningMs != nil && run.healthyMs != nil)
        #expect(kubectl.calls.contains(["kubectl", "rollout", "restart", "--namespace", "ftservices", "deployment/mysql"]))
        #expect(lines.contains("mysql: restarted the rollout of deployment/mysql"), "\(lines)")
        #expect(kubectl.execCalls.last?[4] == "mysql-2", "the canary is read back in the new pod")
    }

    @Test func engineModeIsForSwarmOnly() async throws {
        let kubectl = FakeKubectl(before: TestPod.list(Self.healthy), deployments: ["mysql": 1])
        await #expect(throws: CrashTestError.engineModeNeedsSwarm(.kubernetes)) {
            _ = try await Self.tester(kubectl).run([.mysql], explicit: true, options: .init(mode: .engine)) { _ in }
        }
        #expect(kubectl.calls.isEmpty, "nothing is asked of the cluster")
        #expect("\(CrashTestError.engineModeNeedsSwarm(.kubernetes))".contains("use --mode kill or --mode redeploy"))
    }

    @Test func noStackInTheClusterNamesTheSetupToRun() async throws {
        let kubectl = FakeKubectl(before: TestPod.list())
        await #expect(throws: CrashTestError.noKubernetesStack) {
            _ = try await Self.tester(kubectl).run([.mysql], explicit: true, options: .init()) { _ in }
        }
        #expect("\(CrashTestError.noKubernetesStack)".contains("ftservices setup --orchestrator kubernetes"))
    }

    /// Grafana without its Deployment is skipped with the reason, as on Swarm.
    @Test func aServiceWithoutItsDeploymentIsSkipped() async throws {
        let kubectl = FakeKubectl(before: TestPod.list(Self.healthy), deployments: ["mysql": 1])
        let report = try await Self.tester(kubectl).run([.grafana], explicit: false, options: .init(deadline: .seconds(1))) { _ in }
        #expect(report.runs.isEmpty && report.skipped == [CrashSkip(service: .grafana, reason: "not deployed (setup ran without a Grafana image)")])
    }
}

/// Collects progress lines.
final class ProgressLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
