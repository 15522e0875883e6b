/// How long the phases of one transfer took, each measured from its start.
public struct TransferTimings: Sendable, Equatable {
    /// Until the TCP (or Unix socket) connection was up.
    public var connect: Duration
    /// The TLS handshake alone (`appconnect - connect`); zero without TLS.
    public var tlsHandshake: Duration
    /// Until the first response byte.
    public var firstByte: Duration
    /// The whole transfer.
    public var total: Duration

    /// Makes timings; all zero by default.
    public init(connect: Duration = .zero, tlsHandshake: Duration = .zero, firstByte: Duration = .zero,
                total: Duration = .zero) {
        self.connect = connect
        self.tlsHandshake = tlsHandshake
        self.firstByte = firstByte
        self.total = total
    }
}
