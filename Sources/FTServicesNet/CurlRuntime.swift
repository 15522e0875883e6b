import CCurl
import Foundation
import Synchronization

/// Process-wide libcurl setup and the place where blocking libcurl calls run.
///
/// libcurl's easy interface blocks its thread for the whole transfer, so every operation runs on a
/// thread of its own, never on Swift's cooperative pool; the caller awaits a continuation.
enum CurlRuntime {
    private static let initialized: Bool = ccurl_global_init() == CURLE_OK

    /// Calls `curl_global_init` the first time only (thread-safe: a lazy static).
    static func initializeOnce() {
        _ = initialized
    }

    /// Runs `body` on a new thread and returns its result. Cancelling the calling task raises the
    /// flag passed to `body`, which the transfer's progress callback turns into an abort.
    static func run<Value: Sendable>(
        _ body: @escaping @Sendable (CancelFlag) -> Result<Value, NetError>
    ) async -> Result<Value, NetError> {
        let cancel = CancelFlag()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread { continuation.resume(returning: body(cancel)) }
                thread.name = "ftservices-curl"
                thread.start()
            }
        } onCancel: {
            cancel.raise()
        }
    }

    /// Starts `body` on a new thread without waiting (for streams).
    static func detach(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = "ftservices-curl-stream"
        thread.start()
    }

    /// One transfer of `url` on its own thread: `session` sets what every request of a client shares
    /// (credentials, TLS, timeouts), `configure` what this one does; returns the body received.
    static func transfer(
        url: String,
        session: @escaping @Sendable (CurlHandle) throws(NetError) -> Void,
        configure: @escaping @Sendable (CurlHandle, CurlTransfer) throws(NetError) -> Void
    ) async throws(NetError) -> Data {
        try await run { cancel in
            Result { () throws(NetError) in
                let handle = try CurlHandle(url: url)
                try session(handle)
                let transfer = CurlTransfer(handle: handle, cancel: cancel)
                try configure(handle, transfer)
                try transfer.run()
                return transfer.body
            }
        }.get()
    }
}

/// A flag one side raises to ask a running transfer to stop.
final class CancelFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    func raise() { raised.store(true, ordering: .relaxed) }

    var isRaised: Bool { raised.load(ordering: .relaxed) }
}
