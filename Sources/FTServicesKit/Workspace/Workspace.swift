import FTServicesCore
import Foundation

/// What every command works on: the validated config, the stack model, the checkout and the state store.
public struct Workspace: Sendable {
    public var config: StackConfig
    /// The config file given with `--config`, if any (for messages).
    public var configFile: String?
    public var stack: Stack
    public var project: ProjectLayout
    public var state: StateStore

    public init(config: StackConfig, configFile: String?, project: ProjectLayout, state: StateStore) {
        self.config = config
        self.configFile = configFile
        self.stack = Stack(config: config)
        self.project = project
        self.state = state
    }

    /// Loads the config (defaults without one), finds the checkout and the state directory.
    /// - Parameters:
    ///   - stateDirectory: `--state-dir`; wins over the config's `stateDirectory`, which wins over the XDG default.
    public static func load(configPath: String?, stateDirectory: String?, projectDirectory: String?) throws -> Workspace {
        let config = try configPath.map { path throws(ConfigError) in try ConfigLoader.load(path: path) } ?? .defaults
        let project = try ProjectLayout.locate(explicit: projectDirectory)
        let state = StateStore(directory: Self.stateDirectory(option: stateDirectory, config: config))
        try state.checkPlacement(project: project)
        return Workspace(config: config, configFile: configPath, project: project, state: state)
    }

    /// `--state-dir`, else the config's `stateDirectory`, else the XDG default.
    public static func stateDirectory(option: String?, config: StackConfig) -> URL {
        if let path = option ?? config.stateDirectory { return URL(fileURLWithPath: path).standardizedFileURL }
        return StateStore.defaultDirectory()
    }
}
