import Foundation

/// Where one service stands while the tool waits for the stack to become healthy.
public struct ServiceProgress: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable, CaseIterable {
        /// No task scheduled yet, or the task is being prepared.
        case pending
        /// The container runs; its healthcheck has not passed yet.
        case starting
        /// The healthcheck passes.
        case healthy
        /// The healthcheck fails after the start period.
        case unhealthy
        /// The task failed or the container exited.
        case failed
        /// Not deployed in this run (e.g. Grafana without a package).
        case skipped
        /// The new version failed; the previous one is being put back.
        case rollingBack = "rolling back"
        /// The new version failed; the previous one is healthy again.
        case rolledBack = "rolled back"

        /// The longest state's width, so a column of states lines up ("rolling back").
        public static let width = allCases.map(\.rawValue.count).max() ?? 0
    }

    public var service: String
    public var state: State
    /// Task state or the last health output, in a few words.
    public var detail: String
    /// Seconds since the wait began.
    public var elapsed: Double

    public init(service: String, state: State, detail: String, elapsed: Double) {
        self.service = service
        self.state = state
        self.detail = detail
        self.elapsed = elapsed
    }
}
