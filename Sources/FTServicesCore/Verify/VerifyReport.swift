import Foundation

/// Every check's result, rendered as text for people or JSON for programs.
public struct VerifyReport: Sendable, Equatable {
    /// In plan order.
    public var results: [CheckResult]

    public init(results: [CheckResult]) {
        self.results = results
    }

    /// True when there is at least one check and every check passed.
    public var allPassed: Bool { !results.isEmpty && results.allSatisfy(\.pass) }

    /// The results that failed.
    public var failures: [CheckResult] { results.filter { !$0.pass } }

    /// One line per check (✔/✘, name, target, latency; a failure adds "expected X, got Y"), then a summary.
    public var text: String {
        let nameWidth = results.map(\.name.count).max() ?? 0
        let targetWidth = results.map(\.target.count).max() ?? 0
        var lines = results.map { result in
            let latency = Self.latency(result.latencyMilliseconds)
            var line = "\(result.pass ? "✔" : "✘") \(Self.pad(result.name, nameWidth))  \(Self.pad(result.target, targetWidth))  \(Self.pad(latency, 8, left: true))"
            if !result.pass { line += "  expected \(result.expected), got \(result.observed)" }
            return line
        }
        lines.append(summary)
        return lines.joined(separator: "\n")
    }

    /// "all 14 checks passed", "2 of 14 checks failed", "no checks ran".
    public var summary: String {
        let failed = failures
        if results.isEmpty { return "no checks ran" }
        if failed.isEmpty { return "all \(results.count) check\(results.count == 1 ? "" : "s") passed" }
        return "\(failed.count) of \(results.count) check\(results.count == 1 ? "" : "s") failed"
    }

    /// A JSON array of the result objects (keys sorted, pretty-printed, slashes unescaped).
    public var json: String {
        let encoder = JSONEncoder.stable()
        // Encoding plain strings, numbers and booleans cannot fail.
        return String(decoding: (try? encoder.encode(results)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// "12 ms", "0.4 ms", "3001 ms".
    static func latency(_ milliseconds: Double) -> String {
        milliseconds < 1 ? String(format: "%.1f ms", milliseconds) : "\(Int(milliseconds.rounded())) ms"
    }

    private static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? padding + text : text + padding
    }
}
