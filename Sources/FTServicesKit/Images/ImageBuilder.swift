import FTServicesCore
import Foundation

/// Builds the stack's images with the local Docker engine, never contacting a registry.
///
/// The base image is bootstrapped from Debian packages (mmdebstrap + `docker import`). Other images are
/// built level by level (an image after its parent), the images of one level in parallel; an image whose
/// content-hash tag already exists is not rebuilt. A build is tagged only once it succeeded (the
/// content-hash tag last), so a failed or interrupted one is built again by the next run.
public struct ImageBuilder: Sendable {
    public static let basePackages = ["ca-certificates", "curl", "openssl", "procps"]

    let runner: any ProcessRunning
    let logDirectory: URL
    let cacheDirectory: URL
    let parallelism: Int

    public init(runner: any ProcessRunning = SubprocessRunner(), logDirectory: URL, cacheDirectory: URL, parallelism: Int = 3) {
        self.runner = runner
        self.logDirectory = logDirectory
        self.cacheDirectory = cacheDirectory
        self.parallelism = max(1, parallelism)
    }

    /// `mmdebstrap` options for the base: minbase plus a few tools every image uses, without manuals,
    /// documentation and translations (copyright files are kept).
    static let baseOptions = ["--variant=minbase", "--format=tar", "--include=" + basePackages.joined(separator: ",")]
        + ["path-exclude=/usr/share/man/*", "path-exclude=/usr/share/info/*", "path-exclude=/usr/share/locale/*",
           "path-include=/usr/share/locale/locale.alias", "path-exclude=/usr/share/doc/*", "path-include=/usr/share/doc/*/copyright"]
            .map { "--dpkgopt=" + $0 }

    /// The hash of the base image's recipe (changes when its options or package list change).
    public static var baseHash: String {
        String(SHA256.hex(Array((["mmdebstrap"] + baseOptions + ["bookworm"]).joined(separator: " ").utf8)).prefix(12))
    }

    /// Builds every plan in dependency order. Reports each image's fate through `report`.
    /// Throws `BuildError` naming the first image that failed, after the images of its level finish.
    /// - Parameter existing: the current `ftservices/*` tags (`existingTags()`), when the caller has them.
    public func build(_ plans: [ImagePlan], existing known: [String: String]? = nil,
                      report: @escaping @Sendable (ImageBuildEvent) -> Void) async throws {
        let existing: [String: String]
        if let known { existing = known } else { existing = try await existingTags() }
        try await ensureBase(existing: existing, report: report)
        var done: Set<String> = []
        var remaining = plans
        while !remaining.isEmpty {
            let ready = remaining.filter { plan in plan.parent.map { done.contains($0) } ?? true }
            guard !ready.isEmpty else {
                throw BuildError.cycle(images: remaining.map(\.name))
            }
            remaining.removeAll { plan in ready.contains { $0.name == plan.name } }
            var failures: [BuildError] = []
            for batch in stride(from: 0, to: ready.count, by: parallelism).map({ Array(ready[$0..<min($0 + parallelism, ready.count)]) }) {
                await withTaskGroup(of: BuildError?.self) { group in
                    for plan in batch {
                        group.addTask {
                            do {
                                try await self.buildOne(plan, existing: existing, report: report)
                                return nil
                            } catch let error as BuildError {
                                return error
                            } catch {
                                return BuildError.failed(image: plan.name, detail: "\(error)", log: nil)
                            }
                        }
                    }
                    for await failure in group { if let failure { failures.append(failure) } }
                }
            }
            if let first = failures.first { throw first }
            done.formUnion(ready.map(\.name))
        }
    }

    func buildOne(_ plan: ImagePlan, existing: [String: String], report: @Sendable (ImageBuildEvent) -> Void) async throws {
        if let id = existing[plan.hashTag] {
            if existing[plan.localTag] != id { try await runner.run(["docker", "tag", plan.hashTag, plan.localTag]) }
            report(.cached(image: plan.name))
            return
        }
        report(.started(image: plan.name))
        let start = Date()
        let log = logDirectory.appendingPathComponent("build-\(plan.name).log")
        let idFile = logDirectory.appendingPathComponent("build-\(plan.name).iid")
        try? FileManager.default.removeItem(at: log)
        try? FileManager.default.removeItem(at: idFile)
        // The build gets no tag: only once it succeeded is its image tagged, the content-hash tag last, so
        // a failed or interrupted build leaves no tag that would pass for a finished image next time.
        let id: String
        do {
            try await runner.run(
                [
                    "docker", "build", "--force-rm", "--iidfile", idFile.path,
                    "--label", "\(StackImage.hashLabel)=\(plan.hash)", "--label", "org.ftservices.image=\(plan.name)", plan.context.path,
                ],
                environment: ["DOCKER_BUILDKIT": "0"], logFile: log
            )
            id = (try? String(contentsOf: idFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            try? FileManager.default.removeItem(at: idFile)
            guard !id.isEmpty else { throw BuildError.failed(image: plan.name, detail: "docker build wrote no image ID to \(idFile.path)", log: log) }
        } catch {
            let message = "docker build failed (last lines below; whole log: \(log.path))\n"
                + SubprocessRunner.tail(of: log, lines: 12).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
            report(.failed(image: plan.name, message: message))
            throw BuildError.failed(image: plan.name, detail: message, log: log)
        }
        try await runner.run(["docker", "tag", id, plan.localTag])
        try await runner.run(["docker", "tag", id, plan.hashTag])
        report(.built(image: plan.name, seconds: Date().timeIntervalSince(start)))
    }

    /// Bootstraps `ftservices/base:bookworm` from Debian packages when it is missing or outdated.
    func ensureBase(existing: [String: String], report: @Sendable (ImageBuildEvent) -> Void) async throws {
        let hashTag = "ftservices/base:\(Self.baseHash)"
        if existing[hashTag] != nil, existing[StackImage.baseImageTag] == existing[hashTag] {
            report(.cached(image: "base"))
            return
        }
        if existing[hashTag] != nil {
            try await runner.run(["docker", "tag", hashTag, StackImage.baseImageTag])
            report(.cached(image: "base"))
            return
        }
        report(.started(image: "base"))
        let start = Date()
        try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
        let tarball = cacheDirectory.appendingPathComponent("base-\(Self.baseHash).tar")
        let partial = cacheDirectory.appendingPathComponent("base-\(Self.baseHash).tar.partial")
        let log = logDirectory.appendingPathComponent("build-base.log")
        try? FileManager.default.removeItem(at: log)
        do {
            if !FileManager.default.fileExists(atPath: tarball.path) {
                try? FileManager.default.removeItem(at: partial)
                try await runner.run(
                    ["mmdebstrap"] + Self.baseOptions + ["bookworm", partial.path],
                    logFile: log
                )
                try FileManager.default.moveItem(at: partial, to: tarball)
            }
            try await runner.run(
                ["docker", "import", "--change", "LABEL \(StackImage.hashLabel)=\(Self.baseHash)", "--change", "CMD [\"/bin/bash\"]", tarball.path, hashTag],
                logFile: log
            )
            try await runner.run(["docker", "tag", hashTag, StackImage.baseImageTag])
            try? FileManager.default.removeItem(at: tarball)
        } catch {
            let message = "bootstrapping the Debian base image failed (whole log: \(log.path))\n"
                + SubprocessRunner.tail(of: log, lines: 12).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
            report(.failed(image: "base", message: message))
            throw BuildError.failed(image: "base", detail: message, log: log)
        }
        report(.built(image: "base", seconds: Date().timeIntervalSince(start)))
    }

    /// Untags older content-hash tags of the images in `plans` (their layers go once no container uses them).
    public func removeOutdatedTags(keeping plans: [ImagePlan]) async {
        guard let tags = try? await existingTags() else { return }
        let keep = Set(plans.flatMap { [$0.hashTag, $0.localTag] })
        let names = Set(plans.map(\.repository))
        for tag in tags.keys where !keep.contains(tag) && names.contains(String(tag.prefix { $0 != ":" })) {
            _ = try? await runner.output(["docker", "image", "rm", tag])
        }
    }

    /// Every `ftservices/*` tag and its image ID.
    public func existingTags() async throws -> [String: String] {
        let text = try await runner.output(["docker", "image", "ls", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}", "ftservices/*"])
        var tags: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { tags[String(parts[0])] = String(parts[1]) }
        }
        return tags
    }
}

/// An image could not be built.
public enum BuildError: Error, CustomStringConvertible, LocalizedError {
    case failed(image: String, detail: String, log: URL?)
    case cycle(images: [String])

    public var description: String {
        switch self {
        case .failed(let image, let detail, _):
            return "image \(image): \(detail)"
        case .cycle(let images):
            return "images \(images.joined(separator: ", ")) depend on each other or on an image that is not built; check their parents in the stack model"
        }
    }

    public var errorDescription: String? { description }
}
