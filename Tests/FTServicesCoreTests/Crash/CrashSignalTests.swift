import Foundation
import Testing
@testable import FTServicesCore

#if canImport(Glibc)
import Glibc
#endif

/// `--signal` as a user writes it, and what each mode expects of the restart count.
@Suite struct CrashSignalTests {
    @Test(arguments: [
        ("KILL", CrashSignal.KILL), ("SIGKILL", .KILL), ("kill", .KILL), ("SigKill", .KILL), ("9", .KILL),
        ("TERM", .TERM), ("sigterm", .TERM), ("15", .TERM), ("HUP", .HUP), ("1", .HUP), ("SIGSEGV", .SEGV), ("11", .SEGV),
        ("usr1", .USR1), ("10", .USR1), ("12", .USR2),
    ])
    func readsNamesWithOrWithoutSIGAndNumbers(argument: String, signal: CrashSignal) {
        #expect(CrashSignal(argument: argument) == signal)
    }

    @Test(arguments: ["", "SIG", "FOO", "SIGFOO", "0", "-9", "99", "9x", "SIG9", " KILL", "STOP", "SIGSIGKILL"])
    func rejectsAnythingElse(argument: String) {
        #expect(CrashSignal(argument: argument) == nil)
    }

    /// `kill -s NAME` in the container and the numbers shown must be the same signal as Linux's.
    @Test func numbersAndNamesAreLinuxs() {
        let linux: [CrashSignal: Int32] = [.KILL: SIGKILL, .TERM: SIGTERM, .INT: SIGINT, .QUIT: SIGQUIT, .HUP: SIGHUP,
                                           .ABRT: SIGABRT, .SEGV: SIGSEGV, .USR1: SIGUSR1, .USR2: SIGUSR2]
        #expect(Set(linux.keys) == Set(CrashSignal.allCases))
        for signal in CrashSignal.allCases {
            #expect(signal.number == Int(linux[signal]!), "\(signal)")
            #expect(signal.name == "SIG" + signal.rawValue)
            #expect(CrashSignal(argument: String(signal.number)) == signal)
            #expect(CrashSignal(argument: signal.name) == signal)
        }
        #expect(CrashSignal.KILL.name == "SIGKILL")
    }

    @Test func restartsExpectedPerMode() {
        #expect(CrashMode.kill.expectedRestarts == 1, "a killed process's task is replaced once")
        #expect(CrashMode.redeploy.expectedRestarts == 1, "an update replaces the task once too")
        #expect(CrashMode.kill.expectedCrashedTaskState == "failed", "a kill fails the task (status counts it)")
        #expect(CrashMode.redeploy.expectedCrashedTaskState == "shutdown", "an update is not a failure")
        #expect(CrashMode.engine.expectedCrashedTaskState == nil)
        #expect(CrashMode.engine.expectedRestarts == nil, "an engine restart is reported, not judged")
    }

    @Test func canaryPerService() {
        #expect(ServiceName.allCases.map(CanaryKind.of) == [.none, .uploadsFile, .none, .mysqlRow, .ftpsFile, .influxPoint, .grafanaAnnotation])
    }
}
