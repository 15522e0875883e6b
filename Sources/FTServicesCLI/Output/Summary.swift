import FTServicesCore
import FTServicesKit
import Foundation

/// The text a command prints when it is done (standard output).
enum Summary {
    static func setup(_ outcome: SetupPipeline.Outcome, workspace: Workspace) -> String {
        let ports = workspace.config.ports
        let address = outcome.address
        let built = outcome.built.isEmpty ? "nothing rebuilt" : "built \(outcome.built.joined(separator: ", "))"
        var rows: [(String, String)] = [
            ("https://\(address)/", "nginx (http://\(address):\(ports.http)/ redirects here)"),
            ("https://\(address)/wordpress", "307 to WordPress at https://\(address):\(ports.wordpress)/"),
            ("https://\(address)/phpmyadmin/", "phpMyAdmin through nginx (also https://\(address):\(ports.phpmyadmin)/)"),
            ("ftp://\(address):\(ports.ftps)/", "FTPS, explicit TLS required (passive \(ports.passive.lowerBound)-\(ports.passive.upperBound))"),
            ("ssh -p \(ports.ssh) \(workspace.config.users.ssh)@\(address)", "SSH into the nginx container (key: \(workspace.state.sshPrivateKey.path))"),
        ]
        if outcome.deployed.contains(.grafana) {
            rows.append(("https://\(address):\(ports.grafana)/", "Grafana"))
        } else {
            rows.append(("Grafana", "not deployed: no Grafana package (see above)"))
        }
        let width = rows.map(\.0.count).max() ?? 0
        var lines = ["ftservices is up at \(address) in \(String(format: "%.1f", outcome.seconds)) s (\(built)).", ""]
        lines += rows.map { "  " + $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
        lines += [
            "",
            "Certificates are signed by this install's CA: \(workspace.state.caCertificate.path) (curl --cacert FILE).",
            "Logins and passwords: ftservices credentials   (JSON: ftservices credentials --json)",
        ]
        return lines.joined(separator: "\n")
    }
}
