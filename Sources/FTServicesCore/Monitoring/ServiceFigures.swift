import Foundation

/// A service's latest CPU and memory as its agent reported them to InfluxDB (for `ftservices status`):
/// the sum over the service's own process groups, the agent excluded.
public struct ServiceFigures: Sendable, Equatable, Codable {
    public var service: String
    /// CPU time per second over the last two samples, in percent of one core.
    public var cpuPercent: Double?
    /// Resident memory (RSS) in bytes.
    public var memoryBytes: Double?
    /// When the newest of these points was taken.
    public var time: Date?

    public init(service: String, cpuPercent: Double?, memoryBytes: Double?, time: Date?) {
        self.service = service
        self.cpuPercent = cpuPercent
        self.memoryBytes = memoryBytes
        self.time = time
    }

    /// Two statements (sent as one `q`): the latest RSS of each process group, and the CPU rate between
    /// consecutive raw samples of each process group, both within `lookback` (default: 12 agent intervals).
    public static func query(lookback: String = "\(12 * Monitoring.interval)s") -> String {
        let window = "\"instance\" != \(InfluxQL.literal(Monitoring.agentProcess)) AND time > now() - \(lookback)"
        return "SELECT last(\"value\") FROM \"processes\" WHERE \"type\" = 'ps_rss' AND \(window) GROUP BY \"host\", \"instance\"; "
            + "SELECT non_negative_derivative(\"user\", 1s) AS \"user\", non_negative_derivative(\"syst\", 1s) AS \"syst\" "
            + "FROM \"processes\" WHERE \"type\" = 'ps_cputime' AND \(window) GROUP BY \"host\", \"instance\""
    }

    /// Reads InfluxDB's `/query` JSON for ``query(lookback:)``: one entry per service in `services` order
    /// (nil figures for a service without points).
    public static func parse(_ data: Data, services: [String]) throws(FiguresError) -> [ServiceFigures] {
        let response: InfluxResponse
        do {
            response = try JSONDecoder().decode(InfluxResponse.self, from: data)
        } catch {
            throw .malformed(String(decoding: data.prefix(200), as: UTF8.self))
        }
        if let error = response.error { throw .influx(error) }
        let results = response.results ?? []
        if let error = results.compactMap(\.error).first { throw .influx(error) }
        guard results.count == 2 else { throw .malformed("expected 2 statement results, got \(results.count)") }
        var figures = Dictionary(uniqueKeysWithValues: services.map { ($0, ServiceFigures(service: $0, cpuPercent: nil, memoryBytes: nil, time: nil)) })
        for series in results[0].series ?? [] {
            guard let host = series.tags?["host"], figures[host] != nil, let row = series.values.last,
                  let rss = series.number(row, "last") else { continue }
            figures[host]!.memoryBytes = (figures[host]!.memoryBytes ?? 0) + rss
            figures[host]!.time = latest(figures[host]!.time, series.date(row))
        }
        for series in results[1].series ?? [] {
            guard let host = series.tags?["host"], figures[host] != nil, let row = series.values.last else { continue }
            let microseconds = (series.number(row, "user") ?? 0) + (series.number(row, "syst") ?? 0)
            figures[host]!.cpuPercent = (figures[host]!.cpuPercent ?? 0) + microseconds / 10_000
            figures[host]!.time = latest(figures[host]!.time, series.date(row))
        }
        return services.map { figures[$0]! }
    }

    static func latest(_ a: Date?, _ b: Date?) -> Date? {
        guard let a else { return b }
        guard let b else { return a }
        return max(a, b)
    }

    /// Why InfluxDB's answer could not be read.
    public enum FiguresError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
        /// Not InfluxDB's `/query` JSON.
        case malformed(String)
        /// InfluxDB answered with an error (authentication, syntax, missing database).
        case influx(String)

        public var description: String {
            switch self {
            case .malformed(let text): "InfluxDB's answer is not the expected /query JSON: \(text)"
            case .influx(let message): "InfluxDB refused the figures query: \(message)"
            }
        }

        public var errorDescription: String? { description }
    }
}

/// InfluxDB 1.x `/query` JSON.
struct InfluxResponse: Decodable {
    var results: [Result]?
    var error: String?

    struct Result: Decodable {
        var series: [Series]?
        var error: String?
    }

    struct Series: Decodable {
        var name: String?
        var tags: [String: String]?
        var columns: [String]
        var values: [[Value]]

        func number(_ row: [Value], _ column: String) -> Double? {
            guard let index = columns.firstIndex(of: column), index < row.count, case .number(let value) = row[index] else { return nil }
            return value
        }

        func date(_ row: [Value]) -> Date? {
            guard let index = columns.firstIndex(of: "time"), index < row.count, case .string(let text) = row[index] else { return nil }
            return Self.parseTime(text)
        }

        /// RFC 3339 with up to nanoseconds (InfluxDB's default epoch format).
        static func parseTime(_ text: String) -> Date? {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            // ISO8601DateFormatter reads at most milliseconds: cut the fraction to 3 digits.
            if let dot = text.firstIndex(of: "."), let zone = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) {
                let fraction = text[text.index(after: dot)..<zone].prefix(3)
                if let date = formatter.date(from: text[..<dot] + "." + fraction.padding(toLength: 3, withPad: "0", startingAt: 0) + text[zone...]) {
                    return date
                }
            }
            formatter.formatOptions = [.withInternetDateTime]
            return formatter.date(from: text)
        }
    }

    enum Value: Decodable {
        case number(Double)
        case string(String)
        case null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let number = try? container.decode(Double.self) { self = .number(number) }
            else { self = .string(try container.decode(String.self)) }
        }
    }
}
