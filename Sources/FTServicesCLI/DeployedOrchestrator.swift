import ArgumentParser
import FTServicesCore
import FTServicesEngine

/// `--orchestrator swarm|kubernetes` for the commands that work on the deployed stack. Without it they go
/// where the last setup deployed (recorded in the state file), else to Swarm.
struct DeployedOrchestrator: ParsableArguments {
    @Option(help: ArgumentHelp("Where the stack runs: swarm or kubernetes (default: where the last setup deployed it, else swarm).",
                               valueName: "orchestrator"))
    var orchestrator: Orchestrator?

    /// The option, else the state file's record, else Swarm.
    func resolve(_ workspace: Workspace) throws -> Orchestrator {
        if let orchestrator { return orchestrator }
        return try workspace.state.load()?.orchestrator ?? .swarm
    }

    /// The stack's orchestrator as verify and crashtest reach it.
    func runtime(_ workspace: Workspace, runner: any ProcessRunning) throws -> any ServiceRuntime {
        switch try resolve(workspace) {
        case .swarm: SwarmRuntime(engine: DockerEngineAPI(), runner: runner)
        case .kubernetes: KubernetesRuntime(runner: runner)
        }
    }
}
