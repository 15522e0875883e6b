import Foundation
import Testing

/// End-to-end: the backup and restore scripts in the images (`/usr/local/lib/ftservices/backup` and `restore`,
/// docs/DESIGN.md "Backup scripts (in the images)"), driven directly with `docker exec` as the tool drives them.
/// Per stateful service: data is written, `backup` writes the part to a host file, the data is changed and
/// deleted, the file is piped into `restore`, and the data must be back exactly, the changes gone. Also: a
/// MariaDB backup taken while a writer commits 2-row transactions holds whole transactions only, and a MariaDB
/// restore from a truncated dump fails and changes nothing.
///
/// Same gate as `StackLifecycleTests` (FTSERVICES_E2E=1, no foreign stack), run one suite at a time.
@Suite(.serialized, .enabled(if: E2E.requested, E2E.notRequested))
struct BackupScriptsLiveTests {
    let address = "127.0.0.1"
    static let scripts = "/usr/local/lib/ftservices"

    @Test("backup then restore brings back each service's data exactly; a truncated MariaDB dump is refused")
    func roundTrips() throws {
        try E2E.withFreshStack(address: address) { stack in
            let parts = stack.state.appendingPathComponent("parts")
            try FileManager.default.createDirectory(at: parts, withIntermediateDirectories: true)
            try mysqlRoundTrip(parts)
            try mysqlConsistentWhileWriting(parts)
            try directoryRoundTrip(service: "wordpress", directory: "/var/lib/wordpress/wp-content/uploads", parts)
            try directoryRoundTrip(service: "ftps", directory: "/home/ftpuser", parts)
            try influxdbRoundTrip(parts)
            if stack.grafanaMissing {
                print("grafana is not deployed here (no package): its scripts were rendered, not run")
            } else {
                try grafanaRoundTrip(parts)
            }
        }
    }

    // MARK: MariaDB

    func mysqlRoundTrip(_ parts: URL) throws {
        let part = parts.appendingPathComponent("mysql.sql")
        _ = try sql("""
            CREATE DATABASE backup_probe;
            CREATE TABLE backup_probe.t (id INT PRIMARY KEY, v VARCHAR(32), b VARBINARY(8)) ENGINE=InnoDB;
            INSERT INTO backup_probe.t VALUES (1, 'before', 0x00ff10);
            CREATE PROCEDURE backup_probe.answer() SELECT 42;
            """)
        let users = try sql("SELECT User, Host FROM mysql.global_priv ORDER BY User, Host")
        let wordpressTables = try sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'wordpress'")

        let backup = try Self.backup(service: "mysql", to: part)
        try #require(backup.status == 0, "mysql backup: \(backup)")
        let dump = try String(contentsOf: part, encoding: .utf8)
        #expect(dump.hasPrefix("-- MariaDB dump") || dump.hasPrefix("/*M!999999"), "stdout is the dump only: \(dump.prefix(80))")
        #expect(dump.contains("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `backup_probe`"), "the dump creates its databases")
        #expect(!dump.contains("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `mysql`"), "MariaDB's own database is not dumped")

        // Changed, added, and a database the backup does not have.
        _ = try sql("""
            UPDATE backup_probe.t SET v = 'changed' WHERE id = 1;
            INSERT INTO backup_probe.t VALUES (2, 'added', NULL);
            DROP PROCEDURE backup_probe.answer;
            CREATE DATABASE backup_after;
            """)

        // A dump cut short is refused before anything is dropped.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: part.path)[.size] as? Int)
        let truncated = try Self.restore(service: "mysql", from: part, bytes: size - 300)
        #expect(truncated.status != 0, "restore of a truncated dump must fail: \(truncated)")
        #expect(truncated.stderr.contains("not whole"), "\(truncated.stderr)")
        #expect(try sql("SELECT v FROM backup_probe.t ORDER BY id") == "changed\nadded", "a refused restore changes nothing")
        #expect(try sql("SHOW DATABASES LIKE 'backup_after'") == "backup_after")

        let restore = try Self.restore(service: "mysql", from: part)
        try #require(restore.status == 0, "mysql restore: \(restore)")
        #expect(try sql("SELECT id, v, HEX(b) FROM backup_probe.t ORDER BY id") == "1\tbefore\t00FF10", "the row is back as it was")
        #expect(try sql("CALL backup_probe.answer()") == "42", "routines are restored")
        #expect(try sql("SHOW DATABASES LIKE 'backup_after'") == "", "a database the backup did not have is gone")
        #expect(try sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'wordpress'") == wordpressTables)
        #expect(try sql("SELECT User, Host FROM mysql.global_priv ORDER BY User, Host") == users, "users stay this install's")
        let staged = try Docker.run(service: "mysql", ["sh", "-c", "ls -A /var/lib/mysql | grep -c '^\\.ftservices-restore' || true"])
        #expect(staged.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "no staged dump is left behind")
    }

    /// A writer commits transactions of two rows, the same value into two tables, as fast as one client can,
    /// while the backup runs: the dump must hold whole transactions only (an even row count, both tables equal).
    /// Two tables, because a one-table dump is a single SELECT, consistent even without a transaction.
    func mysqlConsistentWhileWriting(_ parts: URL) throws {
        let part = parts.appendingPathComponent("mysql-concurrent.sql")
        _ = try sql("""
            CREATE DATABASE backup_pairs;
            CREATE TABLE backup_pairs.a (v INT PRIMARY KEY) ENGINE=InnoDB;
            CREATE TABLE backup_pairs.b (v INT PRIMARY KEY) ENGINE=InnoDB;
            """)
        let writer = try ContainerLoop(service: "mysql", body: """
            echo "BEGIN; INSERT INTO backup_pairs.a VALUES ($i); INSERT INTO backup_pairs.b VALUES ($i); COMMIT;"
            """, into: "mariadb")
        defer { writer.stop() }
        let count = { () throws -> Int in
            Int(try sql("SELECT (SELECT COUNT(*) FROM backup_pairs.a) + (SELECT COUNT(*) FROM backup_pairs.b)")) ?? -1
        }
        E2E.wait(for: "the writer to commit 1000 rows", within: 30, count) { $0 >= 1000 }

        let backup = try Self.backup(service: "mysql", to: part)
        try #require(backup.status == 0, "mysql backup while writing: \(backup)")
        let afterBackup = try count()
        #expect(writer.isRunning, "the writer still runs after the backup: it was taken while writing")
        writer.stop()
        let final = try count()

        let restore = try Self.restore(service: "mysql", from: part)
        try #require(restore.status == 0, "mysql restore: \(restore)")
        let restored = try count()
        let unpaired = try sql("""
            SELECT (SELECT COUNT(*) FROM backup_pairs.a WHERE v NOT IN (SELECT v FROM backup_pairs.b))
                 + (SELECT COUNT(*) FROM backup_pairs.b WHERE v NOT IN (SELECT v FROM backup_pairs.a))
            """)
        print("concurrent backup: \(restored) rows in the dump, \(afterBackup) committed when it ended, \(final) when the writer stopped")
        #expect(restored > 0 && restored % 2 == 0, "whole 2-row transactions only: \(restored) rows")
        #expect(unpaired == "0", "every value in both tables: \(unpaired) are not")
        #expect(restored < final, "the dump was taken while rows were being committed (\(restored) of \(final))")
        _ = try sql("DROP DATABASE backup_pairs; DROP DATABASE backup_probe")
    }

    func sql(_ statement: String) throws -> String {
        let result = try Docker.run(service: "mysql", ["mariadb", "-N", "-B", "-e", statement])
        try #require(result.status == 0, "SQL \(statement): \(result)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: WordPress uploads, the FTP home

    /// Files with distinct owners, modes, binary contents and a dotfile; compared as a full listing (path, mode,
    /// owner, size, mtime) plus checksums. The directory itself must keep its own owner and mode.
    func directoryRoundTrip(service: String, directory: String, _ parts: URL) throws {
        let part = parts.appendingPathComponent("\(service).tar")
        let write = try Docker.run(service: service, ["sh", "-c", #"""
            set -e; cd "$1"
            printf 'dot %s\n' "$2" > .backup-probe-dot
            mkdir -p backup-probe/sub
            head -c 70000 /dev/urandom > backup-probe/sub/blob.bin
            printf x > backup-probe/odd
            chown 12345:23456 backup-probe/odd; chmod 0604 backup-probe/odd
            chmod 0710 backup-probe/sub
            touch -d '2001-02-03 04:05:06' backup-probe/sub/blob.bin
            """#, "sh", directory, UUID().uuidString])
        try #require(write.status == 0, "writing into \(directory): \(write)")
        let listing = try Self.listing(service: service, directory)
        let root = try Docker.exec(service: service, ["stat", "-c", "%a %u:%g", directory])

        let backup = try Self.backup(service: service, to: part)
        try #require(backup.status == 0, "\(service) backup: \(backup)")
        let names = try Shell.run(["tar", "-tf", part.path])
        #expect(names.status == 0, "stdout is a tar only: \(names)")
        #expect(names.stdout.contains("./.backup-probe-dot\n") && names.stdout.contains("./backup-probe/sub/blob.bin\n"),
                "entries relative, dotfiles included: \(names.stdout)")

        let change = try Docker.run(service: service, ["sh", "-c", #"""
            set -e; cd "$1"
            echo changed > .backup-probe-dot; rm -r backup-probe; echo new > backup-probe-added; chmod 0750 .
            """#, "sh", directory])
        try #require(change.status == 0, "changing \(directory): \(change)")
        let changedRoot = try Docker.exec(service: service, ["stat", "-c", "%a %u:%g", directory])

        let restore = try Self.restore(service: service, from: part)
        try #require(restore.status == 0, "\(service) restore: \(restore)")
        #expect(try Self.listing(service: service, directory) == listing, "\(directory) is back exactly, the added file gone")
        #expect(try Docker.exec(service: service, ["stat", "-c", "%a %u:%g", directory]) == changedRoot,
                "the volume's root keeps its own owner and mode")
        _ = try Docker.run(service: service, ["sh", "-c", #"cd "$1" && rm -rf .backup-probe-dot backup-probe && chmod "$2" ."#,
                                              "sh", directory, String(root.prefix { $0 != " " })])
    }

    /// Every entry under `directory` but the root: path, mode, numeric owner, size, mtime, and each file's SHA-256.
    static func listing(service: String, _ directory: String) throws -> String {
        let result = try Docker.run(service: service, ["sh", "-c", #"""
            cd "$1" && find . -mindepth 1 -exec stat -c '%n %a %u:%g %s %Y' {} + | sort \
              && find . -type f -exec sha256sum {} + | sort
            """#, "sh", directory])
        try #require(result.status == 0, "listing \(directory): \(result)")
        return result.stdout
    }

    // MARK: InfluxDB

    func influxdbRoundTrip(_ parts: URL) throws {
        let part = parts.appendingPathComponent("influxdb.tar")
        // Within the 7-day retention of the stack's database: an hour ago, to the second.
        let hourAgo = (Int(Date().timeIntervalSince1970) - 3600) * 1_000_000_000
        try influx(write: "ftservices", "backup_probe,probe=a value=1 \(hourAgo)\nbackup_probe,probe=b value=2 \(hourAgo + 1_000_000_000)")
        _ = try influx(query: "CREATE DATABASE backup_extra")
        try influx(write: "backup_extra", "extra value=7 \(hourAgo)")
        let users = try influx(query: "SHOW USERS")
        let probe = "SELECT * FROM ftservices.autogen.backup_probe"
        let before = try influx(query: probe)

        let backup = try Self.backup(service: "influxdb", to: part)
        try #require(backup.status == 0, "influxdb backup: \(backup)")
        let list = try Shell.run(["tar", "-xOf", part.path, "./ftservices-databases"])
        #expect(list.status == 0 && Set(list.stdout.split(separator: "\n")) == ["ftservices", "backup_extra"], "databases: \(list)")
        #expect(try Shell.run(["tar", "-tf", part.path]).stdout.contains(".manifest"), "a portable backup")

        _ = try influx(query: "DROP SERIES FROM backup_probe WHERE probe = 'a'")
        try influx(write: "ftservices", "backup_probe,probe=c value=99 \(hourAgo + 2_000_000_000)")
        _ = try influx(query: "DROP DATABASE backup_extra")

        let restore = try Self.restore(service: "influxdb", from: part)
        try #require(restore.status == 0, "influxdb restore: \(restore)")
        #expect(try influx(query: probe) == before, "the points are back as they were, the added one gone")
        #expect(try influx(query: "SELECT * FROM backup_extra.autogen.extra").contains(",7]]"), "the second database is back")
        #expect(try influx(query: "SHOW USERS") == users, "users stay this install's")
        let left = try Docker.exec(service: "influxdb", ["sh", "-c", "ls -A /var/lib/influxdb | grep -cE '^\\.ftservices-(backup|restore)' || true"])
        #expect(left == "0", "no staging directory is left in the volume")

        // DROP DATABASE took the Grafana user's grant; the restart the tool does after a restore gives it back.
        print("grafana's grants right after the restore: \(try influx(query: "SHOW GRANTS FOR \"grafana\""))")
        let before2 = try Docker.containerID(service: "influxdb")
        let update = try Shell.run(["docker", "service", "update", "--quiet", "--force", "ftservices_influxdb"])
        try #require(update.status == 0, "restarting influxdb: \(update)")
        E2E.wait(for: "a new healthy influxdb container", within: 90, { () throws -> String in
            let id = try Docker.containerID(service: "influxdb")
            return id.isEmpty || id == before2 ? "" : try Docker.health(containerID: id)
        }) { $0 == "healthy" }
        #expect(try influx(query: "SHOW GRANTS FOR \"grafana\"").contains("[\"ftservices\",\"READ\"]"), "READ on ftservices again")
        #expect(try influx(query: probe) == before, "the restored points survive the restart")
        _ = try influx(query: "DROP DATABASE backup_extra")
        _ = try influx(query: "DROP MEASUREMENT backup_probe")
    }

    /// An InfluxQL statement as the admin inside the container (the password read there from its secret file).
    @discardableResult
    func influx(query: String) throws -> String {
        try influxRequest(path: "/query?db=ftservices", ["--data-urlencode", "q=\(query)"])
    }

    func influx(write database: String, _ lines: String) throws {
        _ = try influxRequest(path: "/write?db=\(database)", ["--data-binary", lines])
    }

    func influxRequest(path: String, _ data: [String]) throws -> String {
        let result = try Docker.influx(path, data)
        try #require(result.status == 0, "InfluxDB \(path) \(data): \(result)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: Grafana (only where a Grafana package was given)

    func grafanaRoundTrip(_ parts: URL) throws {
        let part = parts.appendingPathComponent("grafana.db")
        let backup = try Self.backup(service: "grafana", to: part)
        try #require(backup.status == 0, "grafana backup: \(backup)")
        let header = try FileHandle(forReadingFrom: part).readData(ofLength: 15)
        #expect(String(decoding: header, as: UTF8.self) == "SQLite format 3", "stdout is the database only")
        let restore = try Self.restore(service: "grafana", from: part)
        #expect(restore.status == 0, "grafana restore: \(restore)")
    }

    // MARK: Driving the scripts

    /// `docker exec CONTAINER backup > FILE`; stdout goes to the file, stderr is returned.
    static func backup(service: String, to file: URL) throws -> Shell.Result {
        let id = try Docker.containerID(service: service)
        let result = try Shell.run(["sh", "-c", #"docker exec "$1" "$2" > "$3""#, "sh", id, "\(scripts)/backup", file.path])
        print("\(service) backup -> exit \(result.status) in \(String(format: "%.1f", result.seconds)) s, "
              + "\((try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0) bytes")
        return result
    }

    /// `docker exec -i CONTAINER restore < FILE`, or only the first `bytes` of it.
    static func restore(service: String, from file: URL, bytes: Int? = nil) throws -> Shell.Result {
        let id = try Docker.containerID(service: service)
        let feed = bytes.map { "head -c \($0) \"$3\"" } ?? #"cat "$3""#
        let result = try Shell.run(["sh", "-c", feed + #" | docker exec -i "$1" "$2""#, "sh", id, "\(scripts)/restore", file.path])
        print("\(service) restore\(bytes.map { " (first \($0) bytes)" } ?? "") -> exit \(result.status) in "
              + "\(String(format: "%.1f", result.seconds)) s")
        if !result.stderr.isEmpty { print(result.stderr.split(separator: "\n").map { "  | " + $0 }.joined(separator: "\n")) }
        return result
    }
}
