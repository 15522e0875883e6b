import Foundation
import Testing
@testable import FTServicesCore

/// `crashtest`'s report: the table people read (one row per service/process/mode, median and min–max over
/// `--repeat`, "-" for a phase not reached, one ✘ line per problem, skipped services, a summary) and the
/// JSON programs read.
@Suite struct CrashReportTests {
    static let intact = CanaryOutcome(kind: .mysqlRow, state: .intact, detail: "a MariaDB row ftservices-canary-1 read back")
    static let lost = CanaryOutcome(kind: .mysqlRow, state: .lost, detail: "a MariaDB row ftservices-canary-3 is gone after the crash")
    static let noData = CanaryOutcome(kind: .none, state: .none, detail: "nothing (no data of its own)")

    static func mysql(_ iteration: Int, _ phases: [Double?], canary: CanaryOutcome = intact, restarts: (Int, Int) = (0, 1),
                      problems: [String] = []) -> CrashRun {
        CrashRun(service: .mysql, mode: .kill, iteration: iteration, process: "mariadbd", signal: "SIGKILL", pid: 57,
                 exitedMs: phases[0], runningMs: phases[1], answeringMs: phases[2], healthyMs: phases[3], canary: canary,
                 restarts: restarts.1 - restarts.0, problems: problems)
    }

    // MARK: spread and durations

    @Test func spreadIsMinMedianMaxOfThePresentValues() throws {
        #expect(CrashReport.spread([]) == nil)
        #expect(CrashReport.spread([nil, nil]) == nil)
        let one = try #require(CrashReport.spread([5]))
        #expect([one.min, one.median, one.max] == [5, 5, 5])
        let odd = try #require(CrashReport.spread([30, nil, 10, 20]))
        #expect([odd.min, odd.median, odd.max] == [10, 20, 30], "odd count: the middle value; nil values are left out")
        let even = try #require(CrashReport.spread([40, 10, nil, 30, 20]))
        #expect([even.min, even.median, even.max] == [10, 25, 40], "even count: the mean of the two middle values")
        let two = try #require(CrashReport.spread([1500, nil, 1200]))
        #expect([two.min, two.median, two.max] == [1200, 1350, 1500])
    }

    @Test(arguments: [(0.0, "0 ms"), (31, "31 ms"), (840.4, "840 ms"), (999.4, "999 ms"), (999.6, "1.00 s"), (1000, "1.00 s"),
                      (1240, "1.24 s"), (61_250, "61.25 s")])
    func durationsInMillisecondsThenSeconds(milliseconds: Double, text: String) {
        #expect(CrashReport.duration(milliseconds) == text)
    }

    @Test func phaseShowsMedianAndRangeOverSeveralRuns() {
        #expect(CrashReport.phase([nil]) == "-")
        #expect(CrashReport.phase([nil, nil, nil]) == "-")
        #expect(CrashReport.phase([31]) == "31 ms")
        #expect(CrashReport.phase([30, 10, 20]) == "20 ms (10ms–30ms)")
        #expect(CrashReport.phase([1200, nil, 1500]) == "1.35 s (1.20s–1.50s) (some -)")
        #expect(CrashReport.phase([999.6, 800]) == "900 ms (800ms–1.00s)")
    }

    @Test func millisecondsAreRoundedToATenth() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(CrashRun.milliseconds(from: start, to: start.addingTimeInterval(1.23456)) == 1234.6)
        #expect(CrashRun.milliseconds(from: start, to: start.addingTimeInterval(0.00004)) == 0)
    }

    // MARK: text

    @Test func aSingleRunIsOneRowAndASummary() {
        let report = CrashReport(runs: [Self.mysql(1, [31, 1204.3, 1350, 3300])])
        #expect(report.text == """
            service  crash             exited  running  answering  healthy  canary  restarts
            mysql    SIGKILL mariadbd  31 ms   1.20 s   1.35 s     3.30 s   intact  +1
            all 1 crash recovered with no data lost
            """)
        #expect(report.allPassed)
    }

    @Test func aPhaseNotReachedIsADashAndTheProblemIsListed() {
        let report = CrashReport(runs: [Self.mysql(1, [31, 1204.3, 1350, nil], restarts: (3, 4),
                                                   problems: ["did not recover within 60 s: answering but never reported healthy"])])
        #expect(report.text == """
            service  crash             exited  running  answering  healthy  canary  restarts
            mysql    SIGKILL mariadbd  31 ms   1.20 s   1.35 s     -        intact  +1
            ✘ mysql SIGKILL mariadbd: did not recover within 60 s: answering but never reported healthy
            1 of 1 crash failed
            """)
        #expect(!report.allPassed)
    }

    @Test func repeatedRunsShareARowWithMedianAndRange() {
        let report = CrashReport(runs: [
            Self.mysql(1, [30, 1200, 1300, 3000], restarts: (0, 1)),
            Self.mysql(2, [10, 1500, 1600, 4200], restarts: (1, 2)),
            Self.mysql(3, [20, nil, nil, nil], canary: Self.lost, restarts: (2, 2),
                       problems: ["did not recover within 60 s: no new container started", "canary lost: \(Self.lost.detail)"]),
            CrashRun(service: .nginx, mode: .redeploy, iteration: 1, exitedMs: 40, runningMs: 900, canary: Self.noData,
                     problems: ["did not recover within 60 s: not answering: HTTP 502"]),
        ], skipped: [CrashSkip(service: .grafana, reason: "not deployed (setup ran without a Grafana image)")])
        #expect(report.text == """
            service   crash             exited             running                        answering                      healthy                        canary            restarts
            mysql ×3  SIGKILL mariadbd  20 ms (10ms–30ms)  1.35 s (1.20s–1.50s) (some -)  1.45 s (1.30s–1.60s) (some -)  3.60 s (3.00s–4.20s) (some -)  2 intact, 1 lost  +0/+1
            nginx     redeploy          40 ms              900 ms                         -                              -                              no data           +0
            Times are after the crash; with several runs: median (min–max). "-": not reached before the deadline.
            ✘ mysql #3 SIGKILL mariadbd: did not recover within 60 s: no new container started
            ✘ mysql #3 SIGKILL mariadbd: canary lost: a MariaDB row ftservices-canary-3 is gone after the crash
            ✘ nginx redeploy: did not recover within 60 s: not answering: HTTP 502
            - grafana: skipped, not deployed (setup ran without a Grafana image)
            2 of 4 crashes failed
            """)
    }

    @Test func groupsAreByServiceProcessAndModeInFirstRunOrder() {
        let nginx = { (process: String, iteration: Int) in
            CrashRun(service: .nginx, mode: .kill, iteration: iteration, process: process, signal: "SIGTERM", canary: Self.noData)
        }
        let report = CrashReport(runs: [nginx("nginx", 1), nginx("sshd", 1), nginx("nginx", 2), nginx("sshd", 2), nginx("collectd", 1)])
        #expect(report.groups.map { $0.map { "\($0.process!)#\($0.iteration)" } } == [["nginx#1", "nginx#2"], ["sshd#1", "sshd#2"], ["collectd#1"]])
        let rows = report.text.split(separator: "\n").map(String.init)
        #expect(rows[1].hasPrefix("nginx ×2  SIGTERM nginx"))
        #expect(rows[2].hasPrefix("nginx ×2  SIGTERM sshd"))
        #expect(rows[3].hasPrefix("nginx     SIGTERM collectd"))
        #expect(rows.last == "all 5 crashes recovered with no data lost")
    }

    @Test func nothingTestedIsSaidAndDoesNotPass() {
        let report = CrashReport(runs: [], skipped: [CrashSkip(service: .grafana, reason: "not deployed (run `ftservices setup`)")])
        #expect(report.text.hasSuffix("""
            - grafana: skipped, not deployed (run `ftservices setup`)
            no service was crash-tested
            """))
        #expect(!report.allPassed, "no run is not a pass")
    }

    // MARK: JSON

    @Test func jsonHasEveryRunWithPhasesInMillisecondsAndTheCanary() throws {
        let report = CrashReport(runs: [Self.mysql(1, [31, 1204.3, 1350, nil], restarts: (3, 4), problems: ["never healthy"])],
                                 skipped: [CrashSkip(service: .grafana, reason: "not deployed")])
        let json = report.json
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["runs", "skipped"])
        let runs = try #require(object["runs"] as? [[String: Any]])
        let run = try #require(runs.first)
        #expect(Set(run.keys) == ["service", "mode", "iteration", "process", "signal", "pid", "exitedMs", "runningMs", "answeringMs",
                                  "canary", "restarts", "problems"], "a phase not reached (and an unknown task state) has no key")
        #expect(run["service"] as? String == "mysql" && run["mode"] as? String == "kill" && run["iteration"] as? Int == 1)
        #expect(run["process"] as? String == "mariadbd" && run["signal"] as? String == "SIGKILL" && run["pid"] as? Int == 57)
        #expect(Self.number(run["exitedMs"]) == 31 && Self.number(run["runningMs"]) == 1204.3 && Self.number(run["answeringMs"]) == 1350)
        #expect(run["restarts"] as? Int == 1)
        #expect(run["problems"] as? [String] == ["never healthy"])
        let canary = try #require(run["canary"] as? [String: String])
        #expect(canary == ["kind": "mysql-row", "state": "intact", "detail": "a MariaDB row ftservices-canary-1 read back"])
        #expect((object["skipped"] as? [[String: String]]) == [["service": "grafana", "reason": "not deployed"]])

        let keys = ["answeringMs", "canary", "exitedMs", "iteration", "mode", "pid", "problems", "process"].map { #""\#($0)""# }
        let positions = keys.compactMap { json.range(of: $0)?.lowerBound }
        #expect(positions.count == keys.count && positions == positions.sorted(), "keys sorted: \(json)")
        #expect(try JSONDecoder().decode(CrashReport.self, from: Data(json.utf8)) == report)
    }

    /// A JSON number as `JSONSerialization` gives it (an integer or a double, bridged or not).
    static func number(_ value: Any?) -> Double? {
        switch value {
        case let value as Int: Double(value)
        case let value as Double: value
        case let value as NSNumber: value.doubleValue
        default: nil
        }
    }

    @Test func allPassedNeedsRunsAndNoProblem() {
        #expect(!CrashReport(runs: []).allPassed)
        #expect(CrashReport(runs: [Self.mysql(1, [1, 2, 3, 4]), Self.mysql(2, [1, 2, 3, 4])]).allPassed)
        #expect(!CrashReport(runs: [Self.mysql(1, [1, 2, 3, 4]), Self.mysql(2, [1, 2, 3, nil], problems: ["x"])]).allPassed)
    }
}
