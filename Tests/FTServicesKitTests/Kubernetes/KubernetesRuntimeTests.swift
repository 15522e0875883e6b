import FTServicesCore
import Foundation
import Testing
import FTServicesTestSupport
@testable import FTServicesKit

/// The Kubernetes side of the ``ServiceRuntime`` seam against kubectl stand-ins: the `kubectl exec` argv and
/// its wrapper (run for real by a local shell), the in-stack InfluxDB check through it, the pod status read
/// as health, restarts and recovery phases, and the explanations of failing checks.
@Suite struct KubernetesRuntimeTests {
    /// kubectl whose `exec` runs the command after `--` on this machine (the wrapper included), with
    /// `/run/secrets/` pointing at a test directory; `get pods` answers `pods`.
    final class LocalKubectl: ProcessRunning, @unchecked Sendable {
        let pods: String
        let secrets: URL
        private let lock = NSLock()
        private(set) var calls: [[String]] = []

        init(pods: String, secrets: URL = URL(fileURLWithPath: "/nonexistent")) {
            self.pods = pods
            self.secrets = secrets
        }

        func run(_ arguments: [String], input: Data?, environment: [String: String], logFile: URL?) async throws(ProcessError) -> ProcessOutput {
            lock.withLock { calls.append(arguments) }
            if arguments.starts(with: ["kubectl", "get", "pods"]) { return ProcessOutput(standardOutput: pods, standardError: "") }
            guard arguments.starts(with: ["kubectl", "exec"]), let dash = arguments.firstIndex(of: "--") else {
                throw .failed(command: arguments, status: "exit status 1", standardError: "not scripted", logFile: nil)
            }
            let command = arguments[(dash + 1)...].map { $0.replacingOccurrences(of: "/run/secrets/", with: secrets.path + "/") }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = command
            let stdout = Pipe(), stderr = Pipe()
            process.standardOutput = stdout
            process.standardError = stderr
            do { try process.run() } catch { throw .couldNotStart(command: arguments, reason: "\(error)") }
            let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let err = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                // kubectl drops the output of a command that fails: the wrapper exists for this.
                throw .failed(command: arguments, status: "exit status \(process.terminationStatus)", standardError: err, logFile: nil)
            }
            return ProcessOutput(standardOutput: out, standardError: err)
        }
    }

    static let ready = TestPod(ready: true, started: true)

    // MARK: exec

    @Test func execRunsInThePodsContainerAndKeepsOutputAndExitStatus() async throws {
        let kubectl = LocalKubectl(pods: TestPod.list(Self.ready))
        let runtime = KubernetesRuntime(runner: kubectl)
        let failing = try await runtime.exec(.mysql, in: nil, command: ["sh", "-c", "printf 'a\\nb'; echo oops >&2; exit 3"])
        #expect(failing == CommandResult(exitCode: 3, stdout: "a\nb", stderr: "oops\n"))
        let newline = try await runtime.exec(.mysql, in: nil, command: ["echo", "ftservices-exit:7"])
        #expect(newline.exitCode == 0 && newline.stdout == "ftservices-exit:7\n", "only the wrapper's last line is the status")

        let exec = try #require(kubectl.calls.first { $0.starts(with: ["kubectl", "exec"]) })
        #expect(exec == ["kubectl", "exec", "--namespace", "ftservices", "mysql-1", "--container", "mysql", "--",
                         "sh", "-c", #""$@"; printf '\nftservices-exit:%s\n' "$?""#, "sh", "sh", "-c", "printf 'a\\nb'; echo oops >&2; exit 3"])
    }

    @Test func execThatKubectlCannotRunIsAnError() async throws {
        let lost = FakeKubectl(before: TestPod.list(Self.ready)) { _, _ in FakeKubectl.ExecAnswer(stdout: "no marker here") }
        await #expect {
            _ = try await KubernetesRuntime(runner: lost).exec(.mysql, in: nil, command: ["true"])
        } throws: { "\($0)".contains("the command in pod mysql-1 ran, but its exit status could not be read") }

        let crashing = FakeKubectl(before: TestPod.list(TestPod(state: .waiting(reason: "CrashLoopBackOff", message: "back-off 20s restarting failed container=mysql pod=mysql-1"))))
        await #expect {
            _ = try await KubernetesRuntime(runner: crashing).exec(.mysql, in: nil, command: ["true"])
        } throws: { error in
            "\(error)" == "no running container of deployment/mysql: its container is waiting: CrashLoopBackOff (back-off 20s restarting failed container=mysql pod=mysql-1) (`kubectl describe pod --namespace ftservices --selector app.kubernetes.io/name=mysql` shows why)"
        }
        #expect(crashing.execCalls.isEmpty)

        let missing = ScriptedRunner([["kubectl"]: .notFound])
        await #expect {
            _ = try await KubernetesRuntime(runner: missing).deployedServices()
        } throws: { "\($0)".contains("kubectl is not installed") }
        let refused = ScriptedRunner([["kubectl"]: .fail("The connection to the server 127.0.0.1:9 was refused")])
        await #expect {
            _ = try await KubernetesRuntime(runner: refused).deployedServices()
        } throws: { "\($0)".contains("(The connection to the server 127.0.0.1:9 was refused): check that the cluster of the current kubectl context answers") }
    }

    // MARK: verify's InfluxDB check through kubectl exec

    func influxProbe(port: Int) -> CheckProbe {
        .influxInside(service: .influxdb, url: "http://127.0.0.1:\(port)", login: .init(user: "admin", passwordSecret: .influxdbAdminPassword),
                      database: "ftservices")
    }

    func verifier(_ runner: any ProcessRunning) -> Verifier {
        let credentials = VerifyCredentials(caFile: "/nonexistent", sshPrivateKey: "/nonexistent", sshPublicKey: nil, passwords: [:])
        return Verifier(credentials: credentials, runtime: KubernetesRuntime(runner: runner), runner: runner)
    }

    @Test func influxCheckRunsInsideThePodWithThePasswordReadThere() async throws {
        let influx = try TestServer("http", ["influx": ["user": "admin", "password": "p4ss", "database": "ftservices"]])
        let secrets = try TestFiles.directory()
        try "p4ss\n".write(to: secrets.appendingPathComponent("influxdb_admin_password"), atomically: true, encoding: .utf8)
        let pod = TestPod(name: "influxdb-5c7d-q8w", service: "influxdb", ready: true, started: true)
        let kubectl = LocalKubectl(pods: TestPod.list(pod), secrets: secrets)
        let spec = CheckSpec(name: "influxdb", group: .services, target: "t", expected: "e", probe: influxProbe(port: influx.port))
        let good = await verifier(kubectl).check(spec)
        #expect(good.pass, "\(good.observed)")
        #expect(good.observed == "HTTP 200 to SHOW DATABASES as admin, lists ftservices")
        let exec = try #require(kubectl.calls.first { $0.starts(with: ["kubectl", "exec"]) })
        #expect(Array(exec.prefix(8)) == ["kubectl", "exec", "--namespace", "ftservices", "influxdb-5c7d-q8w", "--container", "influxdb", "--"])
        #expect(!exec.joined(separator: " ").contains("p4ss") && exec.contains("influxdb_admin_password"), "the secret's name, never its value")

        try "nope\n".write(to: secrets.appendingPathComponent("influxdb_admin_password"), atomically: true, encoding: .utf8)
        let wrong = await verifier(kubectl).check(spec)
        #expect(!wrong.pass && wrong.observed.hasPrefix("HTTP 401 to SHOW DATABASES as admin"), "\(wrong.observed)")

        let down = await verifier(LocalKubectl(pods: TestPod.list())).check(spec)
        #expect(!down.pass && down.observed.hasPrefix("no running container of deployment/influxdb: its container is not created (no pod)"), "\(down.observed)")
    }

    /// The canaries' InfluxDB write goes the same way: the admin password is read from its file in the pod.
    @Test func canaryCommandsCarryNoSecret() async throws {
        let pod = TestPod(name: "influxdb-1", service: "influxdb", ready: true, started: true)
        let kubectl = FakeKubectl(before: TestPod.list(pod)) { _, _ in .exited(0, "\n204") }
        let keeper = CanaryKeeper(runtime: KubernetesRuntime(runner: kubectl), credentials: VerifyCredentials(
            caFile: "/nonexistent", sshPrivateKey: "/nonexistent", sshPublicKey: nil, passwords: [.influxdbAdminPassword: "S3cretInflux"]),
                                  config: .defaults, address: "192.0.2.10")
        _ = try await keeper.influx(.influxdb, path: "/write?db=ftservices", data: "ftservices_canary,run=x value=1")
        let exec = try #require(kubectl.execCalls.first)
        #expect(!exec.joined(separator: " ").contains("S3cret") && exec.contains("influxdb_admin_password"))
    }

    // MARK: pod status

    @Test func runningContainerIsTheNewestPodsContainerWithReadinessAsHealth() async throws {
        let old = TestPod(name: "mysql-old", created: "2030-01-01T00:00:00Z", ready: true, started: true, deleting: true)
        let starting = TestPod(name: "mysql-new", created: "2030-01-01T00:05:00Z", restarts: 2, state: .running(since: "2030-01-01T00:05:03Z"), started: false)
        let container = try await KubernetesRuntime(runner: FakeKubectl(before: TestPod.list(old, starting))).runningContainer(.mysql)
        #expect(container == RunningContainer(id: "mysql-new/2", pod: "mysql-new", restartCount: 2, health: "starting",
                                              startedAt: Date(timeIntervalSince1970: 1_893_456_303), label: "container mysql of pod mysql-new (restart 2)"))
        var failing = starting
        failing.started = true
        #expect(try await KubernetesRuntime(runner: FakeKubectl(before: TestPod.list(failing))).runningContainer(.mysql).health == "unhealthy")
    }

    @Test func restartsAreCountedPerPod() async throws {
        let pod = TestPod(restarts: 2, lastExit: (137, "OOMKilled", "2030-01-01T00:00:30Z"), ready: true)
        let tally = try await KubernetesRuntime(runner: FakeKubectl(before: TestPod.list(pod))).restarts(.mysql)
        #expect(tally == RestartTally(count: 2, scope: "mysql-1", reasons: ["exited with code 137 (OOMKilled)"], reasonsLabel: "last termination"))
        #expect(RestartTally(count: 3, scope: "mysql-1").added(since: tally) == 1)
        #expect(RestartTally(count: 0, scope: "mysql-2").added(since: tally) == 0, "a new pod's count is all new")
        #expect(RestartTally(count: 5).added(since: RestartTally(count: 4)) == 1, "Swarm: one history")
    }

    // MARK: recovery phases

    /// Pod times are whole seconds: a phase is dated at the end of its second, or when the poll saw it if
    /// that is earlier; a node clock behind this host's is not trusted.
    @Test func phasesAreNeverEarlierThanThePodStatusAllows() throws {
        let second = try #require(ISO8601DateFormatter().date(from: "2030-01-01T00:01:00Z"))
        let at = { (offset: Double) in second.addingTimeInterval(offset) }
        func close(_ date: Date?, _ expected: Date) -> Bool { date.map { abs($0.timeIntervalSince(expected)) < 0.001 } ?? false }
        let old = RunningContainer(id: "mysql-1/0", pod: "mysql-1", restartCount: 0, health: "healthy", startedAt: nil, label: "")
        var tracker = PodRecoveryTracker(service: .mysql, old: old, crashAt: at(0.7))
        tracker.observe(TestPod.decoded(Self.ready), polledFrom: at(0.75), to: at(0.8))
        #expect(tracker.phases == RecoveryPhases())

        // The exit (at 00:01:00.7) reads "00:01:00Z"; the poll returned at 00:01:01.3: dated 00:01:01.0.
        tracker.observe(TestPod.decoded(TestPod(state: .terminated(code: 137, reason: "Error", finished: "2030-01-01T00:01:00Z"))),
                        polledFrom: at(1.2), to: at(1.3))
        #expect(close(tracker.phases.exited, at(1.0)), "\(String(describing: tracker.phases.exited))")
        #expect(tracker.phases.running == nil)

        // Running since "00:01:01Z", seen by a poll that returned at 00:01:01.5: dated 00:01:01.5.
        let back = TestPod(restarts: 1, state: .running(since: "2030-01-01T00:01:01Z"), lastExit: (137, "Error", "2030-01-01T00:01:00Z"))
        tracker.observe(TestPod.decoded(back), polledFrom: at(1.4), to: at(1.5))
        #expect(close(tracker.phases.running, at(1.5)) && tracker.phases.runningContainer == "mysql-1/1")

        // Ready since "00:00:05Z", before polls that saw it not ready (a node clock behind): the poll's time is used.
        var ready = back
        ready.ready = true
        ready.readySince = "2030-01-01T00:00:05Z"
        tracker.observe(TestPod.decoded(ready), polledFrom: at(3), to: at(3.1))
        #expect(close(tracker.phases.healthy, at(3.1)))
        #expect(tracker.phases.backOff == nil)
    }

    @Test func aRestartHeldBackIsRecordedAndASecondCrashRestartsThePhases() throws {
        let old = RunningContainer(id: "mysql-1/0", pod: "mysql-1", restartCount: 0, health: "healthy", startedAt: nil, label: "")
        var tracker = PodRecoveryTracker(service: .mysql, old: old, crashAt: Date())
        let now = Date()
        let first = TestPod(restarts: 1, state: .running(since: "2030-01-01T00:01:01Z"), ready: true)
        tracker.observe(TestPod.decoded(first), polledFrom: now, to: now)
        #expect(tracker.phases.runningContainer == "mysql-1/1" && tracker.phases.healthy != nil)
        let loop = TestPod(restarts: 1, state: .waiting(reason: "CrashLoopBackOff", message: "back-off 10s restarting failed container=mysql pod=mysql-1"),
                           lastExit: (1, "Error", "2030-01-01T00:01:02Z"))
        tracker.observe(TestPod.decoded(loop), polledFrom: now, to: now)
        #expect(tracker.phases.backOff == "back-off 10s restarting failed container=mysql pod=mysql-1")
        let second = TestPod(restarts: 2, state: .running(since: "2030-01-01T00:01:12Z"))
        tracker.observe(TestPod.decoded(second), polledFrom: now, to: now)
        #expect(tracker.phases.runningContainer == "mysql-1/2" && tracker.phases.healthy == nil, "the newest container is the one to serve")
    }

    // MARK: verify's explanations

    @Test func failingChecksAreExplainedWithTheDeploymentsAndPods() async throws {
        let loop = TestPod(state: .waiting(reason: "CrashLoopBackOff", message: "back-off 40s restarting failed container=mysql pod=mysql-1"))
        let kubectl = FakeKubectl(before: TestPod.list(loop, TestPod(name: "nginx-1", service: "nginx", ready: true)),
                                  deployments: ["mysql": 1, "ftps": 0, "nginx": 1])
        let checks = [ServiceName.mysql, .ftps, .nginx, .grafana].map {
            CheckSpec(name: $0.rawValue, group: .ports, target: "t", expected: "e", probe: .notReachable(host: "h", port: 1), service: $0)
        }
        let report = VerifyReport(results: checks.map { CheckResult(spec: $0, observed: "refused", latency: .zero, pass: false) })
        let observed = await verifier(kubectl).explainFailures(report, checks: checks).results.map(\.observed)
        #expect(observed == [
            "refused — deployment/mysql's container is waiting: CrashLoopBackOff (back-off 40s restarting failed container=mysql pod=mysql-1)",
            "refused — deployment/ftps is scaled to 0 replicas (`kubectl scale --namespace ftservices deployment/ftps --replicas=1`)",
            "refused",
            "refused — deployment/grafana is not deployed: setup ran without a Grafana image (see `grafana.package` in the README)",
        ])
        let empty = await verifier(FakeKubectl(before: TestPod.list())).explainFailures(report, checks: checks).results[0].observed
        #expect(empty == "refused — no ftservices stack is deployed in namespace ftservices of the current kubectl context (run `ftservices setup --orchestrator kubernetes`)")
    }
}
