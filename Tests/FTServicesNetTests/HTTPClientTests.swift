import FTServicesNet
import FTServicesTestSupport
import Foundation
import Testing

@Suite("HTTPClient against a local HTTP server")
struct HTTPClientTests {
    let server: TestServer
    init() throws { server = try TestServer.web() }
    var base: String { "http://127.0.0.1:\(server.port)" }

    @Test func statusHeadersAndBody() async throws {
        let response = try await HTTPClient().send(HTTPRequest(url: "\(base)/ok"))
        #expect(response.status == 200)
        #expect(response.header("x-test") == "yes")
        #expect(response.header("Content-Type") == "text/plain")
        #expect(response.text == "hello")
        #expect(response.tls == nil)
        #expect(response.timings.total > .zero)
        #expect(response.timings.tlsHandshake == .zero)
    }

    @Test func redirectIsNotFollowedByDefault() async throws {
        let response = try await HTTPClient().send(HTTPRequest(url: "\(base)/redirect"))
        #expect(response.status == 301)
        #expect(response.header("Location") == "/ok")
        #expect(response.redirectURL == "\(base)/ok")
        #expect(response.effectiveURL == "\(base)/redirect")
    }

    @Test func redirectIsFollowedWhenAsked() async throws {
        let response = try await HTTPClient().send(HTTPRequest(url: "\(base)/redirect", followRedirects: true))
        #expect(response.status == 200)
        #expect(response.effectiveURL == "\(base)/ok")
        #expect(response.text == "hello")
    }

    @Test func errorStatusIsAnAnswerNotAnError() async throws {
        let response = try await HTTPClient().send(HTTPRequest(url: "\(base)/status/404"))
        #expect(response.status == 404)
    }

    @Test(arguments: ["POST", "PUT", "DELETE"])
    func methodsSendTheirBody(method: String) async throws {
        let request = HTTPRequest(method: method, url: "\(base)/echo", headers: [("Content-Type", "application/json")],
                                  body: Data(#"{"a":1}"#.utf8))
        let response = try await HTTPClient().send(request)
        #expect(response.text == #"\#(method) {"a":1}"#)
        #expect(response.header("X-Content-Type") == "application/json")
    }

    @Test func headRequestHasNoBody() async throws {
        let response = try await HTTPClient().send(HTTPRequest(method: "HEAD", url: "\(base)/ok"))
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
    }

    @Test func streamDeliversLinesAsTheyCome() async throws {
        var lines: [String] = []
        for try await line in HTTPClient().lines(HTTPRequest(url: "\(base)/stream", timeout: nil)) {
            lines.append(line)
        }
        #expect(lines == [#"{"n":0}"#, #"{"n":1}"#, #"{"n":2}"#])
    }

    @Test func streamFailsWithTheStatusAndBody() async throws {
        do {
            for try await _ in HTTPClient().stream(HTTPRequest(url: "\(base)/status/500", timeout: nil)) {}
            Issue.record("expected an error")
        } catch let error as NetError {
            #expect(error.kind == .httpStatus(500))
            #expect(error.detail.contains("no such thing"))
        }
    }

    @Test func endingAStreamEarlyStopsTheTransfer() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        var count = 0
        for try await _ in HTTPClient().lines(HTTPRequest(url: "\(base)/forever", timeout: nil)) {
            count += 1
            if count == 2 { break }
        }
        #expect(count == 2)
        // Generous: the point is that breaking out ends an endless stream instead of hanging (5.4 s seen under load).
        #expect(clock.now - start < .seconds(15))
    }

    @Test func cancellingASendAbortsIt() async throws {
        let task = Task {
            try await HTTPClient().send(HTTPRequest(url: "\(base)/forever", timeout: .seconds(60)))
        }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        await #expect(throws: NetError.self) { try await task.value }
        if case .failure(let error as NetError) = await task.result {
            #expect(error.kind == .cancelled)
        }
    }

    @Test func timeoutIsReported() async throws {
        do {
            _ = try await HTTPClient().send(HTTPRequest(url: "\(base)/forever", timeout: .milliseconds(700)))
            Issue.record("expected a timeout")
        } catch {
            #expect(error.kind == .timedOut)
            #expect(error.description.contains("127.0.0.1:\(server.port)"))
        }
    }
}

@Suite("Connection errors")
struct ConnectionErrorTests {
    @Test func closedPortNamesHostAndPort() async throws {
        let port = try TestServer.closedPort()
        do {
            _ = try await HTTPClient().send(HTTPRequest(url: "http://127.0.0.1:\(port)/"))
            Issue.record("expected connection refused")
        } catch {
            #expect(error.kind == .couldNotConnect)
            #expect(error.osErrno == 111)  // ECONNREFUSED
            #expect(error.endpoint == "127.0.0.1:\(port)")
            #expect(error.description.contains("127.0.0.1:\(port)"))
            #expect(error.description.lowercased().contains("connect"))
        }
    }

    @Test func missingUnixSocketNamesThePath() async throws {
        let path = "/tmp/ftservices-no-such-\(UUID().uuidString).sock"
        do {
            _ = try await HTTPClient().send(HTTPRequest(url: "http://localhost/version", unixSocketPath: path))
            Issue.record("expected a connect error")
        } catch {
            #expect(error.kind == .couldNotConnect)
            #expect(error.osErrno == 2)  // ENOENT
            #expect(error.description.contains(path))
        }
    }

    @Test func unresolvableHost() async throws {
        await #expect(throws: NetError.self) {
            _ = try await HTTPClient().send(HTTPRequest(url: "http://no-such-host.invalid/", timeout: .seconds(10)))
        }
    }
}
