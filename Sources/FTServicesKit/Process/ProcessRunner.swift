import Foundation
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// What a finished external program printed.
public struct ProcessOutput: Sendable, Equatable {
    public var standardOutput: String
    public var standardError: String

    public init(standardOutput: String, standardError: String) {
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

/// The one door to external programs (docker, mmdebstrap, openssl, ssh-keygen).
///
/// Takes an argv array, never a shell string. A non-zero exit is an error carrying the command, its exit
/// status and what it printed on stderr (or the tail of its log file), never its standard output. Secrets go through `input`, never argv.
public protocol ProcessRunning: Sendable {
    /// Runs `arguments[0]` (looked up in PATH) with the rest as its arguments.
    /// - Parameters:
    ///   - input: bytes written to the program's standard input.
    ///   - environment: variables added to the inherited environment.
    ///   - logFile: when set, standard output and error are appended to this file instead of captured.
    func run(
        _ arguments: [String],
        input: Data?,
        environment: [String: String],
        logFile: URL?
    ) async throws(ProcessError) -> ProcessOutput

    /// Runs a program on data too big or too binary for `run`: its standard input is the file `input` (none
    /// when nil) and its standard output goes to `output` at the descriptor's offset (captured when nil).
    /// A non-zero exit is a result, not an error; throws only when the program cannot be started.
    func stream(_ arguments: [String], input: URL?, output: FileDescriptor?) async throws(ProcessError) -> CommandResult
}

extension ProcessRunning {
    /// Runs a program and returns its standard output, trimmed of surrounding white space.
    public func output(_ arguments: [String], input: Data? = nil, environment: [String: String] = [:]) async throws(ProcessError) -> String {
        try await run(arguments, input: input, environment: environment, logFile: nil)
            .standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a program for its effect.
    public func run(_ arguments: [String], input: Data? = nil, environment: [String: String] = [:], logFile: URL? = nil) async throws(ProcessError) {
        _ = try await run(arguments, input: input, environment: environment, logFile: logFile) as ProcessOutput
    }
}

extension ProcessRunning {
    /// For stand-ins that only script `run`: the input file is read whole and the output written as text.
    public func stream(_ arguments: [String], input: URL?, output: FileDescriptor?) async throws(ProcessError) -> CommandResult {
        let data = input.flatMap { FileManager.default.contents(atPath: $0.path) }
        do {
            let result = try await run(arguments, input: data, environment: [:], logFile: nil)
            if let output { _ = try? output.writeAll(Array(result.standardOutput.utf8)) }
            return CommandResult(exitCode: 0, stdout: output == nil ? result.standardOutput : "", stderr: result.standardError)
        } catch {
            guard case .failed(_, let status, let standardError, _) = error else { throw error }
            return CommandResult(exitCode: Int(status.split(separator: " ").last ?? "") ?? 1, stdout: "", stderr: standardError)
        }
    }
}

/// Runs programs with swift-subprocess.
public struct SubprocessRunner: ProcessRunning {
    public init() {}

    public func run(
        _ arguments: [String],
        input: Data?,
        environment: [String: String],
        logFile: URL?
    ) async throws(ProcessError) -> ProcessOutput {
        guard let program = arguments.first else { return ProcessOutput(standardOutput: "", standardError: "") }
        guard let path = Self.lookUp(program) else { throw ProcessError.notFound(program: program) }
        var env: [Environment.Key: String?] = [:]
        for (key, value) in environment { env[Environment.Key(stringLiteral: key)] = value }
        // A cancelled task (setup interrupted) stops its program: SIGTERM, then SIGKILL after 0.7 s.
        var options = PlatformOptions()
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .milliseconds(700))]
        let configuration = Configuration(
            executable: .path(FilePath(path)),
            arguments: Arguments(Array(arguments.dropFirst())),
            environment: .inherit.updating(env),
            platformOptions: options
        )
        let inputBytes = input.map { Array($0) } ?? []
        do {
            if let logFile {
                let fd = try Self.openForAppend(logFile)
                let result = try await Subprocess.run(
                    configuration,
                    input: .array(inputBytes),
                    output: .fileDescriptor(fd, closeAfterSpawningProcess: false),
                    error: .combinedWithOutput
                )
                try? fd.close()
                guard result.terminationStatus.isSuccess else {
                    throw ProcessError.failed(
                        command: arguments, status: Self.describe(result.terminationStatus),
                        standardError: Self.tail(of: logFile, lines: 15), logFile: logFile
                    )
                }
                return ProcessOutput(standardOutput: "", standardError: "")
            }
            let result = try await Subprocess.run(
                configuration,
                input: .array(inputBytes),
                output: .string(limit: 64 << 20),
                error: .string(limit: 4 << 20)
            )
            let stdout = result.standardOutput
            let stderr = result.standardError
            guard result.terminationStatus.isSuccess else {
                throw ProcessError.failed(
                    command: arguments, status: Self.describe(result.terminationStatus),
                    standardError: stderr, logFile: nil  // never stdout: it may hold a secret
                )
            }
            return ProcessOutput(standardOutput: stdout, standardError: stderr)
        } catch let error as ProcessError {
            throw error
        } catch {
            throw ProcessError.couldNotStart(command: arguments, reason: "\(error)")
        }
    }

    public func stream(_ arguments: [String], input: URL?, output: FileDescriptor?) async throws(ProcessError) -> CommandResult {
        guard let program = arguments.first, let path = Self.lookUp(program) else {
            throw ProcessError.notFound(program: arguments.first ?? "")
        }
        var options = PlatformOptions()
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .milliseconds(700))]
        let configuration = Configuration(executable: .path(FilePath(path)), arguments: Arguments(Array(arguments.dropFirst())),
                                          platformOptions: options)
        do {
            // No input is /dev/null, as swift-subprocess's own `.none`: one descriptor type either way.
            let inputDescriptor = try FileDescriptor.open(FilePath(input?.path ?? "/dev/null"), .readOnly)
            defer { try? inputDescriptor.close() }
            let stdin: FileDescriptorInput = .fileDescriptor(inputDescriptor, closeAfterSpawningProcess: false)
            let status: TerminationStatus
            let stdout: String
            let stderr: String
            if let output {
                let result = try await Subprocess.run(configuration, input: stdin,
                                                      output: .fileDescriptor(output, closeAfterSpawningProcess: false), error: .string(limit: 1 << 20))
                (status, stdout, stderr) = (result.terminationStatus, "", result.standardError)
            } else {
                let result = try await Subprocess.run(configuration, input: stdin, output: .string(limit: 4 << 20), error: .string(limit: 1 << 20))
                (status, stdout, stderr) = (result.terminationStatus, result.standardOutput, result.standardError)
            }
            let code: Int
            switch status {
            case .exited(let value): code = Int(value)
            case .signaled(let signal): code = 128 + Int(signal)
            }
            return CommandResult(exitCode: code, stdout: stdout, stderr: stderr)
        } catch {
            throw ProcessError.couldNotStart(command: arguments, reason: "\(error)")
        }
    }

    /// Runs a program attached to this process's standard output and error (`logs -f`); returns its exit status.
    public func passthrough(_ arguments: [String]) async throws(ProcessError) -> Int32 {
        guard let program = arguments.first, let path = Self.lookUp(program) else {
            throw ProcessError.notFound(program: arguments.first ?? "")
        }
        do {
            let result = try await Subprocess.run(
                .path(FilePath(path)), arguments: Arguments(Array(arguments.dropFirst())),
                output: .currentStandardOutput, error: .currentStandardError
            )
            if case .exited(let code) = result.terminationStatus { return code }
            return 1
        } catch {
            throw ProcessError.couldNotStart(command: arguments, reason: "\(error)")
        }
    }

    /// The absolute path of `program`, searched in PATH unless it contains a slash.
    public static func lookUp(_ program: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func openForAppend(_ url: URL) throws -> FileDescriptor {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        return try FileDescriptor.open(
            FilePath(url.path), .writeOnly, options: [.create, .append],
            permissions: [.ownerReadWrite, .groupRead]
        )
    }

    static func describe(_ status: TerminationStatus) -> String {
        switch status {
        case .exited(let code): return "exit status \(code)"
        case .signaled(let signal): return "killed by signal \(signal)"
        }
    }

    /// The last `lines` lines of a text file, for error messages.
    public static func tail(of url: URL, lines: Int) -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else { return "" }
        let text = String(decoding: data.suffix(64 << 10), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
