import FTServicesCore
import FTServicesNet
import Foundation

/// `ftservices setup`: render, build, deploy, wait until healthy.
public struct SetupService: Sendable {
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

    public init(workspace: Workspace, engine: any ContainerEngineAPI, progress: any SetupProgress, runner: any ProcessRunning = SubprocessRunner()) {
        self.workspace = workspace
        self.engine = engine
        self.progress = progress
        self.runner = runner
    }

    public func run(address requested: String?, timeout: Double) async throws -> Outcome {
        let start = Date()
        let lock = try workspace.state.lock()
        defer { close(lock) }
        let stack = workspace.stack
        let builder = ImageBuilder(runner: runner, logDirectory: workspace.state.logDirectory,
                                   cacheDirectory: workspace.state.directory.appendingPathComponent("cache"))

        // 1. Render srcs/ (only files whose bytes change are written).
        let (files, rendered) = try renderSources()

        // 2. The engine must answer before anything else is attempted.
        try await engine.ping()
        let address = requested ?? workspace.config.address ?? AddressResolver().resolve()

        // 3. Which services can be deployed: Grafana needs a package source (unless its image exists).
        let hashes = ImageHash.computeAll(stack: stack, files: files)
        let existing = try await builder.existingTags()
        let (services, grafanaMissing) = await deployableServices(hashes: hashes, existing: existing)

        // 4. Secrets (generated once, kept in the state directory).
        let (keys, state) = try await ensureSecrets(for: services, address: address)

        // 5. Images.
        progress.phase("Building images")
        let plans = imagePlans(for: services, hashes: hashes)
        let built = BuiltImages()
        let progress = self.progress
        try await builder.build(plans, existing: existing) { event in
            if case .built(let image, _) = event { built.add(image) }
            progress.image(event)
        }
        progress.finish()

        // 6. Swarm, ports, secrets, deploy.
        progress.phase("Deploying to Docker Swarm")
        let deployer = SwarmDeployer(runner: runner)
        if try await deployer.ensureSwarm(advertiseAddress: address) {
            progress.note("initialised a single-node Swarm (advertise address \(address))")
        }
        try await checkPorts(services: services)
        var secretNames: [String: String] = [:]
        var variables: [String: String] = [StackFile.addressVariable: address]
        for key in keys {
            guard let name = state.swarmSecretName(key), let value = state.secrets[key] else { continue }
            secretNames[name] = value
            variables[StackFile.secretVariable(key)] = name
        }
        for service in services {
            if let hash = hashes[service.image] { variables[StackFile.imageVariable(service)] = stack.image(service.image).tag(hash: hash) }
        }
        let created = try await deployer.ensureSecrets(secretNames)
        if !created.isEmpty { progress.note("created \(created.count) Swarm secret(s)") }
        let deployStart = Date()
        try workspace.state.record(orchestrator: .swarm)
        try await deployer.deploy(stackFile: try stackFile(for: services), variables: variables,
                                  logFile: workspace.state.logDirectory.appendingPathComponent("deploy.log"))

        // 7. Wait until every service is healthy.
        progress.phase("Waiting for services to become healthy")
        try await HealthWaiter(observer: SwarmStackObserver(engine: engine)).wait(
            for: services.map(\.rawValue), since: deployStart.addingTimeInterval(-1), timeout: timeout
        ) { service, changed in progress.service(service, changed: changed) }
        progress.finish()

        await deployer.pruneSecrets(keeping: Set(secretNames.keys))
        await builder.removeOutdatedTags(keeping: plans)
        return Outcome(address: address, deployed: services, grafanaMissing: grafanaMissing, rendered: rendered,
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

    /// `srcs/stack.yml` when every service is deployed; otherwise a stack file of just `services`, written
    /// into the state directory (srcs/ always holds the whole stack).
    func stackFile(for services: [ServiceName]) throws -> URL {
        if services.count == ServiceName.allCases.count {
            return workspace.project.sources.appendingPathComponent(StackFile.path)
        }
        let subset = try StackFile.render(stack: workspace.stack, services: services)
        let url = workspace.state.directory.appendingPathComponent("deploy/stack.yml")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try workspace.state.writeAtomically(subset.contents, to: url, mode: 0o644)
        return url
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

    /// Fails before deploying when a port the stack publishes is taken by something else.
    func checkPorts(services: [ServiceName]) async throws {
        var own: Set<Int> = []
        for port in try await engine.publishedPortsOfStack(Stack.name) { own.insert(port) }
        let wanted = workspace.stack.services.filter { services.contains($0.name) }
            .flatMap { service in service.publishedPorts.map { (port: $0.number, purpose: "\(service.name.rawValue) \($0.purpose.rawValue)") } }
        let conflicts = PortChecker().conflicts(wanted, ownPorts: own)
        if !conflicts.isEmpty { throw SetupError.portsInUse(conflicts, configFile: workspace.configFile) }
    }
}

/// Names of images built in this run (filled from concurrent build tasks).
final class BuiltImages: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ name: String) { lock.withLock { list.append(name) } }
    var names: [String] { lock.withLock { list } }
}

/// `setup` could not proceed.
public enum SetupError: Error, CustomStringConvertible, LocalizedError {
    case portsInUse([PortChecker.Conflict], configFile: String?)

    public var description: String {
        switch self {
        case .portsInUse(let conflicts, let configFile):
            let lines = conflicts.map { "- \($0)" }.joined(separator: "\n")
            let config = configFile.map { "the `ports:` section of \($0)" } ?? "a config file (--config FILE, key ports:)"
            return "ports the stack publishes are already in use:\n\(lines)\n  stop what holds them, or choose other ports in \(config)."
        }
    }

    public var errorDescription: String? { description }
}
