import Foundation

/// The Docker daemon under the Swarm stack restarted through ``DockerDaemonRestarter``; a daemon started
/// here logs to `/var/log/ftservices/dockerd.log` (the temporary directory when that folder is missing).
extension SwarmRuntime: EngineRestarting {
    public var engineRestarter: (any EngineRestarting)? { self }

    public func restartEngine() async throws(CrashTestError) -> EngineRestart {
        let logFile = URL(fileURLWithPath: FileManager.default.fileExists(atPath: "/var/log/ftservices") ? "/var/log/ftservices" : NSTemporaryDirectory())
            .appendingPathComponent("dockerd.log")
        let restart = try await DockerDaemonRestarter(engine: engine, runner: runner, logFile: logFile).restart()
        return EngineRestart(stopped: restart.stopped, back: restart.back)
    }
}
