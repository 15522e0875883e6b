import FTServicesCore
import Foundation

/// Writes rendered files into `srcs/`: only files whose bytes (or mode) change; files nothing renders
/// any more are removed.
public struct SourceWriter: Sendable {
    public let project: ProjectLayout

    public init(project: ProjectLayout) {
        self.project = project
    }

    /// What `write` changed.
    public struct Outcome: Sendable, Equatable {
        public var written: [String] = []
        public var removed: [String] = []
        public var unchanged: Int = 0
    }

    /// The drift between `files` and `srcs/`, without touching anything (for `render --check`).
    /// - Parameter untouched: paths of `srcs/` that are not part of `files` on purpose (another
    ///   orchestrator's deploy files): never reported stale, never removed.
    public func drift(_ files: [RenderedFile], untouched: (String) -> Bool = { _ in false }) -> SourceTreeDiff {
        var diff = SourceTree.diff(rendered: files, current: project.readSources())
        // A mode change is drift too: git records the executable bit.
        for file in files where diff.unchanged.contains(file.path) && currentMode(file.path) != file.mode {
            diff.unchanged.removeAll { $0 == file.path }
            diff.toWrite.append(file)
        }
        diff.stale = diff.stale.filter { !SourceWriter.isUserFile($0) && !untouched($0) }
        return diff
    }

    /// Brings `srcs/` in line with `files` (paths for which `untouched` is true are left as they are).
    public func write(_ files: [RenderedFile], untouched: (String) -> Bool = { _ in false }) throws(WorkspaceError) -> Outcome {
        let diff = drift(files, untouched: untouched)
        var outcome = Outcome(unchanged: diff.unchanged.count)
        for file in diff.toWrite {
            let url = project.sources.appendingPathComponent(file.path)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
                try file.contents.write(to: temporary)
                chmod(temporary.path, mode_t(file.mode))
                if rename(temporary.path, url.path) != 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            } catch {
                throw .unwritable(path: url.path, reason: "\(error)")
            }
            outcome.written.append(file.path)
        }
        for path in diff.stale {
            try? FileManager.default.removeItem(at: project.sources.appendingPathComponent(path))
            outcome.removed.append(path)
        }
        return outcome
    }

    func currentMode(_ path: String) -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: project.sources.appendingPathComponent(path).path)
        let permissions = (attributes?[.posixPermissions] as? NSNumber)?.intValue ?? 0o644
        return permissions & 0o111 != 0 ? 0o755 : 0o644
    }

    /// Files in srcs/ that are not rendered and must not be removed (none today; README-like notes could go here).
    static func isUserFile(_ path: String) -> Bool { false }
}
