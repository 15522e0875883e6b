import Foundation

extension EngineAPI {
    /// An image as listed by `GET /images/json`.
    public struct ImageSummary: Codable, Sendable, Equatable {
        public var id: String
        public var repoTags: [String]?
        public var labels: [String: String]?

        public init(id: String, repoTags: [String]? = nil, labels: [String: String]? = nil) {
            self.id = id
            self.repoTags = repoTags
            self.labels = labels
        }

        enum CodingKeys: String, CodingKey { case id = "Id", repoTags = "RepoTags", labels = "Labels" }
    }

    /// An image in detail (`GET /images/{name}/json`).
    public struct Image: Codable, Sendable, Equatable {
        public var id: String
        public var repoTags: [String]?
        public var created: String?
        public var config: Config?

        public init(id: String, repoTags: [String]? = nil, created: String? = nil, labels: [String: String]? = nil) {
            self.id = id
            self.repoTags = repoTags
            self.created = created
            self.config = Config(labels: labels)
        }

        enum CodingKeys: String, CodingKey { case id = "Id", repoTags = "RepoTags", created = "Created", config = "Config" }

        /// The image's labels (`org.ftservices.hash`, ...).
        public var labels: [String: String] { config?.labels ?? [:] }

        /// `Image.Config`.
        public struct Config: Codable, Sendable, Equatable {
            public var labels: [String: String]?
            public init(labels: [String: String]?) { self.labels = labels }
            enum CodingKeys: String, CodingKey { case labels = "Labels" }
        }
    }

    /// A Swarm secret's metadata (never its value) from `GET /secrets`.
    public struct Secret: Codable, Sendable, Equatable {
        public var id: String
        public var createdAt: String?
        public var spec: Spec

        public init(id: String, name: String, labels: [String: String]? = nil, createdAt: String? = nil) {
            self.id = id
            self.createdAt = createdAt
            self.spec = Spec(name: name, labels: labels)
        }

        enum CodingKeys: String, CodingKey { case id = "ID", createdAt = "CreatedAt", spec = "Spec" }

        public var name: String { spec.name }

        /// `Secret.Spec`.
        public struct Spec: Codable, Sendable, Equatable {
            public var name: String
            public var labels: [String: String]?
            public init(name: String, labels: [String: String]?) {
                self.name = name
                self.labels = labels
            }
            enum CodingKeys: String, CodingKey { case name = "Name", labels = "Labels" }
        }
    }
}
