import ArgumentParser
import Foundation

/// How progress is shown (`--progress`).
public enum ProgressMode: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// `tty` when standard error is a terminal, `plain` otherwise.
    case auto
    /// A live table redrawn in place.
    case tty
    /// One line per change, with elapsed seconds: for logs and CI.
    case plain
    /// One JSON object per line and per change.
    case json
    /// Nothing but errors and the final summary.
    case quiet

    /// `auto` resolved against the environment.
    func resolved(isTerminal: Bool = isatty(STDERR_FILENO) == 1, environment: [String: String] = ProcessInfo.processInfo.environment) -> ProgressMode {
        guard self == .auto else { return self }
        if !isTerminal || environment["TERM"] == "dumb" || environment["CI"] != nil { return .plain }
        return .tty
    }
}
