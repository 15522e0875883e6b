import FTServicesCore
import Foundation
import Testing
@testable import FTServicesKit

/// An image gets its tags only once its build succeeded, the content-hash tag last: a failed (or
/// interrupted) build leaves no tag, so the next run builds it again instead of taking it as done.
@Suite struct ImageBuilderTests {
    /// docker for the builder: `docker build` writes an image ID to its `--iidfile` unless the image's
    /// build is to fail; every argv is kept.
    final class FakeDocker: ProcessRunning, @unchecked Sendable {
        let lock = NSLock()
        var failing: Set<String>
        private(set) var calls: [[String]] = []

        init(failing: Set<String> = []) { self.failing = failing }

        func run(_ arguments: [String], input: Data?, environment: [String: String], logFile: URL?) async throws(ProcessError) -> ProcessOutput {
            lock.withLock { calls.append(arguments) }
            if arguments.starts(with: ["docker", "build"]), let flag = arguments.firstIndex(of: "--iidfile") {
                let context = arguments.last ?? ""
                if lock.withLock({ failing.contains { context.hasSuffix("/" + $0) } }) {
                    throw .failed(command: arguments, status: "exit status 1", standardError: "The command '/bin/sh -c false' returned a non-zero code: 1", logFile: logFile)
                }
                try? Data("sha256:built-\(URL(fileURLWithPath: context).lastPathComponent)\n".utf8).write(to: URL(fileURLWithPath: arguments[flag + 1]))
            }
            return ProcessOutput(standardOutput: "", standardError: "")
        }

        var tagCalls: [[String]] { lock.withLock { calls.filter { $0.starts(with: ["docker", "tag"]) } } }
    }

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("image-builder-\(UUID().uuidString.prefix(8))")

    func plan(_ name: ImageName, hash: String) -> ImagePlan {
        let stack = Stack(config: .defaults)
        return ImagePlan(image: stack.image(name), context: directory.appendingPathComponent("srcs/\(name.rawValue)"), hash: hash)
    }

    /// The parent every planned image is built on, already built.
    var runtime: ImagePlan { plan(.runtime, hash: "run000") }

    /// The tags present: the base's and the runtime's, so only the other planned images are built.
    var baseTags: [String: String] {
        ["ftservices/base:\(ImageBuilder.baseHash)": "sha256:base", StackImage.baseImageTag: "sha256:base",
         runtime.hashTag: "sha256:runtime", runtime.localTag: "sha256:runtime"]
    }

    @Test func aBuildIsTaggedOnlyAfterItSucceededTheHashTagLast() async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let docker = FakeDocker()
        let nginx = plan(.nginx, hash: "abc123")
        try await ImageBuilder(runner: docker, logDirectory: directory, cacheDirectory: directory).build([runtime, nginx], existing: baseTags) { _ in }
        let build = try #require(docker.calls.firstIndex { $0.starts(with: ["docker", "build"]) })
        #expect(!docker.calls[build].contains("-t"), "the build itself must not tag: \(docker.calls[build])")
        #expect(Array(docker.calls[(build + 1)...]) == [
            ["docker", "tag", "sha256:built-nginx", "ftservices/nginx:local"],
            ["docker", "tag", "sha256:built-nginx", "ftservices/nginx:abc123"],
        ])
    }

    @Test func aFailedBuildGetsNoTagAndIsBuiltAgainNextTime() async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let docker = FakeDocker(failing: ["nginx"])
        let nginx = plan(.nginx, hash: "abc123")
        let mysql = plan(.mysql, hash: "def456")
        await #expect(throws: BuildError.self) {
            try await ImageBuilder(runner: docker, logDirectory: directory, cacheDirectory: directory)
                .build([runtime, nginx, mysql], existing: baseTags) { _ in }
        }
        #expect(!docker.tagCalls.contains { $0.last?.hasPrefix("ftservices/nginx:") == true }, "\(docker.tagCalls)")
        #expect(docker.tagCalls.contains(["docker", "tag", "sha256:built-mysql", "ftservices/mysql:def456"]))

        // The next run finds no hash tag of nginx (mysql's is there) and builds nginx, and only nginx, again.
        let next = FakeDocker()
        var existing = baseTags
        existing["ftservices/mysql:def456"] = "sha256:built-mysql"
        existing["ftservices/mysql:local"] = "sha256:built-mysql"
        try await ImageBuilder(runner: next, logDirectory: directory, cacheDirectory: directory).build([runtime, nginx, mysql], existing: existing) { _ in }
        let builds = next.calls.filter { $0.starts(with: ["docker", "build"]) }.map { URL(fileURLWithPath: $0.last ?? "").lastPathComponent }
        #expect(builds == ["nginx"])
        #expect(next.tagCalls.last == ["docker", "tag", "sha256:built-nginx", "ftservices/nginx:abc123"])
    }
}
