import FTServicesCore
import Foundation

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Writes one backup archive (the layout is ``BackupManifest``'s). It is written as `<destination>.partial`
/// and only a whole archive is linked to the destination name, which must not exist: a backup never
/// overwrites a file, and an interrupted one leaves no file that looks whole.
///
/// A part is streamed straight into its place: the program producing it writes to the archive's descriptor
/// (after a header block reserved for it), then the part is hashed from the file and its header written.
final class BackupArchiveWriter {
    let destination: URL
    let partial: URL
    private let descriptor: FileDescriptor
    private let modified: Int64
    private var formatData = Data()
    private(set) var parts: [BackupManifest.Part] = []
    private var closed = false

    /// Creates `<destination>.partial` (0600) and writes `format.json`.
    init(destination: URL, toolVersion: String, date: Date) throws(BackupError) {
        self.destination = destination
        partial = destination.deletingLastPathComponent().appendingPathComponent(destination.lastPathComponent + ".partial")
        modified = Int64(date.timeIntervalSince1970)
        guard !FileManager.default.fileExists(atPath: destination.path) else { throw .destinationExists(destination.path) }
        do {
            descriptor = try FileDescriptor.open(FilePath(partial.path), .readWrite, options: [.create, .exclusiveCreate],
                                                 permissions: [.ownerReadWrite])
        } catch Errno.fileExists {
            throw .cannotWrite(partial.path, "it exists: another backup is writing it, or one was stopped at once (kill -9); remove it if no backup runs")
        } catch {
            throw .cannotWrite(partial.path, "\(error)")
        }
        formatData = BackupFormat(toolVersion: toolVersion).encoded()
        try append(entry: BackupFormat.entry, data: formatData)
    }

    deinit { if !closed { try? descriptor.close() } }

    /// Appends a small entry held in memory.
    func append(entry name: String, data: Data) throws(BackupError) {
        do {
            _ = try descriptor.writeAll(TarHeader(name: name, size: Int64(data.count), modified: modified).encoded())
            _ = try descriptor.writeAll(data)
            _ = try descriptor.writeAll([UInt8](repeating: 0, count: TarHeader.padding(after: Int64(data.count))))
        } catch {
            throw .cannotWrite(partial.path, "\(error)")
        }
    }

    /// Appends the part that `produce` writes to the descriptor it is given (at its current offset, as a
    /// child process's standard output does); returns it with its size and SHA-256.
    func append(_ part: BackupPart, produce: (FileDescriptor) async throws -> Void) async throws -> BackupManifest.Part {
        let headerOffset: Int64
        do {
            headerOffset = try descriptor.seek(offset: 0, from: .current)
            _ = try descriptor.writeAll([UInt8](repeating: 0, count: TarHeader.blockSize))
        } catch {
            throw BackupError.cannotWrite(partial.path, "\(error)")
        }
        try await produce(descriptor)
        do {
            let end = try descriptor.seek(offset: 0, from: .current)
            let start = headerOffset + Int64(TarHeader.blockSize)
            let size = end - start
            let sha256 = try hash(from: start, count: size)
            _ = try descriptor.writeAll([UInt8](repeating: 0, count: TarHeader.padding(after: size)))
            _ = try descriptor.writeAll(toAbsoluteOffset: headerOffset, TarHeader(name: part.entry, size: size, modified: modified).encoded())
            let written = BackupManifest.Part(service: part.service.rawValue, entry: part.entry, size: size, sha256: sha256)
            parts.append(written)
            return written
        } catch let error as BackupError {
            throw error
        } catch {
            throw BackupError.cannotWrite(partial.path, "\(error)")
        }
    }

    /// Appends a part held in memory.
    func append(_ part: BackupPart, data: Data) async throws -> BackupManifest.Part {
        try await append(part) { descriptor in _ = try descriptor.writeAll(data) }
    }

    /// The bytes written so far (for progress while a part streams in).
    var bytesWritten: Int64 { (try? descriptor.seek(offset: 0, from: .current)) ?? 0 }

    /// Writes the manifest, `SHA256SUMS` and the end-of-archive blocks, flushes them to disk and links the
    /// archive to its destination name.
    func finish(_ manifest: BackupManifest) throws(BackupError) {
        let manifestData = manifest.encoded()
        try append(entry: BackupFormat.manifestEntry, data: manifestData)
        try append(entry: BackupFormat.checksumsEntry, data: BackupFormat.checksums(format: formatData, manifest: manifestData))
        do {
            _ = try descriptor.writeAll([UInt8](repeating: 0, count: 2 * TarHeader.blockSize))
            guard fsync(descriptor.rawValue) == 0 else { throw Errno(rawValue: errno) }
            try descriptor.close()
            closed = true
        } catch {
            throw .cannotWrite(partial.path, "\(error)")
        }
        // link(2) fails when the destination exists: never an overwrite, even of a file made meanwhile.
        guard link(partial.path, destination.path) == 0 else {
            let reason = errno == EEXIST ? nil : String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: partial)
            if let reason { throw .cannotWrite(destination.path, reason) }
            throw .destinationExists(destination.path)
        }
        unlink(partial.path)
        let directory = open(destination.deletingLastPathComponent().path, O_RDONLY)
        if directory >= 0 { fsync(directory); close(directory) }
    }

    /// Removes the partial file (a failed or interrupted backup).
    func discard() {
        if !closed { try? descriptor.close(); closed = true }
        try? FileManager.default.removeItem(at: partial)
    }

    private func hash(from start: Int64, count: Int64) throws -> String {
        let hasher = StreamDigest()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset = start
        while offset < start + count {
            let want = Int(min(Int64(buffer.count), start + count - offset))
            let got = try buffer.withUnsafeMutableBytes { raw in
                try descriptor.read(fromAbsoluteOffset: offset, into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<want]))
            }
            guard got > 0 else { throw BackupError.cannotWrite(partial.path, "it shrank while being written") }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
            offset += Int64(got)
        }
        return hasher.finalizeHex()
    }
}
