import FTServicesCore
import Foundation
import Testing
import FTServicesTestSupport

/// The host key `verify` pins is read from the private key exactly as `ssh-keygen` reads it.
@Suite struct SSHPublicKeyTests {
    @Test func matchesSSHKeygenOnARealKey() throws {
        let directory = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("host").path
        try TestFiles.output(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", path])
        let key = try SSHPublicKey(openSSHPrivateKey: String(contentsOfFile: path, encoding: .utf8))
        let fingerprint = try TestFiles.output(["ssh-keygen", "-l", "-E", "sha256", "-f", path])
        #expect(fingerprint.contains("SHA256:\(key.fingerprintSHA256) "), "\(fingerprint)")
        let publicLine = try TestFiles.output(["ssh-keygen", "-y", "-f", path]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(publicLine.hasPrefix(key.openSSHLine), "\(publicLine) vs \(key.openSSHLine)")
        #expect(key.type == "ssh-ed25519")
    }

    @Test func badKeysNameWhatIsWrong() {
        #expect(throws: SSHKeyError.notOpenSSH("no BEGIN/END OPENSSH PRIVATE KEY lines")) {
            try SSHPublicKey(openSSHPrivateKey: "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")
        }
        let truncated = Data(Array("openssh-key-v1".utf8) + [0, 0, 0, 0, 4]).base64EncodedString()
        #expect(throws: SSHKeyError.truncated("cipher name")) {
            try SSHPublicKey(openSSHPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\n\(truncated)\n-----END OPENSSH PRIVATE KEY-----")
        }
    }
}
