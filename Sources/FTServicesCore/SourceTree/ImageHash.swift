import Foundation

/// The content hash that tags an image (`ftservices/<image>:<hash>`, label `org.ftservices.hash`):
/// an image whose hash tag exists is not rebuilt.
public enum ImageHash {
    /// First 12 hex digits of SHA-256 over the image name, each file sorted by path (path, mode in octal,
    /// byte count, bytes, each field NUL-terminated), and the parent's hash (so a changed parent
    /// changes every child). `files` should be the image's own rendered files.
    public static func compute(image: ImageName, files: [RenderedFile], parentHash: String?) -> String {
        var hasher = SHA256()
        hasher.update("ftservices-image-v1\0\(image.rawValue)\0")
        for file in files.sorted(by: { $0.path < $1.path }) {
            hasher.update("\(file.path)\0\(String(file.mode, radix: 8))\0\(file.contents.count)\0")
            hasher.update(file.contents)
            hasher.update("\0")
        }
        hasher.update("parent\0\(parentHash ?? "-")\0")
        return String(SHA256.lowercaseHex(hasher.finalize()).prefix(12))
    }

    /// Hashes of every image present in `files` (grouped by their first path component), parents first.
    /// An image whose parent has no files gets a hash computed with the parent's hash missing.
    public static func computeAll(stack: Stack, files: [RenderedFile]) -> [ImageName: String] {
        var hashes: [ImageName: String] = [:]
        for image in stack.images {
            let own = files.filter { $0.imageDirectory == image.templateDirectory }
            guard !own.isEmpty else { continue }
            hashes[image.name] = compute(image: image.name, files: own, parentHash: image.parent.flatMap { hashes[$0] })
        }
        return hashes
    }
}
