import Foundation

/// Parses the durations of command-line options like `verify --wait`: "30s", "2m", "1h", "500ms",
/// "1m30s", or a bare number of seconds ("45", "1.5").
public enum WaitDuration {
    /// The duration, or nil when `text` is not one of the accepted forms or is negative.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !trimmed.isEmpty else { return nil }
        if let seconds = Double(trimmed) { return seconds >= 0 && seconds.isFinite ? .milliseconds(Int64((seconds * 1000).rounded())) : nil }
        var total: Double = 0
        var number = ""
        var rest = Substring(trimmed)
        while let character = rest.first {
            if character.isNumber || character == "." {
                number.append(character)
                rest = rest.dropFirst()
                continue
            }
            let unit = String(rest.prefix { $0.isLetter })
            guard let value = Double(number), let factor = factors[unit] else { return nil }
            total += value * factor
            number = ""
            rest = rest.dropFirst(unit.count)
        }
        guard number.isEmpty, total.isFinite else { return nil }
        return .milliseconds(Int64((total * 1000).rounded()))
    }

    private static let factors: [String: Double] = ["ms": 0.001, "s": 1, "m": 60, "h": 3600]
}
