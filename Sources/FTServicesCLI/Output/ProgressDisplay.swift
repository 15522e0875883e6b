import FTServicesKit
import Foundation

/// Shows the progress of long steps (image builds, waiting for health) on standard error.
///
/// `tty` keeps one line per image or service and redraws them in place; `plain` prints a line when
/// something changes; `json` prints one object per change; `quiet` prints nothing.
final class ProgressDisplay: SetupProgress, @unchecked Sendable {
    let mode: ProgressMode
    private let lock = NSLock()
    private let start = Date()
    private var rows: [(key: String, text: String)] = []
    private var drawnLines = 0
    private let output: FileHandle

    init(mode: ProgressMode, output: FileHandle = .standardError) {
        self.mode = mode.resolved()
        self.output = output
    }

    /// A heading for a new step ("Building images").
    func phase(_ title: String) {
        lock.withLock {
            finishTable()
            switch mode {
            case .tty: write("\u{1B}[1m\(title)\u{1B}[0m\n")
            case .plain: write("[\(stamp)] \(title)\n")
            case .json: writeJSON(["event": "phase", "title": title])
            case .quiet, .auto: break
            }
        }
    }

    /// A line of information that is not a table row.
    func note(_ text: String) {
        lock.withLock {
            switch mode {
            case .tty:
                finishTable()
                write("  \(text)\n")
            case .plain: write("[\(stamp)] \(text)\n")
            case .json: writeJSON(["event": "note", "message": text])
            case .quiet, .auto: break
            }
        }
    }

    func image(_ event: ImageBuildEvent) {
        let (name, symbol, text): (String, String, String)
        switch event {
        case .cached(let image): (name, symbol, text) = (image, "✔", "up to date (cached)")
        case .started(let image): (name, symbol, text) = (image, "…", "building")
        case .built(let image, let seconds): (name, symbol, text) = (image, "✔", String(format: "built in %.1f s", seconds))
        case .failed(let image, let message): (name, symbol, text) = (image, "✘", "failed: " + (message.split(separator: "\n").first.map(String.init) ?? ""))
        case .skipped(let image, let reason): (name, symbol, text) = (image, "–", "skipped: \(reason)")
        }
        lock.withLock {
            switch mode {
            case .tty: update(key: "image:\(name)", text: "  \(symbol) \(name.padding(toLength: 11, withPad: " ", startingAt: 0)) \(text)")
            case .plain: write("[\(stamp)] image \(name): \(text)\n")
            case .json: writeJSON(["event": "image", "image": name, "status": text])
            case .quiet, .auto: break
            }
        }
    }

    func service(_ progress: ServiceProgress, changed: Bool) {
        lock.withLock {
            let symbol: String
            switch progress.state {
            case .healthy: symbol = "✔"
            case .failed, .unhealthy: symbol = "✘"
            case .skipped: symbol = "–"
            case .pending, .starting: symbol = "…"
            case .rollingBack: symbol = "↺"
            case .rolledBack: symbol = "↩"
            }
            let detail = progress.detail.isEmpty ? "" : " (\(progress.detail))"
            switch mode {
            case .tty:
                let time = String(format: "%5.1fs", progress.elapsed)
                update(key: "service:\(progress.service)", text: "  \(symbol) \(progress.service.padding(toLength: 11, withPad: " ", startingAt: 0)) \(progress.state.rawValue.padding(toLength: ServiceProgress.State.width, withPad: " ", startingAt: 0)) \(time)\(String(detail.prefix(70)))")
            case .plain:
                if changed { write("[\(stamp)] \(progress.service): \(progress.state.rawValue)\(detail)\n") }
            case .json:
                if changed {
                    writeJSON(["event": "service", "service": progress.service, "state": progress.state.rawValue,
                               "detail": progress.detail, "elapsed": String(format: "%.2f", progress.elapsed)])
                }
            case .quiet, .auto: break
            }
        }
    }

    /// Ends the live table so later output starts below it.
    func finish() {
        lock.withLock { finishTable() }
    }

    // MARK: - drawing (callers hold the lock)

    private var stamp: String { String(format: "%6.1fs", Date().timeIntervalSince(start)) }

    private func update(key: String, text: String) {
        if let index = rows.firstIndex(where: { $0.key == key }) {
            if rows[index].text == text { return }
            rows[index].text = text
        } else {
            rows.append((key, text))
        }
        redraw()
    }

    private func redraw() {
        var buffer = ""
        if drawnLines > 0 { buffer += "\u{1B}[\(drawnLines)A" }
        for row in rows { buffer += "\r\u{1B}[2K" + row.text + "\n" }
        drawnLines = rows.count
        write(buffer)
    }

    private func finishTable() {
        rows = []
        drawnLines = 0
    }

    private func write(_ text: String) {
        output.write(Data(text.utf8))
    }

    private func writeJSON(_ object: [String: String]) {
        var object = object
        object["time"] = String(format: "%.3f", Date().timeIntervalSince(start))
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        output.write(data + Data("\n".utf8))
    }
}
