import Dispatch
import Foundation

/// SIGINT and SIGTERM while a command runs: the first calls `stop` (which cancels the work, so it ends
/// cleanly and says what it did), a second one ends the process at once with status 130.
final class SignalTrap: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    private let lock = NSLock()
    private var count = 0

    init(_ signals: [Int32] = [SIGINT, SIGTERM], stop: @escaping @Sendable (Int32) -> Void) {
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            // Handled through the dispatch source; children get the default disposition back when spawned.
            signal(number, SIG_IGN)
            sources.append(DispatchSource.makeSignalSource(signal: number, queue: .global()))
        }
        self.sources = sources
        for (source, number) in zip(sources, signals) {
            source.setEventHandler { [weak self] in self?.received(number, stop: stop) }
            source.resume()
        }
    }

    private func received(_ number: Int32, stop: @Sendable (Int32) -> Void) {
        let first = lock.withLock { count += 1; return count == 1 }
        guard first else {
            FileHandle.standardError.write(Data("\nftservices: second signal: stopping at once.\n".utf8))
            _exit(130)
        }
        FileHandle.standardError.write(Data("\nftservices: \(number == SIGINT ? "interrupted" : "terminated"): stopping cleanly (a second Ctrl-C stops at once)...\n".utf8))
        stop(number)
    }

    /// Puts the default dispositions back.
    func remove() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
