import Foundation
import Testing
@testable import FTServicesCore

/// `status`'s CPU and memory per service, from InfluxDB `/query` answers in the shape InfluxDB 1.6.7
/// gives for ``ServiceFigures/query(lookback:)`` (recorded from a local influxd fed by collectd).
@Suite struct ServiceFiguresTests {
    static let recorded = #"""
    {"results":[
     {"statement_id":0,"series":[
      {"name":"processes","tags":{"host":"influxdb","instance":"influxd"},"columns":["time","last"],"values":[["2026-11-22T21:29:22.913793471Z",43180032]]},
      {"name":"processes","tags":{"host":"nginx","instance":"nginx"},"columns":["time","last"],"values":[["2026-11-22T21:29:21.5Z",9000000]]},
      {"name":"processes","tags":{"host":"nginx","instance":"sshd"},"columns":["time","last"],"values":[["2026-11-22T21:29:22Z",1000000]]}]},
     {"statement_id":1,"series":[
      {"name":"processes","tags":{"host":"influxdb","instance":"influxd"},"columns":["time","user","syst"],"values":[["2026-11-22T21:29:12.9Z",1000,500],["2026-11-22T21:29:17.9Z",2000,1000]]},
      {"name":"processes","tags":{"host":"nginx","instance":"nginx"},"columns":["time","user","syst"],"values":[["2026-11-22T21:29:16.5Z",0,0],["2026-11-22T21:29:21.5Z",10000,null]]},
      {"name":"processes","tags":{"host":"nginx","instance":"sshd"},"columns":["time","user","syst"],"values":[["2026-11-22T21:29:22Z",0,0]]}]}
    ]}
    """#

    @Test func sumsTheProcessGroupsOfEachServiceAndKeepsServiceOrder() throws {
        let figures = try ServiceFigures.parse(Data(Self.recorded.utf8), services: ["nginx", "mysql", "influxdb"])
        #expect(figures.map(\.service) == ["nginx", "mysql", "influxdb"])
        #expect(figures[0].memoryBytes == 10_000_000)
        #expect(figures[0].cpuPercent == 1.0)
        #expect(figures[0].time == Date(timeIntervalSince1970: 1_795_382_962))
        #expect(figures[1] == ServiceFigures(service: "mysql", cpuPercent: nil, memoryBytes: nil, time: nil))
        #expect(figures[2].memoryBytes == 43_180_032)
        #expect(abs((figures[2].cpuPercent ?? 0) - 0.3) < 1e-9)
        let time = try #require(figures[2].time)
        #expect(abs(time.timeIntervalSince1970 - 1_795_382_962.913) < 0.001)
    }

    /// Recorded verbatim from InfluxDB 1.6.7 (Debian) fed by the rendered influxdb agent, for `query()`.
    static let recordedLive = #"""
    {"results":[{"statement_id":0,"series":[{"name":"processes","tags":{"host":"influxdb","instance":"influxd"},"columns":["time","last"],"values":[["2026-11-22T21:40:17.73711862Z",23142400]]}]},{"statement_id":1,"series":[{"name":"processes","tags":{"host":"influxdb","instance":"influxd"},"columns":["time","user","syst"],"values":[["2026-11-22T21:40:07.735185982Z",0,0],["2026-11-22T21:40:12.734146455Z",0,2000.4158972672876]]}]}]}
    """#

    @Test func parsesALiveAnswer() throws {
        let figures = try ServiceFigures.parse(Data(Self.recordedLive.utf8), services: ["influxdb", "grafana"])
        #expect(figures[0].memoryBytes == 23_142_400)
        #expect(abs((figures[0].cpuPercent ?? 0) - 0.20004158972672876) < 1e-12)
        #expect(figures[1].cpuPercent == nil && figures[1].memoryBytes == nil)
    }

    @Test func influxErrorsAreNamed() {
        let auth = #"{"error":"authorization failed"}"#
        #expect(throws: ServiceFigures.FiguresError.influx("authorization failed")) {
            try ServiceFigures.parse(Data(auth.utf8), services: ["nginx"])
        }
        let statement = #"{"results":[{"statement_id":0,"error":"database not found: ftservices"},{"statement_id":1}]}"#
        #expect(throws: ServiceFigures.FiguresError.influx("database not found: ftservices")) {
            try ServiceFigures.parse(Data(statement.utf8), services: ["nginx"])
        }
        #expect(throws: ServiceFigures.FiguresError.malformed("<html>")) {
            try ServiceFigures.parse(Data("<html>".utf8), services: ["nginx"])
        }
    }

    @Test func emptyResultsMeanNoFigures() throws {
        let empty = #"{"results":[{"statement_id":0},{"statement_id":1}]}"#
        let figures = try ServiceFigures.parse(Data(empty.utf8), services: ["ftps"])
        #expect(figures == [ServiceFigures(service: "ftps", cpuPercent: nil, memoryBytes: nil, time: nil)])
    }

    @Test func queryReadsOwnProcessesOnlyWithinTheLookback() {
        let query = ServiceFigures.query()
        #expect(query.components(separatedBy: "; ").count == 2)
        #expect(query.contains("\"instance\" != 'collectd' AND time > now() - 60s"))
        #expect(query.contains("\"type\" = 'ps_rss'") && query.contains("\"type\" = 'ps_cputime'"))
    }
}
