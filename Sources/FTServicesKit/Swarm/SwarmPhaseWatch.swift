import FTServicesCore
import Foundation

/// Follows one service's container events (Engine API event stream) after a crash and keeps when each
/// recovery phase happened, by the daemon's own timestamps.
final class SwarmPhaseWatch: RecoveryWatch, @unchecked Sendable {
    /// `exited`: the crashed container's `die`; `running`: the `start` of the newest other container (the one
    /// that is to serve); `healthy`: its first `health_status: healthy`.
    typealias Phases = RecoveryPhases

    private let lock = NSLock()
    private var state = Phases()
    private var task: Task<Void, Never>?
    let oldContainer: String

    /// Starts following; `since` replays events from just before the crash, so none is missed while the
    /// stream connects.
    init(engine: any ContainerEngineAPI, service: ServiceName, oldContainer: String, since: Date) {
        self.oldContainer = oldContainer
        let filter = EngineAPI.EventFilter(types: ["container"], labels: ["com.docker.swarm.service.name=\(service.swarmName)"],
                                           since: since)
        task = Task { [weak self] in
            do {
                for try await event in engine.events(filter) { self?.record(event) }
            } catch {
                // The stream ended (the watch was stopped, or the engine went away): the phases seen so far stand.
            }
        }
    }

    func record(_ event: EngineAPI.Event) {
        lock.withLock {
            let id = event.actor.id
            switch event.action {
            case "die" where id == oldContainer:
                if state.exited == nil { state.exited = event.date }
            case "start" where id != oldContainer:
                // A container that dies at once is replaced by another: the newest start is the one that serves.
                state.running = event.date
                state.runningContainer = id
                state.healthy = nil
            case let action where action.hasPrefix("health_status") && action.hasSuffix(" " + HealthStatus.healthy.rawValue)
                && id == state.runningContainer:
                if state.healthy == nil { state.healthy = event.date }
            default:
                break
            }
        }
    }

    var phases: Phases { lock.withLock { state } }

    func stop() {
        task?.cancel()
    }

    deinit {
        task?.cancel()
    }
}
