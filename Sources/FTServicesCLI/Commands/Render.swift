import ArgumentParser
import FTServicesCore
import FTServicesKit
import Foundation

extension FTServicesCommand {
    /// `ftservices render [--orchestrator swarm|kubernetes] [--check]`.
    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render templates/ and the stack model into srcs/ (only files whose bytes change are written).",
            discussion: """
                srcs/ holds the images' build contexts and the deploy files of both orchestrators: srcs/stack.yml \
                (Swarm) and srcs/k8s/ (Kubernetes). With --check nothing is written: the command lists every file \
                that differs and exits 1 if any does.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Only this orchestrator's deploy files (swarm: srcs/stack.yml, kubernetes: srcs/k8s/) besides the build contexts; the other's are left alone. Default: both.", valueName: "orchestrator"))
        var orchestrator: Orchestrator?

        @Flag(help: "Only compare: list the files of srcs/ that differ from what would be rendered, exit 1 on any.")
        var check = false

        func run() async throws {
            let workspace = try Workspace.load(configPath: global.config, stateDirectory: global.stateDirectory, projectDirectory: global.projectDirectory)
            var files = try SourceTree.render(stack: workspace.stack, templatesDirectory: workspace.project.templates)
            let chosen = orchestrator
            if let chosen { files.removeAll { SourceTree.orchestrator(of: $0.path).map { $0 != chosen } ?? false } }
            let untouched = { (path: String) in chosen.map { chosen in SourceTree.orchestrator(of: path).map { $0 != chosen } ?? false } ?? false }
            let writer = SourceWriter(project: workspace.project)
            if check {
                let drift = writer.drift(files, untouched: untouched)
                if drift.toWrite.isEmpty && drift.stale.isEmpty {
                    print("srcs/ is up to date (\(drift.unchanged.count) files)")
                    return
                }
                var lines = ["srcs/ differs from what templates/ and the stack model render:"]
                lines += drift.toWrite.map { "  changed  srcs/\($0.path)" }
                lines += drift.stale.map { "  stale    srcs/\($0)" }
                lines.append("Run `ftservices render` (with the same --config) and commit srcs/.")
                FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
                throw ExitCode.failure
            }
            let outcome = try writer.write(files, untouched: untouched)
            for path in outcome.written { print("wrote   srcs/\(path)") }
            for path in outcome.removed { print("removed srcs/\(path)") }
            print("\(outcome.written.count) written, \(outcome.removed.count) removed, \(outcome.unchanged) unchanged")
        }
    }
}
