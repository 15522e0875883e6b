import Foundation

/// Why `status` could not read the figures.
public enum StatusError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case noRunningTask(String)
    case figuresFailed(String)

    public var description: String {
        switch self {
        case .noRunningTask(let service): "no running task of \(service): InfluxDB cannot be asked (`ftservices status` shows why)"
        case .figuresFailed(let detail): "the figures query inside the influxdb container failed: \(detail)"
        }
    }

    public var errorDescription: String? { description }
}
