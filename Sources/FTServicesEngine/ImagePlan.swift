import Foundation

/// One image to build: its rendered build context and its content hash.
public struct ImagePlan: Sendable, Equatable {
    /// The image's name (`nginx`); tagged `ftservices/<name>:<hash>` and `ftservices/<name>:local`.
    public var name: String
    /// The image it is built FROM, if that is one of ours (`runtime`, `webphp`); nil for the base.
    public var parent: String?
    /// The rendered build context (`srcs/<name>`).
    public var context: URL
    /// Content hash of the context plus the parent's hash (`ImageHash`).
    public var hash: String
    /// Files copied into the context before the build (e.g. a local Grafana .deb into `packages/`).
    public var extraFiles: [(source: URL, destination: String)]

    public init(name: String, parent: String?, context: URL, hash: String, extraFiles: [(source: URL, destination: String)] = []) {
        self.name = name
        self.parent = parent
        self.context = context
        self.hash = hash
        self.extraFiles = extraFiles
    }

    public var hashTag: String { "ftservices/\(name):\(hash)" }
    public var localTag: String { "ftservices/\(name):local" }

    public static func == (lhs: ImagePlan, rhs: ImagePlan) -> Bool {
        lhs.name == rhs.name && lhs.parent == rhs.parent && lhs.context == rhs.context && lhs.hash == rhs.hash
            && lhs.extraFiles.map(\.destination) == rhs.extraFiles.map(\.destination)
    }
}

/// What happened to one image during a build.
public enum ImageBuildEvent: Sendable, Equatable {
    case cached(image: String)
    case started(image: String)
    case built(image: String, seconds: Double)
    case failed(image: String, message: String)
    case skipped(image: String, reason: String)
}
