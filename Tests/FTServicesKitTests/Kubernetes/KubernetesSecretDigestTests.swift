import FTServicesCore
import Foundation
import Testing
@testable import FTServicesKit

/// Which Secrets changed is read from their digest annotations only: kubectl prints names and digests,
/// never a Secret's data, so no value reaches the tool.
@Suite struct KubernetesSecretDigestTests {
    @Test func digestsAreReadWithoutTheSecretsData() async throws {
        let kubectl = FakeKubectl(before: "")
        kubectl.outputs[["kubectl", "get", "secrets"]] = "tls-cert\told\nftp-password\td-ftp_password\nmysql-root-password\t\n"
        let digests = try await KubernetesDeployer(runner: kubectl).deployedSecretDigests()
        #expect(digests == ["tls-cert": "old", "ftp-password": "d-ftp_password", "mysql-root-password": ""])

        let call = try #require(kubectl.calls.first { $0.starts(with: ["kubectl", "get", "secrets"]) })
        let output = try #require(call.firstIndex(of: "--output").map { call[$0 + 1] })
        #expect(output.hasPrefix("jsonpath="), "\(call)")
        let fields = output.matches(of: /\{\.([^}]*)\}/).map { String($0.1) }
        #expect(!fields.isEmpty && fields.allSatisfy { $0.hasPrefix("metadata.name") || $0.hasPrefix("metadata.annotations.") }, "\(fields)")
        #expect(!call.contains("json") && !call.contains("yaml"), "\(call)")
    }
}
