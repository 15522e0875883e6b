import FTServicesCore
import Foundation

/// `restore`: puts an archive's data back into the deployed stack.
///
/// In this order, and nothing is changed before step 3: (1) the whole archive is read and checked
/// (``BackupArchiveReader``) and its parts extracted next to the backups; (2) every service it holds must be
/// deployed, running and healthy; (3) a backup of the data as it is now is taken (kept, named in every
/// message from here on); (4) each part is fed to its service's `restore` script; (5) the services that
/// must pick the data up are restarted (``BackupPart/restartAfterRestore``) and waited for until healthy.
/// From step 4 until the end, ``UnfinishedRestore`` marks the backups directory, so that a restore that did not
/// finish is never silent. Logins are never brought back from the archive: MariaDB's and InfluxDB's users are not in it, WordPress
/// resets its users' passwords from this install's secret when it restarts.
public struct Restorer: Sendable {
    public let runtime: any ServiceRuntime
    /// Takes the pre-restore backup.
    public let maker: BackupMaker
    public let location: BackupLocation
    /// Seconds a restarted service has to become healthy again.
    public var restartDeadline: Double = 300
    public var pollInterval: Duration = .milliseconds(500)

    public init(runtime: any ServiceRuntime, maker: BackupMaker, location: BackupLocation) {
        self.runtime = runtime
        self.maker = maker
        self.location = location
    }

    public enum Event: Sendable {
        case checking(read: Int64, total: Int64)
        case checked(BackupManifest)
        case preRestore(BackupMaker.Event)
        case preRestoreDone(URL)
        case restoring(BackupPart)
        case restored(BackupPart, seconds: Double)
        case restarting(ServiceName)
        case healthy(ServiceName, seconds: Double)
    }

    public struct Result: Sendable {
        public var manifest: BackupManifest
        /// The data as it was before.
        public var preRestore: URL
        public var restarted: [ServiceName]
        /// The stack's deployed services (what verify can check afterwards).
        public var deployed: Set<ServiceName>
        public var seconds: Double
    }

    /// Only checks the archive (nothing is extracted or changed).
    public static func check(_ archive: URL, report: @escaping @Sendable (Event) -> Void = { _ in }) async throws -> BackupManifest {
        do {
            return try await BackupArchiveReader(archive: archive, directory: nil) { report(.checking(read: $0, total: $1)) }.read().manifest
        } catch let error as BackupArchiveError {
            throw BackupError.invalidArchive(error)
        }
    }

    public func restore(_ archive: URL, report: @escaping @Sendable (Event) -> Void = { _ in }) async throws -> Result {
        let started = Date()
        let staging = location.directory.appendingPathComponent(".restore-\(UUID().uuidString.prefix(8).lowercased())")
        try location.prepare()
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw BackupError.cannotWrite(staging.path, (error as NSError).localizedDescription)
        }
        defer { try? FileManager.default.removeItem(at: staging) }

        let contents: BackupArchiveReader.Contents
        do {
            contents = try await BackupArchiveReader(archive: archive, directory: staging) { report(.checking(read: $0, total: $1)) }.read()
        } catch let error as BackupArchiveError {
            throw BackupError.invalidArchive(error)
        } catch is CancellationError {
            throw BackupError.interrupted(step: "checking the archive", preRestore: nil)
        }
        report(.checked(contents.manifest))
        let deployed = try await runtime.deployedServices()
        try await checkReady(contents.parts.map(\.part.service), deployed: deployed, archive: archive)

        let preRestore: URL
        do {
            let destination = try location.newArchive(.preRestore, at: Date())
            preRestore = try await maker.make(to: destination, deployed: deployed) { report(.preRestore($0)) }.archive
        } catch is CancellationError {
            throw BackupError.interrupted(step: "taking the pre-restore backup", preRestore: nil)
        }
        report(.preRestoreDone(preRestore))
        try UnfinishedRestore(archive: archive.path, preRestore: preRestore.path, startedAt: started).write(in: location)

        var done: [ServiceName] = []
        for (part, file) in contents.parts {
            guard !Task.isCancelled else {
                throw BackupError.interrupted(step: Self.step(done: done, all: contents.parts.map(\.part.service)),
                                              preRestore: done.isEmpty ? nil : preRestore.path)
            }
            report(.restoring(part))
            let clock = Date()
            // Not cancelled with the command: a restore script stopped half-way would carry on in its container
            // without its input. A signal lets the part being restored finish, then stops (a second one stops at once).
            let runtime = self.runtime
            let result: CommandResult
            do {
                result = try await Task {
                    try await runtime.stream(part.service, command: BackupPart.restoreCommand, input: file, output: nil)
                }.value
            } catch {
                throw BackupError.restoreFailed(part.service, "\(error)", preRestore: preRestore.path)
            }
            guard result.exitCode == 0 else {
                throw BackupError.restoreFailed(part.service, "its restore script exited \(result.exitCode): \(BackupMaker.lastLines(result.stderr))",
                                                preRestore: preRestore.path)
            }
            done.append(part.service)
            report(.restored(part, seconds: Date().timeIntervalSince(clock)))
        }

        let restart = ServiceName.allCases.filter { service in
            deployed.contains(service) && contents.parts.contains { $0.part.restartAfterRestore.contains(service) }
        }
        // Together: each waits for its own healthcheck (WordPress's first runs 10 s after its start).
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in restart {
                group.addTask { try await self.restart(service, preRestore: preRestore, report: report) }
            }
            try await group.waitForAll()
        }
        UnfinishedRestore.clear(in: location)
        return Result(manifest: contents.manifest, preRestore: preRestore, restarted: restart, deployed: deployed,
                      seconds: Date().timeIntervalSince(started))
    }

    /// "restoring (mysql restored; wordpress, ftps not)".
    static func step(done: [ServiceName], all: [ServiceName]) -> String {
        let left = all.filter { !done.contains($0) }.map(\.rawValue).joined(separator: ", ")
        guard !done.isEmpty else { return "about to restore \(left), none restored yet" }
        return "restoring (\(done.map(\.rawValue).joined(separator: ", ")) restored; \(left) not)"
    }

    /// Every service of the archive is deployed, runs and is healthy: otherwise nothing is changed.
    func checkReady(_ services: [ServiceName], deployed: Set<ServiceName>, archive: URL) async throws {
        let missing = services.filter { !deployed.contains($0) }
        guard missing.isEmpty else { throw BackupError.servicesMissing(missing, archive: archive.path) }
        for service in services {
            let container: RunningContainer
            do { container = try await runtime.runningContainer(service) } catch {
                throw BackupError.notReady(service, "\(error)")
            }
            guard container.health == HealthStatus.healthy.rawValue else {
                throw BackupError.notReady(service, "its \(container.label) is \(container.health ?? "of unknown health")")
            }
        }
    }

    /// Replaces the service's container (forced update, rollout restart) and waits until a new one is healthy.
    func restart(_ service: ServiceName, preRestore: URL, report: @escaping @Sendable (Event) -> Void) async throws {
        report(.restarting(service))
        let clock = Date()
        let old = try? await runtime.runningContainer(service)
        do {
            _ = try await runtime.redeploy(service)
        } catch {
            if Task.isCancelled { throw BackupError.interrupted(step: "restarting \(service.rawValue)", preRestore: preRestore.path) }
            throw BackupError.restoreFailed(service, "its restart failed: \(error)", preRestore: preRestore.path)
        }
        let deadline = clock.addingTimeInterval(restartDeadline)
        while Date() < deadline {
            if Task.isCancelled { throw BackupError.interrupted(step: "waiting for \(service.rawValue) to restart", preRestore: preRestore.path) }
            if let now = try? await runtime.runningContainer(service), now.id != old?.id, now.health == HealthStatus.healthy.rawValue {
                report(.healthy(service, seconds: Date().timeIntervalSince(clock)))
                return
            }
            try? await Task.sleep(for: pollInterval)
        }
        let why = await runtime.whyNotRunning(service).map { ": \($0)" } ?? ""
        throw BackupError.restoreFailed(service, "it was not healthy again \(Int(restartDeadline)) s after its restart\(why)", preRestore: preRestore.path)
    }
}
