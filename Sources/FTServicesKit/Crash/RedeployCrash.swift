import FTServicesCore

/// `crashtest --mode redeploy`: the service's container replaced by the orchestrator without failing it
/// (a forced update on Swarm, a rollout restart on Kubernetes).
struct RedeployCrash: ContainerCrashStrategy {
    let steps: CrashSteps

    func crash(_ target: CrashTarget, in container: RunningContainer, run: inout CrashRun,
               options: CrashTester.Options) async throws -> String {
        try await steps.runtime.redeploy(target.service)
    }
}
