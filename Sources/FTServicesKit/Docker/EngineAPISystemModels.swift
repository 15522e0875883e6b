import Foundation

/// Docker Engine API models: only the fields the tool reads, with Docker's own key names.
public enum EngineAPI {
    /// `GET /version`.
    public struct Version: Codable, Sendable, Equatable {
        /// The engine version ("20.10.24+dfsg1").
        public var version: String
        /// The newest API version the daemon speaks ("1.41").
        public var apiVersion: String
        /// The daemon's OS ("linux").
        public var os: String?
        /// The daemon's architecture ("amd64").
        public var arch: String?

        public init(version: String, apiVersion: String, os: String? = nil, arch: String? = nil) {
            self.version = version
            self.apiVersion = apiVersion
            self.os = os
            self.arch = arch
        }

        enum CodingKeys: String, CodingKey {
            case version = "Version", apiVersion = "ApiVersion", os = "Os", arch = "Arch"
        }
    }

    /// `GET /info`.
    public struct Info: Codable, Sendable, Equatable {
        /// The host name of the daemon's machine.
        public var name: String?
        /// The engine version.
        public var serverVersion: String?
        /// Number of containers, and of running ones.
        public var containers: Int?
        public var containersRunning: Int?
        /// This node's Swarm membership.
        public var swarm: Swarm

        public init(name: String? = nil, serverVersion: String? = nil, containers: Int? = nil,
                    containersRunning: Int? = nil, swarm: Swarm) {
            self.name = name
            self.serverVersion = serverVersion
            self.containers = containers
            self.containersRunning = containersRunning
            self.swarm = swarm
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name", serverVersion = "ServerVersion", containers = "Containers"
            case containersRunning = "ContainersRunning", swarm = "Swarm"
        }

        /// `Info.Swarm`.
        public struct Swarm: Codable, Sendable, Equatable {
            /// `inactive`, `pending`, `active`, `error` or `locked`.
            public var localNodeState: String
            /// True on a manager (stacks can be deployed from here).
            public var controlAvailable: Bool
            /// The node's ID and address, when in a Swarm.
            public var nodeID: String?
            public var nodeAddr: String?
            /// The Swarm error text, if any.
            public var error: String?

            public init(localNodeState: String, controlAvailable: Bool, nodeID: String? = nil,
                        nodeAddr: String? = nil, error: String? = nil) {
                self.localNodeState = localNodeState
                self.controlAvailable = controlAvailable
                self.nodeID = nodeID
                self.nodeAddr = nodeAddr
                self.error = error
            }

            /// True when this node is an active Swarm manager.
            public var isActiveManager: Bool { localNodeState == "active" && controlAvailable }

            enum CodingKeys: String, CodingKey {
                case localNodeState = "LocalNodeState", controlAvailable = "ControlAvailable"
                case nodeID = "NodeID", nodeAddr = "NodeAddr", error = "Error"
            }
        }
    }

    /// Parses Docker's RFC 3339 timestamps with up to nanosecond fractions; `nil` for the zero
    /// time ("0001-01-01T00:00:00Z") that Docker uses for "never".
    public static func date(_ text: String?) -> Date? {
        guard let text, !text.hasPrefix("0001-") else { return nil }
        var trimmed = text
        // Keep at most milliseconds: the parser does not take nine fraction digits everywhere.
        if let dot = text.firstIndex(of: "."),
           let zone = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) {
            let fraction = text[text.index(after: dot)..<zone].prefix(3)
            trimmed = String(text[..<dot]) + "." + fraction.padding(toLength: 3, withPad: "0", startingAt: 0)
                + String(text[zone...])
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: trimmed) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
