import Foundation

/// `ports:` in the user's file: the ports users connect to (every one published on the host).
public struct PortsSpec: Decodable, Sendable, Equatable {
    public var http: Int?
    public var https: Int?
    public var ssh: Int?
    public var wordpress: Int?
    public var phpmyadmin: Int?
    public var ftps: Int?
    public var grafana: Int?
    /// vsftpd's passive data ports.
    public var passive: PassiveRangeSpec?

    public init(
        http: Int? = nil, https: Int? = nil, ssh: Int? = nil, wordpress: Int? = nil, phpmyadmin: Int? = nil,
        ftps: Int? = nil, grafana: Int? = nil, passive: PassiveRangeSpec? = nil
    ) {
        self.http = http
        self.https = https
        self.ssh = ssh
        self.wordpress = wordpress
        self.phpmyadmin = phpmyadmin
        self.ftps = ftps
        self.grafana = grafana
        self.passive = passive
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case http, https, ssh, wordpress, phpmyadmin, ftps, grafana, passive
    }

    public init(from decoder: any Decoder) throws {
        let container = try StrictContainer(decoder, keyedBy: CodingKeys.self)
        http = container.decode(Int.self, .http)
        https = container.decode(Int.self, .https)
        ssh = container.decode(Int.self, .ssh)
        wordpress = container.decode(Int.self, .wordpress)
        phpmyadmin = container.decode(Int.self, .phpmyadmin)
        ftps = container.decode(Int.self, .ftps)
        grafana = container.decode(Int.self, .grafana)
        passive = container.decode(PassiveRangeSpec.self, .passive)
    }
}

/// `ports.passive:` in the user's file: an inclusive range.
public struct PassiveRangeSpec: Decodable, Sendable, Equatable {
    public var min: Int?
    public var max: Int?

    public init(min: Int? = nil, max: Int? = nil) {
        self.min = min
        self.max = max
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case min, max }

    public init(from decoder: any Decoder) throws {
        let container = try StrictContainer(decoder, keyedBy: CodingKeys.self)
        min = container.decode(Int.self, .min)
        max = container.decode(Int.self, .max)
    }
}
