import FTServicesCore
import Foundation
import Testing
import FTServicesTestSupport
@testable import FTServicesKit

/// A failing check says what the engine knows about its service (not deployed, scaled to 0, task not
/// running); a passing one, or one whose service runs, is left as it is.
@Suite struct VerifierDiagnosisTests {
    static func service(_ name: ServiceName, replicas: Int, published: [Int] = []) -> EngineAPI.Service {
        EngineAPI.Service(id: "id-\(name.rawValue)", spec: .init(
            name: name.swarmName, taskTemplate: .init(containerSpec: nil),
            endpointSpec: .init(mode: "dnsrr", ports: published.map { .init(targetPort: $0, publishedPort: $0) }),
            mode: .init(replicated: .init(replicas: replicas))))
    }

    static func task(_ state: String, err: String? = nil) -> EngineAPI.ServiceTask {
        EngineAPI.ServiceTask(id: "t", desiredState: "running", status: .init(state: state, err: err))
    }

    func explain(_ results: [(ServiceName?, Bool)], services: [EngineAPI.Service]?, tasks: [EngineAPI.ServiceTask] = [task("running")])
        async throws -> [String] {
        let engine = FakeEngine(tasks: tasks, secretsDirectory: URL(fileURLWithPath: "/nonexistent"), stackServices: services)
        let verifier = Self.verifier(engine)
        let checks = results.enumerated().map { index, entry in
            CheckSpec(name: "c\(index)", group: .ports, target: "t", expected: "e", probe: .notReachable(host: "h", port: 3306), service: entry.0)
        }
        let report = VerifyReport(results: zip(checks, results).map { check, entry in
            CheckResult(spec: check, observed: "connection refused", latency: .zero, pass: entry.1)
        })
        return await verifier.explainFailures(report, checks: checks).results.map(\.observed)
    }

    static func verifier(_ engine: any ContainerEngineAPI) -> Verifier {
        Verifier(credentials: VerifyCredentials(caFile: "/nonexistent", sshPrivateKey: "/nonexistent", sshPublicKey: nil, passwords: [:]),
                 engine: engine)
    }

    @Test func aPublishedInternalPortIsNamed() async throws {
        let observed = try await explain([(.mysql, false)], services: [Self.service(.mysql, replicas: 1, published: [3306])])
        #expect(observed[0].hasSuffix("ftservices_mysql publishes port 3306; it must stay inside the stack (run `ftservices setup` to deploy the committed stack file)"))
        let unpublished = try await explain([(.mysql, false)], services: [Self.service(.mysql, replicas: 1)])
        #expect(unpublished[0] == "connection refused", "reachable without a published port: the engine explains nothing")
    }

    @Test func waitingStopsForAServiceTheStackLacks() async throws {
        let closed = try TestServer.closedPort()
        let engine = FakeEngine(tasks: [Self.task("running")], secretsDirectory: URL(fileURLWithPath: "/nonexistent"),
                                     stackServices: [Self.service(.nginx, replicas: 1)])
        let grafana = CheckSpec(name: "grafana health", group: .services, target: "t", expected: "e",
                                probe: .httpStatus(url: "http://127.0.0.1:\(closed)/", status: 200, location: nil), service: .grafana)
        let start = ContinuousClock.now
        let report = await Self.verifier(engine).verify([grafana], wait: .seconds(30), retryInterval: .milliseconds(50))
        #expect(ContinuousClock.now - start < .seconds(5), "no waiting for a service that is not deployed")
        #expect(report.results.first?.observed.contains("ftservices_grafana is not deployed") == true)
    }

    @Test func aServiceScaledToZeroIsNamed() async throws {
        let observed = try await explain([(.ftps, false), (.nginx, false), (.ftps, true)],
                                         services: [Self.service(.ftps, replicas: 0), Self.service(.nginx, replicas: 1)])
        #expect(observed[0] == "connection refused — ftservices_ftps is scaled to 0 replicas (`docker service scale ftservices_ftps=1`)")
        #expect(observed[1] == "connection refused", "nginx's task runs: nothing to add")
        #expect(observed[2] == "connection refused", "a passing check is left alone")
    }

    @Test func grafanaNotDeployedSaysWhy() async throws {
        let observed = try await explain([(.grafana, false), (nil, false)], services: [Self.service(.nginx, replicas: 1)])
        #expect(observed[0].hasSuffix("ftservices_grafana is not deployed: setup ran without a Grafana image (see `grafana.package` in the README)"))
        #expect(observed[1] == "connection refused", "a check without a service gets no note")
    }

    @Test func noStackAndNoEngine() async throws {
        let empty = try await explain([(.nginx, false)], services: [])
        #expect(empty[0].hasSuffix("no ftservices stack is deployed on this engine (run `ftservices setup`)"))
        let unreachable = try await explain([(.nginx, false)], services: nil)
        #expect(unreachable[0] == "connection refused", "without an engine the report stays as it is")
    }

    @Test func aTaskThatIsNotRunningIsNamedWithItsError() async throws {
        let observed = try await explain([(.mysql, false)], services: [Self.service(.mysql, replicas: 1)],
                                         tasks: [Self.task("starting"), Self.task("failed", err: "task: non-zero exit (137)")])
        #expect(observed[0] == "connection refused — ftservices_mysql's task is starting")
    }
}

/// `ssh command` with a scripted ssh client: what it runs and how it reads the answers.
@Suite struct VerifierSSHCommandTests {
    final class ScriptedSSH: ProcessRunning, @unchecked Sendable {
        let lock = NSLock()
        var commands: [[String]] = []
        var knownHosts: [String] = []
        let answer: @Sendable ([String]) throws(ProcessError) -> String

        init(_ answer: @escaping @Sendable ([String]) throws(ProcessError) -> String) { self.answer = answer }

        func run(_ arguments: [String], input: Data?, environment: [String: String], logFile: URL?) async throws(ProcessError) -> ProcessOutput {
            let file = arguments.first { $0.hasPrefix("UserKnownHostsFile=") }.map { String($0.dropFirst("UserKnownHostsFile=".count)) }
            lock.withLock {
                commands.append(arguments)
                knownHosts.append(file.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? "")
            }
            return ProcessOutput(standardOutput: try answer(arguments), standardError: "")
        }
    }

    static let hostKey = SSHPublicKey(type: "ssh-ed25519", blob: Array("not a real key".utf8))

    func check(_ ssh: ScriptedSSH, hostKey: SSHPublicKey? = hostKey) async -> CheckResult {
        let credentials = VerifyCredentials(caFile: "/nonexistent", sshPrivateKey: "/state/ssh/id_ed25519", sshPublicKey: nil,
                                            passwords: [:], sshHostKey: hostKey)
        let verifier = Verifier(credentials: credentials, engine: FakeEngine(tasks: [], secretsDirectory: URL(fileURLWithPath: "/")), runner: ssh)
        return await verifier.check(CheckSpec(name: "ssh command", group: .ssh, target: "t", expected: "e",
                                              probe: .sshCommand(host: "10.0.0.1", port: 2222, user: "ftssh")))
    }

    /// The nonce the verifier asked to echo.
    static func nonce(_ arguments: [String]) -> String {
        String(arguments.last!.split(separator: ";")[0].dropFirst("echo ".count))
    }

    @Test func passesWhenTheCommandEchoesTheNonceAndTheUser() async throws {
        let ssh = ScriptedSSH { arguments in "\(VerifierSSHCommandTests.nonce(arguments))\nftssh\n" }
        let result = await check(ssh)
        #expect(result.pass, "\(result.observed)")
        let command = try #require(ssh.commands.first)
        #expect(command.prefix(3) == ["ssh", "-F", "/dev/null"])
        #expect(command.contains("StrictHostKeyChecking=yes") && command.contains("BatchMode=yes"))
        #expect(command.contains("ftssh@10.0.0.1") && command.contains("/state/ssh/id_ed25519"))
        #expect(ssh.knownHosts.first == "[10.0.0.1]:2222 \(Self.hostKey.openSSHLine)\n", "the host key is pinned through known_hosts")
    }

    @Test func failsOnAWrongAnswerAHostKeyMismatchOrNoClient() async throws {
        let stale = await check(ScriptedSSH { _ in "ftservices-verify-0000\nftssh\n" })
        #expect(!stale.pass, "an answer without this run's nonce does not prove the command ran")

        let mismatch = await check(ScriptedSSH { arguments throws(ProcessError) in
            throw .failed(command: arguments, status: "exit 255", standardError: "@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@\nHost key verification failed.", logFile: nil)
        })
        #expect(!mismatch.pass)
        #expect(mismatch.observed == "host key verification failed: the server's key is not the install's sshd key (ssh exit 255)")

        let refused = await check(ScriptedSSH { arguments throws(ProcessError) in
            throw .failed(command: arguments, status: "exit 255", standardError: "root@10.0.0.1: Permission denied (publickey).", logFile: nil)
        })
        #expect(refused.observed == "ssh exit 255: root@10.0.0.1: Permission denied (publickey).")

        let missing = await check(ScriptedSSH { _ throws(ProcessError) in throw .notFound(program: "ssh") })
        #expect(missing.observed == "the ssh client is not installed: apt-get install openssh-client")

        let noKey = await check(ScriptedSSH { _ in "" }, hostKey: nil)
        #expect(!noKey.pass && noKey.observed.hasPrefix("no SSH host key"))
    }
}
