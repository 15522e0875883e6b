import FTServicesNet
import FTServicesTestSupport
import Testing

@Suite("LineClient: raw TCP greeting and replies")
struct LineClientTests {
    @Test func readsTheGreeting() async throws {
        let server = try TestServer.banner("SSH-2.0-OpenSSH_9.2p1 Debian-2")
        let greeting = try await LineClient(host: "127.0.0.1", port: server.port).greeting()
        #expect(greeting == "SSH-2.0-OpenSSH_9.2p1 Debian-2")
    }

    @Test func sendsLinesAndReadsReplies() async throws {
        let server = try TestServer.banner("220 (vsFTPd 3.0.3)")
        let transcript = try await LineClient(host: "127.0.0.1", port: server.port)
            .converse(sending: ["AUTH TLS", "MULTI", "QUIT"])
        #expect(transcript.greeting == "220 (vsFTPd 3.0.3)")
        #expect(transcript.replies == ["234 Proceed with negotiation.", "211-first\n211-second\n211 end", "221 Goodbye."])
    }

    @Test func closedConnectionBeforeAReplyIsAnError() async throws {
        let server = try TestServer.banner()
        do {
            _ = try await LineClient(host: "127.0.0.1", port: server.port).converse(sending: ["QUIT", "NOOP"])
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .protocolError)
            #expect(error.description.contains("NOOP"))
        }
    }

    @Test func silentServerTimesOut() async throws {
        // An HTTP server says nothing until asked.
        let server = try TestServer.web()
        do {
            _ = try await LineClient(host: "127.0.0.1", port: server.port, timeout: .milliseconds(600)).greeting()
            Issue.record("expected a timeout")
        } catch {
            #expect(error.kind == .timedOut)
            #expect(error.description.contains("127.0.0.1:\(server.port)"))
        }
    }

    @Test func closedPortIsRefused() async throws {
        let port = try TestServer.closedPort()
        do {
            _ = try await LineClient(host: "127.0.0.1", port: port).greeting()
            Issue.record("expected connection refused")
        } catch {
            #expect(error.kind == .couldNotConnect)
            #expect(error.description.contains("127.0.0.1:\(port)"))
        }
    }
}
