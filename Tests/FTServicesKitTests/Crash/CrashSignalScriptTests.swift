import FTServicesCore
import Foundation
import Testing
import FTServicesTestSupport
@testable import FTServicesKit

/// `crashtest`'s kill: the exact script `CrashTester.signal` execs in the container, run here against real
/// processes (copies of `sleep` under a name no other process has). It signals the oldest (lowest PID)
/// process of that name, prints its PID, never picks PID 1, and says so when no such process runs.
@Suite struct CrashSignalScriptTests {
    static let container = RunningContainer(id: "c0ntainer", health: "healthy", startedAt: nil, label: "container c0ntainer")

    /// A copy of `sleep` under a fresh name of at most 15 characters (what `/proc/PID/comm` holds).
    struct Sleeper {
        let directory: URL
        let name: String
        var executable: URL { directory.appendingPathComponent(name) }

        init() throws {
            directory = try TestFiles.directory()
            name = "fts" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8).lowercased()
            try FileManager.default.copyItem(atPath: "/bin/sleep", toPath: executable.path)
        }

        /// Starts one, as a container's supervisor would: no signal blocked or ignored (the test runner
        /// blocks some, and children inherit that), and returns once it runs under its name.
        func start() async throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", """
                import os, signal, sys
                signal.pthread_sigmask(signal.SIG_SETMASK, [])
                for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
                    signal.signal(number, signal.SIG_DFL)
                os.execv(sys.argv[1], sys.argv[1:])
                """, executable.path, "20"]
            try process.run()
            let comm = "/proc/\(process.processIdentifier)/comm"
            let end = ContinuousClock.now + .seconds(5)
            while (try? String(contentsOfFile: comm, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) != name {
                guard ContinuousClock.now < end else { throw TestFailure("\(name) did not start") }
                try await Task.sleep(for: .milliseconds(10))
            }
            return process
        }
    }

    static func exitedBy(_ process: Process) -> Int32? {
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil
    }

    @Test func signalsTheLowestPIDOfThatNameAndReturnsIt() async throws {
        let sleeper = try Sleeper()
        let processes = [try await sleeper.start(), try await sleeper.start()]
        defer { for process in processes where process.isRunning { process.terminate() } }
        let sorted = processes.sorted { $0.processIdentifier < $1.processIdentifier }
        let engine = FakeEngine(deployed: [.nginx])
        let tester = CrashTester.fake(engine)

        let pid = try await tester.kill.signal(sleeper.name, in: Self.container, of: .mysql, signal: .KILL)
        #expect(pid == Int(sorted[0].processIdentifier))
        #expect(Self.exitedBy(sorted[0]) == SIGKILL)
        #expect(sorted[1].isRunning, "only one process is signalled")
        #expect(engine.execs.map(\.container) == ["c0ntainer"])
        #expect(engine.execs.first?.command.starts(with: ["sh", "-c"]) == true)
        #expect(engine.execs.first?.command.suffix(2) == [sleeper.name, "KILL"], "process and signal are arguments, not spliced into the script")

        // A prefix of the name is another name.
        await #expect(throws: CrashTestError.signalFailed(String(sleeper.name.dropLast()), "no process named \(sleeper.name.dropLast()) is running")) {
            try await tester.kill.signal(String(sleeper.name.dropLast()), in: Self.container, of: .mysql, signal: .KILL)
        }
        #expect(sorted[1].isRunning)

        let next = try await tester.kill.signal(sleeper.name, in: Self.container, of: .mysql, signal: .TERM)
        #expect(next == Int(sorted[1].processIdentifier))
        #expect(Self.exitedBy(sorted[1]) == SIGTERM, "the signal asked for is the one sent")
    }

    @Test func noSuchProcessIsAnErrorNamingIt() async throws {
        let tester = CrashTester.fake(FakeEngine(deployed: [.nginx]))
        let error = await #expect(throws: CrashTestError.self) {
            try await tester.kill.signal("ftsnosuchproc", in: Self.container, of: .mysql, signal: .KILL)
        }
        #expect(error == .signalFailed("ftsnosuchproc", "no process named ftsnosuchproc is running"))
        #expect(error?.description == "could not signal ftsnosuchproc: no process named ftsnosuchproc is running")
    }

    /// The script compares `/proc/PID/comm`, which the kernel cuts at 15 characters: a longer process name
    /// in the stack model could never be found.
    @Test func everyProcessOfTheStackFitsInComm() {
        for service in Stack(config: .defaults).services {
            for process in service.processes {
                #expect(process.utf8.count <= 15, "\(service.name.rawValue): \(process)")
            }
        }
    }

    static let canUnshare: Bool = {
        guard getuid() == 0 else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["unshare", "--pid", "--fork", "--mount-proc", "true"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// A PID namespace like a container's, whose PID 1 runs `command`; `init` is that process's PID here.
    struct Namespace {
        let unshare: Process
        let initPID: Int32

        init(_ command: String) async throws {
            unshare = Process()
            unshare.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            unshare.arguments = ["unshare", "--pid", "--fork", "--mount-proc", "sh", "-c", command]
            unshare.standardError = FileHandle.nullDevice  // it warns that it cannot unblock the runner's blocked signals
            try unshare.run()
            let children = "/proc/\(unshare.processIdentifier)/task/\(unshare.processIdentifier)/children"
            let end = ContinuousClock.now + .seconds(5)
            var pid: Int32?
            while pid == nil, ContinuousClock.now < end {
                pid = (try? String(contentsOfFile: children, encoding: .utf8))?.split(separator: " ").first.flatMap { Int32($0) }
                if pid == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            initPID = try #require(pid)
        }

        /// The comm names of the namespace's processes, by PID inside it.
        func processes() throws -> [Int: String] {
            let result = try TestFiles.output(["nsenter", "-t", "\(initPID)", "-p", "-m", "sh", "-c",
                                        #"for d in /proc/[0-9]*; do echo "${d#/proc/} $(cat $d/comm)"; done"#])
            return Dictionary(uniqueKeysWithValues: result.split(separator: "\n").compactMap { line -> (Int, String)? in
                let parts = line.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, let pid = Int(parts[0]) else { return nil }
                return (pid, String(parts[1]))
            })
        }

        /// Waits until the namespace runs `expected` (PID inside → name) among its processes.
        ///
        /// Looking inside (`nsenter`) starts a process in the namespace, which takes the next PID; so first wait,
        /// from outside, until PID 1 has exec'd into its own name: every command here forks its other processes
        /// before that `exec`, so their PIDs are taken by then.
        func waitFor(_ expected: [Int: String]) async throws {
            let end = ContinuousClock.now + .seconds(20)
            if let first = expected[1] {
                while ContinuousClock.now < end,
                      (try? String(contentsOfFile: "/proc/\(initPID)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) != first {
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            while ContinuousClock.now < end {
                let running = try processes()
                if expected.allSatisfy({ running[$0.key] == $0.value }) { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            Issue.record("the namespace never ran \(expected): \(try processes())")
        }

        func stop() {
            kill(initPID, SIGKILL)
            unshare.waitUntilExit()
        }
    }

    /// In a container PID 1 is the supervisor; were it picked, killing it would take the whole container
    /// down instead of the process asked for. Here PID 1 of a fresh PID namespace carries the name itself.
    @Test(.enabled(if: canUnshare, "needs root and unshare(1) to make a PID namespace"))
    func pid1IsNeverChosen() async throws {
        let sleeper = try Sleeper()
        let exe = sleeper.executable.path

        // PID 1 and PID 2 both carry the name: PID 2 is signalled, PID 1 lives on.
        let both = try await Namespace("'\(exe)' 60 & exec '\(exe)' 60")
        defer { both.stop() }
        try await both.waitFor([1: sleeper.name, 2: sleeper.name])
        let engine = FakeEngine(deployed: [.nginx], execPrefix: ["nsenter", "-t", "\(both.initPID)", "-p", "-m"])
        let pid = try await CrashTester.fake(engine).kill.signal(sleeper.name, in: Self.container, of: .mysql, signal: .KILL)
        #expect(pid == 2)
        #expect(try both.processes()[1] == sleeper.name, "PID 1 still runs")

        // Only PID 1 carries the name: nothing is signalled.
        let alone = try await Namespace("exec '\(exe)' 60")
        defer { alone.stop() }
        try await alone.waitFor([1: sleeper.name])
        let lonely = FakeEngine(deployed: [.nginx], execPrefix: ["nsenter", "-t", "\(alone.initPID)", "-p", "-m"])
        await #expect(throws: CrashTestError.signalFailed(sleeper.name, "no process named \(sleeper.name) is running")) {
            try await CrashTester.fake(lonely).kill.signal(sleeper.name, in: Self.container, of: .mysql, signal: .KILL)
        }
        #expect(try alone.processes()[1] == sleeper.name, "PID 1 still runs")
    }
}
