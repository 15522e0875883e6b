import ArgumentParser
import FTServicesCore

/// `--orchestrator swarm|kubernetes`: a bad value is rejected with the allowed ones (exit 64).
extension Orchestrator: ExpressibleByArgument {}
