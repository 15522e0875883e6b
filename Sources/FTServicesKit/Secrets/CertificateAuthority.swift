import FTServicesCore
import Foundation

/// The install's local certificate authority and the server certificate every TLS port presents.
///
/// Generated once with the `openssl` program: a CA (EC P-256, 10 years) kept only in the state directory,
/// and a server certificate (``serverCertificateDays``) whose subjectAltName holds the stack address, `localhost`,
/// 127.0.0.1 and every service's name (the nginx → phpmyadmin hop verifies the name `phpmyadmin`).
/// Users trust `ca.crt` instead of passing `-k`.
public struct CertificateAuthority: Sendable {
    public let directory: URL
    let runner: any ProcessRunning

    public init(directory: URL, runner: any ProcessRunning = SubprocessRunner()) {
        self.directory = directory
        self.runner = runner
    }

    /// How long a server certificate is valid: Mozilla's "intermediate" profile allows at most 366 days (sslyze
    /// checks it), and setup re-issues one within 30 days of its end.
    public static let serverCertificateDays = 365

    public var certificate: URL { directory.appendingPathComponent("ca.crt") }
    var key: URL { directory.appendingPathComponent("ca.key") }

    /// Creates the CA unless it exists.
    public func ensure() async throws(ProcessError) {
        if FileManager.default.fileExists(atPath: certificate.path), FileManager.default.fileExists(atPath: key.path) { return }
        try await runner.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.path])
        chmod(key.path, 0o600)
        try await runner.run([
            "openssl", "req", "-x509", "-new", "-key", key.path, "-sha256", "-days", "3650",
            "-subj", "/O=ftservices/CN=ftservices local CA", "-out", certificate.path,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
    }

    /// Issues a server certificate for `address`; returns (certificate chain PEM, private key PEM).
    public func issueServerCertificate(address: String) async throws(ProcessError) -> (chain: String, key: String) {
        try await ensure()
        let work = directory.appendingPathComponent("issue-\(getpid())")
        try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: work) }
        let serverKey = work.appendingPathComponent("server.key")
        let request = work.appendingPathComponent("server.csr")
        let serverCert = work.appendingPathComponent("server.crt")
        let extensions = work.appendingPathComponent("server.ext")
        let names = Self.subjectAltNames(address: address)
        let ext = """
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature,keyEncipherment
            extendedKeyUsage=serverAuth
            subjectAltName=\(names.joined(separator: ","))

            """
        guard FileManager.default.createFile(atPath: extensions.path, contents: Data(ext.utf8)) else {
            throw .couldNotStart(command: ["openssl", "x509"], reason: "cannot write \(extensions.path)")
        }
        try await runner.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", serverKey.path])
        try await runner.run(["openssl", "req", "-new", "-key", serverKey.path, "-subj", "/O=ftservices/CN=\(address)", "-out", request.path])
        try await runner.run([
            "openssl", "x509", "-req", "-in", request.path, "-CA", certificate.path, "-CAkey", key.path,
            "-CAcreateserial", "-days", String(Self.serverCertificateDays), "-sha256", "-extfile", extensions.path, "-out", serverCert.path,
        ])
        // An empty certificate or key must never become a secret: fail instead.
        guard let chain = try? String(contentsOf: serverCert, encoding: .utf8), chain.contains("BEGIN CERTIFICATE"),
              let ca = try? String(contentsOf: certificate, encoding: .utf8), ca.contains("BEGIN CERTIFICATE"),
              let keyText = try? String(contentsOf: serverKey, encoding: .utf8), keyText.contains("PRIVATE KEY")
        else {
            throw .couldNotStart(command: ["openssl", "x509"], reason: "openssl wrote no certificate or key in \(work.path)")
        }
        return (chain + ca, keyText)
    }

    /// Seconds until the first certificate in `pem` expires (nil when it cannot be read).
    public func secondsUntilExpiry(of pem: String) async -> Double? {
        guard let text = try? await runner.run(["openssl", "x509", "-noout", "-enddate"], input: Data(pem.utf8), environment: [:], logFile: nil).standardOutput,
              let value = text.split(separator: "=", maxSplits: 1).last
        else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "MMM d HH:mm:ss yyyy zzz"
        let cleaned = value.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "  ", with: " ")
        return formatter.date(from: cleaned).map { $0.timeIntervalSinceNow }
    }

    /// The subjectAltName entries of the server certificate for `address` (`IP:…`/`DNS:…`): the address,
    /// localhost, 127.0.0.1, then every service's name, as services reach each other.
    public static func subjectAltNames(address: String) -> [String] {
        var names = ["DNS:localhost", "IP:127.0.0.1"]
        if address != "127.0.0.1" { names.insert(isIPAddress(address) ? "IP:\(address)" : "DNS:\(address)", at: 0) }
        for service in ServiceName.allCases where !names.contains("DNS:\(service.rawValue)") { names.append("DNS:\(service.rawValue)") }
        return names
    }

    /// The subjectAltName entries of the first certificate in `pem`, spelled as ``subjectAltNames(address:)``
    /// spells them (nil when it cannot be read).
    public func subjectAltNames(of pem: String) async -> Set<String>? {
        guard let text = try? await runner.run(["openssl", "x509", "-noout", "-ext", "subjectAltName"], input: Data(pem.utf8), environment: [:], logFile: nil).standardOutput
        else { return nil }
        return Self.parseSubjectAltNames(text)
    }

    /// openssl's `-ext subjectAltName` text ("DNS:a, IP Address:1.2.3.4" after a header line) as a set.
    static func parseSubjectAltNames(_ text: String) -> Set<String> {
        let lines = text.split(separator: "\n").filter { !$0.contains("Subject Alternative Name") }
        let entries = lines.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        return Set(entries.filter { !$0.isEmpty }.map { $0.replacingOccurrences(of: "IP Address:", with: "IP:") })
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
