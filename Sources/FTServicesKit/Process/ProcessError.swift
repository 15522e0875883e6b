import Foundation

/// An external program could not be started or failed.
public enum ProcessError: Error, CustomStringConvertible, LocalizedError {
    /// The program is not installed (not found in PATH).
    case notFound(program: String)
    /// The program could not be launched at all.
    case couldNotStart(command: [String], reason: String)
    /// The program ran and exited unsuccessfully; `standardError` is its standard error only (or its log's
    /// tail), never its standard output, which may hold secrets.
    case failed(command: [String], status: String, standardError: String, logFile: URL?)

    public var description: String {
        switch self {
        case .notFound(let program):
            return "\(program) is not installed (not found in PATH). Run ./setup.sh, which installs what is missing, or install \(Self.package(for: program)) with apt-get."
        case .couldNotStart(let command, let reason):
            return "could not start `\(command.joined(separator: " "))`: \(reason)"
        case .failed(let command, let status, let standardError, let logFile):
            var text = "`\(Self.shortCommand(command))` failed (\(status))"
            let detail = standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            if detail.isEmpty {
                text += ": no error output"
            } else {
                text += ":\n" + detail.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
            }
            if let logFile { text += "\n  full log: \(logFile.path)" }
            return text
        }
    }

    public var errorDescription: String? { description }

    /// The program's own standard error, when it ran.
    public var standardError: String {
        if case .failed(_, _, let standardError, _) = self { return standardError }
        return ""
    }

    static func shortCommand(_ command: [String]) -> String {
        let text = command.joined(separator: " ")
        return text.count > 160 ? String(text.prefix(157)) + "..." : text
    }

    static func package(for program: String) -> String {
        switch program {
        case "docker", "dockerd": return "docker.io"
        case "ssh-keygen", "ssh": return "openssh-client"
        default: return program
        }
    }
}
