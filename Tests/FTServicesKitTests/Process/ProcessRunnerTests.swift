import Foundation
import Testing
@testable import FTServicesKit

/// A failed program's error carries its command, exit status and standard error, never its standard
/// output (which may hold a secret a command printed).
@Suite struct ProcessRunnerTests {
    func failure(_ script: String) async -> ProcessError? {
        do {
            _ = try await SubprocessRunner().run(["sh", "-c", script], input: nil, environment: [:], logFile: nil)
            return nil
        } catch {
            return error
        }
    }

    @Test func aFailureWithoutErrorOutputLeavesStandardOutputOut() async throws {
        // The script spells the value in two parts, so only its output (not the command) holds "S3cret".
        let error = try #require(await failure("v=S3; echo password=${v}cret-value; exit 3"))
        let text = "\(error)"
        #expect(!text.contains("S3cret"), "\(text)")
        #expect(error.standardError.isEmpty)
        #expect(text.contains("exit status 3") && text.contains("no error output"), "\(text)")
    }

    @Test func aFailureWithErrorOutputCarriesOnlyThat() async throws {
        let error = try #require(await failure("t=tok; echo ${t}en=value; echo 'it broke' >&2; exit 4"))
        let text = "\(error)"
        #expect(!text.contains("token="), "\(text)")
        #expect(text.contains("exit status 4") && text.contains("it broke"), "\(text)")
    }
}
