import Foundation

/// One certificate of the peer's chain, as libcurl's `CURLINFO_CERTINFO` describes it.
///
/// With the OpenSSL backend each certificate is a list of `Name:value` lines ("Subject:CN = x",
/// "Expire date:Nov 22 19:27:00 2027 GMT", "Cert:-----BEGIN CERTIFICATE-----...").
public struct PeerCertificate: Sendable, Equatable {
    /// Every field libcurl reported, by its name ("Subject", "Issuer", "Start date", "Expire date", ...).
    public let fields: [String: String]

    /// Makes a certificate from its fields.
    public init(fields: [String: String]) {
        self.fields = fields
    }

    /// Parses libcurl's `Name:value` certinfo lines.
    public init(certinfoLines lines: [String]) {
        var fields: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        self.init(fields: fields)
    }

    /// The subject name ("CN = localhost" or "C = FR, O = ..., CN = ...").
    public var subject: String? { fields["Subject"] }
    /// The issuer name.
    public var issuer: String? { fields["Issuer"] }
    /// The "not before" date as OpenSSL prints it.
    public var startDateText: String? { fields["Start date"] }
    /// The "not after" date as OpenSSL prints it ("Nov 22 19:27:00 2027 GMT").
    public var expireDateText: String? { fields["Expire date"] }
    /// The certificate in PEM form.
    public var pem: String? { fields["Cert"] }

    /// The "not before" date, parsed.
    public var startDate: Date? { startDateText.flatMap(Self.parseDate) }
    /// The "not after" date, parsed.
    public var expireDate: Date? { expireDateText.flatMap(Self.parseDate) }

    /// The common name (`CN`) of the subject, if present.
    public var subjectCommonName: String? {
        guard let subject else { return nil }
        for part in subject.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0] == "CN" { return pair[1] }
        }
        // Older formats: "/C=FR/CN=name".
        if let range = subject.range(of: "CN=") {
            return String(subject[range.upperBound...].prefix { $0 != "/" && $0 != "," })
        }
        return nil
    }

    /// Parses OpenSSL's `ASN1_TIME_print` form ("Nov  2 19:27:00 2027 GMT") or ISO 8601.
    static func parseDate(_ text: String) -> Date? {
        let collapsed = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["MMM d HH:mm:ss yyyy zzz", "MMM d HH:mm:ss yyyy", "yyyy-MM-dd HH:mm:ss zzz"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: collapsed) { return date }
        }
        return ISO8601DateFormatter().date(from: collapsed)
    }
}
