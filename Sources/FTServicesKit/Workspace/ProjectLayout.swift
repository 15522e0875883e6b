import Foundation

/// Where the checkout's `templates/` and `srcs/` are.
public struct ProjectLayout: Sendable, Equatable {
    public var root: URL
    public var templates: URL { root.appendingPathComponent("templates") }
    public var sources: URL { root.appendingPathComponent("srcs") }

    public init(root: URL) {
        self.root = root
    }

    /// `explicit` if given; else the first directory holding `templates/` found walking up from the working
    /// directory, then from the executable (`.build/release/ftservices` lives inside the checkout).
    public static func locate(explicit: String?, workingDirectory: String = FileManager.default.currentDirectoryPath,
                              executable: String = CommandLine.arguments.first ?? "") throws(WorkspaceError) -> ProjectLayout {
        if let explicit {
            let layout = ProjectLayout(root: URL(fileURLWithPath: explicit).standardizedFileURL)
            guard layout.hasTemplates else { throw .noProject(searched: [layout.root.path], explicit: true) }
            return layout
        }
        var searched: [String] = []
        let executableURL = URL(fileURLWithPath: executable, relativeTo: URL(fileURLWithPath: workingDirectory)).resolvingSymlinksInPath()
        for start in [URL(fileURLWithPath: workingDirectory), executableURL.deletingLastPathComponent()] {
            var current = start.standardizedFileURL
            while true {
                let layout = ProjectLayout(root: current)
                if layout.hasTemplates { return layout }
                searched.append(current.path)
                let parent = current.deletingLastPathComponent()
                if parent.path == current.path { break }
                current = parent
            }
        }
        throw .noProject(searched: Array(searched.prefix(2)), explicit: false)
    }

    var hasTemplates: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: templates.appendingPathComponent("runtime").path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The current contents of `srcs/`: relative path → bytes (missing directory: empty).
    public func readSources() -> [String: Data] {
        var result: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: [.isRegularFileKey]) else { return result }
        let prefix = sources.standardizedFileURL.path + "/"
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            result[String(path.dropFirst(prefix.count))] = FileManager.default.contents(atPath: path)
        }
        return result
    }
}

/// The tool could not find or prepare what it works on.
public enum WorkspaceError: Error, CustomStringConvertible, LocalizedError {
    case noProject(searched: [String], explicit: Bool)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .noProject(let searched, let explicit):
            if explicit {
                return "--project-dir \(searched.first ?? ""): no templates/ directory there; point it at the ftservices checkout."
            }
            return "cannot find the ftservices checkout (a directory with templates/ and srcs/) from \(searched.joined(separator: " or ")): run ftservices inside the checkout or pass --project-dir."
        case .unwritable(let path, let reason):
            return "\(path): cannot write (\(reason))."
        }
    }

    public var errorDescription: String? { description }
}
