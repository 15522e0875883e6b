import FTServicesCore
import Foundation
import Testing
import FTServicesTestSupport
@testable import FTServicesKit

/// The archive `backup` writes and `restore` checks: written through the orchestrator seam (a scripted kubectl),
/// readable by GNU tar, and refused — with its own message, before anything is touched — when a byte is
/// flipped anywhere, when it is cut short anywhere, when it is another tar, a newer format or no archive.
@Suite struct BackupArchiveTests {
    /// Parts of awkward sizes: several blocks, less than one, exactly two (no padding), and empty.
    static let data: [ServiceName: String] = [
        .mysql: String(repeating: "INSERT INTO t VALUES (1,'x');\n", count: 70),
        .wordpress: String(repeating: "u", count: 300),
        .ftps: "",
        .influxdb: String(repeating: "i", count: 1024),
    ]

    static func make(_ kubectl: BackupKubectl = BackupKubectl(data: data), in directory: URL) async throws -> BackupMaker.Result {
        let maker = BackupMaker(runtime: KubernetesRuntime(runner: kubectl), address: "127.0.0.1")
        return try await maker.make(to: directory.appendingPathComponent("site.tar"))
    }

    static func check(_ archive: URL) async -> BackupArchiveError? {
        do {
            _ = try await Restorer.check(archive)
            return nil
        } catch BackupError.invalidArchive(let error) {
            return error
        } catch {
            Issue.record("unexpected error: \(error) [\(type(of: error))]")
            return nil
        }
    }

    @Test func writesATarArchiveThatGNUTarReadsWithAManifest() async throws {
        let directory = try TestFiles.directory()
        let result = try await Self.make(in: directory)
        let archive = result.archive
        #expect(try TestFiles.output(["tar", "-tf", archive.path]).split(separator: "\n")
                == ["format.json", "mysql/databases.sql", "wordpress/uploads.tar", "ftps/files.tar", "influxdb/portable.tar",
                    "manifest.json", "SHA256SUMS"])
        for part in result.manifest.parts {
            let service = try #require(ServiceName(rawValue: part.service))
            let extracted = try TestFiles.output(["tar", "-xOf", archive.path, part.entry])
            #expect(extracted == Self.data[service], "\(part.entry) extracts as written")
            #expect(part.sha256 == SHA256.hex(Array(extracted.utf8)) && part.size == Int64(extracted.utf8.count))
        }
        #expect(result.manifest.orchestrator == "kubernetes" && result.manifest.address == "127.0.0.1")
        #expect(result.manifest.format == "ftservices-backup" && result.manifest.formatVersion == 1 && result.manifest.toolVersion == Stack.toolVersion)
        #expect(!result.notDeployed.isEmpty && result.notDeployed == [.grafana])
        let sums = try TestFiles.output(["sh", "-c", "cd \"$1\" && tar -xf \"$2\" && sha256sum -c SHA256SUMS", "sh", directory.path, archive.path])
        #expect(sums.contains("manifest.json: OK") && sums.contains("format.json: OK"))
        let attributes = try FileManager.default.attributesOfItem(atPath: archive.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: archive.path + ".partial"))
        let manifest = try await Restorer.check(archive)
        #expect(manifest == result.manifest)
    }

    @Test func everyFlippedByteIsRefused() async throws {
        let directory = try TestFiles.directory()
        let original = try Data(contentsOf: try await Self.make(in: directory).archive)
        let copy = directory.appendingPathComponent("flipped.tar")
        var kinds: [String: Int] = [:]
        for offset in 0..<original.count {
            var bytes = original
            bytes[offset] ^= 0x20
            try bytes.write(to: copy)
            guard let error = await Self.check(copy) else {
                Issue.record("a flipped byte at \(offset) of \(original.count) was accepted")
                continue
            }
            kinds["\(error)".components(separatedBy: ":").dropFirst().first?.components(separatedBy: " ").prefix(3).joined(separator: " ") ?? "", default: 0] += 1
        }
        #expect(kinds.values.reduce(0, +) == original.count)
    }

    @Test func everyCutIsRefusedAsTruncated() async throws {
        let directory = try TestFiles.directory()
        let original = try Data(contentsOf: try await Self.make(in: directory).archive)
        let copy = directory.appendingPathComponent("cut.tar")
        for length in Array(stride(from: 512, to: original.count, by: 97)) + [original.count - 1, original.count - 512, original.count - 1024] {
            try original.prefix(length).write(to: copy)
            let error = await Self.check(copy)
            guard case .truncated(_, let detail)? = error else {
                Issue.record("cut at \(length) of \(original.count): \(String(describing: error))")
                continue
            }
            #expect(detail.contains("it ends at byte \(length)"), "\(detail)")
        }
        try original.prefix(100).write(to: copy)
        #expect(await Self.check(copy) == .notAnArchive(path: copy.path, detail: "it is 100 bytes long, shorter than one 512-byte tar block"))
    }

    @Test func refusesForeignNewerAndNonArchivesEachWithItsOwnMessage() async throws {
        let directory = try TestFiles.directory()
        let other = directory.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("hello\n".utf8).write(to: other.appendingPathComponent("hello.txt"))
        let foreign = directory.appendingPathComponent("foreign.tar")
        try TestFiles.output(["tar", "-cf", foreign.path, "-C", other.path, "hello.txt"])
        let foreignError = await Self.check(foreign)
        #expect(foreignError == .foreign(path: foreign.path, detail: "its first entry is 'hello.txt', not format.json"))
        #expect("\(foreignError!)".contains("is a tar archive but not an ftservices backup"))

        let newer = directory.appendingPathComponent("newer.tar")
        try Self.tar([("format.json", Data(#"{"format":"ftservices-backup","formatVersion":2,"toolVersion":"9.0.0"}"#.utf8))]).write(to: newer)
        let newerError = await Self.check(newer)
        #expect(newerError == .newerFormat(path: newer.path, version: 2, toolVersion: "9.0.0"))
        #expect("\(newerError!)".contains("restore it with ftservices 9.0.0 or newer"))

        let otherFormat = directory.appendingPathComponent("other-format.tar")
        try Self.tar([("format.json", Data(#"{"format":"velero","formatVersion":1}"#.utf8))]).write(to: otherFormat)
        #expect(await Self.check(otherFormat) == .foreign(path: otherFormat.path, detail: "its format.json says format 'velero', not ftservices-backup"))

        let text = directory.appendingPathComponent("notes.txt")
        try Data(String(repeating: "not an archive\n", count: 100).utf8).write(to: text)
        #expect(await Self.check(text) == .notAnArchive(path: text.path, detail: "its first 512 bytes are not a tar header"))
        let empty = directory.appendingPathComponent("empty.tar")
        try Data().write(to: empty)
        #expect(await Self.check(empty) == .notAnArchive(path: empty.path, detail: "the file is empty"))
        let missing = directory.appendingPathComponent("missing.tar")
        guard case .unreadable? = await Self.check(missing) else { Issue.record("a missing file is unreadable"); return }
    }

    @Test func neverOverwritesAndLeavesNothingWhenAPartFails() async throws {
        let directory = try TestFiles.directory()
        let existing = directory.appendingPathComponent("site.tar")
        try Data("mine".utf8).write(to: existing)
        await #expect(throws: BackupError.destinationExists(existing.path)) { _ = try await Self.make(in: directory) }
        #expect(try Data(contentsOf: existing) == Data("mine".utf8))

        let other = try TestFiles.directory()
        let kubectl = BackupKubectl(data: Self.data)
        kubectl.failing = [.ftps]
        await #expect {
            _ = try await Self.make(kubectl, in: other)
        } throws: { error in
            "\(error)" == "the backup of ftps failed: its backup script exited 1: ftps: disk full / command terminated with exit code 1; nothing was written (check the service with `ftservices status` and `ftservices logs ftps`)"
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: other.path).isEmpty, "no archive and no .partial file")
    }

    @Test func namesAreTimestampedAndNeverReused() throws {
        let location = BackupLocation(directory: try TestFiles.directory().appendingPathComponent("backups"))
        let date = Date(timeIntervalSince1970: 1_796_000_000)
        let first = try location.newArchive(.backup, at: date)
        #expect(first.lastPathComponent == "ftservices-backup-20261130T005320Z.tar")
        try Data().write(to: first)
        #expect(try location.newArchive(.backup, at: date).lastPathComponent == "ftservices-backup-20261130T005320Z-2.tar")
        #expect(try location.newArchive(.preRestore, at: date).lastPathComponent == "ftservices-pre-restore-20261130T005320Z.tar")
        let mode = try FileManager.default.attributesOfItem(atPath: location.directory.path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }

    /// A tar of `entries` as ftservices writes them, with the end-of-archive marker.
    static func tar(_ entries: [(String, Data)]) -> Data {
        var data = Data()
        for (name, bytes) in entries {
            data.append(contentsOf: TarHeader(name: name, size: Int64(bytes.count), modified: 0).encoded())
            data.append(bytes)
            data.append(Data(count: TarHeader.padding(after: Int64(bytes.count))))
        }
        data.append(Data(count: 1024))
        return data
    }
}
