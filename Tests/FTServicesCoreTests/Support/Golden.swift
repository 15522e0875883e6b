import Foundation
import Testing

/// Golden files, compared byte for byte: `srcs/…` paths are the repository's committed `srcs/` (the
/// rendered tree is its own golden set, so it exists once), everything else is under
/// `Tests/FTServicesCoreTests/Golden/`. `FTSERVICES_RECORD=1 swift test …` rewrites them instead of comparing.
enum Golden {
    /// `Tests/FTServicesCoreTests`.
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    /// The package root (holds `templates/`).
    static let repositoryRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    /// Read from the source tree (not the copied bundle resource) so recording and comparing see the same files.
    static let directory = testsDirectory.appendingPathComponent("Golden")
    static let templatesDirectory = repositoryRoot.appendingPathComponent("templates")

    static var isRecording: Bool { ProcessInfo.processInfo.environment["FTSERVICES_RECORD"] == "1" }

    /// Compares `actual` with `Golden/<path>`, or writes it when recording.
    static func check(_ actual: Data, path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = location(of: path)
        if isRecording {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            #expect(throws: Never.self, sourceLocation: sourceLocation) { try actual.write(to: url) }
            return
        }
        guard let expected = try? Data(contentsOf: url) else {
            Issue.record(
                "Golden/\(path) is missing; record it with FTSERVICES_RECORD=1 swift test --filter FTServicesCoreTests",
                sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let diff = LineDiff.render(old: String(decoding: expected, as: UTF8.self), new: String(decoding: actual, as: UTF8.self))
            Issue.record(
                Comment(rawValue: "Golden/\(path) differs (- golden, + rendered); if intended, record with FTSERVICES_RECORD=1\n\(diff)"),
                sourceLocation: sourceLocation)
        }
    }

    /// Where the golden file `path` lives.
    static func location(of path: String) -> URL {
        path == "srcs" || path.hasPrefix("srcs/") ? repositoryRoot.appendingPathComponent(path) : directory.appendingPathComponent(path)
    }

    /// Relative paths of every file under `Golden/<subdirectory>` (or the repository's `srcs/`).
    static func files(under subdirectory: String) -> [String] {
        let root = location(of: subdirectory)
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var paths: [String] = []
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root.appendingPathComponent(relative).path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                paths.append(relative)
            }
        }
        return paths.sorted()
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(at: location(of: path))
    }
}

/// A small line diff (longest common subsequence) with 2 lines of context, for failure messages.
enum LineDiff {
    static func render(old: String, new: String, context: Int = 2, limit: Int = 80) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false)
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var lines: [(kind: Character, text: Substring, line: Int)] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                lines.append((" ", a[i], i + 1)); i += 1; j += 1
            } else if j < b.count, i == a.count || lcs[i][j + 1] >= lcs[i + 1][j] {
                lines.append(("+", b[j], j + 1)); j += 1
            } else {
                lines.append(("-", a[i], i + 1)); i += 1
            }
        }
        let changed = lines.indices.filter { lines[$0].kind != " " }
        var output: [String] = []
        var lastPrinted = -1
        for index in changed {
            let start = max(index - context, lastPrinted + 1)
            if start > lastPrinted + 1 { output.append("@@ line \(lines[start].line)") }
            for k in start...min(index + context, lines.count - 1) where k > lastPrinted {
                output.append("\(lines[k].kind)\(lines[k].text)")
                lastPrinted = k
            }
            if output.count > limit { output.append("… (diff cut)"); break }
        }
        return output.joined(separator: "\n")
    }
}
