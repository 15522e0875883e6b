import FTServicesCore
import Foundation
import Testing
@testable import FTServicesKit

/// `crashtest`'s phases from the Engine API event stream: the old container's `die` is "exited", the
/// newest other container's `start` is "running", that container's `health_status: healthy` is "healthy";
/// everything else (the old container starting, other containers' health) leaves the phases alone.
@Suite struct SwarmPhaseWatchTests {
    static let old = "0ld0c0ntainer"

    /// A container event at `second` seconds (and a few nanoseconds, to check the daemon's nanoseconds are kept).
    static func event(_ action: String, _ id: String, at second: Int) -> EngineAPI.Event {
        EngineAPI.Event(type: "container", action: action, actor: .init(id: id, attributes: ["name": "ftservices_mysql.1.x"]),
                        time: second, timeNano: second * 1_000_000_000 + 250)
    }

    static func date(_ second: Int) -> Date { Date(timeIntervalSince1970: Double(second * 1_000_000_000 + 250) / 1_000_000_000) }

    /// A watch whose event stream never delivers anything: `record` is fed by hand.
    func watch() -> (SwarmPhaseWatch, FakeEngine) {
        let engine = FakeEngine(deployed: [.mysql])
        return (SwarmPhaseWatch(engine: engine, service: .mysql, oldContainer: Self.old, since: Date()), engine)
    }

    @Test func theOldContainersFirstDieIsExited() {
        let (watch, _) = watch()
        defer { watch.stop() }
        watch.record(Self.event("die", "another", at: 10))
        #expect(watch.phases.exited == nil, "another container's die is not the crash")
        watch.record(Self.event("kill", Self.old, at: 11))
        #expect(watch.phases.exited == nil, "only die counts as exited")
        watch.record(Self.event("die", Self.old, at: 12))
        watch.record(Self.event("die", Self.old, at: 15))
        #expect(watch.phases == SwarmPhaseWatch.Phases(exited: Self.date(12)))
    }

    @Test func startOfAnotherContainerIsRunningAndItsHealthIsHealthy() {
        let (watch, _) = watch()
        defer { watch.stop() }
        watch.record(Self.event("die", Self.old, at: 10))
        watch.record(Self.event("start", Self.old, at: 11))
        #expect(watch.phases.running == nil, "the old container starting again is not a new one")
        watch.record(Self.event("health_status: healthy", Self.old, at: 11))
        #expect(watch.phases.healthy == nil, "the old container's health is not the new one's")

        watch.record(Self.event("start", "new1", at: 12))
        #expect(watch.phases == SwarmPhaseWatch.Phases(exited: Self.date(10), running: Self.date(12), runningContainer: "new1"))
        for action in ["health_status: starting", "health_status: unhealthy", "exec_start: /usr/local/bin/healthcheck"] {
            watch.record(Self.event(action, "new1", at: 13))
        }
        watch.record(Self.event("health_status: healthy", "someone-else", at: 13))
        #expect(watch.phases.healthy == nil, "starting, unhealthy and other containers' health are not healthy")

        watch.record(Self.event("health_status: healthy", "new1", at: 14))
        watch.record(Self.event("health_status: healthy", "new1", at: 44))
        #expect(watch.phases == SwarmPhaseWatch.Phases(exited: Self.date(10), running: Self.date(12), runningContainer: "new1",
                                                  healthy: Self.date(14)), "the first healthy counts")
    }

    /// A replacement that dies at once is replaced again: the newest start is the one that serves, and
    /// health reported before it no longer counts.
    @Test func aSecondStartMovesRunningAndResetsHealthy() {
        let (watch, _) = watch()
        defer { watch.stop() }
        watch.record(Self.event("die", Self.old, at: 10))
        watch.record(Self.event("start", "new1", at: 11))
        watch.record(Self.event("health_status: healthy", "new1", at: 12))
        #expect(watch.phases.healthy == Self.date(12))
        watch.record(Self.event("die", "new1", at: 13))
        watch.record(Self.event("start", "new2", at: 14))
        #expect(watch.phases == SwarmPhaseWatch.Phases(exited: Self.date(10), running: Self.date(14), runningContainer: "new2"))
        watch.record(Self.event("health_status: healthy", "new1", at: 15))
        #expect(watch.phases.healthy == nil, "a late health event of the container that died is ignored")
        watch.record(Self.event("health_status: healthy", "new2", at: 16))
        #expect(watch.phases.healthy == Self.date(16))
        #expect(watch.phases.exited == Self.date(10), "the replacement's die is not the crash")
    }

    /// Through the engine: the watch asks for the service's container events since just before the crash,
    /// records what the stream brings, and `stop()` ends the subscription.
    @Test func followsTheServicesEventStreamUntilStopped() async throws {
        let engine = FakeEngine(deployed: [.mysql])
        let since = Date(timeIntervalSince1970: 1_800_000_000)
        let watch = SwarmPhaseWatch(engine: engine, service: .mysql, oldContainer: Self.old, since: since)
        try await Self.eventually { !engine.eventFilters.isEmpty }
        #expect(engine.eventFilters == [EngineAPI.EventFilter(types: ["container"], labels: ["com.docker.swarm.service.name=ftservices_mysql"],
                                                              since: since)])
        engine.emit(Self.event("die", Self.old, at: 20))
        engine.emit(Self.event("start", "new1", at: 21))
        engine.emit(Self.event("health_status: healthy", "new1", at: 23))
        try await Self.eventually { watch.phases.healthy != nil }
        #expect(watch.phases == SwarmPhaseWatch.Phases(exited: Self.date(20), running: Self.date(21), runningContainer: "new1",
                                                  healthy: Self.date(23)))
        #expect(engine.streamTerminations == 0)
        watch.stop()
        try await Self.eventually { engine.streamTerminations == 1 }
        engine.emit(Self.event("start", "new2", at: 30))
        try await Task.sleep(for: .milliseconds(100))
        #expect(watch.phases.runningContainer == "new1", "nothing is recorded after stop()")
    }

    static func eventually(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let end = ContinuousClock.now + .seconds(5)
        while !condition(), ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition(), "not within 5 s", sourceLocation: sourceLocation)
    }
}
