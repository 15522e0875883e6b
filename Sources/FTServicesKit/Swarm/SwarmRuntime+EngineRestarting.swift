import Foundation

/// The Docker daemon under the Swarm stack restarted through ``DockerDaemonRestarter``; a daemon started
/// here logs to `dockerd.log` in the state directory's log directory (`/var/log/ftservices/dockerd.log`, or
/// a new private file in the temporary directory, when the runtime was made without one).
extension SwarmRuntime: EngineRestarting {
    public var engineRestarter: (any EngineRestarting)? { self }

    public func restartEngine() async throws(CrashTestError) -> EngineRestart {
        let logFile = try Self.daemonLogFile(logDirectory: logDirectory)
        let restart = try await DockerDaemonRestarter(engine: engine, runner: runner, logFile: logFile).restart()
        return EngineRestart(stopped: restart.stopped, back: restart.back)
    }

    /// The file a restarted dockerd appends to, opened once here (created 0600, symlinks not followed):
    /// `logDirectory/dockerd.log`; without a log directory `systemLogDirectory/dockerd.log` when that root-owned
    /// folder exists, else a file made new with `mkstemp` (never a predictable name in a shared directory).
    static func daemonLogFile(logDirectory: URL?, systemLogDirectory: String = "/var/log/ftservices") throws(CrashTestError) -> URL {
        let directory = logDirectory?.path ?? (FileManager.default.fileExists(atPath: systemLogDirectory) ? systemLogDirectory : nil)
        guard let directory else {
            var template = Array(URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ftservices-dockerd-XXXXXX").path.utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else { throw .engineRestart("cannot create a log file for dockerd in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))") }
            close(fd)
            return URL(fileURLWithPath: String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        if logDirectory != nil {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw .engineRestart("cannot create the log directory \(directory): \(error.localizedDescription)")
            }
        }
        let file = URL(fileURLWithPath: directory).appendingPathComponent("dockerd.log")
        let fd = open(file.path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .engineRestart("cannot open \(file.path) for dockerd's log: \(String(cString: strerror(errno)))") }
        close(fd)
        return file
    }
}
