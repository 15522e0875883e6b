import FTServicesCore
import Foundation

/// `crashtest --mode kill`: a signal to a process inside the service's container, sent from inside like
/// `kubectl exec … kill`, the way an evaluator crashes a service.
struct KillCrash: ContainerCrashStrategy {
    let steps: CrashSteps
    /// Names each service's main process, signalled when a target names none.
    let stack: Stack

    func crash(_ target: CrashTarget, in container: RunningContainer, run: inout CrashRun,
               options: CrashTester.Options) async throws -> String {
        let process = target.process ?? stack.service(target.service).mainProcess
        let pid = try await signal(process, in: container, of: target.service, signal: options.signal)
        run.pid = pid
        return "sent \(options.signal.name) to \(process) (pid \(pid)) in \(steps.runtime.name(of: target.service))"
    }

    /// Sends `signal` to the oldest process named `process` (its master: nginx's, php-fpm's) inside the
    /// container, from inside like `kubectl exec … kill`; returns its PID. PID 1, the supervisor, is never chosen.
    func signal(_ process: String, in container: RunningContainer, of service: ServiceName, signal: CrashSignal) async throws -> Int {
        let script = #"""
            found=""
            for dir in /proc/[0-9]*; do
                pid=${dir#/proc/}
                [ "$pid" = 1 ] && continue
                [ "$(cat "$dir/comm" 2>/dev/null)" = "$1" ] || continue
                if [ -z "$found" ] || [ "$pid" -lt "$found" ]; then found=$pid; fi
            done
            [ -n "$found" ] || { echo "no process named $1 is running" >&2; exit 3; }
            kill -s "$2" "$found" && echo "$found"
            """#
        let result = try await steps.runtime.exec(service, in: container, command: ["sh", "-c", script, "sh", process, signal.rawValue])
        guard result.exitCode == 0, let pid = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CrashTestError.signalFailed(process, (result.stderr + result.stdout).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return pid
    }
}
