import FTServicesCore
import Foundation

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// `backup`: one archive with the data of every deployed service that keeps data, taken while the stack
/// serves. Each part is what the service's own `backup` script writes (a consistent snapshot: see
/// ``BackupPart``), streamed through the orchestrator (`docker exec`, `kubectl exec`) into the archive.
public struct BackupMaker: Sendable {
    public let runtime: any ServiceRuntime
    /// The stack address, recorded in the manifest.
    public let address: String
    public var toolVersion = Stack.toolVersion

    public init(runtime: any ServiceRuntime, address: String) {
        self.runtime = runtime
        self.address = address
    }

    /// What happens, for progress.
    public enum Event: Sendable {
        case started(BackupPart)
        /// Bytes of the part written so far (every half second while it streams).
        case progress(BackupPart, bytes: Int64)
        case finished(BackupPart, BackupManifest.Part, seconds: Double)
    }

    /// A backup written whole.
    public struct Result: Sendable {
        public var archive: URL
        public var manifest: BackupManifest
        /// The archive's size in bytes.
        public var size: Int64
        public var seconds: Double
        /// Services that keep data but are not deployed (Grafana without its package).
        public var notDeployed: [ServiceName]

        /// "backup of mysql 1.2 MB, wordpress 200 MB, ftps 4.0 KB, influxdb 3.0 MB (208 MB, 2.1 s): /…/x.tar".
        public var summary: String {
            let parts = manifest.parts.map { "\($0.service) \(ByteCount.text($0.size))" }.joined(separator: ", ")
            return "backup of \(parts) (\(ByteCount.text(size)), \(String(format: "%.1f", seconds)) s): \(archive.path)"
        }
    }

    /// Writes the archive at `destination`, which must not exist; on failure or cancellation nothing is left.
    /// - Parameter known: the deployed services, when the caller has just asked (else they are asked here).
    public func make(to destination: URL, deployed known: Set<ServiceName>? = nil,
                     report: @escaping @Sendable (Event) -> Void = { _ in }) async throws -> Result {
        let started = Date()
        let deployed: Set<ServiceName>
        if let known { deployed = known } else { deployed = try await runtime.deployedServices() }
        let parts = BackupPart.all.filter { deployed.contains($0.service) }
        guard !parts.isEmpty else { throw BackupError.nothingToBackUp }
        let writer = try BackupArchiveWriter(destination: destination, toolVersion: toolVersion, date: started)
        do {
            for part in parts {
                try await take(part, into: writer, report: report)
            }
            let manifest = BackupManifest(toolVersion: toolVersion, createdAt: started, orchestrator: runtime.orchestrator,
                                          address: address, parts: writer.parts)
            try writer.finish(manifest)
            let size = (try? FileManager.default.attributesOfItem(atPath: destination.path)[.size] as? Int64) ?? 0
            return Result(archive: destination, manifest: manifest, size: size, seconds: Date().timeIntervalSince(started),
                          notDeployed: BackupPart.all.map(\.service).filter { !deployed.contains($0) })
        } catch {
            writer.discard()
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
    }

    private func take(_ part: BackupPart, into writer: BackupArchiveWriter, report: @escaping @Sendable (Event) -> Void) async throws {
        report(.started(part))
        let clock = Date()
        let path = writer.partial.path
        let start = writer.bytesWritten + Int64(TarHeader.blockSize)
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                if Task.isCancelled { break }
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
                if let size, size > start { report(.progress(part, bytes: size - start)) }
            }
        }
        defer { ticker.cancel() }
        let written = try await writer.append(part) { descriptor in
            let result: CommandResult
            do {
                result = try await runtime.stream(part.service, command: BackupPart.backupCommand, input: nil, output: descriptor)
            } catch {
                throw BackupError.partFailed(part.service, "\(error)")
            }
            try Task.checkCancellation()
            guard result.exitCode == 0 else {
                throw BackupError.partFailed(part.service, "its backup script exited \(result.exitCode): \(Self.lastLines(result.stderr))")
            }
        }
        report(.finished(part, written, seconds: Date().timeIntervalSince(clock)))
    }

    /// The last lines a script printed on standard error, on one line.
    static func lastLines(_ text: String) -> String {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.isEmpty ? "no error output" : lines.suffix(3).joined(separator: " / ")
    }
}

/// Byte counts for people: "512 B", "4.0 KB", "208 MB", "1.2 GB" (powers of 1000, as `ls -lh --si`).
public enum ByteCount {
    public static func text(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        return value >= 100 ? String(format: "%.0f %@", value, units[unit]) : String(format: "%.1f %@", value, units[unit])
    }
}
