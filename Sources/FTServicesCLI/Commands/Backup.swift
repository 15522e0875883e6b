import ArgumentParser
import FTServicesCore
import FTServicesKit
import Foundation

extension FTServicesCommand {
    /// `ftservices backup [--output FILE] [--json]`.
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the stack's data to one archive while it serves.",
            discussion: """
                The archive (a tar file) holds a consistent snapshot of every deployed service that keeps data: MariaDB's \
                application databases (mariadb-dump --single-transaction), WordPress's uploads, the FTP user's files, \
                InfluxDB's databases (portable backup) and Grafana's database, with a manifest (format version, tool \
                version, time, orchestrator, address, each part's service, size and SHA-256). It holds no secret of the \
                install: no password, key or certificate, and no MariaDB or InfluxDB user. By default it goes to \
                backups/ in the state directory under a timestamped name. It never overwrites a file.
                """
        )

        @OptionGroup var global: GlobalOptions

        @OptionGroup var deployed: DeployedOrchestrator

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the archive (must not exist).", valueName: "file"))
        var output: String?

        @Option(help: ArgumentHelp("The stack address recorded in the manifest (default: the address its certificate was issued for).", valueName: "ipv4"))
        var address: String?

        @Option(help: ArgumentHelp("Progress on standard error: auto, tty, plain or quiet.", valueName: "mode"))
        var progress: ProgressMode = .auto

        @Flag(help: "Print the result as JSON: {archive, size, seconds, manifest}.")
        var json = false

        func validate() throws {
            try AddressOption.validate(address)
            if let output, output.isEmpty || output.hasSuffix("/") {
                throw ValidationError("--output '\(output)' must name a file, such as ./site.tar")
            }
        }

        func run() async throws {
            let workspace = try Workspace.load(configPath: global.config, stateDirectory: global.stateDirectory, projectDirectory: global.projectDirectory)
            let target = try address ?? Verifier.defaultAddress(workspace: workspace)
            let maker = BackupMaker(runtime: deployed.runtime(workspace, runner: SubprocessRunner()), address: target)
            let destination = try output.map { URL(fileURLWithPath: $0) }
                ?? BackupLocation(state: workspace.state).newArchive(.backup, at: Date())
            let display = TransferDisplay(mode: json && progress == .auto ? .quiet : progress)
            let work = Task { try await maker.make(to: destination) { display.show($0) } }
            let trap = SignalTrap { _ in work.cancel() }
            defer { trap.remove() }
            let result: BackupMaker.Result
            do {
                result = try await work.value
            } catch is CancellationError {
                display.finish()
                FileHandle.standardError.write(Data("ftservices: backup interrupted; nothing was written (no \(destination.path), no partial file)\n".utf8))
                throw ExitCode(ExitStatus.interrupted)
            } catch {
                display.finish()
                throw error
            }
            display.finish()
            if json {
                print(BackupOutput(result).json)
            } else {
                print(result.summary)
            }
            if !result.notDeployed.isEmpty {
                FileHandle.standardError.write(Data("ftservices: not in the backup, as not deployed: \(result.notDeployed.map(\.rawValue).joined(separator: ", "))\n".utf8))
            }
        }
    }
}

/// `backup --json`.
struct BackupOutput: Encodable {
    var archive: String
    var size: Int64
    var seconds: Double
    var notDeployed: [String]
    var manifest: BackupManifest

    init(_ result: BackupMaker.Result) {
        archive = result.archive.path
        size = result.size
        seconds = (result.seconds * 1000).rounded() / 1000
        notDeployed = result.notDeployed.map(\.rawValue)
        manifest = result.manifest
    }

    var json: String { String(decoding: (try? JSONEncoder.stable(pretty: true).encode(self)) ?? Data(), as: UTF8.self) }
}
