import FTServicesCore
import Foundation
import Testing
import FTServicesTestSupport
@testable import FTServicesKit

/// The order of the shared setup pipeline before anything is rendered: the state lock, then the
/// orchestrator's own checks (on Kubernetes the kubectl context, the address and the cluster), against a
/// scripted kubectl and an engine that is not there.
@Suite struct SetupPipelineTests {
    /// A workspace whose project (and so srcs/) is an empty temporary directory: nothing may be rendered into it.
    func workspace() throws -> Workspace {
        let root = try TestFiles.directory()
        return Workspace(config: .defaults, configFile: nil, project: ProjectLayout(root: root),
                         state: StateStore(directory: root.appendingPathComponent("state")))
    }

    func run(_ workspace: Workspace, kubectl: ScriptedRunner, address: String?) async throws {
        let pipeline = SetupPipeline(workspace: workspace, engine: DockerEngineAPI(socketPath: "/nonexistent"), progress: RecordingProgress(),
                                     runner: kubectl)
        _ = try await pipeline.run(KubernetesDeployment(workspace: workspace, progress: RecordingProgress(), runner: kubectl),
                                   address: address, timeout: 1)
    }

    @Test func kubernetesChecksTheContextBeforeRenderingOrAskingTheEngine() async throws {
        let workspace = try workspace()
        let kubectl = ScriptedRunner([["kubectl", "config", "current-context"]: .fail("error: current-context is not set")])
        await #expect(throws: KubernetesError.self) { try await run(workspace, kubectl: kubectl, address: "192.0.2.10") }
        #expect(kubectl.calls.map(\.arguments) == [["kubectl", "config", "current-context"]])
        #expect(!FileManager.default.fileExists(atPath: workspace.project.sources.path))
    }

    @Test func kubernetesNeedsTheAddressAndMetalLBBeforeRendering() async throws {
        let workspace = try workspace()
        let noCRDs = ScriptedRunner([["kubectl", "config", "current-context"]: .output("minikube"), ["kubectl", "get", "crd"]: .output("")])
        await #expect { try await run(workspace, kubectl: noCRDs, address: nil) } throws: { "\($0)".contains("--address") }
        #expect(noCRDs.calls.map(\.arguments) == [["kubectl", "config", "current-context"]])

        await #expect { try await run(workspace, kubectl: noCRDs, address: "192.0.2.10") } throws: { "\($0)".contains("metallb") }
        #expect(noCRDs.calls.map(\.arguments).last == ["kubectl", "get", "crd", "-o", "name"])
        #expect(!FileManager.default.fileExists(atPath: workspace.project.sources.path))
    }

    @Test func theLockComesFirst() async throws {
        let workspace = try workspace()
        let held = try workspace.state.lock()
        defer { close(held) }
        let kubectl = ScriptedRunner()
        await #expect(throws: StateError.self) { try await run(workspace, kubectl: kubectl, address: "192.0.2.10") }
        #expect(kubectl.calls.isEmpty)
    }
}
