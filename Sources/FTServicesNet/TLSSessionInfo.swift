/// The TLS side of a connection: the negotiated protocol and the certificates the peer presented.
public struct TLSSessionInfo: Sendable, Equatable {
    /// The negotiated protocol as OpenSSL names it ("TLSv1.3"), if it could be read.
    public let version: String?
    /// The peer's chain as sent: the server's own certificate first.
    public let certificates: [PeerCertificate]

    /// Makes session info (for fakes in tests).
    public init(version: String?, certificates: [PeerCertificate]) {
        self.version = version
        self.certificates = certificates
    }

    /// The server's own certificate (the first of the chain).
    public var leaf: PeerCertificate? { certificates.first }
}
