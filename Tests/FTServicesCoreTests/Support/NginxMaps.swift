import Foundation

/// The `map` blocks of an nginx config, evaluated as nginx does, so a test can ask what a rendered
/// config decides for a request without running nginx.
///
/// What is covered is what the templates use: a source that is a variable or a quoted string of
/// variables, entries that are an exact string (`""` for empty), `~regex` (case-sensitive) or
/// `~*regex` (case-insensitive), tried in order after exact strings, and `default`. Other directives
/// and blocks are skipped. nginx's regexes are PCRE; the ones used here mean the same in ICU.
struct NginxMaps {
    struct Map {
        var source: String
        var exact: [String: String] = [:]
        var patterns: [(regex: NSRegularExpression, value: String)] = []
        var fallback = ""
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// Output variable (without `$`) → its map.
    private(set) var maps: [String: Map] = [:]

    init(config: String) throws {
        let tokens = Self.tokens(config)
        var index = 0
        while index < tokens.count {
            guard tokens[index] == "map" else {
                index = Self.skipStatement(tokens, from: index)
                continue
            }
            guard index + 3 < tokens.count, tokens[index + 3] == "{", tokens[index + 2].hasPrefix("$") else {
                throw ParseError(description: "a map without `map SOURCE $VARIABLE {` at token \(index)")
            }
            var map = Map(source: tokens[index + 1])
            let variable = String(tokens[index + 2].dropFirst())
            index += 4
            while index < tokens.count, tokens[index] != "}" {
                guard index + 2 < tokens.count, tokens[index + 2] == ";" else {
                    throw ParseError(description: "map $\(variable): an entry is not `KEY VALUE;` at \(tokens[index])")
                }
                let key = tokens[index], value = tokens[index + 1]
                if key == "default" {
                    map.fallback = value
                } else if key.hasPrefix("~*") {
                    map.patterns.append((try NSRegularExpression(pattern: String(key.dropFirst(2)), options: .caseInsensitive), value))
                } else if key.hasPrefix("~") {
                    map.patterns.append((try NSRegularExpression(pattern: String(key.dropFirst())), value))
                } else {
                    map.exact[key] = value
                }
                index += 3
            }
            maps[variable] = map
            index += 1
        }
    }

    /// The value of `$variable` for a request whose built-in variables (`http_cookie`, `args`, ...) are
    /// `request`; a built-in the request does not give is empty, as nginx has it for a missing header.
    func value(of variable: String, request: [String: String]) -> String {
        guard let map = maps[variable] else { return request[variable] ?? "" }
        let input = interpolate(map.source, request: request)
        if let value = map.exact[input] { return value }
        let range = NSRange(input.startIndex..., in: input)
        for (regex, value) in map.patterns where regex.firstMatch(in: input, range: range) != nil {
            return value
        }
        return map.fallback
    }

    /// `text` with each `$name` replaced by its value.
    func interpolate(_ text: String, request: [String: String]) -> String {
        var result = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            let name = rest[rest.index(after: dollar)...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            result += value(of: String(name), request: request)
            rest = rest[rest.index(dollar, offsetBy: name.count + 1)...]
        }
        return result + rest
    }

    /// nginx's tokens: words, quoted strings (quotes removed, `\"` and `\\` unescaped, other escapes
    /// kept for the regex), `{`, `}` and `;`; comments dropped.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var characters = Array(text)[...]
        while let first = characters.first {
            if first.isWhitespace {
                characters = characters.dropFirst()
            } else if first == "#" {
                characters = characters.drop { $0 != "\n" }
            } else if "{};".contains(first) {
                tokens.append(String(first))
                characters = characters.dropFirst()
            } else if first == "\"" || first == "'" {
                var token = ""
                characters = characters.dropFirst()
                while let next = characters.first, next != first {
                    if next == "\\", characters.count > 1 {
                        let escaped = characters[characters.index(after: characters.startIndex)]
                        token += escaped == first || escaped == "\\" ? String(escaped) : "\\\(escaped)"
                        characters = characters.dropFirst(2)
                    } else {
                        token.append(next)
                        characters = characters.dropFirst()
                    }
                }
                tokens.append(token)
                characters = characters.dropFirst()
            } else {
                let word = characters.prefix { !$0.isWhitespace && !"{};".contains($0) }
                tokens.append(String(word))
                characters = characters.dropFirst(word.count)
            }
        }
        return tokens
    }

    /// The index after the directive or block starting at `index`.
    private static func skipStatement(_ tokens: [String], from index: Int) -> Int {
        var index = index
        var depth = 0
        while index < tokens.count {
            switch tokens[index] {
            case "{": depth += 1
            case "}": depth -= 1; if depth <= 0 { return index + 1 }
            case ";" where depth == 0: return index + 1
            default: break
            }
            index += 1
        }
        return index
    }
}
