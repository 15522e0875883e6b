import FTServicesNet
import Foundation

/// A failed call to the Docker Engine API, saying what to do about it.
public enum EngineAPIError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// Nothing answers on the socket: the file is missing or the connection is refused.
    case daemonNotRunning(socket: String, detail: String)
    /// The socket exists but this user may not open it.
    case permissionDenied(socket: String)
    /// The daemon answered with an error status; `message` is its own `message` field.
    case api(status: Int, method: String, path: String, message: String)
    /// The daemon's answer did not decode as the expected type.
    case decoding(method: String, path: String, type: String, detail: String)
    /// Any other transport failure (timeout, cancelled, ...).
    case transport(NetError)

    public var description: String {
        switch self {
        case .daemonNotRunning(let socket, let detail):
            "Docker is not running: nothing answers on \(socket) (\(detail)). Start the daemon with "
                + "`dockerd >/var/log/dockerd.log 2>&1 &` (./setup.sh starts it too), then retry."
        case .permissionDenied(let socket):
            "Permission denied on \(socket): run ftservices as root, or add your user to the docker group "
                + "(`usermod -aG docker $USER`, then log in again)."
        case .api(let status, let method, let path, let message):
            "Docker Engine API \(method) \(path) failed with HTTP \(status): \(message)"
        case .decoding(let method, let path, let type, let detail):
            "Docker Engine API \(method) \(path): unexpected answer (decoding \(type)): \(detail)"
        case .transport(let error):
            "Docker Engine API: \(error.description)"
        }
    }

    public var errorDescription: String? { description }

    /// True for an API error with this HTTP status (404 for "no such container/service").
    public func hasStatus(_ status: Int) -> Bool {
        if case .api(let actual, _, _, _) = self { return actual == status }
        return false
    }

    /// Classifies a transport error on `socket`: connect failures become the "not running" or
    /// "permission denied" advice, using the connect errno (or the socket file when it is unknown).
    static func from(_ error: NetError, socket: String) -> EngineAPIError {
        guard error.kind == .couldNotConnect else { return .transport(error) }
        let eacces: Int32 = 13
        let eperm: Int32 = 1
        if error.osErrno == eacces || error.osErrno == eperm { return .permissionDenied(socket: socket) }
        if error.osErrno == 0, FileManager.default.fileExists(atPath: socket),
           !FileManager.default.isWritableFile(atPath: socket) {
            return .permissionDenied(socket: socket)
        }
        let reason = switch error.osErrno {
        case 2: "the socket does not exist"  // ENOENT
        case 111: "connection refused"  // ECONNREFUSED: a socket file left by a daemon that stopped
        default: FileManager.default.fileExists(atPath: socket) ? "connection failed" : "the socket does not exist"
        }
        return .daemonNotRunning(socket: socket, detail: reason)
    }
}
