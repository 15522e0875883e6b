import Foundation

/// One service's data in a backup archive: which service holds it, the archive entry it becomes, and the
/// scripts in the service's image that write it (`backup`, to standard output) and put it back (`restore`,
/// from standard input). The scripts are `templates/<image>/backup` and `restore`; what each does is in
/// docs/DESIGN.md, "Backup and restore".
public struct BackupPart: Sendable, Equatable, Hashable {
    public var service: ServiceName
    /// The entry's path in the archive (`mysql/databases.sql`).
    public var entry: String
    /// For messages: "the application databases (mariadb-dump)".
    public var noun: String
    /// The services to restart once this part is restored, so they pick the restored data up with this
    /// install's logins (WordPress resets its users' passwords from the secret when it starts).
    public var restartAfterRestore: [ServiceName]

    /// Where the image keeps the scripts.
    public static let backupCommand = ["/usr/local/lib/ftservices/backup"]
    public static let restoreCommand = ["/usr/local/lib/ftservices/restore"]

    /// Every part there can be, in the order of the archive (databases first, then files, then metrics).
    public static let all: [BackupPart] = [ServiceName.mysql, .wordpress, .ftps, .influxdb, .grafana].compactMap(of)

    /// The part of `service`, or nil when the service keeps no data of its own (nginx, phpMyAdmin).
    public static func of(_ service: ServiceName) -> BackupPart? {
        switch service {
        case .mysql:
            BackupPart(service: .mysql, entry: "mysql/databases.sql",
                       noun: "the application databases (mariadb-dump --single-transaction)", restartAfterRestore: [.wordpress])
        case .wordpress:
            BackupPart(service: .wordpress, entry: "wordpress/uploads.tar", noun: "WordPress's uploads", restartAfterRestore: [])
        case .ftps:
            BackupPart(service: .ftps, entry: "ftps/files.tar", noun: "the FTP user's files", restartAfterRestore: [])
        case .influxdb:
            BackupPart(service: .influxdb, entry: "influxdb/portable.tar", noun: "InfluxDB's databases (portable backup)",
                       restartAfterRestore: [.influxdb])
        case .grafana:
            BackupPart(service: .grafana, entry: "grafana/grafana.db", noun: "Grafana's database", restartAfterRestore: [.grafana])
        case .nginx, .phpmyadmin:
            nil
        }
    }

    /// The part whose archive entry is `entry`.
    public static func entry(_ entry: String) -> BackupPart? { all.first { $0.entry == entry } }
}
