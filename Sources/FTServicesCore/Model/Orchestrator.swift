import Foundation

/// Where the stack runs. Both render from the one ``Stack`` model and run the same images.
public enum Orchestrator: String, Sendable, CaseIterable, Codable {
    /// A single-node Docker Swarm on this host's engine (`srcs/stack.yml`).
    case swarm
    /// The cluster of the current kubectl context, with MetalLB for the shared address (`srcs/k8s/`).
    case kubernetes
}
