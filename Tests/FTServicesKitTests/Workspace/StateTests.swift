import FTServicesCore
import Foundation
import Testing
import FTServicesTestSupport
@testable import FTServicesKit

@Suite struct StateTests {
    @Test func secretNamesChangeWithTheValueAndTheInstall() {
        var state = StackState()
        state.secrets[.ftpPassword] = "one"
        let first = state.swarmSecretName(.ftpPassword)!
        #expect(first.hasPrefix("ftservices_ftp_password_") && first.count == "ftservices_ftp_password_".count + 12)
        #expect(state.swarmSecretName(.ftpPassword) == first, "an unchanged value keeps its name")
        state.secrets[.ftpPassword] = "two"
        #expect(state.swarmSecretName(.ftpPassword) != first, "a new value gets a new secret")
        var other = StackState()
        other.secrets[.ftpPassword] = "one"
        #expect(other.swarmSecretName(.ftpPassword) != first, "another install never reuses this one's secret")
    }

    /// `verify`, `crashtest` and the other commands go where the last setup deployed.
    @Test func setupRecordsTheOrchestratorInTheStateFile() throws {
        let store = StateStore(directory: try TestFiles.directory())
        try store.record(orchestrator: .kubernetes)
        #expect(try store.load() == nil, "nothing to record into before setup wrote the state")
        try store.prepare()
        try #"{"schema":1,"installID":"abc","secrets":{}}"#.write(to: store.stateFile, atomically: true, encoding: .utf8)
        #expect(try store.load()?.orchestrator == nil, "a state written before the orchestrator was recorded still reads")
        try store.record(orchestrator: .kubernetes)
        #expect(try store.load()?.orchestrator == .kubernetes)
        #expect(try store.load()?.installID == "abc")
    }

    /// The state file keeps its shape: `secrets` is an object keyed by the raw key names, so a file written
    /// before the keys were typed still loads, saves back to the same keys, and keeps what it does not know.
    @Test func stateFileWrittenWithRawKeyNamesLoadsAndSavesTheSameKeys() throws {
        let store = StateStore(directory: try TestFiles.directory())
        try store.prepare()
        let old = #"""
            {
              "certificateAddress" : "192.0.2.10",
              "installID" : "abc",
              "orchestrator" : "swarm",
              "schema" : 1,
              "secrets" : {
                "ftp_password" : "one",
                "retired_password" : "kept",
                "tls_cert" : "PEM"
              }
            }
            """#
        try old.write(to: store.stateFile, atomically: true, encoding: .utf8)
        let state = try #require(try store.load())
        #expect(state.secrets == [.ftpPassword: "one", .tlsCert: "PEM"])
        #expect(state.certificateAddress == "192.0.2.10" && state.installID == "abc" && state.orchestrator == .swarm)

        try store.save(state)
        let saved = try String(contentsOf: store.stateFile, encoding: .utf8)
        #expect(saved == old, "same keys, same bytes; the unknown key is kept")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(saved.utf8)) as? [String: Any])
        #expect(object["secrets"] as? [String: String] == ["ftp_password": "one", "retired_password": "kept", "tls_cert": "PEM"])
    }

    @Test func stateFileIsPrivateAndWrittenAtomically() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = StateStore(directory: directory)
        try store.prepare()
        var state = StackState()
        state.secrets[.mysqlRootPassword] = PasswordGenerator.make(length: 24)
        try store.save(state)
        #expect(try store.load() == state)
        let mode = (try FileManager.default.attributesOfItem(atPath: store.stateFile.path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        let directoryMode = (try FileManager.default.attributesOfItem(atPath: directory.path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(directoryMode == 0o700)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func aSecondSetupOnTheSameStateIsRefusedWhileTheFirstRuns() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = StateStore(directory: directory)
        let first = try store.lock()
        #expect(throws: StateError.self) { _ = try store.lock() }
        close(first)
        let again = try store.lock()
        close(again)
    }

    @Test func passwordsAreLongAndDistinct() {
        let passwords = (0..<200).map { _ in PasswordGenerator.make(length: 24) }
        #expect(Set(passwords).count == 200)
        #expect(passwords.allSatisfy { $0.count == 24 && $0.allSatisfy { $0.isLetter || $0.isNumber } })
    }

    @Test func wordpressPasswordsKeepExistingUsersPasswords() {
        let first = SecretProvisioner.wordpressPasswords(users: ["wpadmin", "editor"], existing: nil, length: 24)
        let second = SecretProvisioner.wordpressPasswords(users: ["wpadmin", "editor", "author"], existing: first, length: 24)
        #expect(second.hasPrefix(first))
        #expect(second.split(separator: "\n").count == 3)
    }
}

@Suite struct PortCheckerTests {
    @Test func aTakenPortIsReportedWithItsOwner() throws {
        // Listen on a free port in this process, then ask the checker about it.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        #expect(listen(fd, 1) == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))

        let conflicts = PortChecker().conflicts([(port: port, purpose: "test https")], ownPorts: [])
        #expect(conflicts.count == 1)
        #expect(conflicts.first?.description.contains("port \(port) (test https) is already in use by") == true, "\(conflicts)")
        #expect(conflicts.first?.owner?.contains("pid \(getpid())") == true, "\(conflicts)")
        #expect(PortChecker().conflicts([(port: port, purpose: "ours")], ownPorts: [port]).isEmpty, "the stack's own ports are not conflicts")
    }
}
