import Foundation
import Testing

/// `crashtest`'s answers to bad input and missing surroundings: each names the problem and the fix and
/// exits non-zero, before anything is crashed. DOCKER_HOST points at a socket nobody listens on, so no
/// run can reach a real engine. Needs only the built binary.
@Suite(.enabled(if: E2E.binaryPath != nil, "no ftservices binary: build it with `swift build -c release` or set FTSERVICES_BINARY"))
struct CrashtestCLITests {
    static let deadEngine = ["DOCKER_HOST": "unix:///tmp/ftservices-no-such.sock"]

    func crashtest(_ arguments: [String]) throws -> Shell.Result {
        try Shell.run([E2E.binaryPath!, "crashtest"] + arguments, environment: Self.deadEngine)
    }

    @Test func unknownServiceListsTheValidNames() throws {
        let result = try crashtest(["mysqld"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("unknown service 'mysqld'; the services are nginx, wordpress, phpmyadmin, mysql, ftps, influxdb, grafana, or all"),
                "\(result)")
    }

    @Test(arguments: [
        (["mysql", "--signal", "SIGFOO"], "--signal 'SIGFOO' is not one of KILL, TERM, INT, QUIT, HUP, ABRT, SEGV, USR1, USR2"),
        (["mysql", "--repeat", "0"], "--repeat must be between 1 and 100, not 0"),
        (["mysql", "--repeat", "101"], "--repeat must be between 1 and 100, not 101"),
        (["mysql", "--deadline", "soon"], "--deadline 'soon' is not a duration: write 60s, 2m, 1m30s or a number of seconds"),
        (["mysql", "--deadline=-5"], "--deadline '-5' is not a duration"),
        (["mysql", "--deadline", "0"], "--deadline '0' must be longer than zero"),
        (["mysql", "--mode", "redeploy", "--process", "nginx"], "--process only applies to --mode kill"),
        (["all", "--mode", "engine", "--process", "all"], "--process only applies to --mode kill"),
        (["all", "--mode", "engine", "--repeat", "2"], "--repeat is not supported with --mode engine"),
        (["mysql", "--mode", "reboot"], "'reboot'"),
        (["mysql", "--address", "300.1.1.1"], "--address '300.1.1.1' is not an IPv4 address"),
    ])
    func badOptionsAreRejectedWithUsage(arguments: [String], message: String) throws {
        let result = try crashtest(arguments)
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains(message), "\(result)")
    }

    @Test func beforeSetupItSaysToRunSetup() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)")
        let result = try crashtest(["mysql", "--state-dir", empty.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no stack state in \(empty.path): run `ftservices setup` first"), "\(result)")
    }

    /// With the state of an install but no engine answering, it says Docker is not running and how to start it.
    @Test func withoutDockerItSaysHowToStartIt() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: state) }
        for directory in ["ca", "ssh"] {
            try FileManager.default.createDirectory(at: state.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        try #"{"schema":1,"installID":"0123456789abcdef","secrets":{},"certificateAddress":"127.0.0.1"}"#
            .write(to: state.appendingPathComponent("state.json"), atomically: true, encoding: .utf8)
        try "not a real CA\n".write(to: state.appendingPathComponent("ca/ca.crt"), atomically: true, encoding: .utf8)
        try "not a real key\n".write(to: state.appendingPathComponent("ssh/id_ed25519"), atomically: true, encoding: .utf8)

        let result = try crashtest(["mysql", "--state-dir", state.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Docker is not running") && result.stderr.contains("dockerd"), "\(result)")
        #expect(result.stdout.isEmpty, "no report when nothing ran: \(result)")
    }
}
