import FTServicesCore
import Foundation
@testable import FTServicesKit

/// A hand-written ``ProcessRunning`` for logic tests: records every call (argv and standard input) and
/// answers from a script keyed by the argv's leading words (the longest matching key wins).
final class ScriptedRunner: ProcessRunning, @unchecked Sendable {
    struct Call: Equatable {
        var arguments: [String]
        var input: Data?
    }

    enum Answer {
        case output(String)
        case fail(String)
        case notFound
        /// A different answer per call, the last one repeating.
        case sequence([Answer])
    }

    private let lock = NSLock()
    private var script: [[String]: Answer]
    private var counts: [[String]: Int] = [:]
    private(set) var calls: [Call] = []

    init(_ script: [[String]: Answer] = [:]) {
        self.script = script
    }

    func run(_ arguments: [String], input: Data?, environment: [String: String], logFile: URL?) async throws(ProcessError) -> ProcessOutput {
        let answer: Answer? = lock.withLock {
            calls.append(Call(arguments: arguments, input: input))
            guard let key = script.keys.filter({ arguments.starts(with: $0) }).max(by: { $0.count < $1.count }) else { return nil }
            let index = counts[key, default: 0]
            counts[key] = index + 1
            if case .sequence(let answers) = script[key]! { return answers[min(index, answers.count - 1)] }
            return script[key]
        }
        switch answer {
        case .output(let text): return ProcessOutput(standardOutput: text, standardError: "")
        case .fail(let stderr): throw .failed(command: arguments, status: "exit status 1", standardError: stderr, logFile: nil)
        case .notFound: throw .notFound(program: arguments[0])
        case .sequence, nil: return ProcessOutput(standardOutput: "", standardError: "")
        }
    }

    /// The calls whose argv starts with `prefix`.
    func calls(startingWith prefix: [String]) -> [Call] {
        lock.withLock { calls.filter { $0.arguments.starts(with: prefix) } }
    }
}

/// Records what setup reports.
final class RecordingProgress: SetupProgress, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var lines: [String] = []

    func phase(_ title: String) { lock.withLock { lines.append("phase: \(title)") } }
    func note(_ text: String) { lock.withLock { lines.append("note: \(text)") } }
    func image(_ event: ImageBuildEvent) { lock.withLock { lines.append("image: \(event)") } }
    func service(_ progress: ServiceProgress, changed: Bool) {
        if changed { lock.withLock { lines.append("service: \(progress.service) \(progress.state.rawValue) \(progress.detail)") } }
    }
    func finish() {}
}
