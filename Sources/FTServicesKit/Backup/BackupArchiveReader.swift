import FTServicesCore
import Foundation

/// Reads a backup archive whole and checks every byte of it (see ``BackupManifest`` for the layout) before
/// `restore` touches anything; extracts the parts to a directory as it goes.
struct BackupArchiveReader {
    /// What a checked archive holds.
    struct Contents: Sendable {
        var manifest: BackupManifest
        /// Each part's extracted file, in the archive's order.
        var parts: [(part: BackupPart, file: URL)]
        var archiveSize: Int64
    }

    let archive: URL
    /// Where the parts are extracted; nil only checks.
    let directory: URL?
    /// Called as bytes are read: (read, total).
    var progress: @Sendable (Int64, Int64) -> Void = { _, _ in }

    static let metadataLimit = 1 << 20

    /// Reads and checks the archive. Throws ``BackupArchiveError`` for an archive that is refused, or
    /// `CancellationError` when the task was cancelled.
    func read() async throws -> Contents {
        let path = archive.path
        let handle: FileHandle
        let total: Int64
        do {
            handle = try FileHandle(forReadingFrom: archive)
            total = Int64(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
        } catch {
            throw BackupArchiveError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        defer { try? handle.close() }
        guard total > 0 else { throw BackupArchiveError.notAnArchive(path: path, detail: "the file is empty") }
        var input = Input(handle: handle, path: path)

        var format: BackupFormat?
        var formatData = Data(), manifestData: Data?, checksumsData: Data?
        var entries: [(part: BackupPart, file: URL?, size: Int64, sha256: String)] = []
        var index = 0
        while true {
            try Task.checkCancellation()
            let at = input.offset
            let block = try input.read(TarHeader.blockSize)
            if block.isEmpty {
                throw BackupArchiveError.truncated(path: path, detail: "it ends at byte \(at), where entry \(index + 1) or the end-of-archive marker should begin\(Self.missing(format: format, manifest: manifestData))")
            }
            if block.count < TarHeader.blockSize {
                if index == 0 { throw BackupArchiveError.notAnArchive(path: path, detail: "it is \(total) bytes long, shorter than one 512-byte tar block") }
                throw BackupArchiveError.truncated(path: path, detail: "it ends at byte \(total), inside the header of entry \(index + 1)")
            }
            if block.allSatisfy({ $0 == 0 }) {
                if index == 0 { throw BackupArchiveError.notAnArchive(path: path, detail: "it begins with a block of zeros, not a tar header") }
                try input.readEnd(after: at)
                break
            }
            let header: TarHeader
            do {
                header = try TarHeader.decode(block)
            } catch {
                throw Self.headerError(error, path: path, index: index, at: at)
            }
            if index == 0 {
                guard header.name == BackupFormat.entry else {
                    throw BackupArchiveError.foreign(path: path, detail: "its first entry is '\(header.name)', not \(BackupFormat.entry)")
                }
            } else if checksumsData != nil {
                throw BackupArchiveError.corrupt(path: path, detail: "entry '\(header.name)' at byte \(at) follows \(BackupFormat.checksumsEntry), which ends every backup")
            }
            switch header.name {
            case BackupFormat.entry where index == 0:
                formatData = try input.small(header, limit: 64 << 10)
                format = try Self.format(formatData, path: path)
            case BackupFormat.manifestEntry where manifestData == nil:
                manifestData = try input.small(header, limit: Self.metadataLimit)
            case BackupFormat.checksumsEntry where manifestData != nil:
                checksumsData = try input.small(header, limit: 64 << 10)
            default:
                guard manifestData == nil, let part = BackupPart.entry(header.name) else {
                    throw BackupArchiveError.unsupported(path: path, detail: "entry '\(header.name)' (entry \(index + 1)) is not a part this ftservices knows (\(BackupPart.all.map(\.entry).joined(separator: ", ")))")
                }
                guard !entries.contains(where: { $0.part == part }) else {
                    throw BackupArchiveError.corrupt(path: path, detail: "entry '\(header.name)' appears twice")
                }
                let file = directory?.appendingPathComponent(part.entry.replacingOccurrences(of: "/", with: "-"))
                let sha256 = try await input.copy(header, to: file) { progress($0, total) }
                entries.append((part, file, header.size, sha256))
            }
            index += 1
        }
        progress(total, total)

        guard let manifestData, let checksumsData else {
            throw BackupArchiveError.corrupt(path: path, detail: "it ends properly but has no \(manifestData == nil ? BackupFormat.manifestEntry : BackupFormat.checksumsEntry)")
        }
        guard checksumsData == BackupFormat.checksums(format: formatData, manifest: manifestData) else {
            throw BackupArchiveError.corrupt(path: path, detail: "\(BackupFormat.entry) or \(BackupFormat.manifestEntry) does not match its SHA-256 in \(BackupFormat.checksumsEntry)")
        }
        guard let manifest = try? JSONDecoder().decode(BackupManifest.self, from: manifestData) else {
            throw BackupArchiveError.unsupported(path: path, detail: "its \(BackupFormat.manifestEntry) lacks a field this ftservices needs")
        }
        guard manifest.format == format?.format, manifest.formatVersion == format?.formatVersion else {
            throw BackupArchiveError.corrupt(path: path, detail: "\(BackupFormat.manifestEntry) says format \(manifest.format) \(manifest.formatVersion), \(BackupFormat.entry) says otherwise")
        }
        guard manifest.parts.map(\.entry) == entries.map(\.part.entry) else {
            throw BackupArchiveError.corrupt(path: path, detail: "\(BackupFormat.manifestEntry) lists \(manifest.parts.map(\.entry)), the archive holds \(entries.map(\.part.entry))")
        }
        for (listed, entry) in zip(manifest.parts, entries) {
            guard listed.service == entry.part.service.rawValue else {
                throw BackupArchiveError.unsupported(path: path, detail: "\(listed.entry) is listed as data of '\(listed.service)', not of \(entry.part.service.rawValue)")
            }
            guard listed.size == entry.size, listed.sha256 == entry.sha256 else {
                throw BackupArchiveError.corrupt(path: path, detail: "\(entry.part.entry) (\(entry.size) bytes, SHA-256 \(entry.sha256.prefix(16))…) does not match \(BackupFormat.manifestEntry) (\(listed.size) bytes, SHA-256 \(listed.sha256.prefix(16))…)")
            }
        }
        return Contents(manifest: manifest, parts: entries.compactMap { entry in entry.file.map { (entry.part, $0) } }, archiveSize: total)
    }

    static func missing(format: BackupFormat?, manifest: Data?) -> String {
        manifest == nil ? " (its \(BackupFormat.manifestEntry) is missing)" : ""
    }

    static func format(_ data: Data, path: String) throws -> BackupFormat {
        struct Loose: Decodable { var format: String?; var formatVersion: Int?; var toolVersion: String? }
        guard let loose = try? JSONDecoder().decode(Loose.self, from: data) else {
            throw BackupArchiveError.corrupt(path: path, detail: "its \(BackupFormat.entry) is not the JSON object ftservices writes")
        }
        guard loose.format == BackupFormat.name else {
            throw BackupArchiveError.foreign(path: path, detail: "its \(BackupFormat.entry) says format '\(loose.format ?? "none")', not \(BackupFormat.name)")
        }
        guard let version = loose.formatVersion, version >= 1 else {
            throw BackupArchiveError.corrupt(path: path, detail: "its \(BackupFormat.entry) has no valid formatVersion")
        }
        guard version <= BackupFormat.currentVersion else {
            throw BackupArchiveError.newerFormat(path: path, version: version, toolVersion: loose.toolVersion ?? "unknown")
        }
        return BackupFormat(formatVersion: version, toolVersion: loose.toolVersion ?? "unknown")
    }

    static func headerError(_ problem: TarHeader.Problem, path: String, index: Int, at: Int64) -> BackupArchiveError {
        switch problem {
        case .notUstar where index == 0:
            .notAnArchive(path: path, detail: "its first 512 bytes are not a tar header")
        case .notUstar:
            .corrupt(path: path, detail: "entry \(index + 1) at byte \(at) has no tar header")
        case .checksum(let stored, let computed):
            .corrupt(path: path, detail: "the header of entry \(index + 1) at byte \(at) fails its checksum (stored \(stored), computed \(computed))")
        case .field(let field):
            .corrupt(path: path, detail: "the header of entry \(index + 1) at byte \(at) has an unreadable \(field)")
        case .notRegularFile(let name, let type) where index == 0:
            .foreign(path: path, detail: "its first entry '\(name)' is not a regular file (type \(type))")
        case .notRegularFile(let name, let type):
            .unsupported(path: path, detail: "entry '\(name)' is not a regular file (type \(type)); a backup holds regular files only")
        }
    }
}
