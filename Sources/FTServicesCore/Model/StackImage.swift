import Foundation

/// An image built from `templates/<name>/` rendered to `srcs/<name>/`.
public struct StackImage: Sendable, Equatable {
    /// The tag of the bootstrapped Debian base image (mmdebstrap + docker import); never pulled.
    public static let baseImageTag = "ftservices/base:bookworm"

    public var name: ImageName
    /// The image it is built `FROM`; nil for runtime, which is built on ``baseImageTag``.
    public var parent: ImageName?
    /// Directory under `templates/` (and under `srcs/`) holding its Dockerfile and files.
    public var templateDirectory: String

    public init(name: ImageName, parent: ImageName?, templateDirectory: String) {
        self.name = name
        self.parent = parent
        self.templateDirectory = templateDirectory
    }

    /// `ftservices/<name>:local`, the fixed tag children use in `FROM`.
    public var localTag: String { "ftservices/\(name.rawValue):local" }

    /// `ftservices/<name>:<hash>`, the content-addressed tag (see ``ImageHash``).
    public func tag(hash: String) -> String { "ftservices/\(name.rawValue):\(hash)" }

    /// The image's `FROM` reference.
    public var fromReference: String { parent.map { "ftservices/\($0.rawValue):local" } ?? Self.baseImageTag }

    /// The label that carries the content hash on built images.
    public static let hashLabel = "org.ftservices.hash"
}
