import Foundation
import Testing

/// End-to-end on the real engine: canaries in every store (a MariaDB row, WordPress uploads, an FTP file, an
/// InfluxDB point) and a writer committing two-row transactions for the whole length of a backup; four bad
/// archives refused, each with its own message, the live data unchanged; `down --volumes`, a new install with
/// other secrets, `restore`: every canary back, whole transactions only, verify passes, every login that
/// `credentials` prints works; then `restore` stopped by SIGTERM and by SIGINT: either nothing changed or the
/// pre-restore backup it names brings the data back.
@Suite(.serialized, .enabled(if: E2E.requested, E2E.notRequested))
struct BackupLiveTests {
    let address = "127.0.0.1"
    static let uploads = "/var/lib/wordpress/wp-content/uploads"

    @Test("backup while a writer commits, refuse bad archives, restore onto a new install with other secrets, survive an interrupted restore")
    func backupAndRestore() throws {
        try E2E.withFreshStack(address: address) { stack in
            let tool = stack.tool
            let first = try Credentials(json: try tool.run(["credentials", "--json"]).stdout)
            let ftp = try #require(first.first(service: "ftps"))
            let curl = Curl(caFile: stack.state.appendingPathComponent("ca/ca.crt").path)
            let canary = "backup-canary-\(UUID().uuidString.prefix(8).lowercased())"

            // 1. Canaries, as users write them.
            _ = try Docker.exec(service: "mysql", ["mariadb", "-e", """
                CREATE DATABASE backuptest; CREATE TABLE backuptest.canary (v VARCHAR(64)) ENGINE=InnoDB;
                INSERT INTO backuptest.canary VALUES ('\(canary)');
                CREATE TABLE backuptest.load_a (txn INT PRIMARY KEY) ENGINE=InnoDB;
                CREATE TABLE backuptest.load_b (txn INT PRIMARY KEY) ENGINE=InnoDB;
                """])
            let upload = try Docker.run(service: "wordpress", ["sh", "-c", """
                set -e; mkdir -p "$1/2026/12"; printf %s "$2" > "$1/2026/12/canary.txt"; printf %s "$2" > "$1/.hidden-canary"
                head -c 3000000 /dev/urandom > "$1/2026/12/photo.bin"; chown -R www-data:www-data "$1/2026"
                sha256sum "$1/2026/12/photo.bin"
                """, "sh", Self.uploads, canary])
            #expect(upload.status == 0, "\(upload)")
            let photoHash = String(upload.stdout.prefix(64))
            #expect(try curl.ftpsUpload(address: address, user: ftp.user, password: ftp.password ?? "", name: "canary.txt", contents: canary).status == 0)
            #expect(try Docker.influx("/write?db=ftservices", ["--data-binary", "backup_canary,run=\(canary) value=1"]).status == 0)

            // 2. A backup while a writer commits two-row transactions into MariaDB and points into InfluxDB.
            let writers = [
                try ContainerLoop(service: "mysql", body: """
                    mariadb -e "START TRANSACTION; INSERT INTO backuptest.load_a VALUES ($i); INSERT INTO backuptest.load_b VALUES ($i); COMMIT;" || exit 1
                    """),
                try ContainerLoop(service: "influxdb", body: """
                    printf 'user = "admin:%s"\\n' "$(cat /run/secrets/influxdb_admin_password)" \\
                        | curl -sS -f -m 5 -K - --data-binary "backup_load value=$i" "http://127.0.0.1:8086/write?db=ftservices" || exit 1
                    """),
            ]
            E2E.wait(for: "the writer's first transactions", within: 30, { try Self.loadRows() }) { $0 >= 20 }
            let rowsBefore = try Self.loadRows()
            let backup = try tool.run(["backup", "--progress", "plain"])
            let rowsAfter = try Self.loadRows()
            #expect(writers.map { $0.stop() } == [0, 0], "the writers ran without an error until stopped")
            #expect(backup.status == 0, "\(backup)")
            #expect(rowsAfter > rowsBefore, "the writer committed during the backup (\(rowsBefore) → \(rowsAfter) rows)")
            for service in ["mysql", "wordpress", "ftps", "influxdb"] { #expect(backup.stdout.contains("\(service) "), "\(backup.stdout)") }
            let archive = try #require(Self.archivePath(in: backup.stdout), "\(backup.stdout)")
            #expect(archive.hasPrefix(stack.state.path + "/backups/ftservices-backup-"))
            #expect(backup.stderr.contains("mysql: "), "progress names each part: \(backup.stderr)")
            let archiveBytes = try Data(contentsOf: URL(fileURLWithPath: archive))
            for (key, value) in try E2E.generatedSecrets(stateDirectory: stack.state) where value.count >= 8 {
                #expect(archiveBytes.range(of: Data(value.utf8)) == nil, "the archive holds secret \(key)")
            }
            #expect(try tool.run(["restore", "--check-only", archive]).status == 0)

            // 3. Bad archives: each refused with its own message; the live data and the backups stay as they are.
            let work = try E2E.temporaryStateDirectory()
            defer { try? FileManager.default.removeItem(at: work) }
            let live = try Self.fingerprint()
            let backupsBefore = try Self.backups(stack.state)
            var flipped = archiveBytes
            flipped[flipped.count / 2] ^= 0x01
            let truncated = archiveBytes.prefix(archiveBytes.count * 2 / 3)
            let format = work.appendingPathComponent("format.json")
            try Data(#"{"format":"ftservices-backup","formatVersion":2,"toolVersion":"9.9.9"}"#.utf8).write(to: format)
            _ = try Shell.run(["tar", "-cf", work.appendingPathComponent("newer.tar").path, "-C", work.path, "format.json"])
            let bad: [(name: String, data: Data?, message: String)] = [
                ("flipped.tar", flipped, "is corrupt: "),
                ("truncated.tar", Data(truncated), "is truncated: it ends at byte \(truncated.count)"),
                ("newer.tar", nil, "is an ftservices backup of format version 2 (written by ftservices 9.9.9)"),
                ("notes.txt", Data(String(repeating: "not an archive\n", count: 64).utf8), "is not an ftservices backup: its first 512 bytes are not a tar header"),
            ]
            for (name, data, message) in bad {
                let file = work.appendingPathComponent(name)
                if let data { try data.write(to: file) }
                let refused = try tool.run(["restore", file.path, "--progress", "plain"])
                #expect(refused.status == 1 && refused.stderr.contains(message) && refused.stderr.contains("Nothing was changed."),
                        "\(name): \(refused)")
            }
            #expect(try Self.fingerprint() == live, "a refused archive changes no data")
            #expect(try Self.backups(stack.state) == backupsBefore, "a refused archive takes no pre-restore backup")

            // 4. down --volumes (with its last backup), a new install with new secrets, restore.
            #expect(try tool.run(["down", "--volumes", "--progress", "plain"]).status == 0)
            E2E.wait(for: "down --volumes to remove every volume", within: 60, { try Docker.volumes() }) { !$0.contains { $0.hasPrefix("ftservices_") } }
            let state2 = try E2E.temporaryStateDirectory()
            defer { try? FileManager.default.removeItem(at: state2) }
            let tool2 = E2E.Tool(stateDirectory: state2)
            defer { _ = try? tool2.run(["down", "--volumes", "--no-backup"]) }
            let setup2 = try tool2.run(["setup", "--address", address, "--progress", "plain"])
            try #require(setup2.status == 0 || setup2.status == 3, "\(setup2)")
            let (secrets1, secrets2) = (try E2E.generatedSecrets(stateDirectory: stack.state), try E2E.generatedSecrets(stateDirectory: state2))
            #expect(secrets1["mysql_root_password"] != secrets2["mysql_root_password"] && secrets1["ftp_password"] != secrets2["ftp_password"])
            #expect(try Docker.run(service: "mysql", ["mariadb", "-e", "SELECT 1 FROM backuptest.canary"]).status != 0, "a fresh install")

            let restore = try tool2.run(["restore", archive, "--progress", "plain"])
            #expect(restore.status == 0, "\(restore)")
            #expect(restore.stdout.contains("not checked, as not deployed: grafana") == (setup2.status == 3), "\(restore.stdout)")
            #expect(restore.stdout.contains("restored mysql, wordpress, ftps, influxdb from \(archive)"), "\(restore.stdout)")
            #expect(restore.stdout.contains("the data as it was before is in \(state2.path)/backups/ftservices-pre-restore-"))
            #expect(restore.stderr.contains("wordpress restarted and healthy") && restore.stderr.contains("influxdb restarted and healthy"))

            // Every canary is back, byte for byte.
            #expect(try Docker.exec(service: "mysql", ["mariadb", "-N", "-B", "-e", "SELECT v FROM backuptest.canary"]) == canary)
            #expect(try Docker.exec(service: "wordpress", ["cat", "\(Self.uploads)/2026/12/canary.txt"]) == canary)
            #expect(try Docker.exec(service: "wordpress", ["cat", "\(Self.uploads)/.hidden-canary"]) == canary)
            #expect(try Docker.exec(service: "wordpress", ["sha256sum", "\(Self.uploads)/2026/12/photo.bin"]).hasPrefix(photoHash))
            #expect(try Docker.exec(service: "wordpress", ["stat", "-c", "%U", "\(Self.uploads)/2026/12/photo.bin"]) == "www-data")
            let second = try Credentials(json: try tool2.run(["credentials", "--json"]).stdout)
            let ftp2 = try #require(second.first(service: "ftps"))
            let curl2 = Curl(caFile: state2.appendingPathComponent("ca/ca.crt").path)
            #expect(try curl2.ftpsDownload(address: address, user: ftp2.user, password: ftp2.password ?? "", name: "canary.txt").stdout == canary)
            #expect(try Docker.influx("/query?db=ftservices", ["--data-urlencode", "q=SELECT count(value) FROM backup_canary WHERE run = '\(canary)'"]).stdout.contains(",1]]"))

            // Whole transactions only: each put one row into each of two tables (a dump of one table is one
            // SELECT, consistent even without a transaction), so both hold the same transactions 1…N, none missing.
            let load = try Docker.exec(service: "mysql", ["mariadb", "-N", "-B", "-e", """
                SELECT (SELECT COUNT(*) FROM backuptest.load_a), (SELECT MAX(txn) FROM backuptest.load_a),
                       (SELECT COUNT(*) FROM backuptest.load_b), (SELECT MAX(txn) FROM backuptest.load_b)
                """]).split(separator: "\t").compactMap { Int($0) }
            #expect(load.count == 4 && load[0] == load[2] && load[0] == load[1] && load[2] == load[3] && (load[0] + load[2]) % 2 == 0,
                    "rows and last transaction in each table: \(load)")
            #expect(load.first.map { $0 >= rowsBefore && $0 <= rowsAfter } == true, "the snapshot lies within the backup (\(rowsBefore)…\(rowsAfter)): \(load)")

            // Every login that credentials prints works: this install's, not the archive's.
            try Self.checkLogins(second, curl: curl2)
            try E2E.expectVerifyPasses(tool2, address: address, grafanaMissing: setup2.status == 3, after: "the restore")

            // 5. restore stopped by SIGTERM, then by SIGINT: either nothing changed, or the pre-restore backup named
            // brings back the data as it was (changed first, so it differs from the archive's).
            _ = try Docker.exec(service: "mysql", ["mariadb", "-e", "INSERT INTO backuptest.canary VALUES ('after-restore')"])
            _ = try Docker.exec(service: "wordpress", ["sh", "-c", "printf new > \(Self.uploads)/2026/12/new.txt"])
            let before = try Self.fingerprint()
            for (signal, marker) in [(SIGTERM, "pre-restore backup, "), (SIGINT, "restored mysql")] {
                let run = try SignalledRun(["restore", archive, "--progress", "plain", "--state-dir", state2.path],
                                           interruptOn: marker, signal: signal)
                _ = run.finish(within: 300)
                let status = run.process.terminationStatus
                #expect(status == 130, "signal \(signal) on '\(marker)': exit \(status), \(run.stderr)")
                print("restore stopped by signal \(signal) on '\(marker)': \(run.stderr.split(separator: "\n").last ?? "")")
                if run.stderr.contains("nothing was changed") {
                    #expect(try Self.fingerprint() == before, "an interrupted restore that changed nothing: \(run.stderr)")
                    continue
                }
                let named = try #require(run.stderr.firstMatch(of: /is in (\S+\.tar):/).map { String($0.1) }, "names its pre-restore backup: \(run.stderr)")
                #expect(named.hasPrefix(state2.path + "/backups/ftservices-pre-restore-"))
                let back = try tool2.run(["restore", named, "--progress", "plain"])
                #expect(back.status == 0, "\(back)")
                #expect(try Self.fingerprint() == before, "the pre-restore backup brings the data back as it was")
            }
            try Self.checkLogins(second, curl: curl2)
        }
    }

    // MARK: Helpers

    /// Logs in with every credential of `credentials` that this stack runs (Grafana is not installable here).
    static func checkLogins(_ credentials: Credentials, curl: Curl) throws {
        for user in credentials.all(service: "wordpress") {
            #expect(try curl.wordpressLogin(base: "https://127.0.0.1:5050/", user: user.user, password: user.password ?? ""),
                    "WordPress user \(user.user) logs in")
        }
        for user in credentials.all(service: "mysql") + credentials.all(service: "phpmyadmin") {
            // The password must be what lets it in: root (localhost only) over the socket as the OS user nobody,
            // so unix_socket does not; the others over TCP.
            let script = user.user == "root"
                ? #"MYSQL_PWD=$(cat) exec setpriv --reuid=65534 --regid=65534 --clear-groups mariadb -u "$1" -N -B -e 'SELECT CURRENT_USER()'"#
                : #"MYSQL_PWD=$(cat) exec mariadb --protocol=TCP -h 127.0.0.1 -u "$1" -N -B -e 'SELECT CURRENT_USER()'"#
            let login = try Shell.run(["docker", "exec", "-i", try Docker.containerID(service: "mysql"), "sh", "-c", script, "sh", user.user],
                                      input: user.password ?? "")
            #expect(login.status == 0 && login.stdout.hasPrefix(user.user + "@"), "MariaDB user \(user.user): \(login)")
        }
        for user in credentials.all(service: "influxdb") {
            let login = try Docker.influx("/query", ["--data-urlencode", "q=SHOW DATABASES"], user: user.user, password: user.password ?? "")
            #expect(login.status == 0 && login.stdout.contains("ftservices"), "InfluxDB user \(user.user): \(login)")
        }
        let ftp = try #require(credentials.first(service: "ftps"))
        #expect(try curl.ftpsList(address: "127.0.0.1", user: ftp.user, password: ftp.password ?? "").status == 0)
    }

    static func loadRows() throws -> Int {
        Int(try Docker.exec(service: "mysql", ["mariadb", "-N", "-B", "-e", "SELECT COUNT(*) FROM backuptest.load_a"])) ?? -1
    }

    /// What the stores hold, to compare: the test's MariaDB tables, every file of the uploads and the FTP home with
    /// its hash, the canary points.
    static func fingerprint() throws -> [String] {
        let files = #"cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum"#
        return [
            try Docker.exec(service: "mysql", ["mariadb", "-N", "-B", "-e",
                                               "SELECT GROUP_CONCAT(v ORDER BY v) FROM backuptest.canary; SELECT COUNT(*), SUM(txn) FROM backuptest.load_a"]),
            try Docker.exec(service: "wordpress", ["sh", "-c", files, "sh", uploads]),
            try Docker.exec(service: "ftps", ["sh", "-c", files, "sh", "/home/ftpuser"]),
            try Docker.influx("/query?db=ftservices", ["--data-urlencode", "q=SELECT count(value) FROM backup_canary"]).stdout,
        ]
    }

    static func backups(_ state: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: state.appendingPathComponent("backups").path).sorted()
    }

    static func archivePath(in output: String) -> String? {
        output.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("/") && $0.hasSuffix(".tar") }.map(String.init)
    }
}
