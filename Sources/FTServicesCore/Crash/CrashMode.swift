import Foundation

/// How `ftservices crashtest` takes a service down.
public enum CrashMode: String, Sendable, Codable, CaseIterable {
    /// A signal to one process inside the service's container, sent from inside like `kubectl exec … kill`.
    case kill
    /// A forced update of the service: a new task replaces the old one (the "rollout restart").
    case redeploy
    /// The Docker daemon restarted: every service of the stack goes down and must come back with its data.
    case engine

    /// How many tasks Swarm starts for the service after the crash: one replacement after a kill or an
    /// update; after an engine restart the count is reported as it is, with no expectation (the engine
    /// decides how it brings back the tasks it lost).
    public var expectedRestarts: Int? {
        switch self {
        case .kill, .redeploy: 1
        case .engine: nil
        }
    }

    /// How the crashed task must end: `failed` after a kill (so `status` counts the restart), `shutdown`
    /// after an update (an update is not a failure).
    public var expectedCrashedTaskState: String? {
        switch self {
        case .kill: "failed"
        case .redeploy: "shutdown"
        case .engine: nil
        }
    }
}

/// The signals `--signal` accepts, by name (what `kill -s` takes).
public enum CrashSignal: String, Sendable, Codable, CaseIterable {
    case KILL, TERM, INT, QUIT, HUP, ABRT, SEGV, USR1, USR2

    /// Reads `KILL`, `SIGKILL`, `kill` or a number (9).
    public init?(argument: String) {
        let upper = argument.uppercased()
        let name = upper.hasPrefix("SIG") ? String(upper.dropFirst(3)) : upper
        if let signal = CrashSignal(rawValue: name) {
            self = signal
        } else if let number = Int(argument), let signal = CrashSignal.allCases.first(where: { $0.number == number }) {
            self = signal
        } else {
            return nil
        }
    }

    /// The Linux signal number.
    public var number: Int {
        switch self {
        case .HUP: 1
        case .INT: 2
        case .QUIT: 3
        case .ABRT: 6
        case .KILL: 9
        case .USR1: 10
        case .SEGV: 11
        case .USR2: 12
        case .TERM: 15
        }
    }

    /// "SIGKILL".
    public var name: String { "SIG\(rawValue)" }
}
