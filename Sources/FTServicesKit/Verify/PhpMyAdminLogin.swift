import FTServicesNet
import Foundation

/// phpMyAdmin's cookie login as a browser does it: read the login page (session cookie, CSRF token and
/// the other hidden fields of `login_form`), post the form back with the account, and look for the
/// `pmaAuth-<server>` cookie phpMyAdmin sets only after MariaDB accepted the login.
struct PhpMyAdminLogin: Sendable {
    let http: HTTPClient
    /// Builds each request (TLS verification, timeout) for a URL, method, headers and body.
    let makeRequest: @Sendable (_ url: String, _ method: String, _ headers: [(name: String, value: String)], _ body: Data?) -> HTTPRequest

    /// Logs in at `url` (phpMyAdmin's base, ending in "/"); returns what happened, in words.
    func login(url: String, user: String, password: String) async throws(NetError) -> (pass: Bool, observed: String) {
        let page = try await http.send(makeRequest(url, "GET", [], nil))
        guard page.status == 200, page.text.contains("pma_username") else {
            return (false, "GET \(url) answered HTTP \(page.status) without the login form")
        }
        var cookies = Self.cookies(from: page, into: [:])
        let form = Self.loginForm(page.text)
        var fields = form.hidden.filter { $0.name != "pma_username" && $0.name != "pma_password" }
        fields += [("pma_username", user), ("pma_password", password)]
        if !fields.contains(where: { $0.name == "server" }) { fields.append(("server", "1")) }
        let action = URL(string: form.action, relativeTo: URL(string: url))?.absoluteString ?? url
        let headers: [(name: String, value: String)] = [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")),
        ]
        let answer = try await http.send(makeRequest(action, "POST", headers, Data(Self.formEncode(fields).utf8)))
        cookies = Self.cookies(from: answer, into: cookies)
        if cookies.keys.contains(where: { $0.hasPrefix("pmaAuth-") }) {
            return (true, "logged in as \(user) (HTTP \(answer.status), auth cookie set)")
        }
        let reason = Self.alert(answer.text) ?? "no auth cookie"
        return (false, "login as \(user) refused: HTTP \(answer.status), \(reason)")
    }

    /// `cookies` updated with the response's `Set-Cookie` headers; "deleted" or empty values remove one.
    static func cookies(from response: HTTPResponse, into cookies: [String: String]) -> [String: String] {
        var cookies = cookies
        for header in response.headers where header.name.caseInsensitiveCompare("Set-Cookie") == .orderedSame {
            let pair = header.value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
            let value = String(pair[pair.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            if value.isEmpty || value == "deleted" { cookies[name] = nil } else { cookies[name] = value }
        }
        return cookies
    }

    /// The action and hidden fields of the form `id="login_form"` (of the whole page when there is none).
    static func loginForm(_ html: String) -> (action: String, hidden: [(name: String, value: String)]) {
        var region = Substring(html)
        var action = "index.php?route=/"
        if let marker = html.range(of: "id=\"login_form\""),
           let start = html[..<marker.lowerBound].range(of: "<form", options: .backwards) {
            let end = html[marker.upperBound...].range(of: "</form>")?.upperBound ?? html.endIndex
            region = html[start.lowerBound..<end]
            let tagEnd = region.firstIndex(of: ">") ?? region.endIndex
            if let value = attributes(of: String(region[..<tagEnd]))["action"], !value.isEmpty { action = value }
        }
        var hidden: [(name: String, value: String)] = []
        for tag in matches(of: #"<input\b[^>]*>"#, in: String(region)) {
            let attributes = attributes(of: tag)
            guard attributes["type"]?.lowercased() == "hidden", let name = attributes["name"] else { continue }
            hidden.append((name, attributes["value"] ?? ""))
        }
        return (action, hidden)
    }

    /// The text of phpMyAdmin's error boxes (`alert-danger`), tags removed, leaving out the two every
    /// login page carries (the `<noscript>` JavaScript notice and the hidden HTTPS-mismatch warning).
    static func alert(_ html: String) -> String? {
        var messages: [String] = []
        var rest = Substring(html)
        while let box = rest.range(of: "alert-danger"), let open = rest[box.upperBound...].firstIndex(of: ">") {
            let inner = rest[rest.index(after: open)...]
            let close = inner.range(of: "</div>") ?? inner.endIndex..<inner.endIndex
            let text = unescape(String(inner[..<close.lowerBound]).replacingOccurrences(of: #"<[^>]*>"#, with: " ", options: .regularExpression))
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if !text.isEmpty, !boilerplate.contains(where: text.contains) { messages.append(text) }
            rest = inner[close.upperBound...]
        }
        return messages.isEmpty ? nil : String(messages.joined(separator: "; ").prefix(300))
    }

    /// Error boxes on every login page, shown only to browsers without JavaScript or with a bad proxy setup.
    static let boilerplate = ["Javascript must be enabled", "mismatch between HTTPS"]

    /// `name=value&...`, everything but RFC 3986 unreserved characters percent-encoded.
    static func formEncode(_ fields: [(name: String, value: String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return fields.map { "\(encode($0.name))=\(encode($0.value))" }.joined(separator: "&")
    }

    /// The attributes of one tag, names lowercased, values unescaped.
    static func attributes(of tag: String) -> [String: String] {
        var result: [String: String] = [:]
        let pattern = #"([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return result }
        let text = tag as NSString
        for match in regex.matches(in: tag, range: NSRange(location: 0, length: text.length)) {
            let name = text.substring(with: match.range(at: 1)).lowercased()
            let value = (2...4).lazy.map { match.range(at: $0) }.first { $0.location != NSNotFound }
                .map { text.substring(with: $0) } ?? ""
            if result[name] == nil { result[name] = unescape(value) }
        }
        return result
    }

    static func matches(of pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return [] }
        let nsText = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: nsText.length)).map { nsText.substring(with: $0.range) }
    }

    /// The few HTML entities phpMyAdmin puts in attribute values and messages.
    static func unescape(_ text: String) -> String {
        [("&quot;", "\""), ("&#039;", "'"), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")]
            .reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }
}
