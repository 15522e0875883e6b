import Foundation

/// `users:` in the user's file: login names (passwords are generated, never configured).
public struct UsersSpec: Decodable, Sendable, Equatable {
    /// SSH login in the nginx container.
    public var ssh: String?
    /// FTPS login.
    public var ftp: String?
    /// Which user of `wordpress` is the administrator listed first; defaults to the first administrator.
    public var wordpressAdmin: String?
    /// Every WordPress user, the administrator included.
    public var wordpress: [WordPressUserSpec]?
    /// MariaDB user with all privileges, for phpMyAdmin.
    public var mysqlAdmin: String?
    /// Grafana's admin login.
    public var grafanaAdmin: String?

    public init(
        ssh: String? = nil, ftp: String? = nil, wordpressAdmin: String? = nil, wordpress: [WordPressUserSpec]? = nil,
        mysqlAdmin: String? = nil, grafanaAdmin: String? = nil
    ) {
        self.ssh = ssh
        self.ftp = ftp
        self.wordpressAdmin = wordpressAdmin
        self.wordpress = wordpress
        self.mysqlAdmin = mysqlAdmin
        self.grafanaAdmin = grafanaAdmin
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case ssh, ftp, wordpressAdmin, wordpress, mysqlAdmin, grafanaAdmin
    }

    public init(from decoder: any Decoder) throws {
        let container = try StrictContainer(decoder, keyedBy: CodingKeys.self)
        ssh = container.decode(String.self, .ssh)
        ftp = container.decode(String.self, .ftp)
        wordpressAdmin = container.decode(String.self, .wordpressAdmin)
        wordpress = container.decode([WordPressUserSpec].self, .wordpress)
        mysqlAdmin = container.decode(String.self, .mysqlAdmin)
        grafanaAdmin = container.decode(String.self, .grafanaAdmin)
    }
}

/// One entry of `users.wordpress:`.
public struct WordPressUserSpec: Decodable, Sendable, Equatable {
    public var name: String?
    /// administrator, editor, author, contributor or subscriber.
    public var role: String?
    /// Defaults to `NAME@ftservices.invalid`.
    public var email: String?

    public init(name: String? = nil, role: String? = nil, email: String? = nil) {
        self.name = name
        self.role = role
        self.email = email
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, role, email }

    public init(from decoder: any Decoder) throws {
        let container = try StrictContainer(decoder, keyedBy: CodingKeys.self)
        name = container.decode(String.self, .name)
        role = container.decode(String.self, .role)
        email = container.decode(String.self, .email)
    }
}
