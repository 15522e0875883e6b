import FTServicesCore
import Foundation

/// Where archives go by default: `backups/` in the state directory (0700), one timestamped file per backup,
/// named after why it was taken. A name is never reused.
public struct BackupLocation: Sendable {
    public enum Reason: String, Sendable {
        /// `ftservices backup`.
        case backup
        /// Taken by `restore` before it overwrites data.
        case preRestore = "pre-restore"
        /// Taken by `down --volumes` before it deletes the volumes.
        case beforeDown = "before-down"
    }

    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public init(state: StateStore) { self.init(directory: state.backupDirectory) }

    /// Creates the directory (0700: archives hold the site's data) if it is missing.
    func prepare() throws(BackupError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
        } catch {
            throw .cannotWrite(directory.path, (error as NSError).localizedDescription)
        }
    }

    /// `ftservices-<reason>-20261201T163800Z.tar` (UTC), with `-2`, `-3`… when that name exists.
    public func newArchive(_ reason: Reason, at date: Date) throws(BackupError) -> URL {
        try prepare()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let stem = "\(Stack.name)-\(reason.rawValue)-\(formatter.string(from: date))"
        var candidate = directory.appendingPathComponent("\(stem).tar")
        var counter = 2
        while FileManager.default.fileExists(atPath: candidate.path)
                || FileManager.default.fileExists(atPath: candidate.path + ".partial") {
            candidate = directory.appendingPathComponent("\(stem)-\(counter).tar")
            counter += 1
        }
        return candidate
    }
}
