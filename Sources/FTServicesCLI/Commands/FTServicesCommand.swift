import ArgumentParser
import FTServicesCore
import FTServicesKit
import Foundation

/// `ftservices`: render, build, deploy and check the ft_services stack.
public struct FTServicesCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ftservices",
        abstract: "Stand up the ft_services stack (nginx+SSH, WordPress, phpMyAdmin, MariaDB, FTPS, InfluxDB, Grafana) on Docker Swarm or Kubernetes, and prove it works.",
        discussion: """
            Exit status: 0 success; 1 failure (the message names the cause and the fix); 3 setup deployed every \
            service except Grafana because no Grafana package could be had; 64 bad command-line arguments; 130 setup \
            interrupted (SIGINT or SIGTERM; run it again to finish).
            """,
        version: Stack.toolVersion,
        subcommands: [Setup.self, Render.self, Status.self, Credentials.self, Verify.self, Crashtest.self, Backup.self, Restore.self, Logs.self, Down.self]
    )

    public init() {}
}

/// Exit statuses the commands use (documented in the README and `--help`).
enum ExitStatus {
    static let failure: Int32 = 1
    /// Setup deployed everything except Grafana, which could not be installed.
    static let grafanaMissing: Int32 = 3
    /// Setup stopped at SIGINT or SIGTERM (128 + SIGINT, as shells report it).
    static let interrupted: Int32 = 130
}

/// Options every command that touches the stack shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The stack's YAML configuration (address, ports, users, passive range, Grafana package).", valueName: "file"))
    var config: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("Where generated secrets, the CA and keys live (default: $XDG_STATE_HOME/ftservices or ~/.local/state/ftservices).", valueName: "dir"))
    var stateDirectory: String?

    @Option(name: .customLong("project-dir"), help: ArgumentHelp("The ftservices checkout holding templates/ and srcs/ (default: found from the working directory or the binary).", valueName: "dir"))
    var projectDirectory: String?

    /// The config as far as it can be read, else the defaults: for `status`, `logs` and `down`, which need no
    /// checkout and work with a config they cannot read.
    var looseConfig: StackConfig { config.flatMap { try? ConfigLoader.load(path: $0) } ?? .defaults }

    /// The state directory that --state-dir or the config names (see ``looseConfig``).
    var stateStore: StateStore { StateStore(directory: Workspace.stateDirectory(option: stateDirectory, config: looseConfig)) }
}

/// The executable's entry point: parses the command line and runs the command.
public enum FTServicesMain {
    public static func main() async {
        await FTServicesCommand.main()
    }
}
