import FTServicesCore
import Foundation

extension BackupArchiveReader {
    /// The archive file read front to back, knowing its offset, so every message can say where it stopped.
    struct Input {
        let handle: FileHandle
        let path: String
        private(set) var offset: Int64 = 0
        static let chunk = 1 << 20

        init(handle: FileHandle, path: String) {
            self.handle = handle
            self.path = path
        }

        /// Up to `count` bytes; fewer only at the end of the file.
        mutating func read(_ count: Int) throws -> Data {
            var data = Data()
            while data.count < count {
                let got: Data?
                do { got = try handle.read(upToCount: count - data.count) } catch {
                    throw BackupArchiveError.unreadable(path: path, reason: (error as NSError).localizedDescription)
                }
                guard let got, !got.isEmpty else { break }
                data.append(got)
            }
            offset += Int64(data.count)
            return data
        }

        /// A small entry's data (format.json, manifest.json, SHA256SUMS), with its padding checked.
        mutating func small(_ header: TarHeader, limit: Int) throws -> Data {
            guard header.size <= Int64(limit) else {
                throw BackupArchiveError.unsupported(path: path, detail: "its \(header.name) is \(header.size) bytes, more than an ftservices backup's \(limit)")
            }
            let start = offset
            let data = try read(Int(header.size))
            guard data.count == Int(header.size) else {
                throw BackupArchiveError.truncated(path: path, detail: "it ends at byte \(offset), inside \(header.name) (\(offset - start) of its \(header.size) bytes)")
            }
            try padding(after: header)
            return data
        }

        /// Streams an entry's data to `file` (when given) while hashing it; returns its SHA-256 in hex.
        mutating func copy(_ header: TarHeader, to file: URL?, progress: (Int64) -> Void) async throws -> String {
            var output: FileHandle?
            if let file {
                guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]),
                      let opened = FileHandle(forWritingAtPath: file.path) else {
                    throw BackupError.cannotWrite(file.path, "cannot create the file to extract \(header.name) into")
                }
                output = opened
            }
            defer { try? output?.close() }
            let hasher = StreamDigest()
            var left = header.size
            let start = offset
            while left > 0 {
                try Task.checkCancellation()
                let data = try read(Int(min(left, Int64(Self.chunk))))
                guard !data.isEmpty else {
                    throw BackupArchiveError.truncated(path: path, detail: "it ends at byte \(offset), inside \(header.name) (\(offset - start) of its \(header.size) bytes)")
                }
                hasher.update(data)
                if let output {
                    do { try output.write(contentsOf: data) } catch {
                        throw BackupError.cannotWrite(file?.path ?? "", (error as NSError).localizedDescription)
                    }
                }
                left -= Int64(data.count)
                progress(offset)
            }
            try padding(after: header)
            return hasher.finalizeHex()
        }

        /// The zeros after an entry's data, up to the next block.
        mutating func padding(after header: TarHeader) throws {
            let count = TarHeader.padding(after: header.size)
            let at = offset
            let data = try read(count)
            guard data.count == count else {
                throw BackupArchiveError.truncated(path: path, detail: "it ends at byte \(offset), inside the padding after \(header.name)")
            }
            guard data.allSatisfy({ $0 == 0 }) else {
                throw BackupArchiveError.corrupt(path: path, detail: "the padding after \(header.name) (bytes \(at)–\(at + Int64(count) - 1)) is not zero")
            }
        }

        /// The second block of the end-of-archive marker, then only zeros to the end of the file.
        mutating func readEnd(after at: Int64) throws {
            let second = try read(TarHeader.blockSize)
            guard second.count == TarHeader.blockSize else {
                throw BackupArchiveError.truncated(path: path, detail: "it ends at byte \(offset), inside the end-of-archive marker that begins at byte \(at)")
            }
            guard second.allSatisfy({ $0 == 0 }) else {
                throw BackupArchiveError.corrupt(path: path, detail: "the end-of-archive marker at byte \(at) is not all zeros")
            }
            while true {
                let start = offset
                let rest = try read(Self.chunk)
                if rest.isEmpty { return }
                if let bad = rest.firstIndex(where: { $0 != 0 }) {
                    throw BackupArchiveError.corrupt(path: path, detail: "byte \(start + Int64(bad - rest.startIndex)), after the end of the archive, is not zero")
                }
            }
        }
    }
}
