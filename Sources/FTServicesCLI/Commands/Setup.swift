import ArgumentParser
import FTServicesCore
import FTServicesKit
import Foundation

extension FTServicesCommand {
    /// `ftservices setup`: render, build, deploy, wait until healthy, print the URLs.
    struct Setup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render srcs/, build the images, deploy the stack to Docker Swarm or Kubernetes and wait until every service is healthy.",
            discussion: """
                Re-running it with nothing changed rebuilds and restarts nothing. Exit status 3: every service but \
                Grafana is deployed, because no Grafana package could be had (set grafana.package in the config to a \
                local .deb). With --orchestrator kubernetes it uses the current kubectl context, which needs MetalLB \
                0.14.9 or newer; --address is then required (the one IP MetalLB gives every service).
                """
        )

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("The stack address users connect to (default: the config's address, else this host's address on its default route).", valueName: "ipv4"))
        var address: String?

        @Option(help: "How to show progress: auto, tty, plain, json or quiet.")
        var progress: ProgressMode = .auto

        @Option(help: ArgumentHelp("Seconds to wait for every service to become healthy.", valueName: "seconds"))
        var timeout: Double = 300

        @Option(help: ArgumentHelp("Where to deploy: swarm (this host's Docker engine) or kubernetes (the current kubectl context).", valueName: "orchestrator"))
        var orchestrator: Orchestrator = .swarm

        @Option(help: ArgumentHelp("Kubernetes only: push the images to this registry (HOST[:PORT]/PREFIX) for the cluster to pull; needed unless the context is minikube or kind-*.", valueName: "registry"))
        var registry: String?

        func validate() throws {
            try AddressOption.validate(address)
            guard timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds, not \(timeout)") }
            if let registry {
                guard orchestrator == .kubernetes else {
                    throw ValidationError("--registry is for --orchestrator kubernetes (Swarm runs the images of this host's engine)")
                }
                if !RegistryPrefix.isValid(registry) {
                    throw ValidationError("--registry '\(registry)' is not HOST[:PORT]/PREFIX such as registry.example.org:5000/ftservices (no scheme, no tag)")
                }
            }
        }

        func run() async throws {
            let workspace = try Workspace.load(configPath: global.config, stateDirectory: global.stateDirectory, projectDirectory: global.projectDirectory)
            let display = ProgressDisplay(mode: progress)
            let engine = DockerEngineAPI()
            let pipeline = SetupPipeline(workspace: workspace, engine: engine, progress: display)
            let orchestrator = self.orchestrator
            let (address, timeout, registry) = (self.address, self.timeout, self.registry)
            // The work runs in its own task so that SIGINT/SIGTERM can cancel it: it stops what it runs,
            // keeps nothing half-done and says what was done and what was not (SetupInterrupted).
            let work = Task {
                switch orchestrator {
                case .swarm:
                    try await pipeline.run(SwarmDeployment(workspace: workspace, engine: engine, progress: display),
                                           address: address, timeout: timeout)
                case .kubernetes:
                    try await pipeline.run(KubernetesDeployment(workspace: workspace, progress: display, registry: registry),
                                           address: address, timeout: timeout)
                }
            }
            let trap = SignalTrap { _ in work.cancel() }
            defer { trap.remove() }
            let outcome: SetupPipeline.Outcome
            do {
                outcome = try await work.value
            } catch let interrupted as SetupInterrupted {
                display.finish()
                FileHandle.standardError.write(Data("ftservices: \(interrupted)\n".utf8))
                throw ExitCode(ExitStatus.interrupted)
            }
            display.finish()
            print(Summary.setup(outcome, workspace: workspace))
            if orchestrator == .kubernetes {
                print("Every service shares \(outcome.address) (MetalLB); objects: kubectl get all --namespace \(KubernetesManifests.namespace)")
            }
            if let reason = outcome.grafanaMissing {
                FileHandle.standardError.write(Data("ftservices: deployed without Grafana (exit status 3): \(reason).\n".utf8))
                throw ExitCode(ExitStatus.grafanaMissing)
            }
        }
    }
}

/// `--registry HOST[:PORT]/PREFIX`: what `docker push` accepts as a repository prefix.
enum RegistryPrefix {
    static func isValid(_ text: String) -> Bool {
        text.wholeMatch(of: /[a-zA-Z0-9.-]+(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+\/?/) != nil
    }
}
