import FTServicesCore
import Foundation
import Testing
import FTServicesTestSupport
@testable import FTServicesKit

/// `--state-dir` (or the config's `stateDirectory`) names a directory the tool takes over: it changes the
/// mode only of a directory it created or one that already holds ftservices state, and refuses shared,
/// system and checkout directories instead of changing them.
@Suite struct StateDirectoryTests {
    static func mode(_ url: URL) throws -> Int {
        try #require((try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue)
    }

    /// A directory like /tmp (world-writable, sticky) keeps its mode and is refused with the fix.
    @Test(arguments: [0o1777, 0o777])
    func aSharedDirectoryIsRefusedAndLeftAsItIs(mode: Int) throws {
        let shared = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: shared) }
        chmod(shared.path, mode_t(mode))
        #expect {
            try StateStore(directory: shared).prepare()
        } throws: { error in
            let text = "\(error)"
            return error is StateError && text.contains(shared.path) && text.contains("--state-dir") && text.contains("stateDirectory")
        }
        #expect(try Self.mode(shared) == mode, "the refused directory keeps its mode")
        #expect(try FileManager.default.contentsOfDirectory(atPath: shared.path).isEmpty, "nothing is written into it")
    }

    /// A directory of the user's that holds no ftservices state is used but its mode is not changed.
    @Test func anExistingDirectoryWithoutStateKeepsItsMode() throws {
        let existing = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: existing) }
        chmod(existing.path, 0o755)
        let store = StateStore(directory: existing)
        try store.prepare()
        #expect(try Self.mode(existing) == 0o755)
        #expect(try Self.mode(store.logDirectory) == 0o700, "what the tool creates inside is private")
    }

    /// A directory that already holds state.json is the tool's own: it is made private again.
    @Test func anExistingStateDirectoryIsMadePrivate() throws {
        let existing = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: existing) }
        try Data("{}".utf8).write(to: existing.appendingPathComponent("state.json"))
        chmod(existing.path, 0o750)
        try StateStore(directory: existing).prepare()
        #expect(try Self.mode(existing) == 0o700)
    }

    /// System directories are refused by name, before anything touches them.
    @Test(arguments: ["/", "/tmp", "/var/tmp", "/etc", "/usr", "/var", "/home", "/root", "/dev/shm", "/var/lib", "/var/log"])
    func systemDirectoriesAreRefused(path: String) {
        let reason = StateStore.unsuitableReason(URL(fileURLWithPath: path), home: "/home/someone")
        #expect(reason != nil, "\(path)")
        #expect(StateStore.unsuitableReason(URL(fileURLWithPath: "/home/someone"), home: "/home/someone") != nil, "the home directory itself")
        #expect(StateStore.unsuitableReason(URL(fileURLWithPath: "/var/lib/ftservices"), home: "/home/someone") == nil)
    }

    /// `render` removes what it did not render under srcs/: a state directory inside the checkout is refused.
    @Test(arguments: ["state", "srcs/state", "srcs"])
    func aStateDirectoryInsideTheCheckoutIsRefused(relative: String) throws {
        let checkout = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: checkout) }
        try FileManager.default.createDirectory(at: checkout.appendingPathComponent("templates/runtime"), withIntermediateDirectories: true)
        let state = checkout.appendingPathComponent(relative)
        #expect {
            _ = try Workspace.load(configPath: nil, stateDirectory: state.path, projectDirectory: checkout.path)
        } throws: { error in
            let text = "\(error)"
            return text.contains(state.standardizedFileURL.path) && text.contains("checkout") && text.contains("--state-dir")
        }
        let outside = try TestFiles.directory()
        defer { try? FileManager.default.removeItem(at: outside) }
        _ = try Workspace.load(configPath: nil, stateDirectory: outside.appendingPathComponent("state").path, projectDirectory: checkout.path)
    }
}
