import FTServicesCore
import FTServicesKit
import Foundation

/// Progress of `backup` and `restore` on standard error: on a terminal, one line rewritten in place while a
/// part streams; in a log (`plain`), a line per step and at most one progress line every 5 s; `quiet`: nothing.
final class TransferDisplay: @unchecked Sendable {
    private let mode: ProgressMode
    private let output: FileHandle
    private let lock = NSLock()
    private let started = Date()
    private var lastUpdate = Date.distantPast
    private var updating = false

    init(mode: ProgressMode, output: FileHandle = .standardError) {
        self.mode = mode.resolved()
        self.output = output
    }

    /// A step done or begun.
    func line(_ text: String) {
        lock.withLock {
            switch mode {
            case .quiet, .json: return
            case .tty:
                write((updating ? "\r\u{1B}[K" : "") + "  \(text)\n")
            case .plain, .auto:
                write(String(format: "[%6.1fs] ", Date().timeIntervalSince(started)) + text + "\n")
            }
            updating = false
        }
    }

    /// How far a long step is.
    func update(_ text: String) {
        lock.withLock {
            switch mode {
            case .quiet, .json: return
            case .tty:
                write("\r\u{1B}[K  \(text)")
                updating = true
            case .plain, .auto:
                guard Date().timeIntervalSince(lastUpdate) >= 5 else { return }
                lastUpdate = Date()
                write(String(format: "[%6.1fs] ", Date().timeIntervalSince(started)) + text + "\n")
            }
        }
    }

    /// Ends a line left open by `update`.
    func finish() {
        lock.withLock {
            if updating { write("\n") }
            updating = false
        }
    }

    private func write(_ text: String) { output.write(Data(text.utf8)) }

    /// What `BackupMaker` reports, as lines.
    func show(_ event: BackupMaker.Event, label: String = "") {
        switch event {
        case .started(let part):
            update("\(label)\(part.service.rawValue): \(part.noun)…")
        case .progress(let part, let bytes):
            update("\(label)\(part.service.rawValue): \(part.noun)… \(ByteCount.text(bytes))")
        case .finished(let part, let written, let seconds):
            line("\(label)\(part.service.rawValue): \(ByteCount.text(written.size)) in \(String(format: "%.1f", seconds)) s")
        }
    }

    /// What `Restorer` reports, as lines.
    func show(_ event: Restorer.Event) {
        switch event {
        case .checking(let read, let total):
            update("checking the archive: \(ByteCount.text(read)) of \(ByteCount.text(total))")
        case .checked(let manifest):
            line("archive checked: \(manifest.parts.map { "\($0.service) \(ByteCount.text($0.size))" }.joined(separator: ", ")) from \(manifest.orchestrator) at \(manifest.address), \(manifest.createdAt) (ftservices \(manifest.toolVersion)); every SHA-256 matches")
        case .preRestore(let event):
            show(event, label: "pre-restore backup, ")
        case .preRestoreDone(let url):
            line("the data as it is now is kept in \(url.path)")
        case .restoring(let part):
            update("restoring \(part.service.rawValue): \(part.noun)…")
        case .restored(let part, let seconds):
            line("restored \(part.service.rawValue) in \(String(format: "%.1f", seconds)) s")
        case .restarting(let service):
            update("restarting \(service.rawValue) so it picks the data up with this install's logins…")
        case .healthy(let service, let seconds):
            line("\(service.rawValue) restarted and healthy in \(String(format: "%.1f", seconds)) s")
        }
    }
}
