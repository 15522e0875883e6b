import FTServicesCore
import Foundation

/// The mark a restore leaves in the backups directory from the moment it starts changing data
/// (`backups/restore-unfinished.json`) until it ends well, so that a restore that did not finish — failed,
/// interrupted, or killed outright — is never silent: `status` and the next `restore` say so, with the backup
/// that holds the data as it was before.
public struct UnfinishedRestore: Codable, Sendable, Equatable {
    /// The archive being restored.
    public var archive: String
    /// The data as it was before it.
    public var preRestore: String
    /// ISO 8601, UTC.
    public var startedAt: String

    public init(archive: String, preRestore: String, startedAt: Date) {
        self.archive = archive
        self.preRestore = preRestore
        self.startedAt = BackupManifest.timestamp(startedAt)
    }

    static func file(in location: BackupLocation) -> URL { location.directory.appendingPathComponent("restore-unfinished.json") }

    /// The mark, when a restore did not finish.
    public static func read(in location: BackupLocation) -> UnfinishedRestore? {
        guard let data = FileManager.default.contents(atPath: file(in: location).path) else { return nil }
        return try? JSONDecoder().decode(UnfinishedRestore.self, from: data)
    }

    func write(in location: BackupLocation) throws(BackupError) {
        do {
            try JSONEncoder.stable(pretty: true).encode(self).write(to: Self.file(in: location), options: .atomic)
        } catch {
            throw .cannotWrite(Self.file(in: location).path, (error as NSError).localizedDescription)
        }
    }

    static func clear(in location: BackupLocation) {
        try? FileManager.default.removeItem(at: file(in: location))
    }

    /// One sentence for `status` and `restore`.
    public var warning: String {
        "the restore of \(archive) begun \(startedAt) did not finish, so the stack's data may be partly restored; "
            + "`ftservices restore \(preRestore)` puts back the data as it was before it (or restore \(archive) again)"
    }
}
