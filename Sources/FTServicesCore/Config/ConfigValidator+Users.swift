import Foundation

extension ConfigValidator {
    /// Names that stand for system accounts or for the fixed internal database users.
    static let reservedNames: Set<String> = [
        "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy", "www-data",
        "backup", "list", "irc", "gnats", "nobody", "_apt", "sshd", "ftp", "mysql", "messagebus", "systemd-network",
        "systemd-resolve", "systemd-timesync", "nginx", "grafana", "influxdb", "collectd",
    ]

    /// Why a reserved name is reserved, where the generic "a system or internal account" does not say enough.
    static let reservedReasons: [String: String] = [
        "collectd": "the OS account the metrics agent (collectd) runs as in every container",
    ]

    /// Validates every login name and the WordPress user list; returns the users and the WordPress
    /// users ordered with the administrator first.
    func validateUsers(_ spec: UsersSpec, problems: inout [ConfigProblem]) -> (StackConfig.Users, [WordPressUser]) {
        let defaults = StackConfig.defaults
        var users = defaults.users
        func checked(_ value: String?, _ key: String, reserved: Set<String> = Self.reservedNames) -> String? {
            guard let value else { return nil }
            return checkName(value, key: key, reserved: reserved, problems: &problems) ? value : nil
        }
        users.ssh = checked(spec.ssh, "users.ssh") ?? users.ssh
        users.ftp = checked(spec.ftp, "users.ftp") ?? users.ftp
        users.mysqlAdmin =
            checked(spec.mysqlAdmin, "users.mysqlAdmin", reserved: Self.reservedNames.union([users.mysqlWordpress]))
            ?? users.mysqlAdmin
        users.grafanaAdmin = checked(spec.grafanaAdmin, "users.grafanaAdmin") ?? users.grafanaAdmin

        guard let entries = spec.wordpress else {
            // Default list; only the administrator's name may have been changed.
            if let admin = spec.wordpressAdmin, admin != defaults.users.wordpressAdmin {
                problems.append(.init(
                    keyPath: "users.wordpressAdmin",
                    message: "\"\(admin)\" is not in users.wordpress; list the WordPress users with \(admin) as an administrator"))
            }
            return (users, defaults.wordpress.users)
        }

        var valid: [WordPressUser] = []
        var seenNames: [String: String] = [:]
        var seenEmails: [String: String] = [:]
        for (index, entry) in entries.enumerated() {
            let key = "users.wordpress[\(index)]"
            var ok = true
            guard let name = entry.name else {
                problems.append(.init(keyPath: "\(key).name", message: "missing; every WordPress user needs a name"))
                continue
            }
            if !checkName(name, key: "\(key).name", reserved: ["root"], problems: &problems) { ok = false }
            if let earlier = seenNames[name] {
                problems.append(.init(keyPath: "\(key).name", message: "\"\(name)\" is already \(earlier); names must be unique"))
                ok = false
            }
            seenNames[name] = seenNames[name] ?? "\(key).name"
            var role = WordPressRole.subscriber
            if let roleText = entry.role {
                if let parsed = WordPressRole(rawValue: roleText) {
                    role = parsed
                } else {
                    problems.append(.init(
                        keyPath: "\(key).role",
                        message: "\"\(roleText)\" is not a WordPress role; use one of "
                            + WordPressRole.allCases.map(\.rawValue).joined(separator: ", ")))
                    ok = false
                }
            } else {
                problems.append(.init(
                    keyPath: "\(key).role",
                    message: "missing; use one of " + WordPressRole.allCases.map(\.rawValue).joined(separator: ", ")))
                ok = false
            }
            let email = entry.email ?? WordPressUser.defaultEmail(for: name)
            if !Self.isPlausibleEmail(email) {
                problems.append(.init(keyPath: "\(key).email", message: "\"\(email)\" is not an email address like name@example.org"))
                ok = false
            } else if let earlier = seenEmails[email.lowercased()] {
                problems.append(.init(
                    keyPath: "\(key).email",
                    message: "\"\(email)\" is already the email of \(earlier); WordPress needs a different email per user"))
                ok = false
            }
            seenEmails[email.lowercased()] = seenEmails[email.lowercased()] ?? key
            if ok { valid.append(WordPressUser(name: name, role: role, email: email)) }
        }

        if entries.count < 4 {
            problems.append(.init(
                keyPath: "users.wordpress",
                message: "\(entries.count) users listed; WordPress needs an administrator plus at least 3 other users"))
        }
        let adminName = spec.wordpressAdmin ?? valid.first(where: { $0.role == .administrator })?.name
        if let adminName, let admin = valid.first(where: { $0.name == adminName }), admin.role == .administrator {
            users.wordpressAdmin = adminName
            let others = valid.filter { $0.name != adminName }
            return (users, [admin] + others)
        }
        if let named = spec.wordpressAdmin {
            if valid.contains(where: { $0.name == named }) {
                problems.append(.init(keyPath: "users.wordpressAdmin", message: "\"\(named)\" does not have the role administrator in users.wordpress"))
            } else if !entries.contains(where: { $0.name == named }) {
                problems.append(.init(keyPath: "users.wordpressAdmin", message: "\"\(named)\" is not a user of users.wordpress"))
            }
        } else if !entries.contains(where: { $0.role == WordPressRole.administrator.rawValue }) {
            problems.append(.init(
                keyPath: "users.wordpress",
                message: "no user has the role administrator; WordPress needs one administrator plus at least 3 other users"))
        }
        return (users, defaults.wordpress.users)
    }

    /// Checks `^[a-z_][a-z0-9_-]{0,31}$` and the reserved names; records a problem and returns false when bad.
    func checkName(_ name: String, key: String, reserved: Set<String>, problems: inout [ConfigProblem]) -> Bool {
        if !Self.isValidName(name) {
            problems.append(.init(
                keyPath: key,
                message: "\"\(name)\" is not a valid user name; use 1-32 characters: a lowercase letter or _ first, "
                    + "then lowercase letters, digits, _ or -"))
            return false
        }
        if reserved.contains(name) {
            let reason = Self.reservedReasons[name] ?? "a system or internal account"
            problems.append(.init(keyPath: key, message: "\"\(name)\" is reserved (\(reason)); choose another name"))
            return false
        }
        return true
    }

    static func isValidName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard (1...32).contains(scalars.count), let first = scalars.first else { return false }
        func lower(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) }
        func digit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
        guard lower(first) || first == "_" else { return false }
        return scalars.dropFirst().allSatisfy { lower($0) || digit($0) || $0 == "_" || $0 == "-" }
    }

    static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !email.contains(where: { $0.isWhitespace || "\"'\\`$<>".contains($0) })
    }
}
