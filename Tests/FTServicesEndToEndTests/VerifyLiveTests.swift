import Foundation
import Testing

/// End-to-end: `ftservices verify` on the real stack passes every check, and each kind of check fails,
/// saying why, when its subject is broken for real: a service scaled to 0 (its ports closed), a wrong
/// password, a foreign SSH host key, a route removed from nginx, an internal port published.
///
/// Same gate as `StackLifecycleTests` (FTSERVICES_E2E=1, no foreign stack), and serialized with it.
@Suite(.serialized, .enabled(if: E2E.requested, E2E.notRequested))
struct VerifyLiveTests {
    let address = "127.0.0.1"

    /// One check of `verify --json`.
    struct Check {
        var name: String
        var observed: String
        var pass: Bool
    }

    /// Runs `verify ARGS --json` and returns its exit status and checks by name.
    static func verify(_ tool: E2E.Tool, _ arguments: [String]) throws -> (status: Int32, checks: [String: Check]) {
        let result = try tool.run(["verify"] + arguments + ["--json"])
        let array = try E2E.json(result, as: [[String: Any]].self)
        var checks: [String: Check] = [:]
        for object in array {
            let check = Check(name: object["name"] as? String ?? "", observed: object["observed"] as? String ?? "",
                              pass: object["pass"] as? Bool ?? false)
            checks[check.name] = check
            if !check.pass { print("  ✘ \(check.name): \(check.observed)") }
        }
        return (result.status, checks)
    }

    @Test("verify passes on the real stack and each check fails when its subject is broken")
    func verifyOnTheRealStack() throws {
        try E2E.withFreshStack(address: address) { stack in
            let tool = stack.tool
            let state = stack.state
            let setup = stack.setup
            let grafanaMissing = stack.grafanaMissing

            // 1. Healthy stack: every check passes, except Grafana's when setup could not deploy it, and those
            //    say that it is not deployed rather than only "connection refused".
            let healthy = try Self.verify(tool, ["--wait", "60s"])
            for check in healthy.checks.values where !check.pass {
                let isGrafana = check.name.hasPrefix("grafana")
                #expect(grafanaMissing && isGrafana, "\(check.name) failed on a healthy stack: \(check.observed)")
                if isGrafana { #expect(check.observed.contains("ftservices_grafana is not deployed"), "\(check.observed)") }
            }
            #expect(healthy.checks.count == 22, "every check of the plan ran: \(healthy.checks.keys.sorted())")
            #expect(healthy.status == (grafanaMissing ? 1 : 0), "verify exits 1 exactly when a check fails")
            #expect(healthy.checks["ssh command"]?.pass == true, "the ssh client ran a command with the pinned host key")

            // 2. Wrong passwords and a foreign host key: a copy of the state with them changed.
            let wrong = try E2E.temporaryStateDirectory()
            defer { try? FileManager.default.removeItem(at: wrong) }
            try FileManager.default.removeItem(at: wrong)
            try FileManager.default.copyItem(at: state, to: wrong)
            let stateFile = wrong.appendingPathComponent("state.json")
            var object = try JSONSerialization.jsonObject(with: Data(contentsOf: stateFile)) as? [String: Any] ?? [:]
            var secrets = object["secrets"] as? [String: String] ?? [:]
            secrets["ftp_password"] = "not-the-password"
            secrets["mysql_admin_password"] = "not-the-password"
            let foreignKey = wrong.appendingPathComponent("foreign_host_key")
            _ = try Shell.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", foreignKey.path])
            secrets["ssh_host_ed25519_key"] = try String(contentsOf: foreignKey, encoding: .utf8)
            object["secrets"] = secrets
            try JSONSerialization.data(withJSONObject: object).write(to: stateFile)
            let broken = try Self.verify(E2E.Tool(stateDirectory: wrong), ["--address", address])
            #expect(broken.status == 1)
            #expect(broken.checks["ftps round trip"]?.pass == false, "a wrong FTP password must fail the round trip")
            #expect(broken.checks["ftps round trip"]?.observed.contains("530") == true, "\(broken.checks["ftps round trip"]?.observed ?? "")")
            #expect(broken.checks["phpmyadmin login"]?.pass == false, "a wrong MariaDB password must fail the phpMyAdmin login")
            #expect(broken.checks["phpmyadmin login"]?.observed.contains("refused") == true, "\(broken.checks["phpmyadmin login"]?.observed ?? "")")
            #expect(broken.checks["ssh login"]?.pass == false, "another host key must fail the SFTP login")
            #expect(broken.checks["ssh command"]?.observed.hasPrefix("host key verification failed") == true,
                    "\(broken.checks["ssh command"]?.observed ?? "")")
            #expect(broken.checks["route /"]?.pass == true, "checks that need no password still pass")

            // 3. A route removed from nginx (config edited in the running container, then reloaded; its root is
            //    read-only, so the container is first replaced by one with a writable root).
            _ = try Docker.makeWritable(service: "nginx")
            _ = try Docker.exec(service: "nginx", ["sh", "-c",
                "cp /etc/nginx/nginx.conf /tmp/nginx.conf.orig && sed -i 's#return 307 https://$host:5050/;#return 404;#' /etc/nginx/nginx.conf && nginx -s reload"])
            // `nginx -s reload` returns before the new workers serve, and a connection cut by the reload also
            // fails the check: wait for the 404 itself, then judge that run.
            let routes = E2E.wait(for: "route /wordpress to fail with the 404 nginx now answers", within: 15, {
                try Self.verify(tool, ["routes"]).checks
            }) { $0["route /wordpress"]?.observed.contains("404") == true } ?? [:]
            #expect(routes["route /wordpress"]?.pass == false, "a 404 instead of the 307 fails the route check")
            #expect(routes["route /"]?.pass == true, "the other routes still pass")
            _ = try Docker.exec(service: "nginx", ["sh", "-c", "cp /tmp/nginx.conf.orig /etc/nginx/nginx.conf && nginx -s reload"])
            #expect(try Self.verify(tool, ["routes", "--wait", "10s"]).status == 0, "the route is back")

            // 4. An internal port published: MariaDB's 3306 reachable from outside must fail `verify ports`.
            let publish = try Shell.run(["docker", "service", "update", "--quiet",
                                         "--publish-add", "mode=host,published=3306,target=3306", "ftservices_mysql"])
            #expect(publish.status == 0, "docker service update --publish-add: \(publish)")
            let exposed = E2E.wait(for: "a published 3306 to fail the internal-port check", within: 60, {
                try Self.verify(tool, ["ports"]).checks["mysql :3306 internal"]
            }) { $0?.pass == false }
            let published = exposed??.observed ?? ""
            #expect(published.contains("ftservices_mysql publishes port 3306"), "\(published)")
            // The fix the note gives: setup deploys the committed stack file again, without the port.
            let redeploy = try tool.run(["setup", "--address", address, "--progress", "plain"])
            #expect(redeploy.status == setup.status, "setup after the port was published: \(redeploy)")
            E2E.wait(for: "setup to take 3306 away again (port closed)", within: 60, { Net.isOpen(address: address, port: 3306) }) { !$0 }

            // 5. A service scaled to 0: its port closed, and the failure names the cause.
            let scaledDown = try Shell.run(["docker", "service", "scale", "--detach", "ftservices_ftps=0"])
            #expect(scaledDown.status == 0, "docker service scale ftservices_ftps=0: \(scaledDown)")
            let names = ["ftps :21 FTP AUTH TLS", "ftps round trip", "ftp plain refused"]
            let down = E2E.wait(for: "the FTPS checks to fail, naming ftps scaled to 0", within: 60, { try Self.verify(tool, ["all"]) }) { run in
                names.allSatisfy { run.checks[$0]?.pass == false && run.checks[$0]?.observed.contains("ftservices_ftps is scaled to 0 replicas") == true }
            }?.checks ?? [:]
            for name in names {
                #expect(down[name]?.pass == false, "\(name) must fail with ftps scaled to 0")
                #expect(down[name]?.observed.contains("ftservices_ftps is scaled to 0 replicas") == true,
                        "\(name): \(down[name]?.observed ?? "")")
            }
            let scaledUp = try Shell.run(["docker", "service", "scale", "--detach", "ftservices_ftps=1"])
            #expect(scaledUp.status == 0, "docker service scale ftservices_ftps=1: \(scaledUp)")

            // 6. Everything back: --wait retries the failing checks until they pass.
            let back = try Self.verify(tool, ["--wait", "120s"])
            for check in back.checks.values where !check.pass {
                #expect(grafanaMissing && check.name.hasPrefix("grafana"), "\(check.name) did not come back: \(check.observed)")
            }
        }
    }
}
