import FTServicesCore
import Foundation
import Testing
@testable import FTServicesKit

/// The server certificate carries every name a client verifies (the nginx → phpmyadmin hop checks
/// `phpmyadmin`), and an install whose certificate lacks one gets a new certificate at the next setup.
@Suite struct CertificateTests {
    @Test func subjectAltNamesHoldTheAddressLocalhostAndEveryService() {
        let names = CertificateAuthority.subjectAltNames(address: "10.0.0.5")
        #expect(Array(names.prefix(3)) == ["IP:10.0.0.5", "DNS:localhost", "IP:127.0.0.1"])
        for service in ServiceName.allCases { #expect(names.contains("DNS:\(service.rawValue)")) }
        #expect(CertificateAuthority.subjectAltNames(address: "127.0.0.1").filter { $0 == "IP:127.0.0.1" }.count == 1)
        #expect(CertificateAuthority.subjectAltNames(address: "stack.example").first == "DNS:stack.example")
    }

    @Test func opensslSubjectAltNameTextIsParsed() {
        let text = "X509v3 Subject Alternative Name: \n    IP Address:10.0.0.5, DNS:localhost, IP Address:127.0.0.1, DNS:nginx\n"
        #expect(CertificateAuthority.parseSubjectAltNames(text) == ["IP:10.0.0.5", "DNS:localhost", "IP:127.0.0.1", "DNS:nginx"])
    }

    @Test func aCertificateIsReissuedForANewAddressExpiryOrAMissingName() {
        let address = "10.0.0.5"
        let all = Set(CertificateAuthority.subjectAltNames(address: address))
        let year = 365.0 * 86_400
        #expect(!SecretProvisioner.needsNewCertificate(recordedAddress: address, address: address, secondsLeft: year, names: all))
        #expect(SecretProvisioner.needsNewCertificate(recordedAddress: "10.0.0.6", address: address, secondsLeft: year, names: all))
        #expect(SecretProvisioner.needsNewCertificate(recordedAddress: nil, address: address, secondsLeft: year, names: all))
        #expect(SecretProvisioner.needsNewCertificate(recordedAddress: address, address: address, secondsLeft: 86_400, names: all))
        #expect(SecretProvisioner.needsNewCertificate(recordedAddress: address, address: address, secondsLeft: 800 * 86_400, names: all),
                "a certificate of the old 825-day lifespan is replaced by one Mozilla's intermediate profile accepts")
        #expect(SecretProvisioner.needsNewCertificate(recordedAddress: address, address: address, secondsLeft: nil, names: all))
        #expect(SecretProvisioner.needsNewCertificate(recordedAddress: address, address: address, secondsLeft: year, names: nil))
        // A certificate issued before the service names were added: address, localhost, 127.0.0.1 only.
        let old: Set<String> = ["IP:10.0.0.5", "DNS:localhost", "IP:127.0.0.1"]
        #expect(SecretProvisioner.needsNewCertificate(recordedAddress: address, address: address, secondsLeft: year, names: old))
        #expect(!SecretProvisioner.needsNewCertificate(recordedAddress: address, address: address, secondsLeft: year, names: all.union(["DNS:extra"])))
    }

    /// With the real `openssl`: the issued certificate reads back with every name; one without the service
    /// names (as earlier versions issued) is replaced by `ensureTLS`, and a current one is kept.
    @Test func ensureTLSReplacesACertificateWithoutTheServiceNames() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = StateStore(directory: directory)
        try store.prepare()
        let authority = CertificateAuthority(directory: store.caDirectory)
        let address = "10.0.0.5"
        let issued = try await authority.issueServerCertificate(address: address)
        let names = try #require(await authority.subjectAltNames(of: issued.chain))
        #expect(Set(CertificateAuthority.subjectAltNames(address: address)).isSubset(of: names))
        #expect(names.contains("DNS:phpmyadmin"))

        let provisioner = SecretProvisioner(store: store)
        var current = StackState()
        current.secrets[.tlsCert] = issued.chain
        current.secrets[.tlsKey] = issued.key
        current.certificateAddress = address
        try await provisioner.ensureTLS(&current, address: address)
        #expect(current.secrets[.tlsCert] == issued.chain)

        let old = try await Self.certificateWithoutServiceNames(authority: authority, address: address, work: directory)
        var outdated = current
        outdated.secrets[.tlsCert] = old
        try await provisioner.ensureTLS(&outdated, address: address)
        let replaced = try #require(outdated.secrets[.tlsCert])
        #expect(replaced != old)
        #expect(try #require(await authority.subjectAltNames(of: replaced)).contains("DNS:phpmyadmin"))
    }

    /// A server certificate like the ones issued before: SANs address, localhost and 127.0.0.1, plus the CA.
    static func certificateWithoutServiceNames(authority: CertificateAuthority, address: String, work: URL) async throws -> String {
        let runner = SubprocessRunner()
        let key = work.appendingPathComponent("old.key").path, csr = work.appendingPathComponent("old.csr").path
        let cert = work.appendingPathComponent("old.crt").path, ext = work.appendingPathComponent("old.ext")
        try "subjectAltName=IP:\(address),DNS:localhost,IP:127.0.0.1\n".write(to: ext, atomically: true, encoding: .utf8)
        try await runner.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key])
        try await runner.run(["openssl", "req", "-new", "-key", key, "-subj", "/CN=\(address)", "-out", csr])
        try await runner.run([
            "openssl", "x509", "-req", "-in", csr, "-CA", authority.certificate.path, "-CAkey", authority.key.path,
            "-CAcreateserial", "-days", "825", "-sha256", "-extfile", ext.path, "-out", cert,
        ])
        return try String(contentsOfFile: cert, encoding: .utf8) + String(contentsOf: authority.certificate, encoding: .utf8)
    }
}
