import ArgumentParser
import FTServicesCore
import FTServicesKit
import Foundation

extension FTServicesCommand {
    /// `ftservices credentials [--json]`.
    struct Credentials: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every login of the stack (generated at the first setup, kept in the state directory).",
            discussion: "--json prints an array of objects with service, user, password or privateKeyPath, port and url."
        )

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() async throws {
            let workspace = try Workspace.load(configPath: global.config, stateDirectory: global.stateDirectory, projectDirectory: global.projectDirectory)
            let list = try CredentialsService(workspace: workspace).credentials()
            if json {
                print(String(decoding: try JSONEncoder.stable().encode(list), as: UTF8.self))
                return
            }
            let rows = list.map { [$0.service, $0.user, $0.password ?? ($0.privateKeyPath.map { "key: \($0)" } ?? "-"), $0.url ?? "(inside the stack only)"] }
            print(TextTable.render(header: ["SERVICE", "USER", "PASSWORD", "WHERE"], rows: rows))
        }
    }
}
