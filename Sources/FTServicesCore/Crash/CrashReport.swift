import Foundation

/// Every run of a `crashtest`, as a table for people or JSON for programs.
public struct CrashReport: Sendable, Codable, Equatable {
    public var runs: [CrashRun]
    public var skipped: [CrashSkip]

    public init(runs: [CrashRun], skipped: [CrashSkip] = []) {
        self.runs = runs
        self.skipped = skipped
    }

    /// True when at least one run happened and every run passed.
    public var allPassed: Bool { !runs.isEmpty && runs.allSatisfy(\.passed) }

    /// Runs of the same service, process and mode, in the order they first ran.
    public var groups: [[CrashRun]] {
        var order: [String] = []
        var byKey: [String: [CrashRun]] = [:]
        for run in runs {
            let key = "\(run.service.rawValue)|\(run.process ?? "")|\(run.mode.rawValue)"
            if byKey[key] == nil { order.append(key) }
            byKey[key, default: []].append(run)
        }
        return order.map { byKey[$0]! }
    }

    /// min, median and max of the values present (`nil` when none is).
    public static func spread(_ values: [Double?]) -> (min: Double, median: Double, max: Double)? {
        let present = values.compactMap { $0 }.sorted()
        guard let first = present.first, let last = present.last else { return nil }
        let middle = present.count / 2
        let median = present.count % 2 == 1 ? present[middle] : (present[middle - 1] + present[middle]) / 2
        return (first, median, last)
    }

    /// One row per service/process/mode: each phase's time after the crash (median, and min–max over
    /// `--repeat` runs), the canaries, the restarts added; then one line per problem and a summary.
    public var text: String {
        var rows: [[String]] = [["service", "crash", "exited", "running", "answering", "healthy", "canary", "restarts"]]
        var notes: [String] = []
        for group in groups {
            let first = group[0]
            let crash = first.mode == .kill ? "\(first.signal ?? "SIGKILL") \(first.process ?? "?")" : first.mode.rawValue
            let canaries = Dictionary(grouping: group.map(\.canary.state), by: { $0 }).mapValues(\.count)
            let canary = first.canary.kind == .none ? "no data"
                : [CanaryOutcome.State.intact, .lost, .unwritten].compactMap { state in
                    canaries[state].map { group.count == 1 ? state.rawValue : "\($0) \(state.rawValue)" }
                }.joined(separator: ", ")
            let added = Set(group.map(\.restarts)).sorted().map { "+\($0)" }.joined(separator: "/")
            rows.append([
                first.service.rawValue + (group.count > 1 ? " ×\(group.count)" : ""), crash,
                Self.phase(group.map(\.exitedMs)), Self.phase(group.map(\.runningMs)),
                Self.phase(group.map(\.answeringMs)), Self.phase(group.map(\.healthyMs)), canary, added,
            ])
            for run in group {
                for problem in run.problems {
                    notes.append("✘ \(run.service.rawValue)\(group.count > 1 ? " #\(run.iteration)" : "") \(crash): \(problem)")
                }
                for note in run.notes ?? [] {
                    notes.append("note: \(run.service.rawValue)\(group.count > 1 ? " #\(run.iteration)" : "") \(crash): \(note)")
                }
            }
        }
        var lines = TextTable.lines(rows: rows)
        if runs.count > 1 || groups.contains(where: { $0.count > 1 }) {
            lines.append("Times are after the crash; with several runs: median (min–max). \"-\": not reached before the deadline.")
        }
        lines += notes
        lines += skipped.map { "- \($0.service.rawValue): skipped, \($0.reason)" }
        let failed = runs.filter { !$0.passed }.count
        if runs.isEmpty {
            lines.append("no service was crash-tested")
        } else {
            lines.append(failed == 0 ? "all \(runs.count) crash\(runs.count == 1 ? "" : "es") recovered with no data lost"
                                     : "\(failed) of \(runs.count) crash\(runs.count == 1 ? "" : "es") failed")
        }
        return lines.joined(separator: "\n")
    }

    /// `{"runs": [...], "skipped": [...]}`, keys sorted.
    public var json: String {
        let encoder = JSONEncoder.stable()
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// "840 ms", "1.24 s"; with several values "1.24 s (1.10–1.52)".
    static func phase(_ values: [Double?]) -> String {
        guard let spread = spread(values) else { return "-" }
        let missing = values.contains { $0 == nil } ? " (some -)" : ""
        if values.count == 1 { return duration(spread.median) }
        return "\(duration(spread.median)) (\(bare(spread.min))–\(bare(spread.max)))\(missing)"
    }

    /// "840 ms", "1.24 s" (999.6 ms rounds to a second, so it reads "1.00 s", not "1000 ms").
    public static func duration(_ milliseconds: Double) -> String {
        milliseconds.rounded() < 1000 ? "\(Int(milliseconds.rounded())) ms" : String(format: "%.2f s", milliseconds / 1000)
    }

    static func bare(_ milliseconds: Double) -> String {
        milliseconds.rounded() < 1000 ? "\(Int(milliseconds.rounded()))ms" : String(format: "%.2fs", milliseconds / 1000)
    }
}
