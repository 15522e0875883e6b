import Foundation

/// The groups of `ftservices verify`, each selectable on the command line (`verify ports`).
public enum CheckGroup: String, Sendable, CaseIterable, Codable, Comparable {
    /// Every published port answers as a real client expects; internal ports are not reachable.
    case ports
    /// nginx's routes: 80 → 301 https, 443 → 200, `/wordpress` → 307, `/phpmyadmin/` through the proxy.
    case routes
    /// FTPS logs in, uploads, downloads the same bytes and deletes them; plain FTP is refused.
    case ftps
    /// SSH (SFTP) logs in with the install's key; root is refused.
    case ssh
    /// The applications themselves: WordPress, phpMyAdmin's login, Grafana's health, InfluxDB inside the stack.
    case services

    public static func < (lhs: CheckGroup, rhs: CheckGroup) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
