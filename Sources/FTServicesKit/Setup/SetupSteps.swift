import Foundation

/// The steps of `setup` in order, and which one is running: what an interruption reports as done and not done.
public final class SetupSteps: @unchecked Sendable {
    /// One step of `setup`.
    public enum Step: String, Sendable, CaseIterable {
        case checks = "the orchestrator's checks"
        case render = "rendering srcs/"
        case secrets = "the secrets"
        case build = "building the images"
        case deploy = "deploying"
        case wait = "waiting until healthy"

        /// What an interruption during this step leaves, and why the next setup finishes it.
        var leaves: String {
            switch self {
            case .checks, .render:
                return "srcs/ holds whole files (each written to a temporary file and renamed)"
            case .secrets:
                return "the state file is written whole (a temporary file renamed), so a secret is either saved or not generated yet"
            case .build:
                return "an image is tagged with its content hash only once its build succeeded, so an interrupted one is built again"
            case .deploy:
                return "some services may already run their new spec; the next setup's deploy sends every spec again and updates the rest"
            case .wait:
                return "the stack is deployed and Swarm goes on replacing tasks (rolling a failed update back itself); setup waits again"
            }
        }
    }

    private let lock = NSLock()
    private var started: [Step] = []

    public init() {}

    /// `step` begins (the previous one is done).
    public func begin(_ step: Step) { lock.withLock { started.append(step) } }

    /// The step running, if any.
    public var current: Step? { lock.withLock { started.last } }

    /// The steps finished: every one begun before the current one.
    public var done: [Step] { lock.withLock { Array(started.dropLast()) } }

    /// The steps not reached or not finished.
    public var notDone: [Step] {
        let done = Set(self.done)
        return Step.allCases.filter { !done.contains($0) }
    }
}

/// `setup` stopped at a signal (SIGINT, SIGTERM) before it finished.
public struct SetupInterrupted: Error, CustomStringConvertible, LocalizedError {
    public var step: SetupSteps.Step?
    public var done: [SetupSteps.Step]
    public var notDone: [SetupSteps.Step]

    public var description: String {
        var text = "setup interrupted" + (step.map { " during \($0.rawValue)" } ?? "") + "."
        text += "\n  done: " + (done.isEmpty ? "nothing" : done.map(\.rawValue).joined(separator: ", "))
        text += "\n  not done: " + notDone.map(\.rawValue).joined(separator: ", ")
        if let step { text += "\n  " + step.leaves + "." }
        return text + "\n  run setup again to finish: it picks up what is done and converges to the same stack."
    }

    public var errorDescription: String? { description }
}
