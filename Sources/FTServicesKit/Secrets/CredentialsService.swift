import FTServicesCore
import Foundation

/// One login of the stack, as `ftservices credentials` prints it.
public struct Credential: Codable, Sendable, Equatable {
    public var service: String
    public var user: String
    public var password: String?
    public var privateKeyPath: String?
    /// The published port users connect to; nil for accounts reachable only inside the stack.
    public var port: Int?
    public var url: String?
    /// What the login is for, in a few words.
    public var note: String?
}

/// Reads every login from the state directory and the config (names, ports).
public struct CredentialsService: Sendable {
    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public func credentials() throws -> [Credential] {
        guard let state = try workspace.state.load() else { throw StateError.missing(directory: workspace.state.directory) }
        let config = workspace.config
        let ports = config.ports
        let address = state.certificateAddress ?? config.address ?? "127.0.0.1"
        func secret(_ key: SecretKey) -> String? { state.secrets[key] }
        var list: [Credential] = []
        let wordpressPasswords = SecretKey.wordpressPasswords(parsing: secret(.wordpressPasswords) ?? "")
        for user in config.wordpress.users {
            list.append(Credential(service: "wordpress", user: user.name, password: wordpressPasswords[user.name], port: ports.wordpress,
                                   url: "https://\(address):\(ports.wordpress)/wp-login.php", note: "WordPress \(user.role.rawValue)"))
        }
        list.append(Credential(service: "phpmyadmin", user: config.users.mysqlAdmin, password: secret(.mysqlAdminPassword), port: ports.phpmyadmin,
                               url: "https://\(address):\(ports.phpmyadmin)/", note: "MariaDB account with every privilege; also at https://\(address)/phpmyadmin/"))
        list.append(Credential(service: "ssh", user: config.users.ssh, privateKeyPath: workspace.state.sshPrivateKey.path, port: ports.ssh,
                               url: "ssh://\(config.users.ssh)@\(address):\(ports.ssh)", note: "SSH into the nginx container (key only; root refused)"))
        list.append(Credential(service: "ftps", user: config.users.ftp, password: secret(.ftpPassword), port: ports.ftps,
                               url: "ftp://\(address):\(ports.ftps)/", note: "explicit TLS (AUTH TLS) required; passive ports \(ports.passive.lowerBound)-\(ports.passive.upperBound)"))
        list.append(Credential(service: "grafana", user: config.users.grafanaAdmin, password: secret(.grafanaAdminPassword), port: ports.grafana,
                               url: "https://\(address):\(ports.grafana)/", note: "Grafana administrator"))
        list.append(Credential(service: "mysql", user: "root", password: secret(.mysqlRootPassword),
                               note: "MariaDB root, inside the mysql container only (mariadb -u root -p)"))
        list.append(Credential(service: "mysql", user: config.users.mysqlWordpress, password: secret(.wordpressDbPassword),
                               note: "WordPress's database account, inside the stack only (mysql:\(ports.mysql))"))
        list.append(Credential(service: "influxdb", user: config.users.influxAdmin, password: secret(.influxdbAdminPassword),
                               note: "InfluxDB administrator, inside the stack only (influxdb:\(ports.influxdb))"))
        list.append(Credential(service: "influxdb", user: config.users.influxGrafana, password: secret(.influxdbGrafanaPassword),
                               note: "InfluxDB read account of Grafana's datasource, inside the stack only"))
        return list
    }
}
