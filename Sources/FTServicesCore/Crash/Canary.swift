import Foundation

/// What `crashtest` writes into a service's data before the crash and reads back after it.
public enum CanaryKind: String, Sendable, Codable, CaseIterable {
    /// A row in a table of MariaDB (InnoDB, committed).
    case mysqlRow = "mysql-row"
    /// A file in WordPress's uploads volume.
    case uploadsFile = "uploads-file"
    /// A file uploaded over FTPS to the FTP user's home (its volume).
    case ftpsFile = "ftps-file"
    /// A point written to InfluxDB.
    case influxPoint = "influxdb-point"
    /// An annotation created through Grafana's HTTP API.
    case grafanaAnnotation = "grafana-annotation"
    /// The service keeps no data of its own (nginx, phpMyAdmin serve what their image holds).
    case none

    /// The canary that proves `service` keeps its data.
    public static func of(_ service: ServiceName) -> CanaryKind {
        switch service {
        case .mysql: .mysqlRow
        case .wordpress: .uploadsFile
        case .ftps: .ftpsFile
        case .influxdb: .influxPoint
        case .grafana: .grafanaAnnotation
        case .nginx, .phpmyadmin: .none
        }
    }

    /// "a MariaDB row" — for sentences.
    public var noun: String {
        switch self {
        case .mysqlRow: "a MariaDB row"
        case .uploadsFile: "a file in WordPress's uploads"
        case .ftpsFile: "a file uploaded over FTPS"
        case .influxPoint: "an InfluxDB point"
        case .grafanaAnnotation: "a Grafana annotation"
        case .none: "nothing (no data of its own)"
        }
    }
}

/// What became of a run's canary.
public struct CanaryOutcome: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        /// Written before, read back unchanged after.
        case intact
        /// Written and read before, missing or different after: data was lost.
        case lost
        /// Could not be written or read before the crash (the run then says why).
        case unwritten
        /// The service has no data of its own.
        case none
    }

    public var kind: CanaryKind
    public var state: State
    /// What was written and what came back, or why nothing was.
    public var detail: String

    public init(kind: CanaryKind, state: State, detail: String) {
        self.kind = kind
        self.state = state
        self.detail = detail
    }
}
