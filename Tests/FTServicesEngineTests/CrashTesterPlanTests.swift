import FTServicesCore
import Foundation
import Testing
@testable import FTServicesEngine

/// What `crashtest` refuses before it crashes anything, and what it plans: services × processes ×
/// iterations. The fake engine has no running task, so each planned run stops at "not serving before
/// the crash" and nothing is ever signalled: the runs show the plan.
@Suite struct CrashTesterPlanTests {
    static let withoutGrafana = ServiceName.allCases.filter { $0 != .grafana }

    func run(_ services: [ServiceName], explicit: Bool, deployed: [ServiceName] = withoutGrafana,
             mode: CrashMode = .kill, process: CrashTester.ProcessChoice = .main, repeatCount: Int = 1) async throws -> CrashReport {
        let engine = CrashFakeEngine(deployed: deployed)
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
        let tester = CrashTester.fake(CrashFakeEngine(services: nil))
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

    /// The restart count judged after a recovery: it must rise by exactly what the mode expects.
    @Test func restartsMustRiseByWhatTheModeExpects() async throws {
        func failed(_ count: Int) -> [EngineAPI.ServiceTask] {
            (0..<count).map { EngineAPI.ServiceTask(id: "t\($0)", desiredState: "shutdown", status: .init(state: "failed", err: "task: non-zero exit (\(137 - $0))")) }
                + [EngineAPI.ServiceTask(id: "now", desiredState: "running", status: .init(state: "running"))]
        }
        func judge(_ tasks: Int, before: Int, expected: Int?) async -> CrashRun {
            let tester = CrashTester.fake(CrashFakeEngine(services: [], tasks: ["ftservices_mysql": failed(tasks)]))
            var run = CrashRun(service: .mysql, mode: .kill, iteration: 1, canary: .init(kind: .none, state: .none, detail: ""),
                               restartsBefore: before)
            await tester.countRestarts(&run, expected: expected)
            return run
        }
        let one = await judge(3, before: 2, expected: CrashMode.kill.expectedRestarts)
        #expect(one.restartsAfter == 3 && one.problems.isEmpty)
        let two = await judge(4, before: 2, expected: CrashMode.kill.expectedRestarts)
        #expect(two.problems == [#"the restart count rose by 2, expected exactly 1 (failed tasks: "task: non-zero exit (137)", "task: non-zero exit (136)")"#])
        let redeploy = await judge(3, before: 2, expected: CrashMode.redeploy.expectedRestarts)
        #expect(redeploy.problems == [#"the restart count rose by 1, expected exactly 0 (failed tasks: "task: non-zero exit (137)")"#])
        let engine = await judge(5, before: 2, expected: CrashMode.engine.expectedRestarts)
        #expect(engine.restartsAdded == 3 && engine.problems.isEmpty, "engine mode reports the count without judging it")
    }
}
