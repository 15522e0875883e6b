import Foundation
import Testing
import FTServicesTestSupport
@testable import FTServicesKit

/// `crashtest --mode engine` starts dockerd with its output appended to a log file: the state directory's
/// log directory, else a file made new (O_EXCL, 0600), never a predictable name in a shared directory.
@Suite struct EngineLogFileTests {
    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }

    @Test func theStateDirectorysLogDirectoryHoldsTheLog() throws {
        let logs = try TestFiles.directory().appendingPathComponent("logs")
        defer { try? FileManager.default.removeItem(at: logs.deletingLastPathComponent()) }
        let file = try SwarmRuntime.daemonLogFile(logDirectory: logs, systemLogDirectory: "/nonexistent/ftservices")
        #expect(file == logs.appendingPathComponent("dockerd.log"))
        #expect(Self.mode(file.path) == 0o600)
    }

    @Test func withoutOneTheLogIsANewPrivateFile() throws {
        let first = try SwarmRuntime.daemonLogFile(logDirectory: nil, systemLogDirectory: "/nonexistent/ftservices")
        let second = try SwarmRuntime.daemonLogFile(logDirectory: nil, systemLogDirectory: "/nonexistent/ftservices")
        defer { for file in [first, second] { try? FileManager.default.removeItem(at: file) } }
        let predictable = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dockerd.log").standardizedFileURL
        #expect(first.standardizedFileURL != predictable && first != second, "\(first) \(second)")
        #expect(Self.mode(first.path) == 0o600)
    }
}
