import Foundation

/// The stack model derived from a ``StackConfig``: the single source for templates, the stack file,
/// image builds, secrets and checks.
public struct Stack: Sendable, Equatable {
    /// The Swarm stack name (`docker stack deploy … ftservices`); resources are prefixed `ftservices_`.
    public static let name = "ftservices"
    /// This ftservices' version (`--version`, backup manifests).
    public static let toolVersion = "0.1.0"
    /// The overlay network every service joins (`ftservices_internal` once deployed).
    public static let networkName = "internal"

    public var config: StackConfig
    /// Every image, parents before children.
    public var images: [StackImage]
    /// Every service, in ``ServiceName`` order.
    public var services: [StackService]

    public init(config: StackConfig) {
        self.config = config
        self.images = Self.images()
        self.services = ServiceName.allCases.map { Self.service($0, config: config) }
    }

    /// The image called `name`.
    public func image(_ name: ImageName) -> StackImage { images.first { $0.name == name }! }

    /// The service called `name`.
    public func service(_ name: ServiceName) -> StackService { services.first { $0.name == name }! }

    /// Every secret key some service mounts, sorted by key.
    public var secretKeys: [SecretKey] { Array(Set(services.flatMap(\.secrets))).sorted() }

    /// Every named volume, in service order.
    public var volumes: [VolumeMount] { services.flatMap(\.volumes) }

    /// The chain of images `name` is built on, starting with its parent (empty for runtime).
    public func ancestors(of name: ImageName) -> [ImageName] {
        var chain: [ImageName] = []
        var current = image(name).parent
        while let parent = current {
            chain.append(parent)
            current = image(parent).parent
        }
        return chain
    }

    static func images() -> [StackImage] {
        ImageName.allCases.map { name in
            let parent: ImageName? =
                switch name {
                case .runtime: nil
                case .wordpress, .phpmyadmin: .webphp
                default: .runtime
                }
            return StackImage(name: name, parent: parent, templateDirectory: name.rawValue)
        }
    }
}
