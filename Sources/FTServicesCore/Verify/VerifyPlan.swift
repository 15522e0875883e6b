import Foundation

/// Derives every check of `ftservices verify` from the stack model, so a port or user changed in the
/// config changes the checks with it.
///
/// Ports come from each service's `publishedPorts` (and their purpose says how to probe them) and
/// `internalPorts` (which must not be reachable); routes, logins and URLs from the config.
public enum VerifyPlan {
    /// The checks of `groups` (all by default) against `address`, in group order then service order.
    public static func checks(stack: Stack, address: String, groups: Set<CheckGroup> = Set(CheckGroup.allCases)) -> [CheckSpec] {
        var checks: [CheckSpec] = []
        for group in CheckGroup.allCases where groups.contains(group) {
            switch group {
            case .ports: checks += ports(stack: stack, address: address)
            case .routes: checks += routes(stack: stack, address: address)
            case .ftps: checks += ftps(stack: stack, address: address)
            case .ssh: checks += ssh(stack: stack, address: address)
            case .services: checks += services(stack: stack, address: address)
            }
        }
        return checks
    }

    /// One check per published port (passive FTP ports are exercised by the FTPS round trip, since
    /// nothing listens on them outside a transfer) and one `notReachable` per internal port.
    static func ports(stack: Stack, address: String) -> [CheckSpec] {
        var checks: [CheckSpec] = []
        for service in stack.services {
            let name = service.name.rawValue
            for port in service.publishedPorts {
                let target = "\(address):\(port.number)"
                let label = "\(name) :\(port.number)"
                switch port.purpose {
                case .http:
                    checks.append(CheckSpec(
                        name: "\(label) HTTP", group: .ports, target: target, expected: "an HTTP answer (301)",
                        probe: .httpStatus(url: url("http", address, port.number, "/"), status: 301, location: nil),
                        service: service.name))
                case .https:
                    checks.append(CheckSpec(
                        name: "\(label) TLS", group: .ports, target: target,
                        expected: "a TLS 1.2+ handshake with a certificate of the install's CA, not expired",
                        probe: .tlsHandshake(host: address, port: port.number), service: service.name))
                case .ssh:
                    checks.append(CheckSpec(
                        name: "\(label) SSH banner", group: .ports, target: target, expected: "a banner starting with SSH-2.0-",
                        probe: .banner(host: address, port: port.number, prefix: "SSH-2.0-"), service: service.name))
                case .ftpsControl:
                    checks.append(CheckSpec(
                        name: "\(label) FTP AUTH TLS", group: .ports, target: target,
                        expected: "a 220 greeting, then 234 to AUTH TLS",
                        probe: .ftpAuthTLS(host: address, port: port.number), service: service.name))
                case .ftpsPassive, .mysql, .influxdb, .collectd:
                    continue
                }
            }
            // A TCP connect cannot tell whether a UDP port is reachable (nothing answers collectd's
            // protocol); the stack file publishes no internal port at all (StackFileTests).
            for port in service.internalPorts where port.transport == .tcp {
                checks.append(CheckSpec(
                    name: "\(name) :\(port.number) internal", group: .ports, target: "\(address):\(port.number)",
                    expected: "not reachable from outside the stack",
                    probe: .notReachable(host: address, port: port.number), service: service.name))
            }
        }
        return checks
    }

    /// nginx's routes, from the configured ports.
    static func routes(stack: Stack, address: String) -> [CheckSpec] {
        let ports = stack.config.ports
        let https = url("https", address, ports.https, "/")
        let wordpress = url("https", address, ports.wordpress, "/")
        let http = url("http", address, ports.http, "/")
        let phpmyadmin = url("https", address, ports.https, "/phpmyadmin/")
        let wordpressRoute = url("https", address, ports.https, "/wordpress")
        return [
            CheckSpec(name: "route http → https", group: .routes, target: http, expected: "HTTP 301 to \(https)",
                      probe: .httpStatus(url: http, status: 301, location: https), service: .nginx),
            CheckSpec(name: "route /", group: .routes, target: https, expected: "HTTP 200",
                      probe: .httpStatus(url: https, status: 200, location: nil), service: .nginx),
            CheckSpec(name: "route /wordpress", group: .routes, target: wordpressRoute, expected: "HTTP 307 to \(wordpress)",
                      probe: .httpStatus(url: wordpressRoute, status: 307, location: wordpress), service: .nginx),
            CheckSpec(name: "route /phpmyadmin/", group: .routes, target: phpmyadmin,
                      expected: "HTTP 200 with phpMyAdmin's login form (pma_username)",
                      probe: .httpBody(url: phpmyadmin, status: 200, contains: "pma_username"), service: .nginx),
        ]
    }

    static func ftps(stack: Stack, address: String) -> [CheckSpec] {
        let config = stack.config
        let port = config.ports.ftps
        let login = CheckProbe.Login(user: config.users.ftp, passwordSecret: .ftpPassword)
        let passive = config.ports.passive
        return [
            CheckSpec(name: "ftps round trip", group: .ftps, target: "\(address):\(port)",
                      expected: "\(login.user) logs in over TLS, uploads, downloads the same bytes and deletes them (passive \(passive.lowerBound)-\(passive.upperBound))",
                      probe: .ftpsRoundTrip(host: address, port: port, login: login, passive: passive), service: .ftps),
            CheckSpec(name: "ftp plain refused", group: .ftps, target: "\(address):\(port)",
                      expected: "a login without TLS refused (530)",
                      probe: .ftpPlainRefused(host: address, port: port, login: login), service: .ftps),
        ]
    }

    static func ssh(stack: Stack, address: String) -> [CheckSpec] {
        let config = stack.config
        let port = config.ports.ssh
        return [
            CheckSpec(name: "ssh login", group: .ssh, target: "\(address):\(port)",
                      expected: "\(config.users.ssh) logs in over SFTP with the install's key, host key pinned, and lists its home",
                      probe: .sshLogin(host: address, port: port, user: config.users.ssh), service: .nginx),
            CheckSpec(name: "ssh command", group: .ssh, target: "\(address):\(port)",
                      expected: "ssh runs a command as \(config.users.ssh) (host key pinned) and prints what it was asked",
                      probe: .sshCommand(host: address, port: port, user: config.users.ssh), service: .nginx),
            CheckSpec(name: "ssh root refused", group: .ssh, target: "\(address):\(port)",
                      expected: "root refused with the same key",
                      probe: .sshRootRefused(host: address, port: port), service: .nginx),
        ]
    }

    static func services(stack: Stack, address: String) -> [CheckSpec] {
        let config = stack.config
        let ports = config.ports
        let wordpress = url("https", address, ports.wordpress, "/")
        let phpmyadmin = url("https", address, ports.phpmyadmin, "/")
        let grafana = url("https", address, ports.grafana, "/api/health")
        let influx = "http://127.0.0.1:\(ports.influxdb)"
        return [
            CheckSpec(name: "wordpress site", group: .services, target: wordpress,
                      expected: "HTTP 200 with the site title \"\(config.wordpress.title)\" (database connected)",
                      probe: .wordpressSite(url: wordpress, title: config.wordpress.title), service: .wordpress),
            CheckSpec(name: "phpmyadmin login", group: .services, target: phpmyadmin,
                      expected: "\(config.users.mysqlAdmin) logs in (phpMyAdmin sets its auth cookie)",
                      probe: .phpMyAdminLogin(url: phpmyadmin, login: .init(user: config.users.mysqlAdmin, passwordSecret: .mysqlAdminPassword)),
                      service: .phpmyadmin),
            CheckSpec(name: "grafana health", group: .services, target: grafana,
                      expected: "HTTP 200 with \"database\": \"ok\"", probe: .grafanaHealth(url: grafana), service: .grafana),
            CheckSpec(name: "influxdb inside the stack", group: .services, target: "in \(ServiceName.influxdb.swarmName): 127.0.0.1:\(ports.influxdb)",
                      expected: "an authenticated SHOW DATABASES as \(config.users.influxAdmin) lists \(config.influxdbDatabase)",
                      probe: .influxInside(service: .influxdb, url: influx,
                                           login: .init(user: config.users.influxAdmin, passwordSecret: .influxdbAdminPassword),
                                           database: config.influxdbDatabase),
                      service: .influxdb),
        ]
    }

    /// `scheme://host[:port]path`, leaving out the scheme's default port as browsers show it.
    public static func url(_ scheme: String, _ host: String, _ port: Int, _ path: String) -> String {
        let isDefault = (scheme == "http" && port == 80) || (scheme == "https" && port == 443)
        return "\(scheme)://\(host)\(isDefault ? "" : ":\(port)")\(path)"
    }
}
