import Foundation

extension ConfigValidator {
    /// Published ports: each 1-65535, all distinct, none nginx's status port (``Monitoring/localStatusPort``),
    /// and the passive range at most 50 ports outside the others.
    func validatePorts(_ spec: PortsSpec, problems: inout [ConfigProblem]) -> StackConfig.Ports {
        let defaults = StackConfig.defaults.ports
        var ports = defaults
        let singles: [(key: String, value: Int?, assign: (inout StackConfig.Ports, Int) -> Void)] = [
            ("ports.http", spec.http, { $0.http = $1 }),
            ("ports.https", spec.https, { $0.https = $1 }),
            ("ports.ssh", spec.ssh, { $0.ssh = $1 }),
            ("ports.wordpress", spec.wordpress, { $0.wordpress = $1 }),
            ("ports.phpmyadmin", spec.phpmyadmin, { $0.phpmyadmin = $1 }),
            ("ports.ftps", spec.ftps, { $0.ftps = $1 }),
            ("ports.grafana", spec.grafana, { $0.grafana = $1 }),
        ]
        let portRange = 1...65535
        let statusPort = Monitoring.localStatusPort
        for single in singles {
            guard let value = single.value else { continue }
            if value == statusPort {
                problems.append(.init(
                    keyPath: single.key,
                    message: "\(value) is nginx's loopback status port (the metrics agent reads it inside the stack); choose another port"))
            } else if portRange.contains(value) {
                single.assign(&ports, value)
            } else {
                problems.append(.init(keyPath: single.key, message: "\(value) is out of range; use a port from 1 to 65535"))
            }
        }

        let assigned: [(key: String, value: Int)] = [
            ("ports.http", ports.http), ("ports.https", ports.https), ("ports.ssh", ports.ssh),
            ("ports.wordpress", ports.wordpress), ("ports.phpmyadmin", ports.phpmyadmin), ("ports.ftps", ports.ftps),
            ("ports.grafana", ports.grafana),
        ]
        for (index, entry) in assigned.enumerated() {
            if let earlier = assigned[..<index].first(where: { $0.value == entry.value }) {
                problems.append(.init(
                    keyPath: entry.key,
                    message: "\(entry.value) is also \(earlier.key); every published port must be different"))
            }
        }

        let passiveMin = spec.passive?.min ?? defaults.passive.lowerBound
        let passiveMax = spec.passive?.max ?? defaults.passive.upperBound
        var passiveValid = true
        for (key, value) in [("ports.passive.min", passiveMin), ("ports.passive.max", passiveMax)] where !portRange.contains(value) {
            problems.append(.init(keyPath: key, message: "\(value) is out of range; use a port from 1 to 65535"))
            passiveValid = false
        }
        if passiveValid, passiveMin > passiveMax {
            problems.append(.init(
                keyPath: "ports.passive",
                message: "min \(passiveMin) is greater than max \(passiveMax); give the lower port as min"))
            passiveValid = false
        }
        let maximumPassivePorts = 50
        if passiveValid, passiveMax - passiveMin + 1 > maximumPassivePorts {
            problems.append(.init(
                keyPath: "ports.passive",
                message: "\(passiveMin)-\(passiveMax) is \(passiveMax - passiveMin + 1) ports; at most \(maximumPassivePorts) "
                    + "(each one is published by the ftps service)"))
            passiveValid = false
        }
        if passiveValid, (passiveMin...passiveMax).contains(statusPort) {
            problems.append(.init(
                keyPath: "ports.passive",
                message: "\(passiveMin)-\(passiveMax) contains \(statusPort), nginx's loopback status port; move the range"))
            passiveValid = false
        }
        if passiveValid {
            let range = passiveMin...passiveMax
            for entry in assigned where range.contains(entry.value) {
                problems.append(.init(
                    keyPath: "ports.passive",
                    message: "\(passiveMin)-\(passiveMax) contains \(entry.key) (\(entry.value)); move one of them"))
            }
            ports.passive = range
        }
        return ports
    }
}
