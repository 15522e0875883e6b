import Foundation

/// Turns a ``StackConfigSpec`` into a ``StackConfig``, collecting every problem instead of stopping at the first.
public struct ConfigValidator: Sendable {
    /// Answers whether a local Grafana `.deb` exists and is readable.
    public var fileProbe: any FileProbe
    /// Directory that relative paths in the file (grafana.package) are resolved against; nil keeps them as written.
    public var baseDirectory: String?

    public init(fileProbe: any FileProbe = LocalFileProbe(), baseDirectory: String? = nil) {
        self.fileProbe = fileProbe
        self.baseDirectory = baseDirectory
    }

    /// Validates `spec`; throws ``ConfigError/invalid(file:problems:)`` naming `fileName` with every problem.
    public func validate(_ spec: StackConfigSpec, fileName: String) throws(ConfigError) -> StackConfig {
        var problems: [ConfigProblem] = []
        let config = validate(spec, problems: &problems)
        guard problems.isEmpty else { throw .invalid(file: fileName, problems: problems) }
        return config
    }

    /// Validates `spec`, appending problems; always returns a config (defaults stand in for bad values).
    func validate(_ spec: StackConfigSpec, problems: inout [ConfigProblem]) -> StackConfig {
        let defaults = StackConfig.defaults
        var config = defaults
        config.address = validateAddress(spec.address, problems: &problems)
        config.ports = validatePorts(spec.ports ?? PortsSpec(), problems: &problems)
        let (users, wordpressUsers) = validateUsers(spec.users ?? UsersSpec(), problems: &problems)
        config.users = users
        config.wordpress.users = wordpressUsers
        if let title = spec.wordpress?.title {
            if title.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(.init(keyPath: "wordpress.title", message: "empty; give the site a title"))
            } else if title.contains(where: \.isNewline) {
                problems.append(.init(keyPath: "wordpress.title", message: "must be one line"))
            } else if title.contains(where: { "'\\\"`$<>".contains($0) }) {
                problems.append(.init(keyPath: "wordpress.title", message: "\"\(title)\" contains one of ' \\ \" ` $ < >, which the PHP and HTML it is written into cannot hold safely; leave them out"))
            } else {
                config.wordpress.title = title
            }
        }
        config.grafanaPackage = validateGrafanaPackage(spec.grafana?.package, problems: &problems)
        if let directory = spec.stateDirectory {
            if directory.isEmpty {
                problems.append(.init(keyPath: "stateDirectory", message: "empty; give a directory path such as \"/var/lib/ftservices\", or leave the key out for ~/.local/state/ftservices"))
            } else if directory.hasPrefix("/") {
                config.stateDirectory = directory
            } else {
                config.stateDirectory = baseDirectory.map { "\($0)/\(directory)" } ?? directory
            }
        }
        return config
    }

    private func validateAddress(_ address: String?, problems: inout [ConfigProblem]) -> String? {
        guard let address, address != "auto" else { return nil }
        guard let octets = IPv4.parse(address) else {
            problems.append(.init(
                keyPath: "address",
                message: "\"\(address)\" is not an IPv4 address; write four numbers 0-255 such as 192.168.56.10, or auto"))
            return nil
        }
        if octets == [0, 0, 0, 0] || octets == [255, 255, 255, 255] {
            problems.append(.init(
                keyPath: "address",
                message: "\(address) is not an address clients can connect to; give the host's own address, or auto"))
            return nil
        }
        return address
    }

    private func validateGrafanaPackage(_ package: String?, problems: inout [ConfigProblem]) -> GrafanaPackage {
        guard let package, package != "apt" else { return .apt }
        guard package.hasSuffix(".deb") else {
            problems.append(.init(
                keyPath: "grafana.package",
                message: "\"\(package)\" is neither \"apt\" nor the path of a .deb file"))
            return .apt
        }
        let path = (package.hasPrefix("/") || baseDirectory == nil) ? package : "\(baseDirectory!)/\(package)"
        guard fileProbe.isReadableFile(atPath: path) else {
            problems.append(.init(
                keyPath: "grafana.package",
                message: "\(path) does not exist or is not readable; give the path of a Grafana .deb, or \"apt\""))
            return .apt
        }
        return .localDeb(path: path)
    }
}

/// Dotted-quad IPv4 literals.
enum IPv4 {
    /// The four octets of a strict dotted-quad literal (no leading zeros, no spaces), or nil.
    static func parse(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                part == "0" || !part.hasPrefix("0"), let value = Int(part), value <= 255
            else { return nil }
            octets.append(value)
        }
        return octets
    }
}
