import Foundation

/// What the Kubernetes manifests need that is only known when they are applied: the shared address and
/// the image each service runs. `srcs/k8s/` is rendered with ``placeholders``; `setup --orchestrator
/// kubernetes` renders the same manifests with the real values and applies those.
public struct KubernetesValues: Sendable, Equatable {
    /// The IPv4 address every LoadBalancer Service shares (MetalLB pool and `loadBalancerIP`), also the
    /// FTPS passive address (`FTS_ADDRESS`).
    public var address: String
    /// The image reference per service; a service not listed runs ``StackImage/localTag``.
    public var images: [ServiceName: String]

    public init(address: String, images: [ServiceName: String] = [:]) {
        self.address = address
        self.images = images
    }

    /// What `srcs/k8s/` holds: `${FTS_ADDRESS}` (the variable `srcs/stack.yml` uses too, so the files
    /// can be applied by hand through `envsubst`) and `ftservices/<service>:local`.
    public static let placeholders = KubernetesValues(address: "${\(StackFile.addressVariable)}")

    /// The value of a deploy-time variable (``StackService/deployEnvironment``): the address for
    /// `FTS_ADDRESS`, else `${NAME}` as in `srcs/stack.yml`.
    public func environment(_ name: String) -> String {
        name == StackFile.addressVariable ? address : "${\(name)}"
    }

    /// The image `service` runs.
    public func image(for service: ServiceName, stack: Stack) -> String {
        images[service] ?? stack.image(service.image).localTag
    }
}
