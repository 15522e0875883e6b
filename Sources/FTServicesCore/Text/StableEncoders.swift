import Foundation
import Yams

/// The one set-up of every encoder whose output people read, compare or commit: keys sorted, so the same
/// value always gives the same bytes.
extension JSONEncoder {
    /// JSON with sorted keys; `pretty` indents it; `escapingSlashes` keeps Foundation's `\/` (the state file and
    /// `status --json` have always had it, every other `--json` writes `/`).
    public static func stable(pretty: Bool = true, escapingSlashes: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        var formatting: JSONEncoder.OutputFormatting = [.sortedKeys]
        if pretty { formatting.insert(.prettyPrinted) }
        if !escapingSlashes { formatting.insert(.withoutEscapingSlashes) }
        encoder.outputFormatting = formatting
        return encoder
    }
}

extension YAMLEncoder {
    /// YAML with sorted keys, two-space indents and no line folding (`srcs/stack.yml`, `srcs/k8s/`).
    public static func stable() -> YAMLEncoder {
        let encoder = YAMLEncoder()
        encoder.options.sortKeys = true
        encoder.options.indent = 2
        encoder.options.width = -1
        return encoder
    }
}
