import FTServicesCore
import Foundation
import Testing
@testable import FTServicesKit

/// The InfluxDB canary's two pure parts: the query sent as a form body, and the reading of the answer.
@Suite struct CanaryKeeperTests {
    /// Decodes an `application/x-www-form-urlencoded` body the way InfluxDB (Go's `url.ParseQuery`) does:
    /// pairs split on `&`, `+` is a space, then percent-decoding.
    static func decodeForm(_ body: String) -> [(String, String)] {
        body.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "<undecodable \($0)>"
            }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }

    @Test func theCountQueryIsFormEncoded() {
        let query = "SELECT count(value) FROM ftservices_canary WHERE run = 'ftservices-canary-0a1b2c3d4e5f'"
        #expect(CanaryKeeper.form(q: query)
                == "q=SELECT%20count%28value%29%20FROM%20ftservices_canary%20WHERE%20run%20%3D%20%27ftservices-canary-0a1b2c3d4e5f%27")
    }

    /// What a form reserves (`&`, `=`, `+`, `%`) and what InfluxQL uses (quotes, `;`, `/`, `"`) survive the
    /// trip: the server decodes exactly one field `q` holding the query.
    @Test(arguments: [
        "DROP SERIES FROM ftservices_canary WHERE run = 'ftservices-canary-0a1b2c3d4e5f'",
        "SELECT a+b FROM \"m\" WHERE x = 'p&q=r' AND y =~ /^50%$/; SHOW DATABASES",
        "tab\tand\nnewline, comma. tilde~ under_score -dash",
    ])
    func everyQuerySurvivesFormDecoding(query: String) throws {
        let body = CanaryKeeper.form(q: query)
        let fields = Self.decodeForm(body)
        #expect(fields.count == 1, "\(body)")
        #expect(fields.first?.0 == "q")
        #expect(fields.first?.1 == query, "\(body)")
        #expect(!body.dropFirst(2).contains { "+& =\n".contains($0) }, "\(body)")
    }

    // Recorded from InfluxDB 1.6.7 (Debian's influxd on 127.0.0.1), answering the canary's
    // `SELECT count(value) FROM ftservices_canary WHERE run = '…'` POSTed to /query?db=ftservices.

    /// The canary point was written once.
    static let countOne = #"{"results":[{"statement_id":0,"series":[{"name":"ftservices_canary","columns":["time","count"],"values":[["1970-01-01T00:00:00Z",1]]}]}]}"#
    /// No point of that run: no series at all (also the answer after `DROP SERIES`).
    static let noSeries = #"{"results":[{"statement_id":0}]}"#
    /// The same run written twice, at two times.
    static let countTwo = #"{"results":[{"statement_id":0,"series":[{"name":"ftservices_canary","columns":["time","count"],"values":[["1970-01-01T00:00:00Z",2]]}]}]}"#
    /// Eleven points: ends in `1]]` but is not one.
    static let countEleven = #"{"results":[{"statement_id":0,"series":[{"name":"ftservices_canary","columns":["time","count"],"values":[["1970-01-01T00:00:00Z",11]]}]}]}"#
    /// The database is missing (a store that lost everything).
    static let noDatabase = #"{"results":[{"statement_id":0,"error":"database not found: nodb"}]}"#
    /// Not recorded (InfluxDB answers a count of nothing with no series): the same shape with a count of 0.
    static let countZero = #"{"results":[{"statement_id":0,"series":[{"name":"ftservices_canary","columns":["time","count"],"values":[["1970-01-01T00:00:00Z",0]]}]}]}"#

    @Test func aCountOfOneIsPresent() {
        #expect(CanaryKeeper.influxCountIsOne(Self.countOne))
    }

    @Test(arguments: [noSeries, countTwo, countEleven, noDatabase, countZero, "", "1"])
    func anythingElseIsAbsent(body: String) {
        #expect(!CanaryKeeper.influxCountIsOne(body))
    }
}
