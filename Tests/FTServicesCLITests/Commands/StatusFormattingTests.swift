import Testing
@testable import FTServicesCLI

/// The cells of `ftservices status`: ports as ranges, CPU and memory with a dash when there is no point.
@Suite struct StatusFormattingTests {
    typealias Status = FTServicesCommand.Status

    @Test(arguments: [
        ([21, 21000, 21001, 21002, 21003, 21004], "21, 21000-21004"),
        ([443], "443"),
        ([], "-"),
        ([80, 443], "80, 443"),
        ([80, 81], "80, 81"),
        ([80, 81, 82], "80-82"),
        ([21, 22, 23, 30, 40, 41, 42, 43], "21-23, 30, 40-43"),
    ] as [([Int], String)])
    func portsAreRangesFromThreeOn(ports: [Int], expected: String) {
        #expect(Status.ports(ports) == expected)
    }

    @Test func cpuIsAPercentWithOneDecimal() {
        #expect(Status.cpu(1.26) == "1.3%")
        #expect(Status.cpu(0) == "0.0%")
        #expect(Status.cpu(250) == "250.0%")
        #expect(Status.cpu(nil) == "-")
    }

    @Test func memoryIsInMiB() {
        #expect(Status.memory(44_040_192) == "42.0 MiB")
        #expect(Status.memory(1_572_864) == "1.5 MiB")
        #expect(Status.memory(0) == "0.0 MiB")
        #expect(Status.memory(nil) == "-")
    }
}
