import ArgumentParser
import FTServicesCore
import FTServicesKit

/// `--orchestrator swarm|kubernetes` for the commands that work on the deployed stack. Without it they go
/// where the last setup deployed (recorded in the state file), else to Swarm.
struct DeployedOrchestrator: ParsableArguments {
    @Option(help: ArgumentHelp("Where the stack runs: swarm or kubernetes (default: where the last setup deployed it, else swarm).",
                               valueName: "orchestrator"))
    var orchestrator: Orchestrator?

    /// The option, else the state file's record, else Swarm. An unreadable state file counts as no record: the
    /// commands that need the state say what is wrong with it.
    func resolve(_ workspace: Workspace?) -> Orchestrator {
        orchestrator ?? (try? workspace?.state.load())??.orchestrator ?? .swarm
    }

    /// The option, else the record in the state directory that `global` names, else Swarm (`status`, `logs`
    /// and `down` need no checkout, and work with a config they cannot read, as before).
    func resolve(_ global: GlobalOptions) -> Orchestrator {
        if let orchestrator { return orchestrator }
        return (try? global.stateStore.load())??.orchestrator ?? .swarm
    }

    /// The stack's orchestrator as verify and crashtest reach it.
    func runtime(_ workspace: Workspace, runner: any ProcessRunning) -> any ServiceRuntime {
        Self.runtime(resolve(workspace), state: workspace.state, runner: runner)
    }

    /// `orchestrator`'s runtime; a Docker daemon restarted by crashtest logs into `state`'s log directory.
    static func runtime(_ orchestrator: Orchestrator, state: StateStore, runner: any ProcessRunning) -> any ServiceRuntime {
        switch orchestrator {
        case .swarm: SwarmRuntime(engine: DockerEngineAPI(), runner: runner, logDirectory: state.logDirectory)
        case .kubernetes: KubernetesRuntime(runner: runner)
        }
    }
}
