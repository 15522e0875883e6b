import FTServicesCore
import Foundation
import Testing
import FTServicesTestSupport
@testable import FTServicesKit

/// `restore` through the orchestrator seam, on Kubernetes (a scripted kubectl, as the rest of the Kubernetes
/// path): the order of its steps, a Swarm archive onto a Kubernetes install, and every refusal that must
/// leave the stack untouched.
@Suite struct RestorerTests {
    static let archived: [ServiceName: String] = [
        .mysql: "CREATE DATABASE wordpress; -- archived\n", .wordpress: "archived uploads", .ftps: "archived files", .influxdb: "archived points",
    ]
    static let live: [ServiceName: String] = [
        .mysql: "-- live databases\n", .wordpress: "live uploads", .ftps: "live files", .influxdb: "live points",
    ]

    /// An archive written on Swarm (its manifest says so), through the same writer `backup` uses.
    static func swarmArchive(in directory: URL, data: [ServiceName: String] = archived, name: String = "from-swarm.tar") async throws -> URL {
        let destination = directory.appendingPathComponent(name)
        let writer = try BackupArchiveWriter(destination: destination, toolVersion: Stack.toolVersion, date: Date())
        for part in BackupPart.all {
            guard let text = data[part.service] else { continue }
            _ = try await writer.append(part, data: Data(text.utf8))
        }
        try writer.finish(BackupManifest(toolVersion: Stack.toolVersion, createdAt: Date(), orchestrator: .swarm,
                                         address: "10.0.0.5", parts: writer.parts))
        return destination
    }

    static func restorer(_ kubectl: BackupKubectl, backups: URL) -> Restorer {
        let runtime = KubernetesRuntime(runner: kubectl)
        var restorer = Restorer(runtime: runtime, maker: BackupMaker(runtime: runtime, address: "127.0.0.1"),
                                location: BackupLocation(directory: backups))
        restorer.pollInterval = .milliseconds(1)
        restorer.restartDeadline = 5
        return restorer
    }

    @Test func aSwarmArchiveRestoresOntoKubernetesAfterAPreRestoreBackup() async throws {
        let directory = try TestFiles.directory()
        let archive = try await Self.swarmArchive(in: directory)
        let kubectl = BackupKubectl(data: Self.live)
        let backups = directory.appendingPathComponent("backups")
        let result = try await Self.restorer(kubectl, backups: backups).restore(archive)

        #expect(kubectl.steps.prefix(8) == ["backup mysql", "backup wordpress", "backup ftps", "backup influxdb",
                                            "restore mysql", "restore wordpress", "restore ftps", "restore influxdb"])
        #expect(Set(kubectl.steps.dropFirst(8)) == ["restart wordpress", "restart influxdb"] && kubectl.steps.count == 10,
                "the two restarts, together, after every part: \(kubectl.steps)")
        #expect(kubectl.restored.map(\.0) == [.mysql, .wordpress, .ftps, .influxdb])
        for (service, text) in kubectl.restored { #expect(text == Self.archived[service], "\(service) gets the archive's bytes on stdin") }
        let restoreCall = try #require(kubectl.calls.first { $0.last == BackupPart.restoreCommand.last })
        #expect(restoreCall == ["kubectl", "exec", "--namespace", "ftservices", "mysql-1", "--stdin", "--container", "mysql", "--",
                                "/usr/local/lib/ftservices/restore"])
        #expect(result.restarted == [.wordpress, .influxdb])
        #expect(result.manifest.orchestrator == "swarm")

        // The pre-restore backup holds the live data, and is itself a whole archive.
        #expect(result.preRestore.lastPathComponent.hasPrefix("ftservices-pre-restore-"))
        let kept = try await Restorer.check(result.preRestore)
        #expect(kept.orchestrator == "kubernetes" && kept.parts.map(\.service) == ["mysql", "wordpress", "ftps", "influxdb"])
        #expect(try TestFiles.output(["tar", "-xOf", result.preRestore.path, "wordpress/uploads.tar"]) == "live uploads")
        #expect(try FileManager.default.contentsOfDirectory(atPath: backups.path) == [result.preRestore.lastPathComponent],
                "the extracted parts are removed, and no unfinished-restore mark is left")
        #expect(try FileManager.default.attributesOfItem(atPath: backups.path)[.posixPermissions] as? Int == 0o700)
    }

    @Test func refusalsChangeNothing() async throws {
        let directory = try TestFiles.directory()
        let backups = directory.appendingPathComponent("backups")

        // A service of the archive is not deployed.
        let withGrafana = try await Self.swarmArchive(in: directory, data: Self.archived.merging([.grafana: "grafana.db"]) { a, _ in a },
                                                      name: "with-grafana.tar")
        let kubectl = BackupKubectl(data: Self.live)
        await #expect(throws: BackupError.servicesMissing([.grafana], archive: withGrafana.path)) {
            _ = try await Self.restorer(kubectl, backups: backups).restore(withGrafana)
        }
        #expect(kubectl.steps.isEmpty, "no backup, no restore, no restart")

        // A service is not healthy.
        let archive = try await Self.swarmArchive(in: directory)
        let unready = BackupKubectl(data: Self.live)
        unready.notReady = [.influxdb]
        await #expect {
            _ = try await Self.restorer(unready, backups: backups).restore(archive)
        } throws: { "\($0)".hasPrefix("influxdb is not ready to restore into: its container influxdb of pod influxdb-1") }
        #expect(unready.steps.isEmpty)

        // A corrupt archive: refused before the orchestrator is asked anything.
        var bytes = try Data(contentsOf: archive)
        bytes[bytes.count / 2] ^= 0x01
        let corrupt = directory.appendingPathComponent("corrupt.tar")
        try bytes.write(to: corrupt)
        let untouched = BackupKubectl(data: Self.live)
        await #expect {
            _ = try await Self.restorer(untouched, backups: backups).restore(corrupt)
        } throws: { "\($0)".contains("is corrupt") && "\($0)".hasSuffix("Nothing was changed.") }
        #expect(untouched.calls.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: backups.path).isEmpty)

        // The pre-restore backup cannot be taken: nothing is restored.
        let failing = BackupKubectl(data: Self.live)
        failing.failing = [.ftps]
        await #expect { _ = try await Self.restorer(failing, backups: backups).restore(archive) } throws: { "\($0)".hasPrefix("the backup of ftps failed") }
        #expect(!failing.steps.contains { $0.hasPrefix("restore") })
    }

    @Test func aFailingRestoreNamesThePreRestoreBackup() async throws {
        let directory = try TestFiles.directory()
        let archive = try await Self.swarmArchive(in: directory)
        let kubectl = BackupKubectl(data: Self.live)
        kubectl.failingRestores = [.wordpress]
        let restorer = Self.restorer(kubectl, backups: directory.appendingPathComponent("backups"))
        do {
            _ = try await restorer.restore(archive)
            Issue.record("the restore succeeded")
        } catch let BackupError.restoreFailed(service, detail, preRestore) {
            #expect(service == .wordpress && detail.contains("its restore script exited 1: wordpress: disk full"))
            #expect(FileManager.default.fileExists(atPath: preRestore))
            #expect(kubectl.steps.suffix(2) == ["restore mysql", "restore wordpress"], "stops at the failure: no further restore, no restart")
            #expect("\(BackupError.restoreFailed(service, detail, preRestore: preRestore))".contains("`ftservices restore \(preRestore)` puts it back"))
            // The mark stays until a restore ends well, so status and the next restore say so.
            let mark = try #require(UnfinishedRestore.read(in: restorer.location))
            #expect(mark.preRestore == preRestore && mark.archive == archive.path)
            #expect(mark.warning.contains("did not finish") && mark.warning.contains("`ftservices restore \(preRestore)`"))
            kubectl.failingRestores = []
            _ = try await restorer.restore(archive)
            #expect(UnfinishedRestore.read(in: restorer.location) == nil)
        }
    }
}
