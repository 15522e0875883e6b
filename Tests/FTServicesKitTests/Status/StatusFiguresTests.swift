import FTServicesCore
import Foundation
import FTServicesTestSupport
import Testing
@testable import FTServicesKit

/// `status`'s figures are asked inside the influxdb container; the password stays in the container.
@Suite struct StatusFiguresTests {
    @Test func commandReadsThePasswordInsideAndPassesNoSecretAsArgument() {
        let command = ServiceFiguresQuery.figuresCommand(
            url: "http://127.0.0.1:8086", user: "grafana", secret: .influxdbGrafanaPassword, database: "ftservices",
            query: ServiceFigures.query())
        #expect(Array(command.prefix(2)) == ["sh", "-c"])
        #expect(command[2].contains(#"tr -d '\n' < "/run/secrets/$2""#))
        #expect(command[2].contains("-K -"))
        #expect(Array(command.dropFirst(3)) == [
            "sh", "grafana", "influxdb_grafana_password", "http://127.0.0.1:8086", "ftservices", ServiceFigures.query(),
        ])
    }

    @Test func noRunningInfluxdbTaskIsAnError() async throws {
        let secrets = try TestFiles.directory()
        let task = EngineAPI.ServiceTask(id: "t1", desiredState: "shutdown",
                                         status: .init(state: "failed", containerStatus: .init(containerID: "c1")))
        let service = SwarmStatusService(engine: FakeEngine(tasks: [task], secretsDirectory: secrets))
        await #expect(throws: StatusError.noRunningTask("ftservices_influxdb")) { try await service.figures() }
    }
}
