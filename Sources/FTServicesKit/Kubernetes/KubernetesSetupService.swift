import FTServicesCore
import Foundation

/// `ftservices setup --orchestrator kubernetes`: on the cluster of the current kubectl context, build the
/// images, make them available to the cluster, create the Secrets, apply the manifests server-side, wait
/// per service with the same progress display as Swarm, and check the one shared address.
public struct KubernetesSetupService: Sendable {
    let workspace: Workspace
    let engine: any ContainerEngineAPI
    let runner: any ProcessRunning
    let progress: any SetupProgress
    let pollInterval: Duration
    let addressWait: Duration

    public init(
        workspace: Workspace, engine: any ContainerEngineAPI, progress: any SetupProgress, runner: any ProcessRunning = SubprocessRunner(),
        pollInterval: Duration = .milliseconds(500), addressWait: Duration = .seconds(60)
    ) {
        self.workspace = workspace
        self.engine = engine
        self.progress = progress
        self.runner = runner
        self.pollInterval = pollInterval
        self.addressWait = addressWait
    }

    var deployer: KubernetesDeployer { KubernetesDeployer(runner: runner) }

    /// - Parameters:
    ///   - address: `--address`, else the config's; required (MetalLB needs it before anything is created).
    ///   - registry: `--registry HOST[:PORT]/PREFIX`; needed unless the context is minikube or kind.
    public func run(address requested: String?, registry: String?, timeout: Double) async throws -> SetupService.Outcome {
        let start = Date()
        let lock = try workspace.state.lock()
        defer { close(lock) }
        let stack = workspace.stack

        // 1. The cluster first: nothing is written or built for a cluster that is not there.
        let context = try await deployer.currentContext()
        guard let address = requested ?? workspace.config.address else { throw KubernetesError.noAddress }
        let distribution = try ImageDistribution.choose(context: context, registry: registry)
        try await deployer.checkCluster(context: context)
        progress.note("kubectl context \(context), shared address \(address)")

        // 2. Render srcs/ (both orchestrators' files, as always).
        let shared = SetupService(workspace: workspace, engine: engine, progress: progress, runner: runner)
        let (files, rendered) = try shared.renderSources()

        // 3. The local engine builds the images, as for Swarm; Grafana needs a package source.
        try await engine.ping()
        let builder = ImageBuilder(runner: runner, logDirectory: workspace.state.logDirectory,
                                   cacheDirectory: workspace.state.directory.appendingPathComponent("cache"))
        let hashes = ImageHash.computeAll(stack: stack, files: files)
        let existing = try await builder.existingTags()
        let (services, grafanaMissing) = await shared.deployableServices(hashes: hashes, existing: existing)

        // 4. Secrets (generated once, kept in the state directory; the certificate names the shared address).
        let (keys, state) = try await shared.ensureSecrets(for: services, address: address)

        // 5. Images: built locally, then loaded into the cluster or pushed.
        progress.phase("Building images")
        let plans = shared.imagePlans(for: services, hashes: hashes)
        let built = BuiltImages()
        let progress = self.progress
        try await builder.build(plans, existing: existing) { event in
            if case .built(let image, _) = event { built.add(image) }
            progress.image(event)
        }
        progress.finish()
        var images: [ServiceName: String] = [:]
        var transfers: [(local: String, target: String)] = []
        for service in services {
            guard let hash = hashes[service.image] else { continue }
            let image = stack.image(service.image)
            images[service] = distribution.reference(image: image, hash: hash)
            transfers.append((image.tag(hash: hash), images[service]!))
        }
        progress.phase("Making the images available to the cluster: \(distribution.summary)")
        let moved = try await ClusterImageLoader(runner: runner)
            .makeAvailable(transfers, via: distribution, logFile: workspace.state.logDirectory.appendingPathComponent("images-kubernetes.log"))
        progress.note(moved.isEmpty ? "the cluster has every image already" : "\(moved.count) image(s) made available")

        // 6. Apply and wait.
        var secrets: [SecretKey: String] = [:]
        var digests: [SecretKey: String] = [:]
        for key in keys {
            secrets[key] = state.secrets[key]
            digests[key] = state.secretDigest(key)
        }
        let values = KubernetesValues(address: address, images: images)
        let assigned = try await deploy(services: services, values: values, secrets: secrets, digests: digests, timeout: timeout)
        await builder.removeOutdatedTags(keeping: plans)
        return SetupService.Outcome(address: assigned, deployed: services, grafanaMissing: grafanaMissing, rendered: rendered,
                                    built: built.names, seconds: Date().timeIntervalSince(start))
    }

    /// Applies the Secrets and the manifests of `services` rendered with `values`, restarts the services
    /// whose Secrets changed, waits until every one is ready, and returns the address the Services share.
    public func deploy(services: [ServiceName], values: KubernetesValues, secrets: [SecretKey: String], digests: [SecretKey: String],
                       timeout: Double) async throws -> String
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
        try await deployer.apply(directory: directory, logFile: workspace.state.logDirectory.appendingPathComponent("apply.log"))
        let restart = KubernetesSecrets.servicesToRestart(stack: stack, services: services, current: current, deployed: deployed)
        if !restart.isEmpty {
            progress.note("restarting \(restart.map(\.rawValue).joined(separator: ", ")): their secrets changed")
            try await deployer.restart(restart)
        }

        progress.phase("Waiting for services to become ready")
        let progress = self.progress
        try await HealthWaiter(observer: KubernetesStackObserver(deployer: deployer), pollInterval: pollInterval).wait(
            for: services.map(\.rawValue), since: waitStart.addingTimeInterval(-1), timeout: timeout
        ) { service, changed in progress.service(service, changed: changed) }
        progress.finish()
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
