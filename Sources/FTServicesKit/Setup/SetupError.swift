import Foundation

/// `setup` could not proceed.
public enum SetupError: Error, CustomStringConvertible, LocalizedError {
    case portsInUse([PortChecker.Conflict], configFile: String?)

    public var description: String {
        switch self {
        case .portsInUse(let conflicts, let configFile):
            let lines = conflicts.map { "- \($0)" }.joined(separator: "\n")
            let config = configFile.map { "the `ports:` section of \($0)" } ?? "a config file (--config FILE, key ports:)"
            return "ports the stack publishes are already in use:\n\(lines)\n  stop what holds them, or choose other ports in \(config)."
        }
    }

    public var errorDescription: String? { description }
}
