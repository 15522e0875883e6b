#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A helper server on 127.0.0.1: a small Python script a test writes, starts and stops. The script
/// prints the port it listens on as its first line.
public final class PythonServer: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let directory: URL

    /// Writes `script` to a temporary file, runs `python3 SCRIPT ARGUMENTS...` and reads the port it prints.
    public init(script: String, arguments: [String], name: String) throws {
        directory = try TestFiles.directory()
        let scriptURL = directory.appendingPathComponent("server.py")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptURL.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        self.process = process
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty { break }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TestFailure("helper server '\(name)' did not print its port")
        }
        self.port = port
    }

    deinit { stop() }

    /// Stops the server and removes its files. SIGKILL: the test runner's blocked-signal mask is
    /// inherited by children, so SIGTERM may never arrive.
    public func stop() {
        try? FileManager.default.removeItem(at: directory)
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// A TCP port on 127.0.0.1 that nothing listens on (bound by a child process, then released).
    public static func closedPort() throws -> Int {
        let text = try TestFiles.output(["python3", "-c", "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"])
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw TestFailure("no free port") }
        return port
    }
}
