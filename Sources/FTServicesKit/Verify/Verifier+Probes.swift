import FTServicesCore
import FTServicesNet
import Foundation

/// The connection-level probes: HTTP status and body, TLS handshake, banners, FTP `AUTH TLS`, closed ports.
extension Verifier {
    /// A GET that trusts the install's CA only and does not follow redirects.
    func request(_ url: String, timeout: Duration) -> HTTPRequest {
        HTTPRequest(url: url, timeout: timeout, connectTimeout: timeout, tls: .caFile(credentials.caFile))
    }

    func httpStatus(url: String, status: Int, location: String?, timeout: Duration) async -> ProbeOutcome {
        do {
            let response = try await http.send(request(url, timeout: timeout))
            let observed = response.redirectURL.map { "HTTP \(response.status) to \($0)" } ?? "HTTP \(response.status)"
            let rightPlace = location == nil || response.redirectURL == location
            return ProbeOutcome(response.status == status && rightPlace, observed)
        } catch {
            return ProbeOutcome(false, Self.describe(error))
        }
    }

    func httpBody(url: String, status: Int, contains: String, timeout: Duration) async -> ProbeOutcome {
        do {
            let response = try await http.send(request(url, timeout: timeout))
            let found = response.text.contains(contains)
            let observed = "HTTP \(response.status), \(response.body.count) bytes " + (found ? "with" : "without") + " \"\(contains)\""
            return ProbeOutcome(response.status == status && found, observed)
        } catch {
            return ProbeOutcome(false, Self.describe(error))
        }
    }

    /// Any HTTP answer over a verified TLS 1.2+ session whose certificate has not expired.
    func tlsHandshake(host: String, port: Int, timeout: Duration) async -> ProbeOutcome {
        do {
            let response = try await http.send(request(VerifyPlan.url("https", host, port, "/"), timeout: timeout))
            guard let tls = response.tls, let leaf = tls.leaf else {
                return ProbeOutcome(false, "HTTP \(response.status) without TLS session information")
            }
            let version = tls.version ?? "unknown TLS version"
            let expiry = leaf.expireDate
            var observed = "\(version), subject \(leaf.subject ?? "?")"
            observed += expiry.map { ", expires \(Self.day($0))" } ?? ", expiry unknown"
            let modern = ["TLSv1.2", "TLSv1.3"].contains(version)
            let valid = expiry.map { $0 > Date() } ?? false
            return ProbeOutcome(modern && valid, observed)
        } catch {
            return ProbeOutcome(false, Self.describe(error))
        }
    }

    func banner(host: String, port: Int, prefix: String, timeout: Duration) async -> ProbeOutcome {
        do {
            let greeting = try await LineClient(host: host, port: port, timeout: timeout).greeting()
            let first = Self.firstLine(greeting)
            return ProbeOutcome(first.hasPrefix(prefix), first.isEmpty ? "an empty greeting" : "\"\(first)\"")
        } catch {
            return ProbeOutcome(false, Self.describe(error))
        }
    }

    func ftpAuthTLS(host: String, port: Int, timeout: Duration) async -> ProbeOutcome {
        do {
            let transcript = try await LineClient(host: host, port: port, timeout: timeout).converse(sending: ["AUTH TLS"])
            let greeting = Self.lastLine(transcript.greeting)
            let reply = Self.lastLine(transcript.replies.first ?? "")
            return ProbeOutcome(greeting.hasPrefix("220 ") && reply.hasPrefix("234"),
                                "\"\(greeting)\", then \"\(reply)\" to AUTH TLS")
        } catch {
            return ProbeOutcome(false, Self.describe(error))
        }
    }

    /// Passes when the connection is refused or never completes. A connection that opens is a failure,
    /// whatever the server then says (or does not say).
    func notReachable(host: String, port: Int, timeout: Duration) async -> ProbeOutcome {
        do {
            let greeting = try await LineClient(host: host, port: port, timeout: timeout).greeting()
            return ProbeOutcome(false, "reachable: connected, the server said \"\(Self.printable(Self.firstLine(greeting)))\"")
        } catch {
            // Errors from libcurl's connect carry a curl code; the line reader's own (no greeting,
            // closed after connecting) do not, and mean the connection was made.
            switch error.kind {
            case .couldNotConnect:
                return ProbeOutcome(true, "connection refused (\(error.message))")
            case .timedOut where error.curlCode != 0, .couldNotResolve:
                return ProbeOutcome(true, "no connection (\(error.message))")
            default:
                return ProbeOutcome(false, "reachable: connected, then \(error.detail.isEmpty ? error.message : error.detail)")
            }
        }
    }

    /// A network failure in one line: what failed against which host:port, and libcurl's reason
    /// ("cannot connect to 10.0.0.1:21: Connection refused"). The URL is the check's target already,
    /// and curl's detail is left out when it only repeats the summary (a refused connection).
    static func describe(_ error: NetError) -> String {
        let text = error.description.replacingOccurrences(of: " (\(error.url))", with: "")
        guard error.kind == .couldNotConnect, let dash = text.range(of: " — ") else { return text }
        return String(text[..<dash.lowerBound])
    }

    static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", omittingEmptySubsequences: true).first ?? "")
    }

    /// The final line of a (possibly multi-line, "220-...") FTP reply.
    static func lastLine(_ text: String) -> String {
        String(text.split(separator: "\n", omittingEmptySubsequences: true).last ?? "")
    }

    /// Control characters replaced, at most 80 characters (a MariaDB greeting is binary).
    static func printable(_ text: String) -> String {
        String(String(text.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? "." : Character($0) }).prefix(80))
    }

    /// "2027-11-22" in UTC.
    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
