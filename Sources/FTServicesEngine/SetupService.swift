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
        let stack = workspace.stack

        // 1. Render srcs/ (only files whose bytes change are written).
        let files = try SourceTree.render(stack: stack, templatesDirectory: workspace.project.templates)
        let rendered = try SourceWriter(project: workspace.project).write(files)
        if !rendered.written.isEmpty || !rendered.removed.isEmpty {
            progress.note("rendered srcs/: \(rendered.written.count) written, \(rendered.removed.count) removed, \(rendered.unchanged) unchanged")
        }

        // 2. The engine must answer before anything else is attempted.
        try await engine.ping()
        let address = requested ?? workspace.config.address ?? AddressResolver().resolve()

        // 3. Which services can be deployed: Grafana needs a package source.
        let hashes = ImageHash.computeAll(stack: stack, files: files)
        let existing = try await ImageBuilder(runner: runner, logDirectory: workspace.state.logDirectory, cacheDirectory: workspace.state.directory)
            .existingTags()
        var services = ServiceName.allCases
        var grafanaMissing: String?
        if let hash = hashes[.grafana], existing["ftservices/grafana:\(hash)"] == nil, let reason = await grafanaUnavailable() {
            grafanaMissing = reason
            services.removeAll { $0 == .grafana }
            progress.note("Grafana skipped: \(reason). To install it offline, set grafana.package: /path/to/grafana_VERSION_amd64.deb in a config file (--config).")
        }

        // 4. Secrets (generated once, kept in the state directory).
        let keys = Array(Set(stack.services.filter { services.contains($0.name) }.flatMap(\.secrets))).sorted()
        let state = try await SecretProvisioner(store: workspace.state, runner: runner)
            .ensure(keys: keys, address: address, wordpressUsers: workspace.config.wordpress.users.map(\.name))

        // 5. Images.
        progress.phase("Building images")
        let plans = stack.images.filter { image in
            services.contains { $0.image == image.name } || stack.images.contains { child in
                child.parent == image.name && services.contains { $0.image == child.name }
            }
        }.compactMap { image -> ImagePlan? in
            guard let hash = hashes[image.name] else { return nil }
            return ImagePlan(name: image.name.rawValue, parent: image.parent?.rawValue,
                             context: workspace.project.sources.appendingPathComponent(image.templateDirectory), hash: hash)
        }
        let built = BuiltImages()
        let progress = self.progress
        try await ImageBuilder(runner: runner, logDirectory: workspace.state.logDirectory, cacheDirectory: workspace.state.directory.appendingPathComponent("cache"))
            .build(plans) { event in
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
            guard let name = state.swarmSecretName(key.rawValue), let value = state.secrets[key.rawValue] else { continue }
            secretNames[name] = value
            variables[StackFile.secretVariable(key)] = name
        }
        for service in services {
            if let hash = hashes[service.image] { variables[StackFile.imageVariable(service)] = "ftservices/\(service.image.rawValue):\(hash)" }
        }
        let created = try await deployer.ensureSecrets(secretNames)
        if !created.isEmpty { progress.note("created \(created.count) Swarm secret(s)") }
        let stackFile: URL
        if services.count == ServiceName.allCases.count {
            stackFile = workspace.project.sources.appendingPathComponent(StackFile.path)
        } else {
            let subset = try StackFile.render(stack: stack, services: services)
            stackFile = workspace.state.directory.appendingPathComponent("deploy/stack.yml")
            try FileManager.default.createDirectory(at: stackFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            try workspace.state.writeAtomically(subset.contents, to: stackFile, mode: 0o644)
        }
        let deployStart = Date()
        try await deployer.deploy(stackFile: stackFile, variables: variables, logFile: workspace.state.logDirectory.appendingPathComponent("deploy.log"))

        // 7. Wait until every service is healthy.
        progress.phase("Waiting for services to become healthy")
        try await HealthWaiter(observer: EngineStackObserver(engine: engine)).wait(
            for: services.map(\.rawValue), since: deployStart.addingTimeInterval(-1), timeout: timeout
        ) { service, changed in progress.service(service, changed: changed) }
        progress.finish()

        await deployer.pruneSecrets(keeping: Set(secretNames.keys))
        await removeOutdatedImages(current: plans)
        return Outcome(address: address, deployed: services, grafanaMissing: grafanaMissing, rendered: rendered,
                       built: built.names, seconds: Date().timeIntervalSince(start))
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

    /// Untags older hash tags of the images just used (their layers go once nothing uses them).
    func removeOutdatedImages(current: [ImagePlan]) async {
        guard let tags = try? await ImageBuilder(runner: runner, logDirectory: workspace.state.logDirectory, cacheDirectory: workspace.state.directory).existingTags() else { return }
        let keep = Set(current.flatMap { [$0.hashTag, $0.localTag] })
        for tag in tags.keys where !keep.contains(tag) {
            let name = tag.split(separator: ":").first.map(String.init) ?? ""
            guard current.contains(where: { "ftservices/\($0.name)" == name }) else { continue }
            _ = try? await runner.output(["docker", "image", "rm", tag])
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
