import CCurl

/// How the peer's TLS certificate is checked.
public enum TLSVerification: Sendable, Equatable {
    /// Against the system's CA bundle, with the host name checked.
    case system
    /// Against the CA certificate(s) in this PEM file (`CURLOPT_CAINFO`), with the host name checked.
    case caFile(String)
    /// Not at all: any certificate and host name are accepted (the certificate is still reported).
    case insecure

    func apply(to handle: CurlHandle) throws(NetError) {
        switch self {
        case .system:
            try handle.set(CURLOPT_SSL_VERIFYPEER, true)
            try handle.set(CURLOPT_SSL_VERIFYHOST, 2)
        case .caFile(let path):
            try handle.set(CURLOPT_CAINFO, path)
            try handle.set(CURLOPT_SSL_VERIFYPEER, true)
            try handle.set(CURLOPT_SSL_VERIFYHOST, 2)
        case .insecure:
            try handle.set(CURLOPT_SSL_VERIFYPEER, false)
            try handle.set(CURLOPT_SSL_VERIFYHOST, 0)
        }
    }
}
