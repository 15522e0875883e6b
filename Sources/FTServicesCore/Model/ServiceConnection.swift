import Foundation

/// A connection a service opens to another over the internal network: what the Kubernetes NetworkPolicy
/// allows besides DNS and the published ports (Swarm's overlay network allows everything inside the stack).
public struct ServiceConnection: Sendable, Equatable {
    /// Who connects: one service, or every service (the metrics agents).
    public var client: Client
    public var server: ServiceName
    public var port: ServicePort
    /// What the connection is for.
    public var reason: String

    public init(_ client: Client, to server: ServiceName, port: ServicePort, reason: String) {
        self.client = client
        self.server = server
        self.port = port
        self.reason = reason
    }

    public enum Client: Sendable, Equatable {
        case service(ServiceName)
        case everyService

        /// True when `service` opens this connection.
        public func includes(_ service: ServiceName) -> Bool {
            switch self {
            case .service(let name): name == service
            case .everyService: true
            }
        }
    }
}

extension Stack {
    /// Every connection between services, derived from the model's ports and the templates' upstreams.
    public var connections: [ServiceConnection] {
        func port(_ service: ServiceName, _ purpose: ServicePort.Purpose) -> ServicePort {
            let ports = self.service(service).internalPorts + self.service(service).publishedPorts
            return ports.first { $0.purpose == purpose }!
        }
        return [
            ServiceConnection(.service(.nginx), to: .phpmyadmin, port: port(.phpmyadmin, .https),
                              reason: "nginx proxies /phpmyadmin/ (it only redirects /wordpress)"),
            ServiceConnection(.service(.wordpress), to: .mysql, port: port(.mysql, .mysql), reason: "WordPress's database"),
            ServiceConnection(.service(.phpmyadmin), to: .mysql, port: port(.mysql, .mysql), reason: "phpMyAdmin manages MariaDB"),
            ServiceConnection(.service(.grafana), to: .influxdb, port: port(.influxdb, .influxdb), reason: "Grafana's datasource"),
            ServiceConnection(.everyService, to: .influxdb, port: port(.influxdb, .collectd), reason: "every service's collectd agent sends metrics"),
        ]
    }
}
