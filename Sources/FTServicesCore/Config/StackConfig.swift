import Foundation

/// The validated configuration: every value present and checked. Build it with ``ConfigLoader`` or
/// ``ConfigValidator``; ``StackConfig/defaults`` is the configuration of docs/DESIGN.md.
public struct StackConfig: Sendable, Equatable {
    /// The stack's IPv4 address; nil means "auto" (the engine picks the host's address at deploy time).
    public var address: String?
    public var ports: Ports
    public var users: Users
    public var wordpress: WordPress
    public var grafanaPackage: GrafanaPackage
    /// Where generated secrets, the local CA and keys are kept (absolute, or relative to the config file's
    /// directory); nil means the default, `$XDG_STATE_HOME/ftservices` (outside the repository).
    public var stateDirectory: String?

    public init(
        address: String?, ports: Ports, users: Users, wordpress: WordPress, grafanaPackage: GrafanaPackage,
        stateDirectory: String?
    ) {
        self.address = address
        self.ports = ports
        self.users = users
        self.wordpress = wordpress
        self.grafanaPackage = grafanaPackage
        self.stateDirectory = stateDirectory
    }

    /// Port numbers. The published ones are distinct and outside ``passive``.
    public struct Ports: Sendable, Equatable {
        public var http: Int
        public var https: Int
        public var ssh: Int
        public var wordpress: Int
        public var phpmyadmin: Int
        public var ftps: Int
        public var grafana: Int
        /// vsftpd's passive data ports, each published.
        public var passive: ClosedRange<Int>
        /// MariaDB, reachable on the internal network only (not configurable).
        public var mysql: Int { 3306 }
        /// InfluxDB HTTP API, reachable on the internal network only (not configurable).
        public var influxdb: Int { 8086 }

        public init(
            http: Int, https: Int, ssh: Int, wordpress: Int, phpmyadmin: Int, ftps: Int, grafana: Int,
            passive: ClosedRange<Int>
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
    }

    /// Login names. The fixed internal accounts are constants here so that templates and engine agree.
    public struct Users: Sendable, Equatable {
        public var ssh: String
        public var ftp: String
        public var mysqlAdmin: String
        public var grafanaAdmin: String
        /// The WordPress administrator's name (also `wordpress.users[0].name`).
        public var wordpressAdmin: String
        /// MariaDB user of WordPress.
        public var mysqlWordpress: String { "wordpress" }
        /// InfluxDB admin.
        public var influxAdmin: String { "admin" }
        /// InfluxDB read-only user of Grafana's datasource.
        public var influxGrafana: String { "grafana" }

        public init(ssh: String, ftp: String, mysqlAdmin: String, grafanaAdmin: String, wordpressAdmin: String) {
            self.ssh = ssh
            self.ftp = ftp
            self.mysqlAdmin = mysqlAdmin
            self.grafanaAdmin = grafanaAdmin
            self.wordpressAdmin = wordpressAdmin
        }
    }

    /// WordPress site settings.
    public struct WordPress: Sendable, Equatable {
        public var title: String
        /// Every user; the first is the administrator named by `users.wordpressAdmin`.
        public var users: [WordPressUser]
        /// The MariaDB database of WordPress.
        public var database: String { "wordpress" }

        public init(title: String, users: [WordPressUser]) {
            self.title = title
            self.users = users
        }
    }

    /// The InfluxDB database collectd writes to and Grafana reads.
    public var influxdbDatabase: String { "ftservices" }
}

/// A WordPress account created at first start.
public struct WordPressUser: Sendable, Equatable, Hashable {
    public var name: String
    public var role: WordPressRole
    public var email: String

    public init(name: String, role: WordPressRole, email: String) {
        self.name = name
        self.role = role
        self.email = email
    }
}

/// WordPress's built-in roles.
public enum WordPressRole: String, Sendable, CaseIterable, Hashable {
    case administrator, editor, author, contributor, subscriber
}

/// Where the grafana image gets Grafana from (Debian does not package it).
public enum GrafanaPackage: Sendable, Equatable {
    /// `apt-get install grafana` inside the image (needs Grafana's APT source to be reachable).
    case apt
    /// A local `.deb` file (absolute path, or relative to the working directory when the config was
    /// decoded without a base directory).
    case localDeb(path: String)
}
