import FTServicesNet
import Foundation

extension DockerEngineAPI {
    /// Streams events as they happen (with `filter.since`, past ones first). Ends when `filter.until`
    /// passes or the consumer stops iterating; fails with an `EngineAPIError`.
    public func events(_ filter: EngineAPI.EventFilter) -> AsyncThrowingStream<EngineAPI.Event, any Error> {
        var query = [("filters", Self.filters(["type": filter.types, "label": filter.labels]))]
        if let since = filter.since { query.append(("since", Self.timestamp(since))) }
        if let until = filter.until { query.append(("until", Self.timestamp(until))) }
        let request = makeRequest("GET", "/events", query: query, timeout: .some(nil))
        let lines = http.lines(request)
        let socket = socketPath
        let (events, continuation) = AsyncThrowingStream<EngineAPI.Event, any Error>.makeStream()
        let task = Task {
            do {
                for try await line in lines where !line.isEmpty {
                    do {
                        continuation.yield(try JSONDecoder().decode(EngineAPI.Event.self, from: Data(line.utf8)))
                    } catch {
                        throw EngineAPIError.decoding(method: "GET", path: "/events", type: "Event",
                                                      detail: "\(error) in \(line)")
                    }
                }
                continuation.finish()
            } catch let error as NetError {
                if case .httpStatus(let status) = error.kind {
                    continuation.finish(throwing: EngineAPIError.api(
                        status: status, method: "GET", path: "/events",
                        message: Self.daemonMessage(Data(error.detail.utf8))))
                } else {
                    continuation.finish(throwing: EngineAPIError.from(error, socket: socket))
                }
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return events
    }

    /// Docker's `since`/`until` form: seconds with a nanosecond fraction.
    static func timestamp(_ date: Date) -> String {
        let nanos = Int64((date.timeIntervalSince1970 * 1_000_000_000).rounded())
        return String(format: "%lld.%09lld", nanos / 1_000_000_000, nanos % 1_000_000_000)
    }
}
