import FTServicesCore
import Foundation
import Testing
@testable import FTServicesKit

/// What `crashtest` refuses before it crashes anything, and what it plans: services × processes ×
/// iterations. The fake engine has no running task, so each planned run stops at "not serving before
/// the crash" and nothing is ever signalled: the runs show the plan.
@Suite struct CrashTesterPlanTests {
    static let withoutGrafana = ServiceName.allCases.filter { $0 != .grafana }

    func run(_ services: [ServiceName], explicit: Bool, deployed: [ServiceName] = withoutGrafana,
             mode: CrashMode = .kill, process: CrashTester.ProcessChoice = .main, repeatCount: Int = 1) async throws -> CrashReport {
        let engine = FakeEngine(deployed: deployed)
        let options = CrashTester.Options(mode: mode, process: process, repeatCount: repeatCount, deadline: .milliseconds(1))
        let report = try await CrashTester.fake(engine).run(services, explicit: explicit, options: options) { _ in }
        #expect(engine.execs.isEmpty, "a service that is not serving is not crashed")
        return report
    }

    static func plan(_ report: CrashReport) -> [String] {
        report.runs.map { "\($0.service.rawValue)/\($0.process ?? "-")#\($0.iteration)" }
    }

    @Test func noStackSaysToRunSetupFirst() async throws {
        let error = await #expect(throws: CrashTestError.noStack) {
            try await run([.mysql], explicit: true, deployed: [])
        }
        #expect(error?.description == "no ftservices stack is deployed on this Docker engine: run `ftservices setup` first")
    }

    @Test func anEngineThatDoesNotAnswerIsItsOwnError() async throws {
        let tester = CrashTester.fake(FakeEngine(services: nil))
        await #expect(throws: EngineAPIError.self) {
            try await tester.run([.mysql], explicit: true, options: .init()) { _ in }
        }
    }

    @Test func anExplicitServiceThatIsNotDeployedIsAnError() async throws {
        let grafana = await #expect(throws: CrashTestError.notDeployed(.grafana, "not deployed (setup ran without a Grafana image)")) {
            try await run([.grafana], explicit: true)
        }
        #expect(grafana?.description == "grafana is not deployed (setup ran without a Grafana image)")
        await #expect(throws: CrashTestError.notDeployed(.ftps, "not deployed (run `ftservices setup`)")) {
            try await run([.ftps], explicit: true, deployed: [.nginx, .mysql])
        }
    }

    @Test func allSkipsGrafanaWhenItIsNotDeployedAndSaysWhy() async throws {
        let report = try await run(ServiceName.allCases, explicit: false)
        #expect(report.skipped == [CrashSkip(service: .grafana, reason: "not deployed (setup ran without a Grafana image)")])
        #expect(Self.plan(report) == ["nginx/nginx#1", "wordpress/php-fpm8.2#1", "phpmyadmin/php-fpm8.2#1", "mysql/mariadbd#1",
                                      "ftps/vsftpd#1", "influxdb/influxd#1"], "each deployed service's main process, in stack order")
        for run in report.runs {
            #expect(run.problems.count == 1)
            #expect(run.problems.first?.hasPrefix("not serving before the crash, so not crashed: no running container after") == true,
                    "\(run.problems)")
            #expect(run.signal == "SIGKILL" && run.pid == nil && run.exitedMs == nil)
        }
        #expect(!report.allPassed)
        #expect(report.text.contains("- grafana: skipped, not deployed (setup ran without a Grafana image)"), "\(report.text)")
    }

    @Test func anUnknownProcessOfAnExplicitServiceListsWhatItRuns() async throws {
        let error = await #expect(throws: CrashTestError.unknownProcess(.mysql, "nginx", ["mariadbd", "collectd"])) {
            try await run([.mysql], explicit: true, process: .named("nginx"))
        }
        #expect(error?.description == "mysql runs no process named nginx: it runs mariadbd, collectd (or use --process all)")
    }

    @Test func aProcessOnAllPlansOnlyTheServicesRunningIt() async throws {
        let report = try await run(ServiceName.allCases, explicit: false, process: .named("nginx"))
        #expect(Self.plan(report) == ["nginx/nginx#1", "wordpress/nginx#1", "phpmyadmin/nginx#1"])
        #expect(report.skipped == [
            CrashSkip(service: .grafana, reason: "not deployed (setup ran without a Grafana image)"),
            CrashSkip(service: .mysql, reason: "runs no process named nginx"),
            CrashSkip(service: .ftps, reason: "runs no process named nginx"),
            CrashSkip(service: .influxdb, reason: "runs no process named nginx"),
        ])
    }

    @Test func aProcessNoChosenServiceRunsIsAnError() async throws {
        let error = await #expect(throws: CrashTestError.noServiceRuns("httpd")) {
            try await run(ServiceName.allCases, explicit: false, process: .named("httpd"))
        }
        #expect(error?.description == "no chosen service runs a process named httpd")
    }

    @Test func processAllAndRepeatPlanEveryProcessThatManyTimes() async throws {
        let report = try await run([.nginx], explicit: true, process: .all, repeatCount: 2)
        #expect(Self.plan(report) == ["nginx/nginx#1", "nginx/nginx#2", "nginx/sshd#1", "nginx/sshd#2", "nginx/collectd#1", "nginx/collectd#2"])
    }

    @Test func redeployPlansOneRunPerServiceWithoutAProcess() async throws {
        let report = try await run([.wordpress, .mysql], explicit: true, mode: .redeploy, repeatCount: 2)
        #expect(Self.plan(report) == ["wordpress/-#1", "wordpress/-#2", "mysql/-#1", "mysql/-#2"])
        #expect(report.runs.allSatisfy { $0.mode == .redeploy && $0.signal == nil })
    }

    /// The restarts judged after a recovery: the tasks created after the crash, and how the crashed task ended.
    @Test func restartsAreTheTasksStartedAfterTheCrash() async throws {
        let crash = Date()
        func stamp(_ offset: TimeInterval) -> String {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter.string(from: crash.addingTimeInterval(offset))
        }
        func judge(mode: CrashMode, crashedState: String, started: Int, failedStarts: Int = 0) async -> CrashRun {
            var tasks = [EngineAPI.ServiceTask(id: "old", desiredState: "shutdown", createdAt: stamp(-60),
                                               status: .init(state: crashedState, containerStatus: .init(containerID: "c-old")))]
            tasks += (0..<started).map { index in
                EngineAPI.ServiceTask(id: "new\(index)", desiredState: index == started - 1 ? "running" : "shutdown", createdAt: stamp(Double(index + 1)),
                                      status: .init(state: index < failedStarts ? "failed" : "running",
                                                    err: index < failedStarts ? "starting container failed: unable to remount dir as readonly" : nil))
            }
            let tester = CrashTester.fake(FakeEngine(services: [], tasks: ["ftservices_mysql": tasks.reversed()]))
            var run = CrashRun(service: .mysql, mode: mode, iteration: 1, canary: .init(kind: .none, state: .none, detail: ""))
            await tester.steps.countRestarts(&run, since: crash, crashed: RunningContainer(id: "c-old", health: nil, startedAt: nil, label: "container c-old"))
            return run
        }
        let one = await judge(mode: .kill, crashedState: "failed", started: 1)
        #expect(one.restarts == 1 && one.crashedTaskState == "failed" && one.problems.isEmpty, "\(one.problems)")
        let two = await judge(mode: .kill, crashedState: "failed", started: 2, failedStarts: 1)
        #expect(two.problems == [#"Swarm started 2 new containers after the crash, expected exactly 1 (failed starts: "starting container failed: unable to remount dir as readonly")"#])
        let complete = await judge(mode: .kill, crashedState: "complete", started: 1)
        #expect(complete.problems == ["the crashed task ended complete, expected failed (`status` counts a restart for failed tasks only)"])
        let redeploy = await judge(mode: .redeploy, crashedState: "shutdown", started: 1)
        #expect(redeploy.restarts == 1 && redeploy.problems.isEmpty, "\(redeploy.problems)")
        let engine = await judge(mode: .engine, crashedState: "failed", started: 3)
        #expect(engine.restarts == 3 && engine.problems.isEmpty, "engine mode reports the count without judging it")
    }
}
