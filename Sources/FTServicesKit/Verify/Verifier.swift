import FTServicesCore
import FTServicesNet
import Foundation

/// Runs `ftservices verify`'s checks against the stack from outside (libcurl through `FTServicesNet`),
/// and in-stack ones through the orchestrator (``ServiceRuntime``): all in parallel, each within its own timeout.
///
/// A check that fails is a result, never an error: the report says what was expected and what came back.
public struct Verifier: Sendable {
    let credentials: VerifyCredentials
    /// Runs the in-stack check and explains failures with the state of the services behind them.
    let runtime: any ServiceRuntime
    /// Runs the ssh client for the one check libcurl cannot do (a remote command).
    let runner: any ProcessRunning
    let http = HTTPClient()

    /// Makes a verifier of a stack on Docker Swarm; nothing is contacted until `run`.
    public init(credentials: VerifyCredentials, engine: any ContainerEngineAPI = DockerEngineAPI(),
                runner: any ProcessRunning = SubprocessRunner()) {
        self.init(credentials: credentials, runtime: SwarmRuntime(engine: engine, runner: runner), runner: runner)
    }

    /// Makes a verifier of a stack on the orchestrator of `runtime`; nothing is contacted until `run`.
    public init(credentials: VerifyCredentials, runtime: any ServiceRuntime, runner: any ProcessRunning = SubprocessRunner()) {
        self.credentials = credentials
        self.runtime = runtime
        self.runner = runner
    }

    /// Runs every check in parallel and returns the results in the order of `checks`.
    public func run(_ checks: [CheckSpec]) async -> [CheckResult] {
        await withTaskGroup(of: (Int, CheckResult).self) { group in
            for (index, spec) in checks.enumerated() {
                group.addTask { (index, await check(spec)) }
            }
            var results = [CheckResult?](repeating: nil, count: checks.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
    }

    /// Runs the checks; with `wait`, runs the failing ones again every `retryInterval` until all pass or
    /// `wait` has passed since the start, except those of a service the deployed stack lacks (they cannot
    /// pass by waiting). `onAttempt` sees each round's report (for progress).
    public func verify(
        _ checks: [CheckSpec], wait: Duration? = nil, retryInterval: Duration = .milliseconds(500),
        onAttempt: @Sendable (VerifyReport) -> Void = { _ in }
    ) async -> VerifyReport {
        let clock = ContinuousClock()
        let deadline = clock.now + (wait ?? .zero)
        var report = VerifyReport(results: await run(checks))
        onAttempt(report)
        while !report.allPassed, !checks.isEmpty, clock.now + retryInterval < deadline, !Task.isCancelled {
            // Checks of a service the stack does not have (Grafana without its image) cannot come right.
            let hopeless = await self.hopeless(report, checks: checks)
            let failing = checks.indices.filter { !report.results[$0].pass && !hopeless.contains($0) }
            if failing.isEmpty { break }
            try? await Task.sleep(for: retryInterval)
            let again = await run(failing.map { checks[$0] })
            for (index, result) in zip(failing, again) { report.results[index] = result }
            onAttempt(report)
        }
        return await explainFailures(report, checks: checks)
    }

    /// One check with its latency, failed as timed out when it outlasts `spec.timeout`.
    func check(_ spec: CheckSpec) async -> CheckResult {
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = await withTaskGroup(of: ProbeOutcome?.self) { group in
            group.addTask { await probe(spec.probe, timeout: spec.timeout) }
            group.addTask {
                // The clients have their own limits; this one only catches a probe that ignores them.
                try? await Task.sleep(for: spec.timeout + .milliseconds(250))
                return Task.isCancelled ? nil : ProbeOutcome(false, "no answer within \(Self.seconds(spec.timeout))")
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? ProbeOutcome(false, "cancelled")
        }
        return CheckResult(spec: spec, observed: outcome.observed, latency: clock.now - start, pass: outcome.pass)
    }

    /// Runs one probe; every failure becomes an outcome that says what came back.
    func probe(_ probe: CheckProbe, timeout: Duration) async -> ProbeOutcome {
        switch probe {
        case .httpStatus(let url, let status, let location):
            await httpStatus(url: url, status: status, location: location, timeout: timeout)
        case .httpBody(let url, let status, let contains):
            await httpBody(url: url, status: status, contains: contains, timeout: timeout)
        case .tlsHandshake(let host, let port):
            await tlsHandshake(host: host, port: port, timeout: timeout)
        case .banner(let host, let port, let prefix):
            await banner(host: host, port: port, prefix: prefix, timeout: timeout)
        case .ftpAuthTLS(let host, let port):
            await ftpAuthTLS(host: host, port: port, timeout: timeout)
        case .notReachable(let host, let port):
            await notReachable(host: host, port: port, timeout: timeout)
        case .ftpsRoundTrip(let host, let port, let login, _):
            await ftpsRoundTrip(host: host, port: port, login: login, timeout: timeout)
        case .ftpPlainRefused(let host, let port, let login):
            await ftpPlainRefused(host: host, port: port, login: login, timeout: timeout)
        case .sshLogin(let host, let port, let user):
            await sshLogin(host: host, port: port, user: user, timeout: timeout)
        case .sshCommand(let host, let port, let user):
            await sshCommand(host: host, port: port, user: user, timeout: timeout)
        case .sshRootRefused(let host, let port):
            await sshRootRefused(host: host, port: port, timeout: timeout)
        case .phpMyAdminLogin(let url, let login):
            await phpMyAdminLogin(url: url, login: login, timeout: timeout)
        case .wordpressSite(let url, let title):
            await wordpressSite(url: url, title: title, timeout: timeout)
        case .grafanaHealth(let url):
            await grafanaHealth(url: url, timeout: timeout)
        case .influxInside(let service, let url, let login, let database):
            await influxInside(service: service, url: url, login: login, database: database, timeout: timeout)
        }
    }

    /// "3 s", "1.5 s".
    static func seconds(_ duration: Duration) -> String {
        let value = duration.timeInterval
        return value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}

/// What a probe saw, and whether that is what the check expects.
struct ProbeOutcome: Sendable, Equatable {
    var pass: Bool
    var observed: String

    init(_ pass: Bool, _ observed: String) {
        self.pass = pass
        self.observed = observed
    }
}
