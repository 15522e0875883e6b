import Foundation

/// Every Swarm secret the stack uses; the raw value is the key (`/run/secrets/<key>` in containers).
public enum SecretKey: String, Sendable, CaseIterable, Codable, Comparable {
    case tlsCert = "tls_cert"
    case tlsKey = "tls_key"
    case sshHostEd25519Key = "ssh_host_ed25519_key"
    case sshAuthorizedKeys = "ssh_authorized_keys"
    case wordpressDbPassword = "wordpress_db_password"
    case wordpressPasswords = "wordpress_passwords"
    /// The root of WordPress's eight keys and salts (`wp-config` derives each with HMAC-SHA-256): random per
    /// install, unrelated to any password.
    case wordpressSalts = "wordpress_salts"
    case phpmyadminBlowfish = "phpmyadmin_blowfish"
    case mysqlRootPassword = "mysql_root_password"
    case mysqlAdminPassword = "mysql_admin_password"
    case ftpPassword = "ftp_password"
    case influxdbAdminPassword = "influxdb_admin_password"
    case influxdbGrafanaPassword = "influxdb_grafana_password"
    case grafanaAdminPassword = "grafana_admin_password"
    /// Basic auth of Grafana's `/metrics` (user: the metrics agent's), which only the agent reads.
    case grafanaMetricsPassword = "grafana_metrics_password"

    /// How the engine makes the secret's content.
    public var generation: SecretGeneration {
        switch self {
        case .tlsCert: .tlsCertificateChain
        case .tlsKey: .tlsPrivateKey
        case .sshHostEd25519Key: .sshHostKey
        case .sshAuthorizedKeys: .sshAuthorizedKeys
        case .wordpressPasswords: .wordpressPasswordLines(passwordLength: SecretGeneration.passwordLength)
        case .phpmyadminBlowfish: .blowfishSecret(length: 32)
        case .wordpressSalts: .password(length: SecretGeneration.saltLength)
        case .wordpressDbPassword, .mysqlRootPassword, .mysqlAdminPassword, .ftpPassword, .influxdbAdminPassword,
            .influxdbGrafanaPassword, .grafanaAdminPassword, .grafanaMetricsPassword:
            .password(length: SecretGeneration.passwordLength)
        }
    }

    public static func < (lhs: SecretKey, rhs: SecretKey) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `wordpress_passwords` content read back: user name → password (malformed lines are skipped).
    public static func wordpressPasswords(parsing content: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in content.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            if parts.count == 2, result[String(parts[0])] == nil { result[String(parts[0])] = String(parts[1]) }
        }
        return result
    }

    /// The content of `wordpress_passwords`: one `NAME<TAB>PASSWORD` line per user, in the given order.
    public static func wordpressPasswordsContent(_ entries: [(name: String, password: String)]) -> String {
        entries.map { "\($0.name)\t\($0.password)\n" }.joined()
    }
}

/// What kind of content a secret holds, so the engine can generate it.
public enum SecretGeneration: Sendable, Equatable {
    /// Length of generated passwords.
    public static let passwordLength = 24
    /// Length of `wordpress_salts` (≈ 370 bits: more than the 256 of the HMAC it keys).
    public static let saltLength = 64

    /// Random characters from `[A-Za-z0-9]` (safe in shell, SQL and config files).
    case password(length: Int)
    /// PEM: the server certificate (SANs: the stack address, localhost, the service names) followed by
    /// the local CA certificate. Pairs with ``tlsPrivateKey``.
    case tlsCertificateChain
    /// PEM private key of the server certificate.
    case tlsPrivateKey
    /// OpenSSH ed25519 private key for sshd's host key.
    case sshHostKey
    /// OpenSSH `authorized_keys` line(s): the public half of the client key the tool keeps in its state directory.
    case sshAuthorizedKeys
    /// Random `[A-Za-z0-9]` of exactly `length` characters (phpMyAdmin's `blowfish_secret` needs 32).
    case blowfishSecret(length: Int)
    /// One `NAME<TAB>PASSWORD` line per WordPress user (``StackConfig/WordPress/users``), passwords of `passwordLength`.
    case wordpressPasswordLines(passwordLength: Int)
}
