import Foundation

/// Where a state directory may be, and taking it over without changing what is not the tool's.
///
/// `--state-dir` names any path: as root, a chmod of `/tmp` would strip its sticky bit, and a directory
/// inside the checkout would be wiped by `render` (it removes what it did not render under srcs/).
extension StateStore {
    /// Directories the system or other users own or share; never a state directory.
    static let systemDirectories: Set<String> = [
        "/", "/bin", "/boot", "/dev", "/dev/shm", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32", "/media", "/mnt",
        "/opt", "/proc", "/root", "/run", "/run/user", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/usr/bin", "/usr/lib",
        "/usr/local", "/usr/local/bin", "/usr/sbin", "/usr/share", "/var", "/var/cache", "/var/lib", "/var/log",
        "/var/run", "/var/spool", "/var/tmp", "/private", "/private/tmp", "/private/var",
    ]

    /// Why `directory` cannot be a state directory by its path alone (a system directory or the home
    /// directory itself), or nil.
    static func unsuitableReason(_ directory: URL, home: String) -> String? {
        let paths = [directory.standardizedFileURL.path, directory.resolvingSymlinksInPath().path]
        if let path = paths.first(where: { systemDirectories.contains($0) }) { return "\(path) is a system directory" }
        let homePath = URL(fileURLWithPath: home).standardizedFileURL.path
        if !home.isEmpty, paths.contains(homePath) { return "it is the home directory itself" }
        return nil
    }

    /// Refuses a state directory inside the checkout `project` (or holding it).
    public func checkPlacement(project: ProjectLayout) throws(StateError) {
        let state = Self.resolved(directory)
        let root = Self.resolved(project.root)
        if state == root || state.hasPrefix(root + "/") {
            throw .unsuitable(directory: directory, reason: "it is inside the checkout \(project.root.path), whose srcs/ `render` rewrites")
        }
        if root.hasPrefix(state + "/") {
            throw .unsuitable(directory: directory, reason: "it holds the checkout \(project.root.path)")
        }
    }

    /// The path with symlinks resolved as far as it exists (the rest appended as written).
    static func resolved(_ url: URL) -> String {
        var existing = url.standardizedFileURL
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.path != "/" {
            rest.insert(existing.lastPathComponent, at: 0)
            existing = existing.deletingLastPathComponent()
        }
        return rest.reduce(existing.resolvingSymlinksInPath()) { $0.appendingPathComponent($1) }.path
    }

    /// Creates the state directory 0700, or takes over an existing one: it must be a directory of this
    /// user's that others cannot write to and that is not sticky; its mode is made 0700 only when it
    /// already holds ftservices state (state.json or the lock).
    func claimDirectory() throws(StateError) {
        if let reason = Self.unsuitableReason(directory, home: NSHomeDirectory()) {
            throw .unsuitable(directory: directory, reason: reason)
        }
        let path = directory.path
        var info = stat()
        if stat(path, &info) != 0 {
            guard errno == ENOENT else { throw .unwritable(file: directory, reason: String(cString: strerror(errno)) + Self.hint) }
            do {
                try FileManager.default.createDirectory(at: directory.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw .unwritable(file: directory, reason: error.localizedDescription + Self.hint)
            }
            if mkdir(path, 0o700) == 0 {
                chmod(path, 0o700)  // created here: the umask may have taken bits away, never added
                return
            }
            guard errno == EEXIST, stat(path, &info) == 0 else {
                throw .unwritable(file: directory, reason: String(cString: strerror(errno)) + Self.hint)
            }
        }
        try Self.checkOwnedPrivate(directory, info)
        let isState = ["state.json", "lock"].contains { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
        if isState, info.st_mode & 0o7777 != 0o700, chmod(path, 0o700) != 0 {
            throw .unwritable(file: directory, reason: String(cString: strerror(errno)) + Self.hint)
        }
    }

    /// Creates a subdirectory of the state directory 0700, or makes an existing one (a real directory of
    /// this user's, not a symlink) 0700.
    func claimSubdirectory(_ url: URL) throws(StateError) {
        var info = stat()
        if lstat(url.path, &info) != 0 {
            guard errno == ENOENT, mkdir(url.path, 0o700) == 0 || errno == EEXIST, lstat(url.path, &info) == 0 else {
                throw .unwritable(file: url, reason: String(cString: strerror(errno)) + Self.hint)
            }
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw .unsuitable(directory: url, reason: "it is not a directory (a symlink or a file) inside the state directory")
        }
        guard info.st_uid == geteuid() else {
            throw .unsuitable(directory: url, reason: "it belongs to user id \(info.st_uid), not to this user (\(geteuid()))")
        }
        if info.st_mode & 0o7777 != 0o700, chmod(url.path, 0o700) != 0 {
            throw .unwritable(file: url, reason: String(cString: strerror(errno)) + Self.hint)
        }
    }

    static func checkOwnedPrivate(_ directory: URL, _ info: stat) throws(StateError) {
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .unsuitable(directory: directory, reason: "it is not a directory") }
        guard info.st_uid == geteuid() else {
            throw .unsuitable(directory: directory, reason: "it belongs to user id \(info.st_uid), not to this user (\(geteuid()))")
        }
        if info.st_mode & S_ISVTX != 0 || info.st_mode & S_IWOTH != 0 {
            let mode = String(info.st_mode & 0o7777, radix: 8)
            throw .unsuitable(directory: directory, reason: "it is shared: mode \(mode) lets every user write to it (like /tmp), and it is left unchanged")
        }
    }

    static let hint = "; choose another directory with --state-dir or the config key stateDirectory"
}
