import Foundation

extension EngineAPI {
    /// One event from `GET /events`.
    public struct Event: Codable, Sendable, Equatable {
        /// `container`, `service`, `image`, `network`, ...
        public var type: String
        /// `start`, `die`, `health_status: healthy`, `create`, `update`, `remove`, ...
        public var action: String
        public var actor: Actor
        /// Seconds and nanoseconds since 1970.
        public var time: Int
        public var timeNano: Int

        public init(type: String, action: String, actor: Actor, time: Int, timeNano: Int) {
            self.type = type
            self.action = action
            self.actor = actor
            self.time = time
            self.timeNano = timeNano
        }

        enum CodingKeys: String, CodingKey {
            case type = "Type", action = "Action", actor = "Actor", time, timeNano
        }

        /// When it happened.
        public var date: Date { Date(timeIntervalSince1970: Double(timeNano) / 1_000_000_000) }

        /// `Event.Actor`: the object and its attributes (`name`, `image`, `exitCode`, labels ...).
        public struct Actor: Codable, Sendable, Equatable {
            public var id: String
            public var attributes: [String: String]?

            public init(id: String, attributes: [String: String]? = nil) {
                self.id = id
                self.attributes = attributes
            }

            enum CodingKeys: String, CodingKey { case id = "ID", attributes = "Attributes" }
        }
    }

    /// Which events to stream.
    public struct EventFilter: Sendable, Equatable {
        /// Object types (`container`, `service`); all when empty.
        public var types: [String]
        /// Labels (`key` or `key=value`) the object must carry.
        public var labels: [String]
        /// Also replay events since this time (otherwise only new ones).
        public var since: Date?
        /// Stop at this time (the stream then ends).
        public var until: Date?

        public init(types: [String] = [], labels: [String] = [], since: Date? = nil, until: Date? = nil) {
            self.types = types
            self.labels = labels
            self.since = since
            self.until = until
        }
    }
}
