import Foundation

extension StackConfig {
    /// The configuration used when `ftservices.yaml` is absent or silent (docs/DESIGN.md).
    public static let defaults = StackConfig(
        address: nil,
        ports: Ports(
            http: 80, https: 443, ssh: 2222, wordpress: 5050, phpmyadmin: 5000, ftps: 21, grafana: 3000,
            passive: 21000...21004),
        users: Users(ssh: "ftssh", ftp: "ftpuser", mysqlAdmin: "dbadmin", grafanaAdmin: "admin", wordpressAdmin: "wpadmin"),
        wordpress: WordPress(
            title: "ft_services",
            users: [
                WordPressUser(name: "wpadmin", role: .administrator, email: WordPressUser.defaultEmail(for: "wpadmin")),
                WordPressUser(name: "editor", role: .editor, email: WordPressUser.defaultEmail(for: "editor")),
                WordPressUser(name: "author", role: .author, email: WordPressUser.defaultEmail(for: "author")),
                WordPressUser(name: "subscriber", role: .subscriber, email: WordPressUser.defaultEmail(for: "subscriber")),
            ]),
        grafanaPackage: .apt,
        stateDirectory: nil
    )
}

extension WordPressUser {
    /// `NAME@ftservices.invalid`: a syntactically valid address that can never receive mail (RFC 2606).
    public static func defaultEmail(for name: String) -> String { "\(name)@ftservices.invalid" }
}
