import FTServicesCore
import Foundation

/// `ftservices setup --orchestrator kubernetes`, around ``SetupPipeline``: before anything is rendered, the
/// current kubectl context, the shared address, where the images go and the cluster; once the images are
/// built, make them available to the cluster, create the Secrets, apply the manifests server-side, wait per
/// service with the same progress display as Swarm, and check the one shared address.
public struct KubernetesDeployment: StackDeployment {
    /// What the checks before rendering found: the shared address and where the images go.
    public struct Target: Sendable {
        public var address: String
        public var distribution: ImageDistribution
    }

    let workspace: Workspace
    let runner: any ProcessRunning
    let registry: String?
    public let progress: any SetupProgress
    public let pollInterval: Duration
    let addressWait: Duration

    /// - Parameter registry: `--registry HOST[:PORT]/PREFIX`; needed unless the context is minikube or kind.
    public init(
        workspace: Workspace, progress: any SetupProgress, registry: String? = nil, runner: any ProcessRunning = SubprocessRunner(),
        pollInterval: Duration = .milliseconds(500), addressWait: Duration = .seconds(60)
    ) {
        self.workspace = workspace
        self.progress = progress
        self.registry = registry
        self.runner = runner
        self.pollInterval = pollInterval
        self.addressWait = addressWait
    }

    var deployer: KubernetesDeployer { KubernetesDeployer(runner: runner) }

    public var observer: any StackObserving { KubernetesStackObserver(deployer: deployer) }

    /// The cluster first: nothing is written or built for a cluster that is not there.
    /// - Parameter requested: `--address`, else the config's; required (MetalLB needs it before anything is created).
    public func prepare(address requested: String?) async throws -> Target {
        let context = try await deployer.currentContext()
        guard let address = requested ?? workspace.config.address else { throw KubernetesError.noAddress }
        let distribution = try ImageDistribution.choose(context: context, registry: registry)
        try await deployer.checkCluster(context: context)
        progress.note("kubectl context \(context), shared address \(address)")
        return Target(address: address, distribution: distribution)
    }

    public func address(requested: String?, target: Target) -> String { target.address }

    /// Loads the built images into the cluster or pushes them, then ``deploy(services:values:secrets:digests:timeout:)``.
    public func deploy(_ request: DeploymentRequest, to target: Target) async throws -> String {
        let stack = workspace.stack
        let distribution = target.distribution
        var images: [ServiceName: String] = [:]
        var transfers: [(local: String, target: String)] = []
        for service in request.services {
            guard let hash = request.hashes[service.image] else { continue }
            let image = stack.image(service.image)
            images[service] = distribution.reference(image: image, hash: hash)
            transfers.append((image.tag(hash: hash), images[service]!))
        }
        request.steps.begin(.deploy)
        progress.phase("Making the images available to the cluster: \(distribution.summary)")
        let moved = try await ClusterImageLoader(runner: runner)
            .makeAvailable(transfers, via: distribution, logFile: workspace.state.logDirectory.appendingPathComponent("images-kubernetes.log"))
        progress.note(moved.isEmpty ? "the cluster has every image already" : "\(moved.count) image(s) made available")

        var secrets: [SecretKey: String] = [:]
        var digests: [SecretKey: String] = [:]
        for key in request.secrets {
            secrets[key] = request.state.secrets[key]
            digests[key] = request.state.secretDigest(key)
        }
        let values = KubernetesValues(address: request.address, images: images)
        return try await deploy(services: request.services, values: values, secrets: secrets, digests: digests, timeout: request.timeout,
                                steps: request.steps)
    }

    /// Applies the Secrets and the manifests of `services` rendered with `values`, restarts the services
    /// whose Secrets changed, waits until every one is ready, and returns the address the Services share.
    public func deploy(services: [ServiceName], values: KubernetesValues, secrets: [SecretKey: String], digests: [SecretKey: String],
                       timeout: Double, steps: SetupSteps = SetupSteps()) async throws -> String
    {
        let stack = workspace.stack
        progress.phase("Applying to Kubernetes (namespace \(KubernetesManifests.namespace))")
        // What is applied is srcs/k8s/ with the address and images filled in; it is kept for inspection
        // (no Secret in it) in the state directory.
        let directory = workspace.state.directory.appendingPathComponent("deploy/k8s")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let manifests = try KubernetesManifests.render(stack: stack, services: services, values: values)
        for file in manifests {
            try workspace.state.writeAtomically(file.contents, to: directory.appendingPathComponent(URL(fileURLWithPath: file.path).lastPathComponent), mode: 0o644)
        }
        let deployed = try await deployer.deployedSecretDigests()
        let objects = KubernetesSecrets.objects(values: secrets, digests: digests)
        try await deployer.applySecrets(namespace: directory.appendingPathComponent("00-namespace.yaml"), secrets: try KubernetesSecrets.list(objects))
        let current = Dictionary(uniqueKeysWithValues: objects.map { ($0.metadata.name, $0.metadata.annotations?[KubernetesSecrets.digestAnnotation] ?? "") })
        let waitStart = Date()
        try workspace.state.record(orchestrator: .kubernetes)
        let before = try await deployer.deploymentRevisions()
        try await deployer.clearRollbackMarks(before.filter { $0.value.rolledBackFrom != nil }.map(\.key).sorted())
        try await deployer.apply(directory: directory, logFile: workspace.state.logDirectory.appendingPathComponent("apply.log"))
        let restart = KubernetesSecrets.servicesToRestart(stack: stack, services: services, current: current, deployed: deployed)
        if !restart.isEmpty {
            progress.note("restarting \(restart.map(\.rawValue).joined(separator: ", ")): their secrets changed")
            try await deployer.restart(restart)
        }

        // What the apply rolls out: a service whose Deployment is new has nothing to roll back to; one whose
        // spec changed (a new generation) is undone if its new pods do not become ready.
        let after = try await deployer.deploymentRevisions()
        var updates: [String: UpdatePhase] = [:]
        for service in services.map(\.rawValue) {
            guard let previous = before[service] else { updates[service] = .firstDeploy; continue }
            if after[service]?.generation != previous.generation { updates[service] = .updating(previous: previous.image) }
        }
        let versions = Dictionary(uniqueKeysWithValues: services.compactMap { service in values.images[service].map { (service.rawValue, $0) } })
        let observer = KubernetesStackObserver(deployer: deployer, updates: updates, versions: versions)
        steps.begin(.wait)
        try await waitUntilHealthy(services, phase: "Waiting for services to become ready", since: waitStart, timeout: timeout, observer: observer)
        return try await sharedAddress(expected: values.address)
    }

    /// Every LoadBalancer Service has the one address (MetalLB assigns it within seconds once the pool exists).
    func sharedAddress(expected: String) async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + addressWait
        while true {
            let addresses = try await deployer.loadBalancerAddresses()
            if !addresses.isEmpty, addresses.values.allSatisfy({ $0 == expected }) { return expected }
            if clock.now >= deadline { throw KubernetesError.addressNotAssigned(expected: expected, services: addresses) }
            try await Task.sleep(for: pollInterval)
        }
    }
}
