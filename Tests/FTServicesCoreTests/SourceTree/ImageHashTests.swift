import Foundation
import Testing
@testable import FTServicesCore

@Suite struct ImageHashTests {
    let files = [
        RenderedFile(path: "nginx/entrypoint", contents: Data("#!/bin/sh\n".utf8), isExecutable: true),
        RenderedFile(path: "nginx/Dockerfile", contents: Data("FROM x\n".utf8)),
    ]

    @Test func isTwelveHexAndIndependentOfOrder() {
        let hash = ImageHash.compute(image: .nginx, files: files, parentHash: "0123456789ab")
        #expect(hash.count == 12 && hash.allSatisfy(\.isHexDigit))
        #expect(ImageHash.compute(image: .nginx, files: files.reversed(), parentHash: "0123456789ab") == hash)
    }

    @Test func changesWithContentModeParentAndName() {
        let hash = ImageHash.compute(image: .nginx, files: files, parentHash: "p")
        var modeChanged = files
        modeChanged[0].isExecutable = false
        var contentChanged = files
        contentChanged[1].contents = Data("FROM y\n".utf8)
        let variants = [
            ImageHash.compute(image: .nginx, files: modeChanged, parentHash: "p"),
            ImageHash.compute(image: .nginx, files: contentChanged, parentHash: "p"),
            ImageHash.compute(image: .nginx, files: files, parentHash: "q"),
            ImageHash.compute(image: .nginx, files: files, parentHash: nil),
            ImageHash.compute(image: .mysql, files: files, parentHash: "p"),
        ]
        #expect(Set(variants + [hash]).count == 6)
    }

    @Test func computeAllChainsParents() {
        let stack = Stack(config: .defaults)
        let runtime = [RenderedFile(path: "runtime/Dockerfile", contents: Data("FROM base\n".utf8))]
        let webphp = [RenderedFile(path: "webphp/Dockerfile", contents: Data("FROM runtime\n".utf8))]
        let wordpress = [RenderedFile(path: "wordpress/Dockerfile", contents: Data("FROM webphp\n".utf8))]
        let hashes = ImageHash.computeAll(stack: stack, files: runtime + webphp + wordpress)
        #expect(hashes[.runtime] == ImageHash.compute(image: .runtime, files: runtime, parentHash: nil))
        #expect(hashes[.webphp] == ImageHash.compute(image: .webphp, files: webphp, parentHash: hashes[.runtime]))
        #expect(hashes[.wordpress] == ImageHash.compute(image: .wordpress, files: wordpress, parentHash: hashes[.webphp]))
        let changedRuntime = [RenderedFile(path: "runtime/Dockerfile", contents: Data("FROM base2\n".utf8))]
        #expect(ImageHash.computeAll(stack: stack, files: changedRuntime + webphp + wordpress)[.wordpress] != hashes[.wordpress])
    }
}
