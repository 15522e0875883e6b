import Foundation

/// The user's `ftservices.yaml` as written: every key optional, nothing checked yet.
///
/// Decode it with ``ConfigLoader``, which rejects unknown keys and wrong types and then validates the
/// spec into a ``StackConfig``. Absent keys take the defaults of docs/DESIGN.md.
public struct StackConfigSpec: Decodable, Sendable, Equatable {
    /// The stack's IPv4 address, or `"auto"` to let the engine pick the host's address at deploy time.
    public var address: String?
    /// Published ports.
    public var ports: PortsSpec?
    /// Login names.
    public var users: UsersSpec?
    /// Where Grafana comes from.
    public var grafana: GrafanaSpec?
    /// Where the tool keeps generated secrets, the local CA and keys.
    public var stateDirectory: String?
    /// WordPress site settings.
    public var wordpress: WordPressSpec?

    public init(
        address: String? = nil, ports: PortsSpec? = nil, users: UsersSpec? = nil, grafana: GrafanaSpec? = nil,
        stateDirectory: String? = nil, wordpress: WordPressSpec? = nil
    ) {
        self.address = address
        self.ports = ports
        self.users = users
        self.grafana = grafana
        self.stateDirectory = stateDirectory
        self.wordpress = wordpress
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case address, ports, users, grafana, stateDirectory, wordpress
    }

    public init(from decoder: any Decoder) throws {
        let container = try StrictContainer(decoder, keyedBy: CodingKeys.self)
        address = container.decode(String.self, .address)
        ports = container.decode(PortsSpec.self, .ports)
        users = container.decode(UsersSpec.self, .users)
        grafana = container.decode(GrafanaSpec.self, .grafana)
        stateDirectory = container.decode(String.self, .stateDirectory)
        wordpress = container.decode(WordPressSpec.self, .wordpress)
    }
}

/// `grafana:` in the user's file.
public struct GrafanaSpec: Decodable, Sendable, Equatable {
    /// `"apt"` or the path of a local Grafana `.deb` (relative to the configuration file's directory).
    public var package: String?

    public init(package: String? = nil) { self.package = package }

    enum CodingKeys: String, CodingKey, CaseIterable { case package }

    public init(from decoder: any Decoder) throws {
        let container = try StrictContainer(decoder, keyedBy: CodingKeys.self)
        package = container.decode(String.self, .package)
    }
}

/// `wordpress:` in the user's file.
public struct WordPressSpec: Decodable, Sendable, Equatable {
    /// The site title.
    public var title: String?

    public init(title: String? = nil) { self.title = title }

    enum CodingKeys: String, CodingKey, CaseIterable { case title }

    public init(from decoder: any Decoder) throws {
        let container = try StrictContainer(decoder, keyedBy: CodingKeys.self)
        title = container.decode(String.self, .title)
    }
}
