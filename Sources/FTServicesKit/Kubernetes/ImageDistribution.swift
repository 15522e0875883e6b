import FTServicesCore
import Foundation

/// How the images built by the local Docker engine reach a Kubernetes cluster (no registry is assumed).
public enum ImageDistribution: Sendable, Equatable {
    /// `minikube -p PROFILE image load` (context `minikube`).
    case minikube(profile: String)
    /// `kind load docker-image --name CLUSTER` (context `kind-CLUSTER`).
    case kind(cluster: String)
    /// `docker push` to `HOST[:PORT]/PREFIX` (`--registry`), which the cluster pulls from.
    case registry(String)

    /// `--registry` wins; else minikube's and kind's own contexts; any other cluster needs a registry.
    public static func choose(context: String, registry: String?) throws(KubernetesError) -> ImageDistribution {
        if let registry { return .registry(registry.hasSuffix("/") ? String(registry.dropLast()) : registry) }
        if context == "minikube" { return .minikube(profile: context) }
        if context.hasPrefix("kind-"), context.count > 5 { return .kind(cluster: String(context.dropFirst(5))) }
        throw .needsRegistry(context: context)
    }

    /// The reference the cluster runs for an image built as `ftservices/<image>:<hash>`.
    public func reference(image: StackImage, hash: String) -> String {
        switch self {
        case .minikube, .kind: image.tag(hash: hash)
        case .registry(let prefix): "\(prefix)/\(image.name.rawValue):\(hash)"
        }
    }

    /// What progress calls it.
    public var summary: String {
        switch self {
        case .minikube(let profile): "loading images into minikube (profile \(profile))"
        case .kind(let cluster): "loading images into kind (cluster \(cluster))"
        case .registry(let prefix): "pushing images to \(prefix)"
        }
    }
}
