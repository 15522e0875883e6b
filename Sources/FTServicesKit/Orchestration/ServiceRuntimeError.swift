import FTServicesCore
import Foundation

/// A ``ServiceRuntime`` could not do what was asked; each message names the service and where to look.
public enum ServiceRuntimeError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The service has no running container; the message says which and why when the orchestrator knows.
    case noRunningContainer(ServiceName, message: String)
    /// An orchestrator command failed: what was run (`docker service update --force`), and its error.
    case commandFailed(String, detail: String)
    /// A command in a container ran, but its result could not be read.
    case unreadableExec(String, detail: String)

    public var description: String {
        switch self {
        case .noRunningContainer(_, let message): message
        case .commandFailed(let command, let detail): "`\(command)` failed: \(detail)"
        case .unreadableExec(let target, let detail): "the command in \(target) ran, but its exit status could not be read: \(detail)"
        }
    }

    public var errorDescription: String? { description }
}
