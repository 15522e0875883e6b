import Foundation

/// Finds host TCP ports that are already taken, and by which process, before deploying.
public struct PortChecker: Sendable {
    public init() {}

    /// A port that is in use by something other than this stack.
    public struct Conflict: Sendable, Equatable, CustomStringConvertible {
        public var port: Int
        public var purpose: String
        /// "sshd (pid 812)" when the owner could be found.
        public var owner: String?

        public var description: String {
            "port \(port) (\(purpose)) is already in use" + (owner.map { " by \($0)" } ?? "")
        }
    }

    /// Checks every `port → purpose`; ports in `ownPorts` (published by the running stack) are skipped.
    public func conflicts(_ ports: [(port: Int, purpose: String)], ownPorts: Set<Int>) -> [Conflict] {
        var result: [Conflict] = []
        for (port, purpose) in ports where !ownPorts.contains(port) {
            if Self.canBind(port: port) { continue }
            result.append(Conflict(port: port, purpose: purpose, owner: Self.owner(ofListeningPort: port)))
        }
        return result
    }

    /// True when a TCP listener could bind 0.0.0.0:port right now.
    static func canBind(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return status == 0
    }

    /// "name (pid N)" of the process listening on `port`. /proc/net/tcp is generated while it is read, so a
    /// line can be missed while other connections come and go: it is read up to three times.
    static func owner(ofListeningPort port: Int) -> String? {
        for _ in 0..<3 {
            if let inode = listeningSockets()[port], let owner = process(owningSocketInode: inode) { return owner }
        }
        return nil
    }

    /// Listening TCP sockets from /proc/net/tcp{,6}: port → socket inode.
    static func listeningSockets() -> [Int: String] {
        var result: [Int: String] = [:]
        for file in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = readWhole(file) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count > 9, fields[3] == "0A", let colon = fields[1].lastIndex(of: ":"),
                      let port = Int(fields[1][fields[1].index(after: colon)...], radix: 16) else { continue }
                result[port] = String(fields[9])
            }
        }
        return result
    }

    /// A /proc file in reads of 1 MiB (the kernel fills a large buffer in one go, so the view is consistent).
    static func readWhole(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// "name (pid N)" of the process holding the socket with this inode.
    static func process(owningSocketInode inode: String) -> String? {
        let target = "socket:[\(inode)]"
        guard let pids = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for pid in pids where Int(pid) != nil {
            guard let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { continue }
            for fd in fds where (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")) == target {
                let name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
                return "\(name) (pid \(pid))"
            }
        }
        return nil
    }
}
