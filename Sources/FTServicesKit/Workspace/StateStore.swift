import FTServicesCore
import Foundation

/// Reads and writes the state directory. Writes are atomic (temporary file + rename), so an interrupted
/// setup never leaves a half-written state file behind.
public struct StateStore: Sendable {
    /// The state directory (created 0700 on first write; see ``prepare()``).
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// `$XDG_STATE_HOME/ftservices`, else `$HOME/.local/state/ftservices`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("ftservices")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/ftservices")
    }

    public var stateFile: URL { directory.appendingPathComponent("state.json") }
    public var logDirectory: URL { directory.appendingPathComponent("logs") }
    /// Where `backup`, `restore` and `down --volumes` keep archives by default.
    public var backupDirectory: URL { directory.appendingPathComponent("backups") }
    public var caDirectory: URL { directory.appendingPathComponent("ca") }
    /// The CA certificate users can trust (`curl --cacert`).
    public var caCertificate: URL { caDirectory.appendingPathComponent("ca.crt") }
    /// The SSH client key that logs in to the nginx container's sshd.
    public var sshPrivateKey: URL { directory.appendingPathComponent("ssh/id_ed25519") }

    /// Takes the state directory's lock for as long as the returned descriptor stays open, so two setups
    /// cannot interleave their builds, secrets and deploys. Fails at once when another process holds it.
    public func lock() throws(StateError) -> Int32 {
        try prepare()
        let path = directory.appendingPathComponent("lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .unwritable(file: URL(fileURLWithPath: path), reason: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw .busy(directory: directory)
        }
        return fd
    }

    /// The saved state, or nil before the first setup.
    public func load() throws(StateError) -> StackState? {
        guard FileManager.default.fileExists(atPath: stateFile.path) else { return nil }
        do {
            let data = try Data(contentsOf: stateFile)
            return try JSONDecoder().decode(StackState.self, from: data)
        } catch {
            throw .unreadable(file: stateFile, reason: "\(error)")
        }
    }

    /// Saves the state atomically with mode 0600.
    public func save(_ state: StackState) throws(StateError) {
        do {
            try writeAtomically(try JSONEncoder.stable(escapingSlashes: true).encode(state), to: stateFile, mode: 0o600)
        } catch let error as StateError {
            throw error
        } catch {
            throw .unwritable(file: stateFile, reason: "\(error)")
        }
    }

    /// Records where setup deploys the stack (a no-op before the first setup wrote the state).
    public func record(orchestrator: Orchestrator) throws(StateError) {
        guard var state = try load(), state.orchestrator != orchestrator else { return }
        state.orchestrator = orchestrator
        try save(state)
    }

    /// Creates the state directory and its subdirectories (0700). The mode of an existing directory is
    /// changed only when it already holds ftservices state; shared (world-writable or sticky), system and
    /// foreign-owned directories are refused, untouched (see ``claimDirectory()``).
    public func prepare() throws(StateError) {
        try claimDirectory()
        for url in [logDirectory, caDirectory, sshPrivateKey.deletingLastPathComponent()] {
            try claimSubdirectory(url)
        }
    }

    /// Writes `data` to `url` through a temporary file in the same directory and a rename.
    public func writeAtomically(_ data: Data, to url: URL, mode: Int) throws(StateError) {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: mode]) else {
            throw .unwritable(file: url, reason: "cannot create \(temporary.path)")
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw .unwritable(file: url, reason: reason)
        }
    }
}

/// The state directory could not be read or written.
public enum StateError: Error, CustomStringConvertible, LocalizedError {
    case unreadable(file: URL, reason: String)
    case unwritable(file: URL, reason: String)
    case missing(directory: URL)
    case busy(directory: URL)
    /// The directory must not hold the state (shared, a system directory, someone else's, in the checkout).
    case unsuitable(directory: URL, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file.path): cannot read the saved state (\(reason)). Restore it from a backup; deleting it makes setup generate new passwords, which the existing data volumes will not accept."
        case .unwritable(let file, let reason):
            return "\(file.path): cannot write (\(reason))."
        case .busy(let directory):
            return "another ftservices command is setting up the stack of \(directory.path): wait for it to finish (or stop it), then run this again."
        case .unsuitable(let directory, let reason):
            return "\(directory.path): cannot hold the stack state (\(reason)); choose a directory of your own with --state-dir or the config key stateDirectory, such as ~/.local/state/ftservices (the default)."
        case .missing(let directory):
            return "no stack state in \(directory.path): run `ftservices setup` first (or pass --state-dir where it lives)."
        }
    }

    public var errorDescription: String? { description }
}
