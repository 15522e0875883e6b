import Foundation
import Testing

/// The binary's answers to bad input and broken surroundings: each must fail with a message that names
/// the problem and the fix, and a non-zero exit. Needs only the built binary, no Docker engine.
@Suite(.enabled(if: E2E.binaryPath != nil, "no ftservices binary: build it with `swift build -c release` or set FTSERVICES_BINARY"))
struct CLITests {
    func tool(_ arguments: [String], environment: [String: String] = [:]) throws -> Shell.Result {
        try Shell.run([E2E.binaryPath!] + arguments, environment: environment)
    }

    @Test func badConfigNamesFileKeyAndEveryProblem() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml")
        try "ports:\n  https: 70000\n  ssh: 443\nusers:\n  ftp: root\ncolour: blue\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try tool(["render", "--check", "--config", file.path])
        #expect(result.status == 1)
        for expected in ["\(file.path): ports.https:", "\(file.path): ports.ssh:", "\(file.path): users.ftp:", "\(file.path): colour:"] {
            #expect(result.stderr.contains(expected), "missing '\(expected)' in: \(result.stderr)")
        }
    }

    @Test func badYAMLNamesTheLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).yaml")
        try "ports:\n  https: 443\n   ssh: [\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try tool(["setup", "--config", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file.path):3:"), "file:line of the error: \(result.stderr)")
    }

    @Test func missingConfigFileIsNamed() throws {
        let result = try tool(["setup", "--config", "/nonexistent/ftservices.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/ftservices.yaml"), "\(result.stderr)")
    }

    @Test func unknownServiceListsTheValidNames() throws {
        let result = try tool(["logs", "nginxx"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("nginx, wordpress, phpmyadmin, mysql, ftps, influxdb, grafana"), "\(result.stderr)")
    }

    @Test func badAddressIsRejected() throws {
        let result = try tool(["setup", "--address", "300.1.1.1"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--address"), "\(result.stderr)")
    }

    @Test func dockerNotRunningSaysHowToStartIt() throws {
        let result = try tool(["status"], environment: ["DOCKER_HOST": "unix:///tmp/ftservices-no-such.sock"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Docker is not running") && result.stderr.contains("dockerd"), "\(result.stderr)")
    }

    @Test func credentialsBeforeSetupSaysToRunSetup() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)")
        let result = try tool(["credentials", "--state-dir", empty.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("ftservices setup"), "\(result.stderr)")
    }

    @Test(arguments: ["render", "setup"])
    func unknownOrchestratorListsTheAllowedOnes(command: String) throws {
        let result = try tool([command, "--orchestrator", "nomad"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("'nomad'") && result.stderr.contains("'swarm' and 'kubernetes'"), "\(result.stderr)")
    }

    /// Whether kubectl runs here: the tests of what the binary says about a dead cluster need it.
    static let hasKubectl = (try? Shell.run(["kubectl", "version", "--client"]))?.status == 0

    /// `setup --orchestrator kubernetes` checks the cluster before it renders, builds or touches Docker:
    /// without a context (or without kubectl) it says what to do.
    @Test func kubernetesSetupWithoutAContextSaysWhatToDo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = ["--state-dir", directory.appendingPathComponent("state").path]

        let empty = directory.appendingPathComponent("empty-config")
        try "".write(to: empty, atomically: true, encoding: .utf8)
        let none = try tool(["setup", "--orchestrator", "kubernetes", "--address", "192.0.2.10"] + state, environment: ["KUBECONFIG": empty.path])
        #expect(none.status == 1)
        #expect(none.stderr.contains(Self.hasKubectl ? "kubectl has no current context" : "kubectl is not installed"), "\(none.stderr)")
    }

    /// With a context whose API server is a closed port: no address and an unreachable cluster each say
    /// what to do, and nothing is rendered or built. Needs only kubectl.
    @Test(.enabled(if: hasKubectl, "kubectl is not installed: the binary cannot ask a cluster"))
    func kubernetesSetupWithADeadClusterSaysWhatToDo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = ["--state-dir", directory.appendingPathComponent("state").path]

        // A context whose API server is a closed local port.
        let dead = directory.appendingPathComponent("dead-config")
        try """
            apiVersion: v1
            kind: Config
            clusters: [{name: dead, cluster: {server: "https://127.0.0.1:9"}}]
            users: [{name: dead, user: {}}]
            contexts: [{name: kind-dead, context: {cluster: dead, user: dead}}]
            current-context: kind-dead
            """.write(to: dead, atomically: true, encoding: .utf8)
        let noAddress = try tool(["setup", "--orchestrator", "kubernetes"] + state, environment: ["KUBECONFIG": dead.path])
        #expect(noAddress.status == 1 && noAddress.stderr.contains("Kubernetes needs the shared address up front: pass --address"), "\(noAddress.stderr)")
        let unreachable = try tool(["setup", "--orchestrator", "kubernetes", "--address", "192.0.2.10"] + state, environment: ["KUBECONFIG": dead.path])
        #expect(unreachable.status == 1 && unreachable.stderr.contains("the cluster of kubectl context 'kind-dead' does not answer"), "\(unreachable.stderr)")
        // Nothing was rendered into srcs/ or built: the state directory holds only the lock.
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("state").path)
        #expect(Set(left).isSubset(of: ["lock", "logs", "ca", "ssh"]), "\(left)")
    }

    @Test func crashtestEngineModeIsForSwarmOnly() throws {
        let result = try tool(["crashtest", "mysql", "--mode", "engine", "--orchestrator", "kubernetes"])
        #expect(result.status == 64 && result.stderr.contains("--mode engine") && result.stderr.contains("--mode kill or redeploy"), "\(result.stderr)")
        let unknown = try tool(["verify", "--orchestrator", "nomad"])
        #expect(unknown.status == 64 && unknown.stderr.contains("'swarm' and 'kubernetes'"), "\(unknown.stderr)")
    }

    /// After `setup --orchestrator kubernetes` (recorded in the state file), crashtest and status ask kubectl,
    /// not Docker: against a context whose API server is a closed port they name kubectl's failure and the fix.
    @Test(.enabled(if: hasKubectl, "kubectl is not installed: the binary cannot ask a cluster"))
    func commandsGoWhereSetupDeployed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube-\(UUID().uuidString.prefix(8))")
        let state = directory.appendingPathComponent("state")
        for sub in ["ca", "ssh"] { try FileManager.default.createDirectory(at: state.appendingPathComponent(sub), withIntermediateDirectories: true) }
        defer { try? FileManager.default.removeItem(at: directory) }
        try #"{"schema":1,"installID":"x","secrets":{},"certificateAddress":"192.0.2.10","orchestrator":"kubernetes"}"#
            .write(to: state.appendingPathComponent("state.json"), atomically: true, encoding: .utf8)
        for file in ["ca/ca.crt", "ssh/id_ed25519"] { try "".write(to: state.appendingPathComponent(file), atomically: true, encoding: .utf8) }
        let dead = directory.appendingPathComponent("dead-config")
        try """
            apiVersion: v1
            kind: Config
            clusters: [{name: dead, cluster: {server: "https://127.0.0.1:9"}}]
            users: [{name: dead, user: {}}]
            contexts: [{name: dead, context: {cluster: dead, user: dead}}]
            current-context: dead
            """.write(to: dead, atomically: true, encoding: .utf8)
        // A Docker engine that is not there: going to Swarm would fail differently.
        let environment = ["KUBECONFIG": dead.path, "DOCKER_HOST": "unix:///tmp/ftservices-no-such.sock"]
        let result = try tool(["crashtest", "mysql", "--state-dir", state.path], environment: environment)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("`kubectl get deployments --namespace ftservices") && result.stderr.contains("check that the cluster of the current kubectl context answers"),
                "\(result.stderr)")
        let status = try tool(["status", "--state-dir", state.path], environment: environment)
        #expect(status.status == 1 && status.stderr.contains("`kubectl get deployments --namespace ftservices"), "\(status.stderr)")
        let swarm = try tool(["crashtest", "mysql", "--state-dir", state.path, "--orchestrator", "swarm"], environment: environment)
        #expect(swarm.status == 1 && swarm.stderr.contains("Docker is not running"), "--orchestrator overrides the record: \(swarm.stderr)")
    }

    @Test func registryIsOnlyForKubernetes() throws {
        let swarm = try tool(["setup", "--registry", "registry.example.org/ftservices"])
        #expect(swarm.status == 64 && swarm.stderr.contains("--registry is for --orchestrator kubernetes"), "\(swarm.stderr)")
        let bad = try tool(["setup", "--orchestrator", "kubernetes", "--registry", "https://registry.example.org"])
        #expect(bad.status == 64 && bad.stderr.contains("HOST[:PORT]/PREFIX"), "\(bad.stderr)")
    }

    /// srcs/k8s/ is part of what `render --check` guards; `--orchestrator` narrows the check to one
    /// orchestrator's deploy files and leaves the other's alone.
    @Test func renderCheckCoversTheKubernetesManifests() throws {
        let copy = try E2E.checkoutCopy()
        defer { try? FileManager.default.removeItem(at: copy) }
        let edited = copy.appendingPathComponent("srcs/k8s/nginx.yaml")
        try (String(contentsOf: edited, encoding: .utf8) + "# hand edit\n").write(to: edited, atomically: true, encoding: .utf8)

        let drift = try tool(["render", "--check", "--project-dir", copy.path])
        #expect(drift.status == 1 && drift.stderr.contains("changed  srcs/k8s/nginx.yaml"), "\(drift)")
        #expect(try tool(["render", "--check", "--orchestrator", "kubernetes", "--project-dir", copy.path]).status == 1)
        let swarmOnly = try tool(["render", "--check", "--orchestrator", "swarm", "--project-dir", copy.path])
        #expect(swarmOnly.status == 0, "the Swarm files are clean: \(swarmOnly)")

        // Rendering for Swarm alone neither repairs nor removes the Kubernetes files.
        let swarmRender = try tool(["render", "--orchestrator", "swarm", "--project-dir", copy.path])
        #expect(swarmRender.status == 0 && swarmRender.stdout.contains("0 written, 0 removed"), "\(swarmRender)")
        #expect(try String(contentsOf: edited, encoding: .utf8).hasSuffix("# hand edit\n"))

        let repaired = try tool(["render", "--orchestrator", "kubernetes", "--project-dir", copy.path])
        #expect(repaired.status == 0 && repaired.stdout.contains("wrote   srcs/k8s/nginx.yaml"), "\(repaired)")
        #expect(try tool(["render", "--check", "--project-dir", copy.path]).status == 0)
    }

    /// `render --check` must fail on drift: a copy of the checkout with one rendered file edited and one
    /// stale file added.
    @Test func renderCheckFailsOnDriftAndRenderRepairsIt() throws {
        let copy = try E2E.checkoutCopy()
        defer { try? FileManager.default.removeItem(at: copy) }
        let clean = try tool(["render", "--check", "--project-dir", copy.path])
        #expect(clean.status == 0, "the committed srcs/ must match: \(clean)")

        let edited = copy.appendingPathComponent("srcs/nginx/nginx.conf")
        try (String(contentsOf: edited, encoding: .utf8) + "# hand edit\n").write(to: edited, atomically: true, encoding: .utf8)
        try "stale".write(to: copy.appendingPathComponent("srcs/nginx/old.conf"), atomically: true, encoding: .utf8)
        let drift = try tool(["render", "--check", "--project-dir", copy.path])
        #expect(drift.status == 1)
        #expect(drift.stderr.contains("changed  srcs/nginx/nginx.conf") && drift.stderr.contains("stale    srcs/nginx/old.conf"), "\(drift.stderr)")

        let repaired = try tool(["render", "--project-dir", copy.path])
        #expect(repaired.status == 0 && repaired.stdout.contains("1 written, 1 removed"), "\(repaired)")
        #expect(try tool(["render", "--check", "--project-dir", copy.path]).status == 0)
    }
}
