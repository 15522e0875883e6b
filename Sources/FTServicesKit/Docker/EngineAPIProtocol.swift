import Foundation

/// The Docker Engine API calls the tool makes: the real daemon in `DockerEngineAPI`, a fake in tests.
public protocol ContainerEngineAPI: Sendable {
    /// Succeeds when the daemon answers `GET /_ping`.
    func ping() async throws(EngineAPIError)
    /// The daemon's version (`GET /version`).
    func version() async throws(EngineAPIError) -> EngineAPI.Version
    /// System information, including the Swarm state (`GET /info`).
    func info() async throws(EngineAPIError) -> EngineAPI.Info
    /// Containers, running only unless `all`; `labels` filters on `key` or `key=value`.
    func containers(all: Bool, labels: [String]) async throws(EngineAPIError) -> [EngineAPI.ContainerSummary]
    /// One container in detail (state, health, restarts).
    func container(_ idOrName: String) async throws(EngineAPIError) -> EngineAPI.Container
    /// The last `tail` log lines of a container (no TTY), stdout and stderr interleaved as sent.
    func logs(container idOrName: String, tail: Int) async throws(EngineAPIError) -> [EngineAPI.LogLine]
    /// Runs `command` in a running container and waits for it (`exec` create, start, inspect).
    func exec(container idOrName: String, command: [String], user: String?) async throws(EngineAPIError)
        -> CommandResult
    /// The Swarm services of a stack (label `com.docker.stack.namespace=stack`).
    func services(stack: String) async throws(EngineAPIError) -> [EngineAPI.Service]
    /// One service in detail.
    func service(_ idOrName: String) async throws(EngineAPIError) -> EngineAPI.Service
    /// The tasks of a service, current and past, newest first.
    func tasks(service idOrName: String) async throws(EngineAPIError) -> [EngineAPI.ServiceTask]
    /// Images whose reference matches `reference` (`ftservices/*`, `ftservices/nginx:abc`).
    func images(reference: String) async throws(EngineAPIError) -> [EngineAPI.ImageSummary]
    /// One image in detail (its labels); 404 when absent.
    func image(_ reference: String) async throws(EngineAPIError) -> EngineAPI.Image
    /// Swarm secrets whose name matches one of `names` (all when empty).
    func secrets(names: [String]) async throws(EngineAPIError) -> [EngineAPI.Secret]
    /// Live events matching `filter`, until the consumer stops iterating.
    func events(_ filter: EngineAPI.EventFilter) -> AsyncThrowingStream<EngineAPI.Event, any Error>
}

extension ContainerEngineAPI {
    /// The published ports of every service of a stack (from the service specs, any publish mode).
    public func publishedPortsOfStack(_ stack: String) async throws(EngineAPIError) -> [Int] {
        try await services(stack: stack).flatMap(\.publishedPorts).map(\.publishedPort).sorted()
    }

    /// Runs `command` as the container's default user.
    public func exec(container idOrName: String, command: [String]) async throws(EngineAPIError)
        -> CommandResult {
        try await exec(container: idOrName, command: command, user: nil)
    }
}
