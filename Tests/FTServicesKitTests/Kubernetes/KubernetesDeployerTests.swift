import FTServicesCore
import Foundation
import Testing
@testable import FTServicesKit

/// The Kubernetes path against a scripted kubectl (no cluster can run here): the command sequence, Secret
/// values only on standard input, the errors and their fixes, and what the wait reports about pods.
@Suite struct KubernetesDeployerTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    // MARK: - Context, cluster, images

    @Test func noContextSaysHowToGetOne() async {
        let runner = ScriptedRunner([["kubectl", "config", "current-context"]: .fail("error: current-context is not set")])
        await #expect {
            _ = try await KubernetesDeployer(runner: runner).currentContext()
        } throws: { error in
            let text = "\(error)"
            return text.contains("no current context (error: current-context is not set)") && text.contains("kubectl config use-context")
                && text.contains("minikube start")
        }
    }

    @Test func missingKubectlSaysToInstallIt() async {
        let runner = ScriptedRunner([["kubectl"]: .notFound])
        await #expect {
            _ = try await KubernetesDeployer(runner: runner).currentContext()
        } throws: { "\($0)".contains("kubectl is not installed") }
    }

    @Test func missingMetalLBNamesTheCRDsAndTheInstall() async {
        let runner = ScriptedRunner([["kubectl", "get", "crd"]: .output("customresourcedefinition.apiextensions.k8s.io/foos.example.org\n")])
        await #expect {
            try await KubernetesDeployer(runner: runner).checkCluster(context: "minikube")
        } throws: { error in
            let text = "\(error)"
            return text.contains("ipaddresspools.metallb.io, l2advertisements.metallb.io") && text.contains("metallb-native.yaml")
        }
    }

    @Test func unreachableClusterNamesTheContext() async {
        let runner = ScriptedRunner([["kubectl", "get", "crd"]: .fail("The connection to the server 192.168.49.2:8443 was refused")])
        await #expect {
            try await KubernetesDeployer(runner: runner).checkCluster(context: "minikube")
        } throws: { "\($0)".contains("context 'minikube' does not answer (The connection to the server 192.168.49.2:8443 was refused)") }
    }

    @Test func imagesGoToMinikubeKindOrARegistry() throws {
        let nginx = Stack(config: .defaults).image(.nginx)
        #expect(try ImageDistribution.choose(context: "minikube", registry: nil) == .minikube(profile: "minikube"))
        #expect(try ImageDistribution.choose(context: "kind-dev", registry: nil) == .kind(cluster: "dev"))
        let registry = try ImageDistribution.choose(context: "gke_x", registry: "registry.example:5000/team/")
        #expect(registry.reference(image: nginx, hash: "abc") == "registry.example:5000/team/nginx:abc")
        #expect(ImageDistribution.minikube(profile: "minikube").reference(image: nginx, hash: "abc") == "ftservices/nginx:abc")
        #expect {
            _ = try ImageDistribution.choose(context: "gke_project_zone_cluster", registry: nil)
        } throws: { "\($0)".contains("'gke_project_zone_cluster' is neither minikube nor kind") && "\($0)".contains("--registry") }
    }

    @Test func loaderSkipsWhatMinikubeHasAndPushesToRegistries() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("images-\(UUID().uuidString).log")
        let runner = ScriptedRunner([["minikube", "-p", "minikube", "image", "ls"]: .output("docker.io/ftservices/nginx:aaa\nregistry.k8s.io/pause:3.10\n")])
        let loaded = try await ClusterImageLoader(runner: runner).makeAvailable(
            [("ftservices/nginx:aaa", "ftservices/nginx:aaa"), ("ftservices/mysql:bbb", "ftservices/mysql:bbb")],
            via: .minikube(profile: "minikube"), logFile: log)
        #expect(loaded == ["ftservices/mysql:bbb"])
        #expect(runner.calls(startingWith: ["minikube", "-p", "minikube", "image", "load"]).map(\.arguments.last) == ["ftservices/mysql:bbb"])

        let pusher = ScriptedRunner()
        _ = try await ClusterImageLoader(runner: pusher).makeAvailable([("ftservices/nginx:aaa", "reg.example/t/nginx:aaa")], via: .registry("reg.example/t"), logFile: log)
        #expect(pusher.calls.map(\.arguments) == [["docker", "tag", "ftservices/nginx:aaa", "reg.example/t/nginx:aaa"], ["docker", "push", "reg.example/t/nginx:aaa"]])

        let failing = ScriptedRunner([["docker", "push"]: .fail("denied: requested access to the resource is denied")])
        await #expect {
            _ = try await ClusterImageLoader(runner: failing).makeAvailable([("a:1", "reg.example/t/a:1")], via: .registry("reg.example/t"), logFile: log)
        } throws: { "\($0)".contains("denied") && "\($0)".contains("docker login") }
    }

    // MARK: - Deploy

    func workspace() throws -> Workspace {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("k8s-state-\(UUID().uuidString.prefix(8))")
        return Workspace(config: .defaults, configFile: nil, project: ProjectLayout(root: Self.repositoryRoot), state: StateStore(directory: state))
    }

    /// The whole deploy step: namespace, Secrets through stdin, server-side apply of the rendered directory,
    /// a restart of the services whose Secret changed, the wait, the shared address.
    @Test func deploySequenceKeepsSecretsOffTheCommandLine() async throws {
        let workspace = try workspace()
        defer { try? FileManager.default.removeItem(at: workspace.state.directory) }
        let services = ServiceName.allCases
        let runner = ScriptedRunner([
            ["kubectl", "get", "secrets"]: .output("tls-cert\told\nftp-password\td-ftp_password\n"),
            ["kubectl", "get", "pods"]: .sequence([.output(PodJSON.list(services.map { PodJSON.pod($0.rawValue, ready: false) })),
                                                    .output(PodJSON.list(services.map { PodJSON.pod($0.rawValue, ready: true) }))]),
            ["kubectl", "get", "services"]: .output(PodJSON.services(services.filter { $0 != .mysql && $0 != .influxdb }.map(\.rawValue), ip: "192.0.2.10")),
            ["kubectl", "get", "deployments"]: .output(PodJSON.deployments([:])),
        ])
        var secrets: [SecretKey: String] = [:]
        var digests: [SecretKey: String] = [:]
        for key in SecretKey.allCases {
            secrets[key] = "S3cret-\(key.rawValue)-value"
            digests[key] = "d-\(key.rawValue)"
        }
        let progress = RecordingProgress()
        let service = KubernetesDeployment(workspace: workspace, progress: progress,
                                           runner: runner, pollInterval: .milliseconds(10), addressWait: .seconds(1))
        let address = try await service.deploy(services: services, values: KubernetesValues(address: "192.0.2.10"), secrets: secrets,
                                               digests: digests, timeout: 10)
        #expect(address == "192.0.2.10")

        let deploy = workspace.state.directory.appendingPathComponent("deploy/k8s").path
        let flags = ["--server-side", "--field-manager=ftservices", "--force-conflicts"]
        let commands = runner.calls.map(\.arguments).filter { !($0.starts(with: ["kubectl", "get", "pods"])) }
        #expect(commands == [
            ["kubectl", "get", "secrets", "--namespace", "ftservices", "--selector", "app.kubernetes.io/part-of=ftservices",
             "--output", #"jsonpath={range .items[*]}{.metadata.name}{"\t"}{.metadata.annotations.ftservices/value-digest}{"\n"}{end}"#],
            ["kubectl", "apply"] + flags + ["--filename", deploy + "/00-namespace.yaml"],
            ["kubectl", "apply"] + flags + ["--filename", "-"],
            // Which Deployments exist before the apply, and which it changed (a new generation): a failed rollout of those is undone.
            ["kubectl", "get", "deployments", "--namespace", "ftservices", "--selector", "app.kubernetes.io/part-of=ftservices", "--output", "json"],
            ["kubectl", "apply"] + flags + ["--filename", deploy],
            // tls-cert changed (ftp-password did not; the others are new): the services that mount it restart.
            ["kubectl", "rollout", "restart", "--namespace", "ftservices", "deployment/nginx"],
            ["kubectl", "rollout", "restart", "--namespace", "ftservices", "deployment/wordpress"],
            ["kubectl", "rollout", "restart", "--namespace", "ftservices", "deployment/phpmyadmin"],
            ["kubectl", "rollout", "restart", "--namespace", "ftservices", "deployment/ftps"],
            ["kubectl", "rollout", "restart", "--namespace", "ftservices", "deployment/grafana"],
            ["kubectl", "get", "deployments", "--namespace", "ftservices", "--selector", "app.kubernetes.io/part-of=ftservices", "--output", "json"],
            ["kubectl", "get", "services", "--namespace", "ftservices", "--selector", "app.kubernetes.io/part-of=ftservices", "--output", "json"],
        ])
        // Values: never in argv; on stdin only, base64 in a List of one Secret per key.
        for call in runner.calls {
            #expect(!call.arguments.joined(separator: " ").contains("S3cret"), "\(call.arguments)")
        }
        let stdin = try #require(runner.calls.first { $0.arguments.last == "-" }?.input)
        let list = try #require(try JSONSerialization.jsonObject(with: stdin) as? [String: Any])
        let items = list["items"] as? [[String: Any]] ?? []
        #expect(list["kind"] as? String == "List" && items.count == SecretKey.allCases.count)
        let tlsKey = try #require(items.first { ($0["metadata"] as? [String: Any])?["name"] as? String == "tls-key" })
        let encoded = (tlsKey["data"] as? [String: String])?["tls_key"] ?? ""
        #expect(String(decoding: Data(base64Encoded: encoded) ?? Data(), as: UTF8.self) == "S3cret-tls_key-value")
        #expect(!String(decoding: stdin, as: UTF8.self).contains("S3cret"))
        // The applied directory is srcs/k8s/ with the address filled in, and holds no Secret.
        let applied = try String(contentsOfFile: deploy + "/nginx.yaml", encoding: .utf8)
        #expect(applied.contains("loadBalancerIP: 192.0.2.10") && !applied.contains("loadBalancerIP: ${FTS_ADDRESS}"))
        for file in try FileManager.default.contentsOfDirectory(atPath: deploy) {
            #expect(!(try String(contentsOfFile: deploy + "/" + file, encoding: .utf8)).contains("S3cret"), "\(file)")
        }
        #expect(progress.lines.contains("service: mysql healthy "))
    }

    @Test func crashLoopIsReportedWithItsBackOffAndFailsAfterThreeRestarts() async throws {
        let workspace = try workspace()
        defer { try? FileManager.default.removeItem(at: workspace.state.directory) }
        let crashing = { (restarts: Int, backOff: String) in
            PodJSON.list([PodJSON.pod("nginx", ready: true),
                          PodJSON.pod("mysql", ready: false, restarts: restarts, waiting: ("CrashLoopBackOff", "back-off \(backOff) restarting failed container=mysql pod=mysql-1"),
                                      lastExit: (1, "Error"))])
        }
        let runner = ScriptedRunner([
            ["kubectl", "get", "secrets"]: .output(""),
            ["kubectl", "get", "pods"]: .sequence([.output(crashing(1, "10s")), .output(crashing(2, "20s")), .output(crashing(3, "40s"))]),
            ["kubectl", "logs"]: .output("mysql: an account secret is empty; refusing to start"),
            ["kubectl", "get", "deployments"]: .output(PodJSON.deployments([:])),
        ])
        let progress = RecordingProgress()
        let service = KubernetesDeployment(workspace: workspace, progress: progress,
                                           runner: runner, pollInterval: .milliseconds(10), addressWait: .seconds(1))
        await #expect {
            _ = try await service.deploy(services: [.nginx, .mysql], values: KubernetesValues(address: "192.0.2.10"), secrets: [:], digests: [:], timeout: 10)
        } throws: { error in
            let text = "\(error)"
            return text.contains("service mysql is failed") && text.contains("container exited with code 1 (Error); CrashLoopBackOff: back-off 40s")
                && text.contains("refusing to start") && text.contains("nothing to roll back to: this is the first deploy of mysql")
        }
        #expect(runner.calls(startingWith: ["kubectl", "rollout", "undo"]).isEmpty, "a first deploy has nothing to undo")
        #expect(progress.lines.contains { $0.hasPrefix("service: mysql starting restarting after: container exited with code 1 (Error); CrashLoopBackOff: back-off 10s") })
    }

    /// A Deployment the apply changed whose new pods crash: `kubectl rollout undo`, the Deployment marked with
    /// the image that failed, the wait for the previous version, and the error naming it all. The next
    /// setup clears the mark before it applies.
    @Test func aFailedRolloutIsUndoneAndMarked() async throws {
        let workspace = try workspace()
        defer { try? FileManager.default.removeItem(at: workspace.state.directory) }
        let crashing = { (restarts: Int) in
            PodJSON.list([PodJSON.pod("mysql", ready: true),
                          PodJSON.pod("nginx", ready: false, restarts: restarts, waiting: ("CrashLoopBackOff", "back-off 10s restarting failed container=nginx pod=nginx-1"),
                                      lastExit: (1, "Error"))])
        }
        let runner = ScriptedRunner([
            ["kubectl", "get", "secrets"]: .output(""),
            ["kubectl", "get", "deployments"]: .sequence([
                .output(PodJSON.deployments(["nginx": (1, "ftservices/nginx:old", "ftservices/nginx:older"), "mysql": (4, "ftservices/mysql:same", nil)])),
                .output(PodJSON.deployments(["nginx": (2, "ftservices/nginx:new", nil), "mysql": (4, "ftservices/mysql:same", nil)])),
            ]),
            ["kubectl", "get", "pods"]: .sequence([.output(crashing(1)), .output(crashing(2)), .output(crashing(3)), .output(crashing(3)),
                                                    .output(PodJSON.list([PodJSON.pod("mysql", ready: true), PodJSON.pod("nginx", ready: true)]))]),
            ["kubectl", "logs"]: .output("nginx: [emerg] unknown directive \"this_is_not_a_directive\""),
        ])
        let service = KubernetesDeployment(workspace: workspace, progress: RecordingProgress(),
                                           runner: runner, pollInterval: .milliseconds(10), addressWait: .seconds(1))
        let values = KubernetesValues(address: "192.0.2.10", images: [.nginx: "ftservices/nginx:new", .mysql: "ftservices/mysql:same"])
        await #expect {
            _ = try await service.deploy(services: [.nginx, .mysql], values: values, secrets: [:], digests: [:], timeout: 10)
        } throws: { error in
            let text = "\(error)"
            return text.contains("the update of nginx failed and was rolled back") && text.contains("its new version ftservices/nginx:new failed (3 tasks failed")
                && text.contains("the previous version ftservices/nginx:old serves again")
                && text.contains("unknown directive")
        }
        #expect(runner.calls(startingWith: ["kubectl", "annotate"]).map(\.arguments) == [
            ["kubectl", "annotate", "--namespace", "ftservices", "deployment/nginx", "ftservices/rolled-back-from-"],
            ["kubectl", "annotate", "--overwrite", "--namespace", "ftservices", "deployment/nginx", "ftservices/rolled-back-from=ftservices/nginx:new"],
        ])
        #expect(runner.calls(startingWith: ["kubectl", "rollout", "undo"]).map(\.arguments) == [["kubectl", "rollout", "undo", "--namespace", "ftservices", "deployment/nginx"]])
    }

    @Test func addressThatMetalLBDoesNotAssignIsAnError() async throws {
        let workspace = try workspace()
        defer { try? FileManager.default.removeItem(at: workspace.state.directory) }
        let runner = ScriptedRunner([["kubectl", "get", "services"]: .output(PodJSON.services(["nginx"], ip: nil))])
        let service = KubernetesDeployment(workspace: workspace, progress: RecordingProgress(),
                                           runner: runner, pollInterval: .milliseconds(10), addressWait: .milliseconds(50))
        await #expect {
            _ = try await service.sharedAddress(expected: "192.0.2.10")
        } throws: { "\($0)".contains("did not all get 192.0.2.10") && "\($0)".contains("nginx: no address (pending)") }
    }

    // MARK: - Pod status → wait

    @Test func podStatesMapToTheWaitsTerms() {
        let since = Date(timeIntervalSince1970: 1_000)
        func snapshot(_ pod: String) -> ServiceSnapshot {
            let list = try! JSONDecoder().decode(KubernetesPodList.self, from: Data(PodJSON.list([pod]).utf8))
            return list.snapshot(service: "mysql", since: since)
        }
        #expect(snapshot(PodJSON.pod("nginx", ready: true)) == ServiceSnapshot())
        let ready = snapshot(PodJSON.pod("mysql", ready: true))
        #expect(ready.taskState == "running" && ready.health == "healthy" && ready.failuresSince.isEmpty)

        let pull = snapshot(PodJSON.pod("mysql", ready: false, phase: "Pending", waiting: ("ImagePullBackOff", "Back-off pulling image \"ftservices/mysql:abc\"")))
        #expect(pull.taskState == "failed" && pull.taskMessage?.contains("cannot get the image") == true)
        let progress = HealthWaiter.progress(service: "mysql", snapshot: pull, elapsed: 1)
        #expect(progress.state == .failed)

        let unscheduled = snapshot(PodJSON.pod("mysql", ready: false, phase: "Pending", unschedulable: "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims"))
        #expect(HealthWaiter.progress(service: "mysql", snapshot: unscheduled, elapsed: 1).detail.contains("unbound immediate PersistentVolumeClaims"))

        // A pod older than the wait counts its last restart only if it happened since.
        let old = snapshot(PodJSON.pod("mysql", ready: true, restarts: 7, lastExit: (137, "OOMKilled"), created: "1970-01-01T00:00:10Z", finished: "1970-01-01T00:00:20Z"))
        #expect(old.failuresSince.isEmpty)
        let recent = snapshot(PodJSON.pod("mysql", ready: false, restarts: 7, lastExit: (137, "OOMKilled"), created: "1970-01-01T00:00:10Z", finished: "1970-01-01T01:00:00Z"))
        #expect(recent.failuresSince == ["container exited with code 137 (OOMKilled)"])
    }
}

/// `kubectl get … -o json` output for the tests.
enum PodJSON {
    static func list(_ pods: [String]) -> String { #"{"apiVersion":"v1","kind":"List","items":["# + pods.joined(separator: ",") + "]}" }

    static func pod(
        _ service: String, ready: Bool, phase: String = "Running", restarts: Int = 0, waiting: (String, String)? = nil,
        lastExit: (Int, String)? = nil, unschedulable: String? = nil, created: String = "2030-01-01T00:00:00Z", finished: String = "2030-01-01T00:01:00Z"
    ) -> String {
        let state = waiting.map { #"{"waiting":{"reason":"\#($0.0)","message":"\#($0.1.replacingOccurrences(of: "\"", with: "\\\""))"}}"# }
            ?? #"{"running":{"startedAt":"2030-01-01T00:00:01Z"}}"#
        let last = lastExit.map { #"{"terminated":{"exitCode":\#($0.0),"reason":"\#($0.1)","finishedAt":"\#(finished)"}}"# } ?? "{}"
        let conditions = unschedulable.map { #"[{"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"\#($0)"}]"# } ?? "[]"
        let containers = unschedulable == nil
            ? #"[{"name":"\#(service)","ready":\#(ready),"restartCount":\#(restarts),"state":\#(state),"lastState":\#(last)}]"# : "[]"
        return #"{"metadata":{"name":"\#(service)-1","creationTimestamp":"\#(created)","labels":{"app.kubernetes.io/name":"\#(service)"}},"status":{"phase":"\#(phase)","conditions":\#(conditions),"containerStatuses":\#(containers)}}"#
    }

    /// `kubectl get deployments -o json`: service → (generation, image, rolled-back mark).
    static func deployments(_ items: [String: (Int, String, String?)]) -> String {
        let objects = items.sorted { $0.key < $1.key }.map { name, value in
            let annotations = value.2.map { #","annotations":{"ftservices/rolled-back-from":"\#($0)"}"# } ?? ""
            return #"{"metadata":{"name":"\#(name)","generation":\#(value.0)\#(annotations)},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"\#(name)","image":"\#(value.1)"}]}}}}"#
        }
        return #"{"items":["# + objects.joined(separator: ",") + "]}"
    }

    static func services(_ names: [String], ip: String?) -> String {
        let items = names.map { name in
            let ingress = ip.map { #"{"ingress":[{"ip":"\#($0)"}]}"# } ?? "{}"
            return #"{"metadata":{"name":"\#(name)"},"spec":{"type":"LoadBalancer"},"status":{"loadBalancer":\#(ingress)}}"#
        }
        return #"{"items":["# + items.joined(separator: ",") + "]}"
    }
}
