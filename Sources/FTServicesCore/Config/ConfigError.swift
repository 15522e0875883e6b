import Foundation

/// One problem found in the user's configuration: where (a key path such as `ports.passive.min` or
/// `users.wordpress[2].role`) and what is wrong, in words that say what to do.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    /// Dotted key path in the YAML file; list elements as `[index]`; empty for the whole document.
    public var keyPath: String
    /// What is wrong and what would be accepted.
    public var message: String

    public init(keyPath: String, message: String) {
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String { keyPath.isEmpty ? message : "\(keyPath): \(message)" }

    /// Formats a coding path as `users.wordpress[2].role`.
    static func keyPath(_ path: [any CodingKey]) -> String {
        var result = ""
        for key in path {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result
    }
}

/// Why a configuration file could not become a ``StackConfig``.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The file could not be read at all.
    case unreadable(file: String, reason: String)
    /// The file is not valid YAML; `line` and `column` start at 1.
    case syntax(file: String, line: Int, column: Int, message: String)
    /// The YAML is well formed but some values are wrong: every problem found, in file order.
    case invalid(file: String, problems: [ConfigProblem])

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            "\(file): cannot read the configuration: \(reason)"
        case .syntax(let file, let line, let column, let message):
            "\(file):\(line):\(column): not valid YAML: \(message)"
        case .invalid(let file, let problems):
            problems.map { "\(file): \($0)" }.joined(separator: "\n")
        }
    }

    public var errorDescription: String? { description }

    /// The problems of an ``invalid(file:problems:)`` error; empty for the other cases.
    public var problems: [ConfigProblem] {
        if case .invalid(_, let problems) = self { return problems }
        return []
    }
}
