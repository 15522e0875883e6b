import Foundation

/// Finds every `{{…}}` tag of a template whose key the view model does not have.
///
/// swift-mustache renders a missing key as an empty string, silently. This checker walks the template's
/// tags with the same scoping rules (sections push their value; names climb outwards; dotted names
/// descend) against the shape of a ``TemplateContext`` read through `Mirror`, so the set of valid keys
/// is exactly what the renderer will find.
public struct TemplateKeyChecker: Sendable {
    /// The shape of a view-model value as Mustache sees it.
    indirect enum Shape: Sendable {
        case leaf
        case object([String: Shape])
        case list(element: Shape)

        /// Reads the shape of `value` through `Mirror` (what swift-mustache does when rendering).
        static func of(_ value: Any) -> Shape {
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .struct?, .class?:
                var children: [String: Shape] = [:]
                for child in mirror.children {
                    if let label = child.label { children[label] = of(child.value) }
                }
                return .object(children)
            case .collection?, .set?:
                return .list(element: mirror.children.first.map { of($0.value) } ?? .object([:]))
            case .optional?:
                return mirror.children.first.map { of($0.value) } ?? .leaf
            default:
                return .leaf
            }
        }

        var children: [String: Shape] {
            if case .object(let children) = self { return children }
            return [:]
        }

        /// Every dotted key path under this shape (lists as `name[]`), for documentation and tests.
        func keyPaths(prefix: String = "") -> [String] {
            switch self {
            case .leaf: return [prefix]
            case .list(let element): return element.keyPaths(prefix: prefix + "[].").map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }
            case .object(let children):
                return children.keys.sorted().flatMap { key in children[key]!.keyPaths(prefix: prefix.isEmpty || prefix.hasSuffix(".") ? prefix + key : prefix + "." + key) }
            }
        }
    }

    /// Transforms swift-mustache 2.1 implements (strings, sequences, integers, and the section context).
    static let transforms: Set<String> = [
        "capitalized", "count", "empty", "enumerated", "equalzero", "even", "first", "index", "last", "lowercased",
        "minusone", "odd", "plusone", "reversed", "sorted", "uppercased",
    ]

    let root: Shape

    /// A checker for the keys of `context`.
    public init(context: TemplateContext) {
        root = Shape.of(context)
    }

    /// Every key path the context offers, sorted (`ports.http`, `wordpress.users[].name`, …).
    public var keyPaths: [String] { root.keyPaths() }

    private struct Scope {
        var shape: Shape
        var isListElement: Bool
    }

    /// The problems of `text` (the template at `path`, for messages): unknown keys and unsupported tags.
    public func check(_ text: String, path: String) -> [TemplateError] {
        var errors: [TemplateError] = []
        var scopes = [Scope(shape: root, isListElement: false)]
        var sectionDepths: [Int] = []
        for tag in Self.tags(in: text) {
            guard let sigil = tag.body.first else { continue }
            switch sigil {
            case "!", "%":
                continue
            case ">", "<", "$", "=":
                errors.append(.unsupportedTag(path: path, line: tag.line, tag: tag.body))
            case "/":
                if let depth = sectionDepths.popLast() { scopes.removeSubrange(depth...) }
            case "#", "^":
                let name = tag.body.dropFirst().trimmingCharacters(in: .whitespaces)
                let resolved = resolve(name, in: scopes)
                if resolved == nil { errors.append(.unknownKey(path: path, line: tag.line, key: name)) }
                sectionDepths.append(scopes.count)
                if sigil == "#", let resolved {
                    scopes.append(resolved)
                } else {
                    scopes.append(Scope(shape: .object([:]), isListElement: false))
                }
            default:
                var name = Substring(tag.body)
                if name.first == "&" || name.first == "{" { name = name.dropFirst() }
                let key = name.trimmingCharacters(in: .whitespaces)
                if resolve(key, in: scopes) == nil { errors.append(.unknownKey(path: path, line: tag.line, key: key)) }
            }
        }
        return errors
    }

    /// Resolves a (possibly transformed, possibly dotted) name to the scope a section on it would push.
    private func resolve(_ expression: String, in scopes: [Scope]) -> Scope? {
        var name = Substring(expression)
        var transforms: [String] = []
        while let open = name.firstIndex(of: "("), name.last == ")" {
            transforms.append(String(name[..<open]))
            name = name[name.index(after: open)..<name.index(before: name.endIndex)]
        }
        guard transforms.allSatisfy(Self.transforms.contains) else { return nil }
        if name.isEmpty {
            // `{{#first()}}`: the section context of the enclosing list.
            return transforms.isEmpty || !(scopes.last?.isListElement ?? false) ? nil : Scope(shape: .leaf, isListElement: false)
        }
        if name == "." { return scopes.last.map { Scope(shape: $0.shape, isListElement: false) } }
        var components = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var shape: Shape?
        if components.first == "" {
            components.removeFirst()
            shape = scopes.last?.shape.children[components.first ?? ""]
        } else {
            shape = scopes.reversed().lazy.compactMap { $0.shape.children[components[0]] }.first
        }
        for component in components.dropFirst() {
            shape = shape?.children[component]
        }
        guard let shape else { return nil }
        if case .list(let element) = shape {
            if transforms.contains("first") || transforms.contains("last") { return Scope(shape: element, isListElement: false) }
            return Scope(shape: element, isListElement: true)
        }
        return Scope(shape: shape, isListElement: false)
    }

    /// A tag's inner text (without the braces) and its line number.
    struct Tag {
        var body: String
        var line: Int
    }

    /// The tags of `text` with the default `{{ }}` delimiters (`{{{x}}}` reported as `{x`).
    static func tags(in text: String) -> [Tag] {
        var tags: [Tag] = []
        var line = 1
        var index = text.startIndex
        while let open = text.range(of: "{{", range: index..<text.endIndex) {
            line += text[index..<open.lowerBound].reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
            let triple = text[open.upperBound...].hasPrefix("{")
            let closing = triple ? "}}}" : "}}"
            guard let close = text.range(of: closing, range: open.upperBound..<text.endIndex) else { break }
            let body = text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            tags.append(Tag(body: body, line: line))
            line += text[open.lowerBound..<close.upperBound].reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
            index = close.upperBound
        }
        return tags
    }
}
