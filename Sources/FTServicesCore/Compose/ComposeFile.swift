import Foundation
import Yams

/// The subset of the Compose file format (version 3.9) that `docker stack deploy` reads, as Codable
/// models. Keys are the format's own (snake_case where the format uses it).
public struct ComposeFile: Codable, Sendable, Equatable {
    public var version: String
    public var services: [String: ComposeService]
    public var networks: [String: ComposeNetwork]
    public var volumes: [String: ComposeVolume]?
    public var secrets: [String: ComposeSecret]?

    public init(
        version: String = "3.9", services: [String: ComposeService], networks: [String: ComposeNetwork],
        volumes: [String: ComposeVolume]?, secrets: [String: ComposeSecret]?
    ) {
        self.version = version
        self.services = services
        self.networks = networks
        self.volumes = volumes
        self.secrets = secrets
    }
}

/// One service of a ``ComposeFile``.
public struct ComposeService: Codable, Sendable, Equatable {
    public var image: String
    public var hostname: String?
    public var environment: [String: String]?
    public var ports: [ComposePort]?
    public var networks: [String]?
    public var deploy: ComposeDeploy?
    public var healthcheck: ComposeHealthcheck?
    public var stopGracePeriod: String?
    public var secrets: [ComposeServiceSecret]?
    public var volumes: [ComposeVolumeMount]?
    /// `[ALL]`: every capability is dropped, then ``capAdd`` adds back what the service needs.
    public var capDrop: [String]?
    public var capAdd: [String]?
    /// True: the root filesystem is read-only; the service's writable paths are `tmpfs` volumes.
    public var readOnly: Bool?

    enum CodingKeys: String, CodingKey {
        case image, hostname, environment, ports, networks, deploy, healthcheck, secrets, volumes
        case stopGracePeriod = "stop_grace_period"
        case capDrop = "cap_drop"
        case capAdd = "cap_add"
        case readOnly = "read_only"
    }
}

/// A port in long syntax.
public struct ComposePort: Codable, Sendable, Equatable {
    public var target: Int
    public var published: Int
    public var `protocol`: String
    /// `host`: bind on the node itself (no ingress routing mesh, which needs IPVS).
    public var mode: String
}

/// `deploy:` of a service.
public struct ComposeDeploy: Codable, Sendable, Equatable {
    public var endpointMode: String
    public var replicas: Int
    public var restartPolicy: RestartPolicy
    public var updateConfig: UpdateConfig
    /// How Swarm puts the previous version back after a failed update.
    public var rollbackConfig: UpdateConfig
    public var labels: [String: String]?
    public var resources: Resources?

    /// `limits` (memory, cpus, pids) are enforced; `reservations` are what the scheduler sets aside.
    /// (`limits.pids` is new in 3.9, docker/cli#2503 in Docker 20.10: the 3.8 schema rejects it.)
    public struct Resources: Codable, Sendable, Equatable {
        public var limits: Amounts
        public var reservations: Amounts
    }

    /// CPUs as a decimal string (`"0.5"`), memory with a binary unit (`"256M"` = 256 MiB), and the most
    /// processes and threads (`pids.max`; limits only, nil in reservations).
    public struct Amounts: Codable, Sendable, Equatable {
        public var cpus: String
        public var memory: String
        public var pids: Int?
    }

    public struct RestartPolicy: Codable, Sendable, Equatable {
        public var condition: String
        public var delay: String
    }

    /// `update_config` / `rollback_config`: `order` (`stop-first`: host-mode ports cannot be held by two
    /// tasks), what Swarm does when a new task fails (`rollback`, `pause`) and how long after a task starts
    /// a failure of it still counts as the update's.
    public struct UpdateConfig: Codable, Sendable, Equatable {
        public var order: String
        public var failureAction: String
        public var monitor: String

        public init(order: String, failureAction: String, monitor: String) {
            self.order = order
            self.failureAction = failureAction
            self.monitor = monitor
        }

        enum CodingKeys: String, CodingKey {
            case order, monitor
            case failureAction = "failure_action"
        }
    }

    enum CodingKeys: String, CodingKey {
        case replicas, labels, resources
        case endpointMode = "endpoint_mode"
        case restartPolicy = "restart_policy"
        case updateConfig = "update_config"
        case rollbackConfig = "rollback_config"
    }
}

/// `healthcheck:` of a service.
public struct ComposeHealthcheck: Codable, Sendable, Equatable {
    public var test: [String]
    public var interval: String
    public var timeout: String
    public var retries: Int
    public var startPeriod: String

    enum CodingKeys: String, CodingKey {
        case test, interval, timeout, retries
        case startPeriod = "start_period"
    }
}

/// A secret mounted into a service (long syntax).
public struct ComposeServiceSecret: Codable, Sendable, Equatable {
    public var source: String
    public var target: String
    public var mode: FileMode?
}

/// A named volume (`type: volume`) or an in-memory directory (`type: tmpfs`) mounted into a service
/// (long syntax).
public struct ComposeVolumeMount: Codable, Sendable, Equatable {
    public var type: String
    /// The volume's name; nil for tmpfs.
    public var source: String?
    public var target: String
    public var tmpfs: Tmpfs?

    /// `size` in bytes (the schema takes an integer).
    public struct Tmpfs: Codable, Sendable, Equatable {
        public var size: Int
    }
}

/// A top-level network.
public struct ComposeNetwork: Codable, Sendable, Equatable {
    public var driver: String
    public var attachable: Bool
}

/// A top-level named volume (local driver, no options: encodes as `{}`).
public struct ComposeVolume: Codable, Sendable, Equatable {
    public init() {}
}

/// A top-level secret created outside the stack file (by the tool) under a deploy-time name.
public struct ComposeSecret: Codable, Sendable, Equatable {
    public var external: Bool
    public var name: String
}

/// A file mode written as an octal YAML integer (`0400`), which the Compose loader reads as octal.
public struct FileMode: Codable, Sendable, Equatable, YAMLEncodable {
    public var value: Int

    public init(_ value: Int) { self.value = value }

    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    public func box() -> Node {
        .scalar(Node.Scalar("0" + String(value, radix: 8), Tag(.int), .plain))
    }
}
