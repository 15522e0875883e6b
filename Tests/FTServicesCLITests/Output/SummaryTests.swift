import FTServicesCore
import Foundation
import Testing
@testable import FTServicesCLI
@testable import FTServicesKit

/// The text `setup` prints when it is done: where each service answers, and where the CA and the logins are.
@Suite struct SummaryTests {
    let workspace = Workspace(config: .defaults, configFile: nil, project: ProjectLayout(root: URL(fileURLWithPath: "/project")),
                              state: StateStore(directory: URL(fileURLWithPath: "/state")))

    func outcome(deployed: [ServiceName], built: [String]) -> SetupPipeline.Outcome {
        SetupPipeline.Outcome(address: "192.0.2.10", deployed: deployed, grafanaMissing: nil, rendered: SourceWriter.Outcome(),
                             built: built, seconds: 83.27)
    }

    @Test func everyServiceWithItsAddressAndPort() {
        let text = Summary.setup(outcome(deployed: ServiceName.allCases, built: ["ftps", "nginx"]), workspace: workspace)
        #expect(text == """
            ftservices is up at 192.0.2.10 in 83.3 s (built ftps, nginx).

              https://192.0.2.10/             nginx (http://192.0.2.10:80/ redirects here)
              https://192.0.2.10/wordpress    307 to WordPress at https://192.0.2.10:5050/
              https://192.0.2.10/phpmyadmin/  phpMyAdmin through nginx (also https://192.0.2.10:5000/)
              ftp://192.0.2.10:21/            FTPS, explicit TLS required (passive 21000-21004)
              ssh -p 2222 ftssh@192.0.2.10    SSH into the nginx container (key: /state/ssh/id_ed25519)
              https://192.0.2.10:3000/        Grafana

            Certificates are signed by this install's CA: /state/ca/ca.crt (curl --cacert FILE).
            Logins and passwords: ftservices credentials   (JSON: ftservices credentials --json)
            """)
    }

    @Test func withoutGrafanaItSaysSoAndNothingRebuilt() {
        let text = Summary.setup(outcome(deployed: ServiceName.allCases.filter { $0 != .grafana }, built: []), workspace: workspace)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "ftservices is up at 192.0.2.10 in 83.3 s (nothing rebuilt).")
        #expect(lines.contains("  Grafana                         not deployed: no Grafana package (see above)"), "\(text)")
        #expect(!text.contains(":3000"))
    }
}
