import Foundation

/// Certificates made with openssl for tests: a CA, a server certificate it signed (SAN localhost and
/// 127.0.0.1), a second CA that signed nothing, and a self-signed impostor for the same names.
public struct TestCertificates: Sendable {
    public static let validDays = 30

    public let directory: URL
    public var caFile: String { path("ca.pem") }
    public var certFile: String { path("server.pem") }
    public var keyFile: String { path("server.key") }
    public var server: (cert: String, key: String) { (certFile, keyFile) }
    /// A second CA that did not sign the server certificate.
    public var otherCAFile: String { path("other-ca.pem") }
    /// Self-signed for the same names: a certificate the CA did not issue.
    public var impostor: (cert: String, key: String) { (path("impostor.pem"), path("impostor.key")) }

    /// - Parameter serverCommonName: the server certificate's CN.
    public init(serverCommonName: String) throws {
        directory = try TestFiles.directory()
        let days = String(Self.validDays)
        try TestFiles.output(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                              "-days", days, "-subj", "/O=FTServices Test/CN=FTServices Test CA"], in: directory)
        try TestFiles.output(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-ca.key", "-out", "other-ca.pem",
                              "-days", days, "-subj", "/CN=Other CA"], in: directory)
        try TestFiles.output(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                              "-subj", "/CN=\(serverCommonName)"], in: directory)
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(to: directory.appendingPathComponent("san.ext"), atomically: true, encoding: .utf8)
        try TestFiles.output(["openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                              "-out", "server.pem", "-days", days, "-extfile", "san.ext"], in: directory)
        try TestFiles.output(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "impostor.key", "-out", "impostor.pem",
                              "-days", days, "-subj", "/CN=\(serverCommonName)", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                             in: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}
