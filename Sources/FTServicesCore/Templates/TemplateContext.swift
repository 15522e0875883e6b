import Foundation

/// The Mustache view model of every template (docs/DESIGN.md, "Template view model").
///
/// swift-mustache reads stored properties of structs through `Mirror`, so each nested struct is a
/// Mustache object and `[WordPressUser]` is a list section (`{{#wordpress.users}}…{{/wordpress.users}}`).
/// Keep the property names equal to the documented keys: ``TemplateKeyChecker`` derives the set of
/// valid keys from this type, and a key the templates use but this type lacks is an error.
public struct TemplateContext: Sendable {
    /// The image being rendered ("nginx").
    public let image: String
    public let ports: Ports
    public let users: Users
    public let wordpress: WordPress
    public let influxdb: InfluxDB

    public struct Ports: Sendable {
        public let http: Int
        public let https: Int
        public let ssh: Int
        public let wordpress: Int
        public let phpmyadmin: Int
        public let ftps: Int
        public let passiveMin: Int
        public let passiveMax: Int
        public let grafana: Int
        public let mysql: Int
        public let influxdb: Int
    }

    public struct Users: Sendable {
        public let ssh: String
        public let ftp: String
        public let mysqlAdmin: String
        public let mysqlWordpress: String
        public let influxAdmin: String
        public let influxGrafana: String
        public let grafanaAdmin: String
    }

    public struct WordPress: Sendable {
        public let database: String
        public let title: String
        /// The administrator first, then the others.
        public let users: [User]
    }

    public struct User: Sendable {
        public let name: String
        public let role: String
        public let email: String
    }

    public struct InfluxDB: Sendable {
        public let database: String
    }

    /// The context for rendering `image`'s templates from `stack`.
    public init(image: ImageName, stack: Stack) {
        let config = stack.config
        self.image = image.rawValue
        ports = Ports(
            http: config.ports.http, https: config.ports.https, ssh: config.ports.ssh,
            wordpress: config.ports.wordpress, phpmyadmin: config.ports.phpmyadmin, ftps: config.ports.ftps,
            passiveMin: config.ports.passive.lowerBound, passiveMax: config.ports.passive.upperBound,
            grafana: config.ports.grafana, mysql: config.ports.mysql, influxdb: config.ports.influxdb)
        users = Users(
            ssh: config.users.ssh, ftp: config.users.ftp, mysqlAdmin: config.users.mysqlAdmin,
            mysqlWordpress: config.users.mysqlWordpress, influxAdmin: config.users.influxAdmin,
            influxGrafana: config.users.influxGrafana, grafanaAdmin: config.users.grafanaAdmin)
        wordpress = WordPress(
            database: config.wordpress.database, title: config.wordpress.title,
            users: config.wordpress.users.map { User(name: $0.name, role: $0.role.rawValue, email: $0.email) })
        influxdb = InfluxDB(database: config.influxdbDatabase)
    }
}
