import Foundation
import Testing

/// End-to-end: SIGINT at each step of setup in turn — while an image builds, while it deploys, while it
/// waits, while the Debian base image is bootstrapped — chosen from setup's own progress output (never a fixed sleep). Each time setup must stop within
/// two seconds with exit 130, saying the step, what was done and what was not; no content-hash tag may name
/// an unfinished build; then setup again converges: verify passes and a file uploaded before is still there.
/// A second SIGINT ends setup at once.
@Suite(.serialized, .enabled(if: E2E.requested, E2E.notRequested))
struct InterruptionLiveTests {
    let address = "127.0.0.1"

    @Test("SIGINT while bootstrapping the base image, building, deploying and waiting: setup stops within 2 s, says what it did, and the next setup converges without data loss")
    func interruptedSetupConverges() throws {
        try E2E.withFreshStack(address: address) { stack in
            let tool = stack.tool
            let state = stack.state.path
            let credentials = try Credentials(json: try tool.run(["credentials", "--json"]).stdout)
            let ftp = try #require(credentials.first(service: "ftps"))
            let curl = Curl(caFile: stack.state.appendingPathComponent("ca/ca.crt").path)
            let upload = try curl.ftpsUpload(address: address, user: ftp.user, password: ftp.password ?? "", name: "interrupted.txt", contents: "kept across interruptions")
            #expect(upload.status == 0, "\(upload)")

            // The bootstrap of the Debian base image (mmdebstrap, about 25 s): its content-hash tag is taken away
            // (the image keeps its `bookworm` tag, so the other images stay built) and setup is stopped while
            // mmdebstrap runs. No hash tag may appear; the next setup bootstraps it whole and changes nothing else
            // (first, while the stack runs the intact checkout).
            let baseTags = try Shell.run(["docker", "image", "ls", "ftservices/base", "--format", "{{.Tag}}"]).stdout
                .split(separator: "\n").map(String.init).filter { $0 != "bookworm" }
            try #require(!baseTags.isEmpty, "the base image has a content-hash tag")
            for tag in baseTags { _ = try Shell.run(["docker", "image", "rm", "ftservices/base:\(tag)"]) }
            let containersBefore = try Docker.containersByService()
            let bootstrap = try SignalledRun(["setup", "--address", address, "--progress", "plain", "--state-dir", state],
                                             interruptOn: "image base: building")
            let stopped = try #require(bootstrap.finish(within: 300), "setup never started the bootstrap: \(bootstrap.stderr)")
            print("interrupted while bootstrapping: exit \(bootstrap.process.terminationStatus) after \(String(format: "%.2f", stopped)) s\n\(bootstrap.stderr)")
            #expect(bootstrap.process.terminationStatus == 130 && stopped < 2, "setup stops within 2 s of SIGINT during the bootstrap: \(stopped) s, \(bootstrap.stderr)")
            #expect(bootstrap.stderr.contains("setup interrupted during building the images"), "\(bootstrap.stderr)")
            let afterInterrupt = try Shell.run(["docker", "image", "ls", "ftservices/base", "--format", "{{.Tag}}"]).stdout
            #expect(!baseTags.contains { afterInterrupt.contains($0) }, "an interrupted bootstrap leaves no content-hash tag: \(afterInterrupt)")
            let rebuilt = try tool.run(["setup", "--address", address, "--progress", "plain"])
            #expect(rebuilt.status == stack.setup.status && rebuilt.stderr.contains("image base: built"), "setup after the interrupted bootstrap: \(rebuilt)")
            let afterRebuild = try Shell.run(["docker", "image", "ls", "ftservices/base", "--format", "{{.Tag}}"]).stdout
            #expect(baseTags.allSatisfy { afterRebuild.contains($0) }, "the base image has its content-hash tag again: \(afterRebuild)")
            #expect(try Docker.containersByService() == containersBefore, "the bootstrap changed no running service")

            // Each step gets a change of its own, so that setup has something to build and to deploy.
            // The build gets a slow step (the image's other layers are cached and build in a second).
            let steps: [(marker: String, step: String, edit: String, slowBuild: Bool)] = [
                ("image ftps: building", "building the images", "# interrupted while building\n", true),
                ("Deploying to Docker Swarm", "deploying", "# interrupted while deploying\n", false),
                ("Waiting for services to become healthy", "waiting until healthy", "# interrupted while waiting\n", false),
            ]
            for (marker, step, edit, slowBuild) in steps {
                let copy = try E2E.checkoutCopy()
                defer { try? FileManager.default.removeItem(at: copy) }
                let vsftpd = copy.appendingPathComponent("templates/ftps/vsftpd.conf")
                try (try String(contentsOf: vsftpd, encoding: .utf8) + edit).write(to: vsftpd, atomically: true, encoding: .utf8)
                if slowBuild {
                    let dockerfile = copy.appendingPathComponent("templates/ftps/Dockerfile")
                    try (try String(contentsOf: dockerfile, encoding: .utf8) + "RUN sleep 20\n").write(to: dockerfile, atomically: true, encoding: .utf8)
                }
                let arguments = ["setup", "--address", address, "--progress", "plain", "--project-dir", copy.path, "--state-dir", state]
                let tagsBefore = try Set(Shell.run(["docker", "image", "ls", "ftservices/ftps", "--format", "{{.Tag}}"]).stdout.split(separator: "\n"))

                let setup = try SignalledRun(arguments, interruptOn: marker)
                let seconds = try #require(setup.finish(within: 300), "setup never printed \(marker): \(setup.stderr)")
                print("interrupted at \"\(marker)\": exit \(setup.process.terminationStatus) after \(String(format: "%.2f", seconds)) s\n\(setup.stderr)")
                #expect(setup.process.terminationStatus == 130, "\(setup.stderr)")
                #expect(seconds < 2, "setup must stop within 2 s of SIGINT, took \(seconds) s")
                #expect(setup.stderr.contains("setup interrupted during \(step)"), "\(setup.stderr)")
                #expect(setup.stderr.contains("not done:") && setup.stderr.contains("run setup again to finish"), "\(setup.stderr)")
                if step == "building the images" {
                    let tagsAfter = try Set(Shell.run(["docker", "image", "ls", "ftservices/ftps", "--format", "{{.Tag}}"]).stdout.split(separator: "\n"))
                    #expect(tagsAfter == tagsBefore, "an interrupted build must leave no content-hash tag")
                }

                // The same setup again converges.
                let again = try tool.run(["setup", "--address", address, "--progress", "plain", "--project-dir", copy.path])
                #expect(again.status == stack.setup.status, "setup after the interruption at \(step): \(again)")
            }

            // A second SIGINT ends setup at once.
            let setup = try SignalledRun(["setup", "--address", address, "--progress", "plain", "--state-dir", state],
                                         interruptOn: "Waiting for services to become healthy", signals: 2)
            let seconds = try #require(setup.finish(within: 300), "\(setup.stderr)")
            #expect(setup.process.terminationStatus == 130 && seconds < 1, "a second SIGINT must end setup at once: \(seconds) s, \(setup.stderr)")

            // The intact checkout converges; verify passes; the uploaded file is still there.
            let final = try tool.run(["setup", "--address", address, "--progress", "plain"])
            #expect(final.status == stack.setup.status, "\(final)")
            try E2E.expectVerifyPasses(tool, address: address, grafanaMissing: stack.grafanaMissing, after: "the interruptions")
            let download = try curl.ftpsDownload(address: address, user: ftp.user, password: ftp.password ?? "", name: "interrupted.txt")
            #expect(download.stdout == "kept across interruptions", "\(download)")
        }
    }
}
