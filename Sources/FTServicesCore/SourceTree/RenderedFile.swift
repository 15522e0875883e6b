import Foundation

/// One file of `srcs/`: its path relative to `srcs/` ("nginx/Dockerfile", "stack.yml"), its bytes, and
/// whether it is executable.
public struct RenderedFile: Sendable, Equatable, Hashable {
    public var path: String
    public var contents: Data
    public var isExecutable: Bool

    public init(path: String, contents: Data, isExecutable: Bool = false) {
        self.path = path
        self.contents = contents
        self.isExecutable = isExecutable
    }

    /// POSIX mode to write the file with: 0755 when executable, 0644 otherwise.
    public var mode: Int { isExecutable ? 0o755 : 0o644 }

    /// The first path component ("nginx"), i.e. the image directory; nil for top-level files like stack.yml.
    public var imageDirectory: String? {
        let parts = path.split(separator: "/", maxSplits: 1)
        return parts.count == 2 ? String(parts[0]) : nil
    }

    /// The contents as UTF-8 text (rendered files are always text).
    public var text: String { String(decoding: contents, as: UTF8.self) }
}
