import FTServicesCore
import Foundation

/// Makes built images available to the cluster through ``ImageDistribution``.
public struct ClusterImageLoader: Sendable {
    let runner: any ProcessRunning

    public init(runner: any ProcessRunning = SubprocessRunner()) {
        self.runner = runner
    }

    /// Makes every `local` image available as its `target` reference; returns the targets that were loaded or pushed.
    /// - Parameter images: (the local tag, the reference the cluster runs).
    public func makeAvailable(_ images: [(local: String, target: String)], via distribution: ImageDistribution, logFile: URL) async throws -> [String] {
        var done: [String] = []
        switch distribution {
        case .minikube(let profile):
            // minikube lists its images as docker.io/ftservices/…: skip those it has.
            let listed = (try? await runner.output(["minikube", "-p", profile, "image", "ls"])) ?? ""
            let present = Set(listed.split(separator: "\n").map { $0.replacingOccurrences(of: "docker.io/", with: "") })
            for image in images where !present.contains(image.target) {
                try await step(["minikube", "-p", profile, "image", "load", image.local], logFile: logFile)
                done.append(image.target)
            }
        case .kind(let cluster):
            // kind skips an image the nodes already have (same ID).
            for image in images {
                try await step(["kind", "load", "docker-image", "--name", cluster, image.local], logFile: logFile)
                done.append(image.target)
            }
        case .registry:
            for image in images {
                try await step(["docker", "tag", image.local, image.target], logFile: logFile)
                try await step(["docker", "push", image.target], logFile: logFile)
                done.append(image.target)
            }
        }
        return done
    }

    func step(_ arguments: [String], logFile: URL) async throws {
        do {
            try await runner.run(arguments, logFile: logFile)
        } catch {
            if case .notFound(let program) = error { throw ImageLoadError.toolMissing(program: program) }
            throw ImageLoadError.failed(command: arguments, detail: error.standardError, logFile: logFile)
        }
    }
}

/// An image could not be made available to the cluster.
public enum ImageLoadError: Error, CustomStringConvertible, LocalizedError {
    case toolMissing(program: String)
    case failed(command: [String], detail: String, logFile: URL)

    public var description: String {
        switch self {
        case .toolMissing(let program):
            return "\(program) is not installed (not found in PATH), and the images go into the cluster with it: install \(program), or pass --registry HOST/PREFIX to push them to a registry instead."
        case .failed(let command, let detail, let logFile):
            var text = "`\(command.joined(separator: " "))` failed:\n"
                + detail.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").suffix(8).map { "    " + $0 }.joined(separator: "\n")
            text += "\n  full log: \(logFile.path)"
            if command.first == "docker", command.dropFirst().first == "push" {
                text += "\n  log in first (`docker login HOST`), and check that --registry names a registry this machine can push to."
            }
            return text
        }
    }

    public var errorDescription: String? { description }
}
