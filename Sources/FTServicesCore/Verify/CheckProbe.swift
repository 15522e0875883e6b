import Foundation

/// What one check does, typed so the engine can run it and tests can assert on it.
///
/// Probes hold no secrets: logins name the ``SecretKey`` whose value the engine reads from the state
/// directory (or, for in-stack probes, the container reads from `/run/secrets/<key>`).
public enum CheckProbe: Sendable, Equatable {
    /// `GET url` (redirects not followed) answers `status`; with `location`, the redirect points there.
    case httpStatus(url: String, status: Int, location: String?)
    /// `GET url` answers `status` with a body that contains `contains`.
    case httpBody(url: String, status: Int, contains: String)
    /// A TLS handshake whose certificate the install's CA verifies, TLS 1.2 or newer, not expired.
    case tlsHandshake(host: String, port: Int)
    /// The server speaks first with a line starting with `prefix` (an SSH banner "SSH-2.0-").
    case banner(host: String, port: Int, prefix: String)
    /// An FTP `220` greeting, and `AUTH TLS` answered with `234`.
    case ftpAuthTLS(host: String, port: Int)
    /// No TCP connection can be made from outside (a port that must stay inside the stack).
    case notReachable(host: String, port: Int)
    /// FTPS (explicit TLS) login, upload, download of the same bytes, delete; `passive` is the data port range.
    case ftpsRoundTrip(host: String, port: Int, login: Login, passive: ClosedRange<Int>)
    /// A plain (no TLS) FTP login is refused for want of encryption before a password is asked for; the
    /// probe sends a throwaway user name, never `login`'s name or password (`login` names the account
    /// the check stands for).
    case ftpPlainRefused(host: String, port: Int, login: Login)
    /// SFTP login with the install's private key as `user`, listing the home directory.
    case sshLogin(host: String, port: Int, user: String)
    /// The ssh client logs in as `user` with the install's key, the host key pinned to the install's,
    /// and runs a command whose output proves it ran (libcurl cannot run remote commands).
    case sshCommand(host: String, port: Int, user: String)
    /// The same key as `root` is refused.
    case sshRootRefused(host: String, port: Int)
    /// phpMyAdmin's cookie login at `url` (its base) succeeds with the generated MariaDB account.
    case phpMyAdminLogin(url: String, login: Login)
    /// WordPress's home page at `url` answers 200 with the site `title` (so PHP reached its database).
    case wordpressSite(url: String, title: String)
    /// Grafana's `GET url` (`/api/health`) answers 200 with `"database": "ok"`.
    case grafanaHealth(url: String)
    /// Inside `service`'s running container, an authenticated InfluxDB `SHOW DATABASES` at `url`
    /// lists `database`; the password is read in the container from `/run/secrets/<login.passwordSecret>`.
    case influxInside(service: ServiceName, url: String, login: Login, database: String)

    /// A user name and the secret holding its password.
    public struct Login: Sendable, Equatable {
        public var user: String
        public var passwordSecret: SecretKey

        public init(user: String, passwordSecret: SecretKey) {
            self.user = user
            self.passwordSecret = passwordSecret
        }
    }

    /// How long the probe may take before it counts as failed: short for a connect or a single
    /// request, longer for several round trips (FTPS transfer, SSH key exchange, phpMyAdmin's two requests).
    public var defaultTimeout: Duration {
        switch self {
        case .notReachable: .seconds(1)
        case .httpStatus, .httpBody, .tlsHandshake, .banner, .ftpAuthTLS, .wordpressSite, .grafanaHealth: .seconds(3)
        case .sshLogin, .sshCommand, .sshRootRefused, .phpMyAdminLogin, .influxInside: .seconds(5)
        case .ftpsRoundTrip, .ftpPlainRefused: .seconds(6)
        }
    }
}
