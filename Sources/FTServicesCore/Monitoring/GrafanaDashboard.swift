import Foundation

/// The subset of Grafana's dashboard JSON model (schemaVersion 39, Grafana 10/11) that the provisioned
/// dashboards use. Encoded with sorted keys, so the rendered files are byte-for-byte deterministic.
public struct GrafanaDashboard: Codable, Sendable, Equatable {
    public var uid: String
    public var title: String
    public var tags: [String]
    public var timezone: String
    public var schemaVersion: Int
    public var version: Int
    public var editable: Bool
    public var refresh: String
    public var time: TimeRange
    public var links: [Link]
    public var panels: [Panel]

    public struct TimeRange: Codable, Sendable, Equatable {
        public var from: String
        public var to: String
    }

    /// A link bar entry: `type: dashboards` lists every dashboard carrying `tags`.
    public struct Link: Codable, Sendable, Equatable {
        public var title: String
        public var type: String
        public var tags: [String]
        public var asDropdown: Bool
        public var includeVars: Bool
        public var keepTime: Bool
    }

    /// A reference to a provisioned datasource by uid.
    public struct DatasourceRef: Codable, Sendable, Equatable {
        public var type: String
        public var uid: String
    }

    public struct Panel: Codable, Sendable, Equatable {
        public var id: Int
        public var type: String
        public var title: String
        public var datasource: DatasourceRef?
        public var gridPos: GridPos
        public var fieldConfig: FieldConfig
        public var options: Options
        /// Grafana's minimum interval for this panel's `$__interval` (two agent intervals).
        public var interval: String?
        public var targets: [Target]
    }

    public struct GridPos: Codable, Sendable, Equatable {
        public var h: Int
        public var w: Int
        public var x: Int
        public var y: Int
    }

    public struct FieldConfig: Codable, Sendable, Equatable {
        public var defaults: Defaults
        public var overrides: [String]

        public struct Defaults: Codable, Sendable, Equatable {
            public var unit: String
            public var min: Double?
        }
    }

    public struct Options: Codable, Sendable, Equatable {
        public var legend: Legend
        public var tooltip: Tooltip

        public struct Legend: Codable, Sendable, Equatable {
            public var displayMode: String
            public var placement: String
            public var showLegend: Bool
        }

        public struct Tooltip: Codable, Sendable, Equatable {
            public var mode: String
            public var sort: String
        }
    }

    /// An InfluxQL query in raw mode.
    public struct Target: Codable, Sendable, Equatable {
        public var refId: String
        public var datasource: DatasourceRef?
        public var query: String
        public var rawQuery: Bool
        public var resultFormat: String
        public var alias: String
    }
}
