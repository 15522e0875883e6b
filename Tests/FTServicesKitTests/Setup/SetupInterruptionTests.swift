import FTServicesCore
import Foundation
import Testing
import FTServicesTestSupport
@testable import FTServicesKit

/// A cancelled setup (the CLI cancels it at SIGINT or SIGTERM) stops the program it runs within two seconds
/// and says which step it was in, what was done and what was not.
@Suite struct SetupInterruptionTests {
    /// kubectl that answers the context at once and then hangs on the next command until it is cancelled.
    final class HangingKubectl: ProcessRunning, @unchecked Sendable {
        func run(_ arguments: [String], input: Data?, environment: [String: String], logFile: URL?) async throws(ProcessError) -> ProcessOutput {
            if arguments.starts(with: ["kubectl", "config", "current-context"]) { return ProcessOutput(standardOutput: "minikube", standardError: "") }
            // The real runner runs `sleep` here: cancelling the task must end the program.
            return try await SubprocessRunner().run(["sleep", "30"], input: nil, environment: [:], logFile: nil)
        }
    }

    @Test func aRunningProgramEndsWithinTwoSecondsOfTheCancel() async throws {
        let task = Task { try await SubprocessRunner().run(["sleep", "30"], input: nil, environment: [:], logFile: nil) }
        try await Task.sleep(for: .milliseconds(300))
        let start = ContinuousClock.now
        task.cancel()
        _ = try? await task.value
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test func anInterruptedSetupNamesItsStepAndWhatIsNotDone() async throws {
        let root = try TestFiles.directory()
        let workspace = Workspace(config: .defaults, configFile: nil, project: ProjectLayout(root: root),
                                  state: StateStore(directory: root.appendingPathComponent("state")))
        let kubectl = HangingKubectl()
        let pipeline = SetupPipeline(workspace: workspace, engine: DockerEngineAPI(socketPath: "/nonexistent"), progress: RecordingProgress(),
                                     runner: kubectl)
        let task = Task {
            try await pipeline.run(KubernetesDeployment(workspace: workspace, progress: RecordingProgress(), runner: kubectl),
                                   address: "192.0.2.10", timeout: 1)
        }
        try await Task.sleep(for: .milliseconds(300))
        let start = ContinuousClock.now
        task.cancel()
        let error = await #expect(throws: SetupInterrupted.self) { _ = try await task.value }
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(error?.step == .checks && error?.done == [])
        let text = "\(error!)"
        #expect(text.contains("setup interrupted during the orchestrator's checks"), "\(text)")
        #expect(text.contains("not done: the orchestrator's checks, rendering srcs/, the secrets, building the images, deploying, waiting until healthy"), "\(text)")
        #expect(text.contains("run setup again to finish"), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: workspace.project.sources.path), "nothing rendered after the interruption")
    }

    @Test func stepsDoneAreThoseBegunBeforeTheCurrentOne() {
        let steps = SetupSteps()
        steps.begin(.checks)
        steps.begin(.render)
        steps.begin(.secrets)
        steps.begin(.build)
        #expect(steps.current == .build)
        #expect(steps.done == [.checks, .render, .secrets])
        #expect(steps.notDone == [.build, .deploy, .wait])
        #expect("\(SetupInterrupted(step: .build, done: steps.done, notDone: steps.notDone))".contains("tagged with its content hash only once its build succeeded"))
    }
}
