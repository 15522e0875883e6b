import FTServicesCore
import Foundation

/// `ftservices setup` on Docker Swarm, after ``SetupPipeline`` built the images: a single-node Swarm, the
/// published ports free, the Swarm secrets, `docker stack deploy`, and the wait through the Engine API.
public struct SwarmDeployment: StackDeployment {
    let workspace: Workspace
    let engine: any ContainerEngineAPI
    let runner: any ProcessRunning
    public let progress: any SetupProgress
    public let pollInterval: Duration

    public init(workspace: Workspace, engine: any ContainerEngineAPI = DockerEngineAPI(), progress: any SetupProgress,
                runner: any ProcessRunning = SubprocessRunner(), pollInterval: Duration = .milliseconds(500)) {
        self.workspace = workspace
        self.engine = engine
        self.progress = progress
        self.runner = runner
        self.pollInterval = pollInterval
    }

    public var observer: any StackObserving { SwarmStackObserver(engine: engine) }

    /// Nothing to check before rendering: this host's engine is asked once srcs/ is rendered.
    public func prepare(address requested: String?) async throws {}

    /// `--address`, else the config's, else this host's address on its default route.
    public func address(requested: String?, target: Void) -> String {
        requested ?? workspace.config.address ?? AddressResolver().resolve()
    }

    public func deploy(_ request: DeploymentRequest, to target: Void) async throws -> String {
        let stack = workspace.stack
        let address = request.address
        let services = request.services
        request.steps.begin(.deploy)
        progress.phase("Deploying to Docker Swarm")
        let deployer = SwarmDeployer(runner: runner)
        if try await deployer.ensureSwarm(advertiseAddress: address) {
            progress.note("initialised a single-node Swarm (advertise address \(address))")
        }
        try await checkPorts(services: services)
        var secretNames: [String: String] = [:]
        var variables: [String: String] = [StackFile.addressVariable: address]
        for key in request.secrets {
            guard let name = request.state.swarmSecretName(key), let value = request.state.secrets[key] else { continue }
            secretNames[name] = value
            variables[StackFile.secretVariable(key)] = name
        }
        for service in services {
            if let hash = request.hashes[service.image] { variables[StackFile.imageVariable(service)] = stack.image(service.image).tag(hash: hash) }
        }
        let created = try await deployer.ensureSecrets(secretNames)
        if !created.isEmpty { progress.note("created \(created.count) Swarm secret(s)") }
        let deployStart = Date()
        try workspace.state.record(orchestrator: .swarm)
        try await deployer.deploy(stackFile: try stackFile(for: services), variables: variables,
                                  logFile: workspace.state.logDirectory.appendingPathComponent("deploy.log"))

        request.steps.begin(.wait)
        try await waitUntilHealthy(services, phase: "Waiting for services to become healthy", since: deployStart, timeout: request.timeout)
        await deployer.pruneSecrets(keeping: Set(secretNames.keys))
        return address
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
