import Foundation

/// When a restarted engine (``EngineRestarting``) was seen gone and when it answered again.
public struct EngineRestart: Sendable, Equatable {
    /// When the engine was seen stopped; nil when it restarted in one step (systemd).
    public var stopped: Date?
    /// When it answered again.
    public var back: Date

    public init(stopped: Date?, back: Date) {
        self.stopped = stopped
        self.back = back
    }
}
