import FTServicesCore
import Testing
@testable import FTServicesCLI
@testable import FTServicesKit

/// The table `ftservices status` prints (a `TextTable`): every column but the last padded to its widest
/// cell, two spaces between columns, header first.
@Suite struct StatusTableTests {
    @Test func rowsAreAlignedUnderTheHeader() {
        let rows = [
            ServiceStatus(service: "nginx", state: "running", health: "healthy", restarts: 1, ports: [80, 443, 2222], detail: nil,
                          cpuPercent: 0.42, memoryBytes: 12_582_912),
            ServiceStatus(service: "ftps", state: "running", health: "starting", restarts: 0, ports: [21, 21000, 21001, 21002, 21003, 21004],
                          detail: "waiting", cpuPercent: nil, memoryBytes: nil),
            ServiceStatus(service: "grafana", state: "not deployed", health: "-", restarts: 0, ports: [], detail: nil,
                          cpuPercent: nil, memoryBytes: nil),
        ]
        #expect(FTServicesCommand.Status.table(rows) == """
            SERVICE  STATE         HEALTH    RESTARTS  CPU   MEMORY    PORTS
            nginx    running       healthy   1         0.4%  12.0 MiB  80, 443, 2222
            ftps     running       starting  0         -     -         21, 21000-21004
            grafana  not deployed  -         0         -     -         -
            """)
    }

    @Test func noServicesIsTheHeaderAlone() {
        #expect(FTServicesCommand.Status.table([]) == "SERVICE  STATE  HEALTH  RESTARTS  CPU  MEMORY  PORTS")
    }

    @Test func theLastColumnIsNotPadded() {
        let lines = TextTable.lines(header: ["A", "B"], rows: [["long cell", "x"], ["y", "a longer last cell"]])
        #expect(lines == ["A          B", "long cell  x", "y          a longer last cell"])
        #expect(TextTable.lines(rows: []) == [])
        #expect(TextTable.lines(rows: [["only"]]) == ["only"])
    }
}
