import Foundation

/// Plain text tables with padded columns, for `status`, `credentials` and `crashtest`: every column but the
/// last padded to its widest cell, two spaces between columns.
public enum TextTable {
    /// The table's lines, header first when there is one.
    public static func lines(header: [String]? = nil, rows: [[String]]) -> [String] {
        let all = (header.map { [$0] } ?? []) + rows
        guard let first = all.first else { return [] }
        let widths = first.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }

    /// The table as one string, lines joined by newlines.
    public static func render(header: [String], rows: [[String]]) -> String {
        lines(header: header, rows: rows).joined(separator: "\n")
    }
}
