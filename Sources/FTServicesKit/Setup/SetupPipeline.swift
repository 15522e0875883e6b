import FTServicesCore
import FTServicesNet
import Foundation

/// `ftservices setup` on either orchestrator: render srcs/, hash the images, choose the deployable services,
/// generate the secrets, build the images, then hand over to the orchestrator's ``StackDeployment`` to deploy
/// and wait until every service is healthy.
public struct SetupPipeline: Sendable {
    /// How `setup` ended when it did not throw.
    public struct Outcome: Sendable {
        public var address: String
        public var deployed: [ServiceName]
        /// Why Grafana was not deployed, when it was not.
        public var grafanaMissing: String?
        public var rendered: SourceWriter.Outcome
        public var built: [String]
        public var seconds: Double
    }

    let workspace: Workspace
    let runner: any ProcessRunning
    let engine: any ContainerEngineAPI
    let progress: any SetupProgress
    /// Which step runs: what an interruption reports.
    let steps: SetupSteps

    public init(workspace: Workspace, engine: any ContainerEngineAPI = DockerEngineAPI(), progress: any SetupProgress,
                runner: any ProcessRunning = SubprocessRunner(), steps: SetupSteps = SetupSteps()) {
        self.workspace = workspace
        self.engine = engine
        self.progress = progress
        self.runner = runner
        self.steps = steps
    }

    /// Sets the stack up with `deployment`, holding the state directory's lock throughout.
    /// - Parameter requested: `--address`; else the config's (and on Swarm this host's address).
    /// - Throws: ``SetupInterrupted`` when the task is cancelled (a signal): whatever the step was doing is
    ///   stopped (a running program gets SIGTERM, then SIGKILL after 0.7 s) and nothing half-done is kept.
    public func run(_ deployment: some StackDeployment, address requested: String?, timeout: Double) async throws -> Outcome {
        do {
            return try await steps(deployment, address: requested, timeout: timeout)
        } catch {
            if Task.isCancelled { throw SetupInterrupted(step: steps.current, done: steps.done, notDone: steps.notDone) }
            throw error
        }
    }

    func steps(_ deployment: some StackDeployment, address requested: String?, timeout: Double) async throws -> Outcome {
        let start = Date()
        let lock = try workspace.state.lock()
        defer { close(lock) }
        let builder = ImageBuilder(runner: runner, logDirectory: workspace.state.logDirectory,
                                   cacheDirectory: workspace.state.directory.appendingPathComponent("cache"))

        // 1. The orchestrator's own checks: on Kubernetes nothing is written or built for a cluster that is not there.
        steps.begin(.checks)
        let target = try await deployment.prepare(address: requested)

        // 2. Render srcs/ (both orchestrators' files; only files whose bytes change are written).
        steps.begin(.render)
        let (files, rendered) = try renderSources()

        // 3. The local engine builds the images: it must answer before anything else is attempted.
        try await engine.ping()
        let address = deployment.address(requested: requested, target: target)

        // 4. Which services can be deployed: Grafana needs a package source (unless its image exists).
        let hashes = ImageHash.computeAll(stack: workspace.stack, files: files)
        let existing = try await builder.existingTags()
        let (services, grafanaMissing) = await deployableServices(hashes: hashes, existing: existing)

        // 5. Secrets (generated once, kept in the state directory; the certificate names the address).
        steps.begin(.secrets)
        let (keys, state) = try await ensureSecrets(for: services, address: address)

        // 6. Images.
        steps.begin(.build)
        progress.phase("Building images")
        let plans = imagePlans(for: services, hashes: hashes)
        let built = BuiltImages()
        let progress = self.progress
        try await builder.build(plans, existing: existing) { event in
            if case .built(let image, _) = event { built.add(image) }
            progress.image(event)
        }
        progress.finish()

        // 7. Deploy and wait until every service is healthy.
        let request = DeploymentRequest(address: address, services: services, hashes: hashes, secrets: keys, state: state, timeout: timeout,
                                        steps: steps)
        let answered = try await deployment.deploy(request, to: target)
        await builder.removeOutdatedTags(keeping: plans)
        return Outcome(address: answered, deployed: services, grafanaMissing: grafanaMissing, rendered: rendered,
                       built: built.names, seconds: Date().timeIntervalSince(start))
    }

    /// The images `services` run and the images those are built on, parents first.
    func imagePlans(for services: [ServiceName], hashes: [ImageName: String]) -> [ImagePlan] {
        let stack = workspace.stack
        let needed = Set(services.flatMap { [$0.image] + stack.ancestors(of: $0.image) })
        return stack.images.filter { needed.contains($0.name) }.compactMap { image in
            hashes[image.name].map {
                ImagePlan(image: image, context: workspace.project.sources.appendingPathComponent(image.templateDirectory), hash: $0)
            }
        }
    }

    /// Renders `srcs/` from the templates and the model, writing only files whose bytes change; says so when
    /// any did. Returns every rendered file (for the image hashes) and what was written.
    func renderSources() throws -> (files: [RenderedFile], rendered: SourceWriter.Outcome) {
        let files = try SourceTree.render(stack: workspace.stack, templatesDirectory: workspace.project.templates)
        let rendered = try SourceWriter(project: workspace.project).write(files)
        if !rendered.written.isEmpty || !rendered.removed.isEmpty {
            progress.note("rendered srcs/: \(rendered.written.count) written, \(rendered.removed.count) removed, \(rendered.unchanged) unchanged")
        }
        return (files, rendered)
    }

    /// Every service, except Grafana when its image is not built yet and no package source can be had
    /// (then with the reason, which is also noted with how to install it offline).
    func deployableServices(hashes: [ImageName: String], existing: [String: String]) async -> (services: [ServiceName], grafanaMissing: String?) {
        let stack = workspace.stack
        guard let hash = hashes[.grafana], existing[stack.image(.grafana).tag(hash: hash)] == nil,
              let reason = await grafanaUnavailable() else { return (ServiceName.allCases, nil) }
        progress.note("Grafana skipped: \(reason). To install it offline, set grafana.package: /path/to/grafana_VERSION_amd64.deb in a config file (--config).")
        return (ServiceName.allCases.filter { $0 != .grafana }, reason)
    }

    /// The secrets `services` mount (sorted), generated once and kept in the state directory (the certificate names `address`).
    func ensureSecrets(for services: [ServiceName], address: String) async throws -> (keys: [SecretKey], state: StackState) {
        let keys = Array(Set(workspace.stack.services.filter { services.contains($0.name) }.flatMap(\.secrets))).sorted()
        let state = try await SecretProvisioner(store: workspace.state, runner: runner)
            .ensure(keys: keys, address: address, wordpressUsers: workspace.config.wordpress.users.map(\.name))
        return (keys, state)
    }

    /// Why Grafana cannot be installed, or nil when a package source is there.
    func grafanaUnavailable() async -> String? {
        if case .localDeb = workspace.config.grafanaPackage { return nil }
        let request = HTTPRequest(method: "HEAD", url: "https://apt.grafana.com/gpg.key", timeout: .seconds(8), connectTimeout: .seconds(5))
        do {
            let response = try await HTTPClient().send(request)
            if (200..<400).contains(response.status) { return nil }
            return "Grafana's APT source answered HTTP \(response.status) and no local .deb is configured"
        } catch {
            return "Grafana is not a Debian package, its APT source https://apt.grafana.com is unreachable (\(error.message)) and no local .deb is configured"
        }
    }
}

/// Names of images built in this run (filled from concurrent build tasks).
final class BuiltImages: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ name: String) { lock.withLock { list.append(name) } }
    var names: [String] { lock.withLock { list } }
}
