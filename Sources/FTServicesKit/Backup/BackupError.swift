import FTServicesCore
import Foundation

/// Why `backup` or `restore` stopped, saying what to do. An archive that `restore` refuses is a
/// ``BackupArchiveError`` (wrapped in ``invalidArchive(_:)``).
public enum BackupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The archive's name is taken: a backup never overwrites a file.
    case destinationExists(String)
    case cannotWrite(String, String)
    /// No service that keeps data is deployed.
    case nothingToBackUp
    /// A service's `backup` script failed or could not be run.
    case partFailed(ServiceName, String)
    /// The archive was refused (nothing was changed).
    case invalidArchive(BackupArchiveError)
    /// The archive holds data of services this stack does not run.
    case servicesMissing([ServiceName], archive: String)
    /// A service to restore is not running and healthy, so its data cannot be put back now.
    case notReady(ServiceName, String)
    /// Restoring or restarting a service failed after data had been changed; `preRestore` holds the data as it was.
    case restoreFailed(ServiceName, String, preRestore: String)
    /// Stopped by a signal: `preRestore` is nil when nothing had been changed yet.
    case interrupted(step: String, preRestore: String?)
    /// `down --volumes` could not take its last backup, so it removed nothing.
    case lastBackupFailed(String)
    /// `down --volumes` without a deployed stack: its volumes cannot be backed up.
    case volumesWithoutStack([String])

    public var description: String {
        switch self {
        case .destinationExists(let path):
            "\(path) exists: a backup never overwrites a file; give --output another name, or move that file away"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        case .nothingToBackUp:
            "no service that keeps data (\(BackupPart.all.map(\.service.rawValue).joined(separator: ", "))) is deployed: run `ftservices setup` first"
        case .partFailed(let service, let detail):
            "the backup of \(service.rawValue) failed: \(detail); nothing was written (check the service with `ftservices status` and `ftservices logs \(service.rawValue)`)"
        case .invalidArchive(let error):
            "\(error) Nothing was changed."
        case .servicesMissing(let services, let archive):
            "\(archive) holds data of \(services.map(\.rawValue).joined(separator: ", ")), which this stack does not run; nothing was changed. Deploy \(services.count == 1 ? "it" : "them") first (`ftservices setup`), then restore again."
        case .notReady(let service, let detail):
            "\(service.rawValue) is not ready to restore into: \(detail); nothing was changed. Wait until `ftservices status` shows it healthy, then restore again."
        case .restoreFailed(let service, let detail, let preRestore):
            "restoring \(service.rawValue) failed: \(detail). The stack's data may be partly restored; the data as it was before this restore is in \(preRestore): `ftservices restore \(preRestore)` puts it back."
        case .interrupted(let step, nil):
            "restore interrupted while \(step); nothing was changed."
        case .interrupted(let step, let preRestore?):
            "restore interrupted while \(step): the stack's data may be partly restored. The data as it was before this restore is in \(preRestore): `ftservices restore \(preRestore)` puts it back, or run this restore again."
        case .lastBackupFailed(let reason):
            "the last backup before deleting the volumes failed: \(reason). Nothing was removed. Fix that, or pass --no-backup to delete the data without a backup."
        case .volumesWithoutStack(let volumes):
            "the stack is not deployed, so no last backup of its volumes (\(volumes.joined(separator: ", "))) can be taken; nothing was removed. Run `ftservices setup`, then `ftservices down --volumes` again, or pass --no-backup to delete them without a backup."
        }
    }
}
