import Foundation

/// The one file-system question validation asks: can this file be read? Injected so tests stay pure.
public protocol FileProbe: Sendable {
    /// True when `path` names an existing regular file the current user can read.
    func isReadableFile(atPath path: String) -> Bool
}

/// ``FileProbe`` over the real file system.
public struct LocalFileProbe: FileProbe {
    public init() {}

    public func isReadableFile(atPath path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return false
        }
        return FileManager.default.isReadableFile(atPath: path)
    }
}
