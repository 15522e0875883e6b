import Foundation

extension DockerEngineAPI {
    public func ping() async throws(EngineAPIError) {
        _ = try await call("GET", "/_ping")
    }

    public func version() async throws(EngineAPIError) -> EngineAPI.Version {
        try await get(EngineAPI.Version.self, "/version")
    }

    public func info() async throws(EngineAPIError) -> EngineAPI.Info {
        try await get(EngineAPI.Info.self, "/info")
    }

    public func containers(all: Bool = false, labels: [String] = []) async throws(EngineAPIError)
        -> [EngineAPI.ContainerSummary] {
        try await get([EngineAPI.ContainerSummary].self, "/containers/json",
                      query: [("all", all ? "1" : "0"), ("filters", Self.filters(["label": labels]))])
    }

    public func container(_ idOrName: String) async throws(EngineAPIError) -> EngineAPI.Container {
        try await get(EngineAPI.Container.self, "/containers/\(Self.component(idOrName))/json")
    }

    public func services(stack: String) async throws(EngineAPIError) -> [EngineAPI.Service] {
        let filter = Self.filters(["label": ["com.docker.stack.namespace=\(stack)"]])
        return try await get([EngineAPI.Service].self, "/services", query: [("filters", filter)])
    }

    public func service(_ idOrName: String) async throws(EngineAPIError) -> EngineAPI.Service {
        try await get(EngineAPI.Service.self, "/services/\(Self.component(idOrName))")
    }

    public func tasks(service idOrName: String) async throws(EngineAPIError) -> [EngineAPI.ServiceTask] {
        let tasks = try await get([EngineAPI.ServiceTask].self, "/tasks",
                                  query: [("filters", Self.filters(["service": [idOrName]]))])
        // RFC 3339 UTC timestamps of one daemon sort as text.
        return tasks.sorted { ($0.createdAt ?? "") > ($1.createdAt ?? "") }
    }

    public func images(reference: String) async throws(EngineAPIError) -> [EngineAPI.ImageSummary] {
        try await get([EngineAPI.ImageSummary].self, "/images/json",
                      query: [("filters", Self.filters(["reference": [reference]]))])
    }

    public func image(_ reference: String) async throws(EngineAPIError) -> EngineAPI.Image {
        try await get(EngineAPI.Image.self, "/images/\(Self.component(reference))/json")
    }

    public func secrets(names: [String]) async throws(EngineAPIError) -> [EngineAPI.Secret] {
        // The daemon's name filter matches prefixes; keep exact matches only.
        let secrets = try await get([EngineAPI.Secret].self, "/secrets",
                                    query: [("filters", Self.filters(["name": names]))])
        return names.isEmpty ? secrets : secrets.filter { names.contains($0.name) }
    }
}
