import Foundation

/// Why `restore` refuses an archive. Each is found while the archive is read and checked, before anything of
/// the stack is touched, and each names the file, what is wrong with it and what to do.
public enum BackupArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file cannot be opened or read.
    case unreadable(path: String, reason: String)
    /// Not a tar archive at all (the first block is no ustar header), or an empty file.
    case notAnArchive(path: String, detail: String)
    /// A tar archive, but not one ftservices wrote (no `format.json` first, another `format`).
    case foreign(path: String, detail: String)
    /// An ftservices backup of a format version newer than this ftservices reads.
    case newerFormat(path: String, version: Int, toolVersion: String)
    /// The file ends before the archive does.
    case truncated(path: String, detail: String)
    /// A byte differs from what was written: a header checksum, a part's SHA-256, non-zero padding.
    case corrupt(path: String, detail: String)
    /// Whole and intact, but holding something this ftservices cannot restore (an unknown part).
    case unsupported(path: String, detail: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .notAnArchive(let path, let detail):
            "\(path) is not an ftservices backup: \(detail). Give restore a file written by `ftservices backup`."
        case .foreign(let path, let detail):
            "\(path) is a tar archive but not an ftservices backup: \(detail). Give restore a file written by `ftservices backup`."
        case .newerFormat(let path, let version, let toolVersion):
            "\(path) is an ftservices backup of format version \(version) (written by ftservices \(toolVersion)); this ftservices reads version \(BackupFormat.currentVersion) and older: restore it with ftservices \(toolVersion) or newer."
        case .truncated(let path, let detail):
            "\(path) is truncated: \(detail). The file was cut short (an interrupted copy or download): copy it again from where the backup was written."
        case .corrupt(let path, let detail):
            "\(path) is corrupt: \(detail). Its bytes changed since the backup was written: use another copy of it."
        case .unsupported(let path, let detail):
            "\(path) cannot be restored by this ftservices: \(detail)."
        }
    }
}
