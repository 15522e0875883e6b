import Foundation

/// One check of `ftservices verify`: what it is called, what it talks to, what it expects, how to probe.
public struct CheckSpec: Sendable, Equatable {
    /// Unique within a plan ("nginx :443 TLS", "route /wordpress").
    public var name: String
    public var group: CheckGroup
    /// `host:port` for connection-level checks, the URL for HTTP ones.
    public var target: String
    /// What a passing check sees, in words ("HTTP 301 to https://10.0.0.1/").
    public var expected: String
    public var probe: CheckProbe
    /// After this long the check fails as timed out.
    public var timeout: Duration
    /// The service that must answer; a failing check is explained with its state in the engine
    /// ("not deployed", "scaled to 0").
    public var service: ServiceName?

    /// Makes a check; the timeout defaults to the probe's own.
    public init(name: String, group: CheckGroup, target: String, expected: String, probe: CheckProbe, timeout: Duration? = nil,
                service: ServiceName? = nil) {
        self.name = name
        self.group = group
        self.target = target
        self.expected = expected
        self.probe = probe
        self.timeout = timeout ?? probe.defaultTimeout
        self.service = service
    }
}
