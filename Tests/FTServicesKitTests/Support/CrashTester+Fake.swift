import FTServicesCore
import Foundation
@testable import FTServicesKit

extension CrashTester {
    /// A tester of the default stack against `engine`, with no credentials (nothing here reaches a service).
    static func fake(_ engine: any ContainerEngineAPI) -> CrashTester {
        let credentials = VerifyCredentials(caFile: "/nonexistent", sshPrivateKey: "/nonexistent", sshPublicKey: nil, passwords: [:])
        let stack = Stack(config: .defaults)
        return CrashTester(engine: engine, runner: ScriptedRunner(), verifier: Verifier(credentials: credentials, engine: engine),
                           canaries: CanaryKeeper(engine: engine, credentials: credentials, config: stack.config, address: "127.0.0.1"),
                           stack: stack, address: "127.0.0.1")
    }

    /// Kill mode's strategy with this tester's steps, to signal a process directly.
    var kill: KillCrash { KillCrash(steps: steps, stack: stack) }
}
