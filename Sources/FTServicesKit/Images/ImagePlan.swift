import FTServicesCore
import Foundation

/// One image to build: its rendered build context and its content hash.
public struct ImagePlan: Sendable, Equatable {
    /// The image's name (`nginx`), for progress and logs.
    public var name: String
    /// The image it is built FROM, if that is one of ours (`runtime`, `webphp`); nil for runtime.
    public var parent: String?
    /// The rendered build context (`srcs/<name>`).
    public var context: URL
    /// Content hash of the context plus the parent's hash (`ImageHash`).
    public var hash: String
    /// `ftservices/<name>:<hash>`: present means built, so never rebuilt.
    public var hashTag: String
    /// `ftservices/<name>:local`: the tag children use in `FROM`.
    public var localTag: String

    public init(image: StackImage, context: URL, hash: String) {
        self.name = image.name.rawValue
        self.parent = image.parent?.rawValue
        self.context = context
        self.hash = hash
        self.hashTag = image.tag(hash: hash)
        self.localTag = image.localTag
    }

    /// The repository part of the tags (`ftservices/nginx`).
    var repository: String { String(localTag.prefix { $0 != ":" }) }
}

/// What happened to one image during a build.
public enum ImageBuildEvent: Sendable, Equatable {
    case cached(image: String)
    case started(image: String)
    case built(image: String, seconds: Double)
    case failed(image: String, message: String)
    case skipped(image: String, reason: String)
}
