import FTServicesCore
import FTServicesNet
import Foundation

/// The application probes: WordPress, phpMyAdmin's login, Grafana's health, InfluxDB inside the stack.
extension Verifier {
    /// 200 with the site title; WordPress answers 500 "Error establishing a database connection" without MariaDB.
    func wordpressSite(url: String, title: String, timeout: Duration) async -> ProbeOutcome {
        do {
            let response = try await http.send(request(url, timeout: timeout))
            let text = response.text
            if text.contains("Error establishing a database connection") {
                return ProbeOutcome(false, "HTTP \(response.status): Error establishing a database connection")
            }
            let titled = text.contains(title)
            return ProbeOutcome(response.status == 200 && titled,
                                "HTTP \(response.status), \(response.body.count) bytes " + (titled ? "with" : "without") + " \"\(title)\"")
        } catch {
            return ProbeOutcome(false, Self.describe(error))
        }
    }

    func phpMyAdminLogin(url: String, login: CheckProbe.Login, timeout: Duration) async -> ProbeOutcome {
        guard let password = credentials.passwords[login.passwordSecret] else { return missingPassword(login) }
        let caFile = credentials.caFile
        let form = PhpMyAdminLogin(http: http) { url, method, headers, body in
            HTTPRequest(method: method, url: url, headers: headers, body: body, timeout: timeout,
                        connectTimeout: timeout, tls: .caFile(caFile))
        }
        do {
            let (pass, observed) = try await form.login(url: url, user: login.user, password: password)
            return ProbeOutcome(pass, observed)
        } catch {
            return ProbeOutcome(false, Self.describe(error))
        }
    }

    /// `/api/health` answers 200 with JSON whose `database` is "ok".
    func grafanaHealth(url: String, timeout: Duration) async -> ProbeOutcome {
        struct Health: Decodable {
            let database: String?
            let version: String?
        }
        do {
            let response = try await http.send(request(url, timeout: timeout))
            guard let health = try? JSONDecoder().decode(Health.self, from: response.body) else {
                return ProbeOutcome(false, "HTTP \(response.status), not Grafana's health JSON: \(Self.printable(response.text))")
            }
            let observed = "HTTP \(response.status), database \(health.database ?? "missing")"
                + (health.version.map { ", version \($0)" } ?? "")
            return ProbeOutcome(response.status == 200 && health.database == "ok", observed)
        } catch {
            return ProbeOutcome(false, Self.describe(error))
        }
    }

    /// Runs curl in the service's running container (Engine API exec, `kubectl exec`): the password is read
    /// there from the secret file and handed to curl as a config on stdin, so it is never on a command line
    /// (`ps`, `docker inspect`, the API server's audit log).
    func influxInside(service: ServiceName, url: String, login: CheckProbe.Login, database: String, timeout: Duration) async -> ProbeOutcome {
        do {
            let seconds = max(1, Int((Double(timeout.components.seconds) * 0.8).rounded()))
            let result = try await runtime.exec(service, in: nil, command: Self.influxQueryCommand(
                url: url, user: login.user, secret: login.passwordSecret, maxSeconds: seconds))
            return Self.influxOutcome(result, user: login.user, database: database)
        } catch ServiceRuntimeError.noRunningContainer(_, let message) {
            return ProbeOutcome(false, message)
        } catch {
            return ProbeOutcome(false, "\(runtime.name(of: service)): \(error)")
        }
    }

    /// `sh -c SCRIPT sh USER SECRET URL SECONDS`: SHOW DATABASES with the password from `/run/secrets/SECRET`;
    /// prints the body, then a last line with the HTTP status.
    static func influxQueryCommand(url: String, user: String, secret: SecretKey, maxSeconds: Int) -> [String] {
        let script = InfluxLogin.curlScriptPrefix + #"-m "$4" -G --data-urlencode 'q=SHOW DATABASES' -w '\n%{http_code}' "$3/query""#
        return ["sh", "-c", script, "sh", user, secret.rawValue, url, String(maxSeconds)]
    }

    static func influxOutcome(_ result: CommandResult, user: String, database: String) -> ProbeOutcome {
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let status = lines.last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        let body = lines.dropLast().joined(separator: "\n")
        guard result.exitCode == 0 else {
            let error = (result.stderr + " " + result.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
            return ProbeOutcome(false, "exit \(result.exitCode): \(printable(error))")
        }
        let listed = body.contains("[\"\(database)\"]")
        let pass = status == "200" && listed && !body.contains("\"error\"")
        return ProbeOutcome(pass, "HTTP \(status) to SHOW DATABASES as \(user), "
                            + (listed ? "lists \(database)" : "without \(database): \(printable(body))"))
    }
}
