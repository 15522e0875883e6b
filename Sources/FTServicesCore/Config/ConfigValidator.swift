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

    /// The longest WordPress title accepted, in characters.
    public static let maximumTitleLength = 100

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
            } else if let control = title.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
                let code = String(format: "U+%04X", control.value)
                problems.append(.init(keyPath: "wordpress.title", message: "contains the control character \(code); titles are printable text"))
            } else if title.count > Self.maximumTitleLength {
                problems.append(.init(keyPath: "wordpress.title", message: "\(title.count) characters long; at most \(Self.maximumTitleLength)"))
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
        switch IPv4.check(address) {
        case .notIPv4:
            problems.append(.init(
                keyPath: "address",
                message: "\"\(address)\" is not an IPv4 address; write four numbers 0-255 such as 192.168.56.10, or auto"))
            return nil
        case .notConnectable:
            problems.append(.init(
                keyPath: "address",
                message: "\(address) is not an address clients can connect to; give the host's own address, or auto"))
            return nil
        case nil:
            return address
        }
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

/// Dotted-quad IPv4 literals, and the one rule for the stack address that the config's `address` and every
/// command's `--address` share.
public enum IPv4 {
    /// What is wrong with a stack address.
    public enum Problem: Sendable, Equatable {
        /// Not a strict dotted-quad literal.
        case notIPv4
        /// An address no client can connect to: 0.0.0.0/8 ("this host"), multicast 224.0.0.0/4, reserved
        /// 240.0.0.0/4 and the broadcast address 255.255.255.255.
        case notConnectable
    }

    /// Why `text` cannot be the stack address, or nil when it can.
    public static func check(_ text: String) -> Problem? {
        guard let octets = parse(text) else { return .notIPv4 }
        if octets[0] == 0 || octets[0] >= 224 { return .notConnectable }
        return nil
    }

    /// The four octets of a strict dotted-quad literal (no leading zeros, no spaces), or nil.
    public static func parse(_ text: String) -> [Int]? {
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
