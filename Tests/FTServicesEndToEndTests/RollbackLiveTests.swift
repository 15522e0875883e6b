import Foundation
import Testing

/// End-to-end: bad updates on the real engine roll back. One fresh stack; on a copy of the checkout
/// (`--project-dir`) one template at a time is broken on purpose — an nginx directive that does not parse,
/// an ftps entrypoint that exits at once, an influxdb healthcheck that never passes — and setup must exit 1
/// within its deadline naming the service, what failed and its logs, and that it rolled back; `verify` passes
/// on the old version, the other services keep their containers, `status` shows the rollback with the
/// version that failed. A Dockerfile that does not build leaves no content-hash tag. Then setup on the intact
/// checkout converges without rebuilding or restarting anything.
@Suite(.serialized, .enabled(if: E2E.requested, E2E.notRequested))
struct RollbackLiveTests {
    let address = "127.0.0.1"
    /// setup's --timeout for the bad updates: the healthcheck case needs its 30 s start period, 3 × 3 s of
    /// failed checks and the old version's start.
    let deadline = 180.0

    /// One bad change: the service it breaks, the template file, how, and what setup must quote from it.
    struct BadChange {
        var service: String
        var file: String
        var edit: (String) -> String
        var quoted: String
    }

    static func afterShebang(_ line: String) -> (String) -> String {
        { text in text.replacingOccurrences(of: "#!/bin/bash\n", with: "#!/bin/bash\n\(line)\n") }
    }

    let changes = [
        BadChange(service: "nginx", file: "templates/nginx/nginx.conf", edit: { $0 + "this_is_not_a_directive on;\n" },
                  quoted: "unknown directive \"this_is_not_a_directive\""),
        BadChange(service: "ftps", file: "templates/ftps/entrypoint",
                  edit: afterShebang("echo 'ftservices e2e: the entrypoint exits on purpose' >&2; exit 1"),
                  quoted: "ftservices e2e: the entrypoint exits on purpose"),
        BadChange(service: "influxdb", file: "templates/influxdb/healthcheck",
                  edit: afterShebang("echo 'ftservices e2e: the healthcheck fails on purpose'; exit 1"),
                  quoted: "ftservices e2e: the healthcheck fails on purpose"),
    ]

    @Test("a template, an entrypoint and a healthcheck broken in turn: each update rolls back, the rest untouched; then the intact checkout converges")
    func badUpdatesRollBack() throws {
        try E2E.withFreshStack(address: address) { stack in
            let tool = stack.tool
            for change in changes {
                let copy = try E2E.checkoutCopy()
                defer { try? FileManager.default.removeItem(at: copy) }
                let file = copy.appendingPathComponent(change.file)
                // Written in place: the file keeps its mode (an entrypoint or healthcheck stays executable).
                try change.edit(try String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: false, encoding: .utf8)
                let before = try Docker.containersByService()

                let setup = try tool.run(["setup", "--address", address, "--progress", "plain", "--timeout", String(Int(deadline)),
                                          "--project-dir", copy.path])
                #expect(setup.status == 1, "setup with a broken \(change.file) must fail: \(setup)")
                #expect(setup.seconds < deadline, "setup must give up within its deadline: \(setup.seconds) s")
                let message = setup.stderr
                #expect(message.contains("the update of \(change.service) failed and was rolled back"), "\(message)")
                #expect(message.contains("rolled back: the previous version ftservices/\(change.service):"), "\(message)")
                #expect(message.contains(change.quoted), "the failed version's health output or logs must be quoted: \(message)")
                #expect(message.contains("image \(change.service): built"), "only \(change.service) is rebuilt: \(message)")

                // Every other service keeps its container; the broken one runs its previous version again.
                let after = try Docker.containersByService()
                for (service, id) in before where service != change.service {
                    #expect(after[service] == id, "\(service) must not be touched by a bad update of \(change.service)")
                }
                #expect(after[change.service] != nil, "\(change.service) must run again")
                try E2E.expectVerifyPasses(tool, address: address, grafanaMissing: stack.grafanaMissing, after: "the rollback of \(change.service)")

                let rows = try E2E.json(try tool.run(["status", "--json"]), as: [[String: Any]].self)
                let row = rows.first { $0["service"] as? String == change.service }
                #expect(row?["state"] as? String == "rolled back", "\(String(describing: row))")
                #expect((row?["rolledBackFrom"] as? String)?.hasPrefix("ftservices/\(change.service):") == true, "\(String(describing: row))")
                #expect(row?["health"] as? String == "healthy", "\(String(describing: row))")
            }

            // A Dockerfile that does not build: setup fails at the build, and no tag claims the image is done.
            let copy = try E2E.checkoutCopy()
            defer { try? FileManager.default.removeItem(at: copy) }
            let dockerfile = copy.appendingPathComponent("templates/ftps/Dockerfile")
            try (try String(contentsOf: dockerfile, encoding: .utf8) + "RUN echo 'ftservices e2e: the build fails on purpose' && false\n")
                .write(to: dockerfile, atomically: true, encoding: .utf8)
            let tags = { try Set(Shell.run(["docker", "image", "ls", "ftservices/ftps", "--format", "{{.Tag}}"]).stdout.split(separator: "\n")) }
            let tagsBefore = try tags()
            // The legacy builder keeps the container of a failed RUN unless told not to: it would pin the images
            // it was made from (`docker image rm` refuses them) and pile up with every failed build.
            let containers = { try Set(Shell.run(["docker", "ps", "-aq", "--no-trunc"]).stdout.split(separator: "\n")) }
            let containersBefore = try containers()
            let broken = try tool.run(["setup", "--address", address, "--progress", "plain", "--project-dir", copy.path])
            #expect(broken.status == 1 && broken.stderr.contains("image ftps") && broken.stderr.contains("the build fails on purpose"), "\(broken)")
            #expect(try tags() == tagsBefore, "a failed build must not be tagged")
            #expect(try containers().subtracting(containersBefore).isEmpty, "a failed build leaves no container behind")

            // The intact checkout: nothing rebuilt, nothing restarted, no rollback left in status.
            let before = try Docker.containersByService()
            let intact = try tool.run(["setup", "--address", address, "--progress", "plain"])
            #expect(intact.status == stack.setup.status, "\(intact)")
            #expect(!intact.stderr.contains(": built in"), "nothing to rebuild: \(intact.stderr)")
            #expect(try Docker.containersByService() == before, "the intact checkout restarts nothing")
            let rows = try E2E.json(try tool.run(["status", "--json"]), as: [[String: Any]].self)
            #expect(!rows.contains { $0["state"] as? String == "rolled back" }, "\(rows)")
        }
    }
}
