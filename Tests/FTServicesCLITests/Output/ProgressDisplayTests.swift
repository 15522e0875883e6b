import FTServicesKit
import Foundation
import Testing
@testable import FTServicesCLI

/// What `--progress plain` and `--progress json` write for each kind of event, and that `quiet` writes nothing.
@Suite struct ProgressDisplayTests {
    /// Runs `events` against a display writing into a pipe and returns the lines it wrote.
    func lines(_ mode: ProgressMode, _ events: (ProgressDisplay) -> Void) throws -> [String] {
        let pipe = Pipe()
        let display = ProgressDisplay(mode: mode, output: pipe.fileHandleForWriting)
        events(display)
        display.finish()
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// "[   0.0s] text" → "text", failing when the line lacks the elapsed-time stamp.
    func unstamped(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        guard let match = line.wholeMatch(of: /\[ *[0-9]+\.[0-9]s\] (.*)/) else {
            Issue.record("no [elapsed] stamp: \(line)", sourceLocation: sourceLocation)
            return nil
        }
        return String(match.1)
    }

    @Test func plainWritesOneStampedLinePerEvent() throws {
        let written = try lines(.plain) { display in
            display.phase("Building images")
            display.note("ftps: template changed")
            display.image(.built(image: "ftps", seconds: 12.34))
            display.image(.failed(image: "nginx", message: "step 3 failed\nmore detail"))
            display.service(ServiceProgress(service: "nginx", state: .starting, detail: "", elapsed: 1), changed: true)
            display.service(ServiceProgress(service: "nginx", state: .starting, detail: "", elapsed: 2), changed: false)
            display.service(ServiceProgress(service: "mysql", state: .unhealthy, detail: "exit 1", elapsed: 3), changed: true)
        }
        #expect(written.last == "", "every line ends with a newline")
        #expect(written.dropLast().map { unstamped($0) } == [
            "Building images",
            "ftps: template changed",
            "image ftps: built in 12.3 s",
            "image nginx: failed: step 3 failed",
            "nginx: starting",
            "mysql: unhealthy (exit 1)",
        ])
    }

    @Test func jsonWritesOneObjectPerEvent() throws {
        let written = try lines(.json) { display in
            display.phase("Waiting for health")
            display.note("grafana skipped")
            display.image(.cached(image: "mysql"))
            display.service(ServiceProgress(service: "wordpress", state: .healthy, detail: "", elapsed: 4.5), changed: true)
            display.service(ServiceProgress(service: "wordpress", state: .healthy, detail: "", elapsed: 5), changed: false)
        }
        #expect(written.last == "")
        let objects = try written.dropLast().map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String], "not a JSON object of strings: \(line)")
        }
        for object in objects {
            #expect(object["time"].flatMap(Double.init) != nil, "every event has its time: \(object)")
        }
        #expect(objects.map { $0.filter { $0.key != "time" } } == [
            ["event": "phase", "title": "Waiting for health"],
            ["event": "note", "message": "grafana skipped"],
            ["event": "image", "image": "mysql", "status": "up to date (cached)"],
            ["event": "service", "service": "wordpress", "state": "healthy", "detail": "", "elapsed": "4.50"],
        ])
        #expect(written.dropLast().allSatisfy { $0.hasPrefix("{\"") && !$0.contains("\n") }, "one sorted-keys object per line")
    }

    @Test func quietWritesNothing() throws {
        let written = try lines(.quiet) { display in
            display.phase("Building images")
            display.note("a note")
            display.image(.started(image: "ftps"))
            display.service(ServiceProgress(service: "nginx", state: .failed, detail: "x", elapsed: 1), changed: true)
        }
        #expect(written == [""])
    }

    @Test func ttyRedrawsTheRowOfAServiceInPlace() throws {
        let written = try lines(.tty) { display in
            display.phase("Waiting")
            display.service(ServiceProgress(service: "nginx", state: .starting, detail: "", elapsed: 1), changed: true)
            display.service(ServiceProgress(service: "nginx", state: .healthy, detail: "", elapsed: 2), changed: true)
        }
        let text = written.joined(separator: "\n")
        #expect(text.hasPrefix("\u{1B}[1mWaiting\u{1B}[0m\n"))
        #expect(text.contains("\r\u{1B}[2K  … nginx       starting       1.0s\n"))
        #expect(text.contains("\u{1B}[1A\r\u{1B}[2K  ✔ nginx       healthy        2.0s\n"), "the second state overwrites the first line: \(text.debugDescription)")
    }

    /// The longest state ("rolling back") keeps the time column where the others have it.
    @Test func ttyStateColumnFitsTheLongestState() throws {
        let written = try lines(.tty) { display in
            display.phase("Waiting")
            display.service(ServiceProgress(service: "nginx", state: .healthy, detail: "", elapsed: 2), changed: true)
            display.service(ServiceProgress(service: "ftps", state: .rollingBack, detail: "", elapsed: 3), changed: true)
        }
        let rows = written.joined(separator: "\n").split(separator: "\n").map(String.init)
        let column = { (needle: String) -> Int? in
            rows.first { $0.contains(needle) }.flatMap { row in row.range(of: needle).map { row.distance(from: row.startIndex, to: $0.lowerBound) } }
        }
        let healthy = try #require(column("2.0s")), rolling = try #require(column("3.0s"))
        #expect(healthy == rolling, "\(rows)")
        #expect(ServiceProgress.State.width == "rolling back".count)
    }
}
