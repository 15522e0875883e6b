import Foundation

/// What a backup archive says about itself.
///
/// The archive is a POSIX tar (ustar) file that `tar -tvf` lists, with these regular files in this order:
/// 1. `format.json`: ``BackupFormat``, so a foreign or newer archive is refused after its first 512-byte block;
/// 2. one entry per ``BackupPart`` taken (`mysql/databases.sql`, `wordpress/uploads.tar`, ...);
/// 3. `manifest.json`: this value (written last, once every part's size and SHA-256 are known);
/// 4. `SHA256SUMS`: the SHA-256 of `format.json` and `manifest.json` in `sha256sum` format.
///
/// A changed byte anywhere is found: in a header by tar's header checksum, in a part by its SHA-256 here, in
/// the two JSON files by `SHA256SUMS`, in `SHA256SUMS` because it no longer matches, and in padding or the
/// end-of-archive blocks because they must be zero.
public struct BackupManifest: Codable, Sendable, Equatable {
    public var format: String
    public var formatVersion: Int
    /// The ftservices that wrote the archive.
    public var toolVersion: String
    /// When the backup began, ISO 8601 in UTC.
    public var createdAt: String
    /// Where the data came from: `swarm` or `kubernetes`, and the stack address.
    public var orchestrator: String
    public var address: String
    public var parts: [Part]

    public struct Part: Codable, Sendable, Equatable {
        /// The service whose data this is (`mysql`).
        public var service: String
        /// The archive entry (`mysql/databases.sql`).
        public var entry: String
        public var size: Int64
        /// Lowercase hex.
        public var sha256: String

        public init(service: String, entry: String, size: Int64, sha256: String) {
            self.service = service
            self.entry = entry
            self.size = size
            self.sha256 = sha256
        }
    }

    public init(toolVersion: String, createdAt: Date, orchestrator: Orchestrator, address: String, parts: [Part]) {
        format = BackupFormat.name
        formatVersion = BackupFormat.currentVersion
        self.toolVersion = toolVersion
        self.createdAt = BackupManifest.timestamp(createdAt)
        self.orchestrator = orchestrator.rawValue
        self.address = address
        self.parts = parts
    }

    /// The services whose data the archive holds.
    public var services: [ServiceName] { parts.compactMap { ServiceName(rawValue: $0.service) } }

    /// Total bytes of the parts.
    public var dataSize: Int64 { parts.reduce(0) { $0 + $1.size } }

    /// ISO 8601 in UTC to the second, as manifests and the unfinished-restore mark write times.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Stable JSON (sorted keys, pretty), ending in a newline.
    public func encoded() -> Data {
        // A struct of strings and integers always encodes.
        var data = (try? JSONEncoder.stable(pretty: true).encode(self)) ?? Data()
        data.append(0x0A)
        return data
    }
}

/// The archive's first entry, `format.json`: what it is and which version of the format, read before anything else.
public struct BackupFormat: Codable, Sendable, Equatable {
    /// The value of `format` in every ftservices backup.
    public static let name = "ftservices-backup"
    /// The version this ftservices writes and the newest it reads.
    public static let currentVersion = 1
    public static let entry = "format.json"
    public static let manifestEntry = "manifest.json"
    public static let checksumsEntry = "SHA256SUMS"

    public var format: String
    public var formatVersion: Int
    public var toolVersion: String

    public init(format: String = BackupFormat.name, formatVersion: Int = BackupFormat.currentVersion, toolVersion: String) {
        self.format = format
        self.formatVersion = formatVersion
        self.toolVersion = toolVersion
    }

    public func encoded() -> Data {
        var data = (try? JSONEncoder.stable(pretty: false).encode(self)) ?? Data()
        data.append(0x0A)
        return data
    }

    /// `SHA256SUMS`' text for the two JSON entries.
    public static func checksums(format: Data, manifest: Data) -> Data {
        Data("\(SHA256.hex(format))  \(entry)\n\(SHA256.hex(manifest))  \(manifestEntry)\n".utf8)
    }
}
