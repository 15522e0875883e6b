import Foundation

/// The outcome of one check, as `verify --json` prints it (one object per check, exactly these keys).
public struct CheckResult: Codable, Sendable, Equatable {
    /// The check's name ("nginx :443 TLS").
    public var name: String
    /// `host:port` or the URL it talked to.
    public var target: String
    /// What a passing check sees.
    public var expected: String
    /// What came back ("HTTP 301 to https://10.0.0.1/", "cannot connect to 10.0.0.1:21 ...: Connection refused").
    public var observed: String
    /// How long the check took, in milliseconds (one decimal); `latency` in JSON.
    public var latencyMilliseconds: Double
    public var pass: Bool

    enum CodingKeys: String, CodingKey {
        case name, target, expected, observed, pass
        case latencyMilliseconds = "latency"
    }

    public init(name: String, target: String, expected: String, observed: String, latencyMilliseconds: Double, pass: Bool) {
        self.name = name
        self.target = target
        self.expected = expected
        self.observed = observed
        self.latencyMilliseconds = latencyMilliseconds
        self.pass = pass
    }

    /// A result for `spec`; the latency is rounded to a tenth of a millisecond.
    public init(spec: CheckSpec, observed: String, latency: Duration, pass: Bool) {
        let (seconds, attoseconds) = latency.components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        self.init(name: spec.name, target: spec.target, expected: spec.expected, observed: observed,
                  latencyMilliseconds: (milliseconds * 10).rounded() / 10, pass: pass)
    }
}
