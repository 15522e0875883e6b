import Foundation

extension Duration {
    /// The duration in seconds, as Foundation's dates count them.
    public var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
