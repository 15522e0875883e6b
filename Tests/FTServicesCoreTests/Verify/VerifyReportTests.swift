import Foundation
import Testing
@testable import FTServicesCore

/// The text and JSON forms of `ftservices verify`'s report.
@Suite struct VerifyReportTests {
    let passing = CheckResult(name: "nginx :443 TLS", target: "10.1.2.3:443",
                              expected: "a TLS 1.2+ handshake", observed: "TLSv1.3, subject CN = 10.1.2.3, expires 2027-11-22",
                              latencyMilliseconds: 12.4, pass: true)
    let failing = CheckResult(name: "mysql :3306 internal", target: "10.1.2.3:3306",
                              expected: "not reachable from outside the stack", observed: "reachable: connected",
                              latencyMilliseconds: 0.42, pass: false)

    @Test func textHasOneAlignedLinePerCheckAndASummary() {
        let report = VerifyReport(results: [passing, failing])
        #expect(report.text == """
            ✔ nginx :443 TLS        10.1.2.3:443      12 ms
            ✘ mysql :3306 internal  10.1.2.3:3306    0.4 ms  expected not reachable from outside the stack, got reachable: connected
            1 of 2 checks failed
            """)
        #expect(!report.allPassed)
        #expect(report.failures == [failing])
    }

    @Test func summaries() {
        #expect(VerifyReport(results: [passing]).text.hasSuffix("\nall 1 check passed"))
        #expect(VerifyReport(results: [passing, passing]).summary == "all 2 checks passed")
        #expect(VerifyReport(results: [passing]).allPassed)
        #expect(VerifyReport(results: []).summary == "no checks ran")
        #expect(!VerifyReport(results: []).allPassed, "nothing checked is not a pass")
    }

    @Test func jsonIsAnArrayOfObjectsWithExactlyTheResultKeys() throws {
        let report = VerifyReport(results: [passing, failing])
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [[String: Any]])
        #expect(decoded.count == 2)
        for object in decoded {
            #expect(Set(object.keys) == ["name", "target", "expected", "observed", "latency", "pass"])
        }
        #expect(decoded[1]["pass"] as? Bool == false)
        #expect(decoded[1]["target"] as? String == "10.1.2.3:3306")
        #expect(decoded[0]["latency"] as? Double == 12.4)
        #expect(try JSONDecoder().decode([CheckResult].self, from: Data(report.json.utf8)) == [passing, failing])
        #expect(report.json.contains("\"name\" : \"nginx :443 TLS\""))
    }

    @Test func resultFromSpecRoundsLatency() {
        let spec = CheckSpec(name: "n", group: .ports, target: "t", expected: "e", probe: .notReachable(host: "h", port: 1))
        let result = CheckResult(spec: spec, observed: "o", latency: .microseconds(12_345), pass: true)
        #expect(result == CheckResult(name: "n", target: "t", expected: "e", observed: "o", latencyMilliseconds: 12.3, pass: true))
    }
}
