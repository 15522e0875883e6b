import FTServicesCore
import Foundation

/// Deploys the rendered Kubernetes manifests to the cluster of the current kubectl context, with kubectl
/// through the one ``ProcessRunning`` door: every call is an argv, and Secret values go through stdin.
public struct KubernetesDeployer: Sendable {
    /// `kubectl apply --server-side --field-manager=…`: the objects' fields belong to ftservices.
    public static let fieldManager = "ftservices"

    let runner: any ProcessRunning
    let namespace = KubernetesManifests.namespace

    public init(runner: any ProcessRunning = SubprocessRunner()) {
        self.runner = runner
    }

    /// The current context's name; fails with the fix when kubectl has none or is missing.
    public func currentContext() async throws -> String {
        let context: String
        do {
            context = try await runner.output(["kubectl", "config", "current-context"])
        } catch {
            if case .notFound = error { throw KubernetesError.kubectlMissing }
            throw KubernetesError.noContext(detail: error.standardError)
        }
        guard !context.isEmpty else { throw KubernetesError.noContext(detail: "kubectl printed no context") }
        return context
    }

    /// The cluster answers and has MetalLB's CRDs (IPAddressPool, L2Advertisement).
    public func checkCluster(context: String) async throws {
        let crds: String
        do {
            crds = try await runner.output(["kubectl", "get", "crd", "-o", "name"])
        } catch {
            throw KubernetesError.unreachable(context: context, detail: error.standardError)
        }
        let present = Set(crds.split(separator: "\n").map { String($0.split(separator: "/").last ?? "") })
        let missing = ["ipaddresspools.metallb.io", "l2advertisements.metallb.io"].filter { !present.contains($0) }
        if !missing.isEmpty { throw KubernetesError.metalLBMissing(context: context, crds: missing) }
    }

    /// The digest annotation of each of the stack's Secrets now in the cluster (Secret name → digest).
    ///
    /// kubectl prints each Secret's name and digest annotation only (a JSONPath over the metadata), so no
    /// Secret value reaches this process.
    public func deployedSecretDigests() async throws -> [String: String] {
        let output = try await runner.output(["kubectl", "get", "secrets", "--namespace", namespace, "--selector", Self.stackSelector,
                                              "--output", Self.secretDigestsJSONPath])
        var digests: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            let name = fields[0].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { continue }
            digests[name] = fields.count > 1 ? fields[1].trimmingCharacters(in: .whitespaces) : ""
        }
        return digests
    }

    /// `NAME<TAB>DIGEST` per Secret (dots in the annotation key escaped for kubectl's JSONPath).
    static let secretDigestsJSONPath = "jsonpath={range .items[*]}{.metadata.name}{\"\\t\"}{.metadata.annotations."
        + KubernetesSecrets.digestAnnotation.replacingOccurrences(of: ".", with: "\\.") + "}{\"\\n\"}{end}"

    /// Applies the namespace and the Secrets (a JSON List on standard input: no value on a command line or in a file).
    public func applySecrets(namespace manifest: URL, secrets: Data) async throws {
        try await apply(["--filename", manifest.path])
        try await apply(["--filename", "-"], input: secrets)
    }

    /// `kubectl apply --server-side` of every file in `directory` (in name order: the namespace first).
    public func apply(directory: URL, logFile: URL) async throws {
        try? FileManager.default.removeItem(at: logFile)
        try await apply(["--filename", directory.path], logFile: logFile)
    }

    func apply(_ arguments: [String], input: Data? = nil, logFile: URL? = nil) async throws {
        do {
            try await runner.run(
                ["kubectl", "apply", "--server-side", "--field-manager=\(Self.fieldManager)", "--force-conflicts"] + arguments,
                input: input, logFile: logFile)
        } catch {
            throw KubernetesError.applyFailed(detail: error.standardError, logFile: logFile)
        }
    }

    /// Restarts the pods of `services` (their Secrets changed; the entrypoints read them at start).
    public func restart(_ services: [ServiceName]) async throws {
        for service in services {
            try await runner.run(["kubectl", "rollout", "restart", "--namespace", namespace, "deployment/\(service.rawValue)"])
        }
    }

    /// Every pod of the stack, or of one service of it (`kubectl get pods -o json`).
    public func pods(of service: ServiceName? = nil) async throws -> KubernetesPodList {
        let selector = Self.stackSelector + (service.map { ",\(KubernetesManifests.nameLabel)=\($0.rawValue)" } ?? "")
        do {
            return try await get("pods", selector: selector, as: KubernetesPodList.self)
        } catch let error as DecodingError {
            throw KubernetesError.unexpectedOutput(command: "kubectl get pods", detail: "\(error)")
        }
    }

    /// `down`: deletes the stack's Deployments (and so its pods), Services and Secrets, and its MetalLB address
    /// pool; the namespace and the volume claims (the data) stay. With `volumes` the namespace goes too, with
    /// every claim in it; returns the claims deleted.
    public func remove(volumes: Bool) async throws -> [String] {
        let selector = Self.stackSelector
        try await runner.run(["kubectl", "delete", "deployments,services,secrets", "--namespace", namespace, "--selector", selector,
                              "--ignore-not-found", "--wait=true"])
        // Best effort: without MetalLB's CRDs (MetalLB uninstalled) there is no pool to delete.
        try? await runner.run(["kubectl", "delete", "ipaddresspools.metallb.io,l2advertisements.metallb.io", "--namespace", "metallb-system",
                               "--selector", selector, "--ignore-not-found"])
        guard volumes else { return [] }
        let claims = try await runner.output(["kubectl", "get", "persistentvolumeclaims", "--namespace", namespace, "--output", "name"])
            .split(separator: "\n").map { String($0.split(separator: "/").last ?? $0) }
        try await runner.run(["kubectl", "delete", "namespace", namespace, "--ignore-not-found", "--wait=true"])
        return claims
    }

    /// The annotation a rolled-back Deployment carries until the next setup: the image that failed.
    public static let rolledBackAnnotation = "ftservices/rolled-back-from"

    /// `kubectl rollout undo` of a service's Deployment (its previous revision, the previous image, comes
    /// back), then the Deployment is marked with the image that failed for `status`.
    public func undo(service: String, failed: String?) async throws {
        try await runner.run(["kubectl", "rollout", "undo", "--namespace", namespace, "deployment/\(service)"])
        try await runner.run(["kubectl", "annotate", "--overwrite", "--namespace", namespace, "deployment/\(service)",
                              "\(Self.rolledBackAnnotation)=\(failed ?? "unknown")"])
    }

    /// Removes the rolled-back mark of `services` (setup deploys them again).
    public func clearRollbackMarks(_ services: [String]) async throws {
        for service in services {
            try await runner.run(["kubectl", "annotate", "--namespace", namespace, "deployment/\(service)", "\(Self.rolledBackAnnotation)-"])
        }
    }

    /// One Deployment as a rollout sees it.
    public struct Revision: Sendable, Equatable {
        /// The image of the container named after the service.
        public var image: String?
        /// Raised by the API server whenever the Deployment's spec changes.
        public var generation: Int
        /// The image that failed, when setup rolled the Deployment back.
        public var rolledBackFrom: String?
    }

    /// Each Deployment's ``Revision``: compared before and after an apply, the generations tell which
    /// services the apply (or a restart) rolls out.
    public func deploymentRevisions() async throws -> [String: Revision] {
        struct DeploymentList: Decodable {
            struct Item: Decodable {
                struct Metadata: Decodable { var name: String; var generation: Int?; var annotations: [String: String]? }
                struct Spec: Decodable {
                    struct Template: Decodable {
                        struct PodSpec: Decodable {
                            struct Container: Decodable { var name: String; var image: String? }
                            var containers: [Container]?
                        }
                        var spec: PodSpec?
                    }
                    var template: Template?
                }
                var metadata: Metadata
                var spec: Spec?
            }
            var items: [Item]
        }
        do {
            let list = try await get("deployments", as: DeploymentList.self)
            var revisions: [String: Revision] = [:]
            for item in list.items {
                revisions[item.metadata.name] = Revision(
                    image: item.spec?.template?.spec?.containers?.first { $0.name == item.metadata.name }?.image,
                    generation: item.metadata.generation ?? 0, rolledBackFrom: item.metadata.annotations?[Self.rolledBackAnnotation])
            }
            return revisions
        } catch let error as DecodingError {
            throw KubernetesError.unexpectedOutput(command: "kubectl get deployments", detail: "\(error)")
        }
    }

    /// The stack's Deployments and the replicas each asks for (`kubectl get deployments -o json`); empty when
    /// the stack is not deployed (or its namespace does not exist).
    public func deployments() async throws -> [String: Int] {
        struct DeploymentList: Decodable {
            struct Item: Decodable {
                struct Metadata: Decodable { var name: String }
                struct Spec: Decodable { var replicas: Int? }
                var metadata: Metadata
                var spec: Spec?
            }
            var items: [Item]
        }
        do {
            let list = try await get("deployments", as: DeploymentList.self)
            // A Deployment without `replicas` has one.
            return Dictionary(list.items.map { ($0.metadata.name, $0.spec?.replicas ?? 1) }, uniquingKeysWith: { first, _ in first })
        } catch let error as DecodingError {
            throw KubernetesError.unexpectedOutput(command: "kubectl get deployments", detail: "\(error)")
        }
    }

    /// The address each LoadBalancer Service of the stack got (nil while MetalLB has not assigned one).
    public func loadBalancerAddresses() async throws -> [String: String?] {
        struct ServiceList: Decodable {
            struct Item: Decodable {
                struct Metadata: Decodable { var name: String }
                struct Spec: Decodable { var type: String? }
                struct Status: Decodable {
                    struct LoadBalancer: Decodable {
                        struct Ingress: Decodable { var ip: String? }
                        var ingress: [Ingress]?
                    }
                    var loadBalancer: LoadBalancer?
                }
                var metadata: Metadata
                var spec: Spec
                var status: Status?
            }
            var items: [Item]
        }
        let list = try await get("services", as: ServiceList.self)
        var result: [String: String?] = [:]
        for item in list.items where item.spec.type == "LoadBalancer" {
            result.updateValue(item.status?.loadBalancer?.ingress?.first?.ip, forKey: item.metadata.name)  // keeps nil values
        }
        return result
    }

    /// The ports each LoadBalancer Service of the stack publishes on the shared address, by Service name.
    public func publishedPorts() async throws -> [String: [Int]] {
        struct ServiceList: Decodable {
            struct Item: Decodable {
                struct Metadata: Decodable { var name: String }
                struct Spec: Decodable {
                    struct Port: Decodable { var port: Int }
                    var type: String?
                    var ports: [Port]?
                }
                var metadata: Metadata
                var spec: Spec
            }
            var items: [Item]
        }
        let list = try await get("services", as: ServiceList.self)
        var result: [String: [Int]] = [:]
        for item in list.items where item.spec.type == "LoadBalancer" {
            result[item.metadata.name, default: []] += (item.spec.ports ?? []).map(\.port)
        }
        return result.mapValues { $0.sorted() }
    }

    /// `kubectl get KIND --namespace ftservices --selector SELECTOR --output json`, decoded as `List` (a
    /// `DecodingError` when kubectl printed something else).
    func get<List: Decodable>(_ kind: String, selector: String = KubernetesDeployer.stackSelector, as _: List.Type) async throws -> List {
        let json = try await runner.output(["kubectl", "get", kind, "--namespace", namespace, "--selector", selector, "--output", "json"])
        return try JSONDecoder().decode(List.self, from: Data(json.utf8))
    }

    /// The label selector of every object of the stack.
    static let stackSelector = "\(KubernetesManifests.partOfLabel)=\(Stack.name)"

    /// The last `lines` log lines of a service's pod (of its previous container when the current one has none yet).
    public func logs(service: String, lines: Int) async -> String {
        let base = ["kubectl", "logs", "--namespace", namespace, "--selector", "\(KubernetesManifests.nameLabel)=\(service)", "--tail", String(lines)]
        if let current = try? await runner.output(base), !current.isEmpty { return current }
        return (try? await runner.output(base + ["--previous"])) ?? ""
    }
}
