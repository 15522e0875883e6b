import Foundation

/// Picks the stack address ("auto"): the IPv4 address of the interface that holds the default route,
/// i.e. the address other machines reach this host on. Falls back to 127.0.0.1 on a host without one.
public struct AddressResolver: Sendable {
    /// The kernel's routing table, in /proc/net/route's format (nil when unreadable).
    let routeTable: @Sendable () -> String?
    /// Interface name → its first IPv4 address.
    let interfaceAddresses: @Sendable () -> [String: String]

    public init() {
        self.init(routeTable: { try? String(contentsOfFile: "/proc/net/route", encoding: .utf8) }, interfaceAddresses: Self.ipv4Addresses)
    }

    /// For tests: the routing table and the interfaces' addresses given instead of read from the host.
    init(routeTable: @escaping @Sendable () -> String?, interfaceAddresses: @escaping @Sendable () -> [String: String]) {
        self.routeTable = routeTable
        self.interfaceAddresses = interfaceAddresses
    }

    public func resolve() -> String {
        guard let interface = Self.defaultRouteInterface(routeTable: routeTable()) else { return "127.0.0.1" }
        return interfaceAddresses()[interface] ?? "127.0.0.1"
    }

    /// The interface of the default route, from /proc/net/route.
    static func defaultRouteInterface(routeTable: String? = try? String(contentsOfFile: "/proc/net/route", encoding: .utf8)) -> String? {
        for line in (routeTable ?? "").split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            if fields.count > 2, fields[1] == "00000000" { return String(fields[0]) }
        }
        return nil
    }

    /// interface name → its first IPv4 address.
    static func ipv4Addresses() -> [String: String] {
        var result: [String: String] = [:]
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return result }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            let name = String(cString: entry.pointee.ifa_name)
            if result[name] != nil { continue }
            var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                var addr = sin.pointee.sin_addr
                _ = inet_ntop(AF_INET, &addr, &buffer, socklen_t(INET_ADDRSTRLEN))
            }
            result[name] = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return result
    }
}
