import Testing
@testable import FTServicesCore

@Suite struct WaitDurationTests {
    @Test(arguments: [
        ("30s", Duration.seconds(30)), ("2m", .seconds(120)), ("45", .seconds(45)), ("1.5", .milliseconds(1500)),
        ("1m30s", .seconds(90)), ("500ms", .milliseconds(500)), ("1h", .seconds(3600)), (" 10S ", .seconds(10)), ("0", .zero),
    ])
    func accepted(text: String, expected: Duration) {
        #expect(WaitDuration.parse(text) == expected)
    }

    @Test(arguments: ["", "s", "-5", "10x", "1m30", "abc", "5 s", "1..2s", "inf"])
    func rejected(text: String) {
        #expect(WaitDuration.parse(text) == nil)
    }
}
