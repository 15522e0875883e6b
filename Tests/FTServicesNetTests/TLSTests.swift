import FTServicesNet
import Foundation
import Testing
import FTServicesTestSupport

@Suite("HTTPS: certificate checks and certificate info")
struct TLSTests {
    let certificates: TestCertificates
    let server: TestServer
    init() throws {
        certificates = try TestCertificates.localhost.get()
        server = try TestServer.web(certificate: certificates.server)
    }

    @Test func verifiedWithTheRightCA() async throws {
        let response = try await HTTPClient().send(
            HTTPRequest(url: "https://localhost:\(server.port)/ok", tls: .caFile(certificates.caFile)))
        #expect(response.status == 200)
        let tls = try #require(response.tls)
        #expect(tls.version?.hasPrefix("TLSv1.") == true)
        let leaf = try #require(tls.leaf)
        #expect(leaf.subjectCommonName == "localhost")
        #expect(leaf.issuer?.contains("FTServices Test CA") == true)
        let expiry = try #require(leaf.expireDate)
        let expected = Date().addingTimeInterval(Double(TestCertificates.validDays) * 86_400)
        #expect(abs(expiry.timeIntervalSince(expected)) < 3_600)
        #expect(leaf.startDate.map { $0 <= Date() } == true)
        #expect(leaf.pem?.contains("BEGIN CERTIFICATE") == true)
        #expect(response.timings.tlsHandshake > .zero)
    }

    @Test func verifiedByIPAddress() async throws {
        let response = try await HTTPClient().send(
            HTTPRequest(url: "https://127.0.0.1:\(server.port)/ok", tls: .caFile(certificates.caFile)))
        #expect(response.status == 200)
    }

    @Test(arguments: [TLSVerification.system, .caFile("other")])
    func failsAgainstAnotherCA(verification: TLSVerification) async throws {
        let tls: TLSVerification = verification == .system ? .system : .caFile(certificates.otherCAFile)
        do {
            _ = try await HTTPClient().send(HTTPRequest(url: "https://localhost:\(server.port)/ok", tls: tls))
            Issue.record("expected a verification failure")
        } catch {
            #expect(error.kind == .tlsVerificationFailed)
            #expect(error.description.contains("localhost:\(server.port)"))
        }
    }

    @Test func insecureAcceptsAndStillReportsTheCertificate() async throws {
        let response = try await HTTPClient().send(
            HTTPRequest(url: "https://localhost:\(server.port)/ok", tls: .insecure))
        #expect(response.status == 200)
        #expect(response.tls?.leaf?.subjectCommonName == "localhost")
    }

    @Test func plainHTTPToATLSPortFails() async throws {
        await #expect(throws: NetError.self) {
            _ = try await HTTPClient().send(HTTPRequest(url: "http://localhost:\(server.port)/ok", timeout: .seconds(3)))
        }
    }
}

@Suite("Certificate info parsing")
struct PeerCertificateTests {
    @Test func parsesOpenSSLLines() throws {
        let certificate = PeerCertificate(certinfoLines: [
            "Subject:C = FR, O = 42, CN = ftservices.local", "Issuer:CN = ftservices CA",
            "Start date:Nov  2 19:27:00 2026 GMT", "Expire date:Nov 22 19:27:00 2027 GMT",
        ])
        #expect(certificate.subjectCommonName == "ftservices.local")
        #expect(certificate.issuer == "CN = ftservices CA")
        let expiry = try #require(certificate.expireDate)
        #expect(expiry == Date(timeIntervalSince1970: 1_826_911_620))
        #expect(certificate.startDate == Date(timeIntervalSince1970: 1_793_647_620))
    }

    @Test func parsesSlashSeparatedSubjects() {
        #expect(PeerCertificate(certinfoLines: ["Subject:/C=FR/CN=legacy"]).subjectCommonName == "legacy")
    }
}
