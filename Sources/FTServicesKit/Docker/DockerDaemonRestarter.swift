import Foundation

/// Restarts the local Docker daemon for `crashtest --mode engine`: through systemd when systemd runs it,
/// otherwise by stopping the `dockerd` process with SIGTERM and starting it again with the same command
/// line, detached, its output appended to a log file (how `./setup.sh` starts it on machines without systemd).
public struct DockerDaemonRestarter: Sendable {
    let engine: any ContainerEngineAPI
    let runner: any ProcessRunning
    /// Where a daemon started here writes its output.
    let logFile: URL

    public init(engine: any ContainerEngineAPI, runner: any ProcessRunning, logFile: URL) {
        self.engine = engine
        self.runner = runner
        self.logFile = logFile
    }

    /// When the daemon was seen gone (`nil` under systemd, which restarts it in one step) and when it
    /// answered again.
    public struct Restart: Sendable {
        public var stopped: Date?
        public var back: Date
    }

    public func restart(timeout: TimeInterval = 90) async throws(CrashTestError) -> Restart {
        if let host = ProcessInfo.processInfo.environment["DOCKER_HOST"], !host.isEmpty, !host.hasPrefix("unix://") {
            throw .engineRestart("DOCKER_HOST is \(host): only a local engine can be restarted from here")
        }
        guard getuid() == 0 else { throw .engineRestart("restarting the Docker daemon needs root: run as root (sudo)") }
        var stopped: Date?
        if FileManager.default.fileExists(atPath: "/run/systemd/system"),
           (try? await runner.run(["systemctl", "is-active", "--quiet", "docker"])) != nil {
            do { try await runner.run(["systemctl", "restart", "docker"]) } catch {
                throw .engineRestart("systemctl restart docker: \(error)")
            }
        } else {
            guard let (pid, command) = Self.daemon() else {
                throw .engineRestart("no dockerd process found (is the engine remote, or in another PID namespace?)")
            }
            guard kill(pid, SIGTERM) == 0 else { throw .engineRestart("kill -TERM \(pid): \(String(cString: strerror(errno)))") }
            let deadline = Date().addingTimeInterval(timeout)
            while kill(pid, 0) == 0 || errno != ESRCH {
                guard Date() < deadline else { throw .engineRestart("dockerd (pid \(pid)) did not stop within \(Int(timeout)) s") }
                try? await Task.sleep(for: .milliseconds(50))
            }
            stopped = Date()
            let script = #"log=$1; shift; setsid nohup "$@" >>"$log" 2>&1 </dev/null &"#
            do { try await runner.run(["sh", "-c", script, "sh", logFile.path] + command) } catch {
                throw .engineRestart("starting \(command.joined(separator: " ")) again: \(error)")
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? await engine.ping()) != nil { return Restart(stopped: stopped, back: Date()) }
            try? await Task.sleep(for: .milliseconds(100))
        }
        throw .engineRestart("the daemon did not answer within \(Int(timeout)) s after the restart; see \(logFile.path)")
    }

    /// The running dockerd's PID and command line, from /proc.
    static func daemon() -> (Int32, [String])? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for entry in entries {
            guard let pid = Int32(entry),
                  let comm = try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8),
                  comm.trimmingCharacters(in: .whitespacesAndNewlines) == "dockerd",
                  let raw = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            let arguments = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if !arguments.isEmpty { return (pid, arguments) }
        }
        return nil
    }
}
