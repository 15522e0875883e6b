import Foundation

/// Every image the tool builds from `templates/<image>/`, in build order (parents first).
public enum ImageName: String, Sendable, CaseIterable, Codable, Comparable {
    case runtime, webphp, nginx, wordpress, phpmyadmin, mysql, ftps, influxdb, grafana

    public static func < (lhs: ImageName, rhs: ImageName) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The seven Swarm services; each runs the image of the same name.
public enum ServiceName: String, Sendable, CaseIterable, Codable, Comparable {
    case nginx, wordpress, phpmyadmin, mysql, ftps, influxdb, grafana

    /// The image this service runs.
    public var image: ImageName { ImageName(rawValue: rawValue)! }

    /// The Swarm service's name once deployed: `ftservices_<service>` (the stack namespace prefix).
    public var swarmName: String { "\(Stack.name)_\(rawValue)" }

    public static func < (lhs: ServiceName, rhs: ServiceName) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
