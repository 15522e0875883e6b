import Foundation

/// Why templates could not be rendered. Paths are as the user sees them (`templates/nginx/nginx.conf`).
public enum TemplateError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The templates directory, or an image's directory in it, is missing.
    case missingDirectory(path: String, hint: String)
    /// A template file could not be read, or is not UTF-8.
    case unreadable(path: String, reason: String)
    /// The first line is not `{{% CONTENT_TYPE: TEXT}}`.
    case missingPragma(path: String)
    /// swift-mustache could not parse the template.
    case syntax(path: String, line: Int, column: Int, message: String)
    /// The template uses a key the view model does not have (it would render as an empty string).
    case unknownKey(path: String, line: Int, key: String)
    /// The template uses a Mustache feature the renderer does not support (partials, blocks, delimiters).
    case unsupportedTag(path: String, line: Int, tag: String)
    /// A directory under templates/ that no image of the model uses.
    case unknownImageDirectory(path: String)
    /// Several problems at once (one per line).
    case multiple([TemplateError])

    public var description: String {
        switch self {
        case .missingDirectory(let path, let hint): "\(path): missing; \(hint)"
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .missingPragma(let path):
            "\(path): line 1: must be {{% CONTENT_TYPE: TEXT}} (without it every value is HTML-escaped)"
        case .syntax(let path, let line, let column, let message):
            "\(path): line \(line): column \(column): Mustache syntax error: \(message)"
        case .unknownKey(let path, let line, let key):
            "\(path): line \(line): unknown key '\(key)'; the keys are listed in docs/DESIGN.md (Template view model)"
        case .unsupportedTag(let path, let line, let tag):
            "\(path): line \(line): {{\(tag)}} is not supported here; use only variables, sections and comments"
        case .unknownImageDirectory(let path):
            "\(path): no image of the stack model has this name; remove it or add the image to the model"
        case .multiple(let errors): errors.map(\.description).joined(separator: "\n")
        }
    }

    public var errorDescription: String? { description }

    /// The individual errors (one for a single error).
    public var errors: [TemplateError] {
        if case .multiple(let errors) = self { return errors.flatMap(\.errors) }
        return [self]
    }
}
