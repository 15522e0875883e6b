import Foundation

/// Everything under `srcs/`: the rendered templates of every image plus `stack.yml`, and the pure
/// comparison with what is on disk (for writing only changed files and for `render --check`).
public enum SourceTree {
    /// Where a user-given Grafana `.deb` goes in the grafana image's build context (its Dockerfile installs
    /// every `packages/*.deb`).
    public static let grafanaPackagesDirectory = "grafana/packages"

    /// Renders every image's templates, Grafana's dashboards (``DashboardRenderer``), the user's Grafana
    /// `.deb` when ``GrafanaPackage/localDeb(path:)`` (copied byte for byte, so it counts in the grafana
    /// image's hash), `stack.yml` for `services` (default: all) and the Kubernetes manifests of `k8s/`
    /// (always every service, with placeholders). Reads `templatesDirectory` and the `.deb`.
    public static func render(stack: Stack, templatesDirectory: URL, services: [ServiceName] = ServiceName.allCases)
        throws -> [RenderedFile]
    {
        var files = try TemplateRenderer(templatesDirectory: templatesDirectory, stack: stack).render()
        files += try DashboardRenderer.render(Monitoring(stack: stack))
        if case .localDeb(let path) = stack.config.grafanaPackage {
            files.append(try grafanaPackage(at: path))
        }
        files.sort { $0.path < $1.path }
        return files + [try StackFile.render(stack: stack, services: services)] + (try KubernetesManifests.render(stack: stack))
    }

    /// The orchestrator whose deploy files `path` is (`stack.yml`: Swarm, `k8s/…`: Kubernetes), nil for
    /// the images' build contexts, which both use.
    public static func orchestrator(of path: String) -> Orchestrator? {
        if path == StackFile.path { return .swarm }
        if path.hasPrefix(KubernetesManifests.directory + "/") { return .kubernetes }
        return nil
    }

    /// The user's Grafana `.deb` as a file of the grafana build context.
    public static func grafanaPackage(at path: String) throws(TemplateError) -> RenderedFile {
        do {
            let contents = try Data(contentsOf: URL(fileURLWithPath: path))
            let name = URL(fileURLWithPath: path).lastPathComponent
            return RenderedFile(path: "\(grafanaPackagesDirectory)/\(name)", contents: contents)
        } catch {
            throw .unreadable(path: path, reason: "\((error as NSError).localizedDescription) (grafana.package)")
        }
    }

    /// Compares `rendered` with `current` (the caller's read of `srcs/`: relative path → bytes).
    /// Modes are not compared: write every file of ``SourceTreeDiff/toWrite`` with its ``RenderedFile/mode``
    /// and fix modes of unchanged files if needed.
    public static func diff(rendered: [RenderedFile], current: [String: Data]) -> SourceTreeDiff {
        var diff = SourceTreeDiff()
        let renderedPaths = Set(rendered.map(\.path))
        for file in rendered.sorted(by: { $0.path < $1.path }) {
            if current[file.path] == file.contents {
                diff.unchanged.append(file.path)
            } else {
                diff.toWrite.append(file)
            }
        }
        diff.stale = current.keys.filter { !renderedPaths.contains($0) }.sorted()
        return diff
    }
}

/// The result of ``SourceTree/diff(rendered:current:)``.
public struct SourceTreeDiff: Sendable, Equatable {
    /// Files that are new or whose bytes differ, sorted by path.
    public var toWrite: [RenderedFile] = []
    /// Paths whose bytes already match, sorted.
    public var unchanged: [String] = []
    /// Paths present in `srcs/` that nothing renders any more, sorted.
    public var stale: [String] = []

    public init(toWrite: [RenderedFile] = [], unchanged: [String] = [], stale: [String] = []) {
        self.toWrite = toWrite
        self.unchanged = unchanged
        self.stale = stale
    }

    /// True when `srcs/` matches the model exactly (what `render --check` requires).
    public var isClean: Bool { toWrite.isEmpty && stale.isEmpty }
}
