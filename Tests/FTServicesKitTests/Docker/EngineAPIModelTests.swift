@testable import FTServicesKit
import FTServicesNet
import Foundation
import Testing

@Suite("Engine API: decoding and errors without a daemon")
struct EngineAPIModelTests {
    @Test func decodesTheMultiplexedLogStream() {
        func frame(_ stream: UInt8, _ text: String) -> Data {
            let bytes = Array(text.utf8)
            let size = UInt32(bytes.count)
            return Data([stream, 0, 0, 0, UInt8(size >> 24), UInt8(size >> 16 & 0xff), UInt8(size >> 8 & 0xff),
                         UInt8(size & 0xff)] + bytes)
        }
        let data = frame(1, "one\ntw") + frame(1, "o\n") + frame(2, "oops\r\n") + frame(1, "three\n")
        #expect(EngineAPI.LogLine.decode(data) == [
            .init(stream: .stdout, text: "one"), .init(stream: .stdout, text: "two"),
            .init(stream: .stderr, text: "oops"), .init(stream: .stdout, text: "three"),
        ])
        let (stdout, stderr) = EngineAPI.LogLine.demultiplex(data)
        #expect(stdout == "one\ntwo\nthree\n")
        #expect(stderr == "oops\r\n")
    }

    @Test func plainOutputIsStdout() {
        #expect(EngineAPI.LogLine.decode(Data("tty line\nsecond\n".utf8)) == [
            .init(stream: .stdout, text: "tty line"), .init(stream: .stdout, text: "second"),
        ])
    }

    @Test func decodesAServiceWithHostModePorts() throws {
        let json = #"""
        {"ID":"abc","Version":{"Index":12},
         "Spec":{"Name":"ftservices_nginx","Labels":{"com.docker.stack.namespace":"ftservices"},
                 "TaskTemplate":{"ContainerSpec":{"Image":"ftservices/nginx:1a2b3c"}},
                 "EndpointSpec":{"Mode":"dnsrr","Ports":[{"Protocol":"tcp","TargetPort":443,"PublishedPort":443,"PublishMode":"host"}]}},
         "Endpoint":{"Spec":{}},
         "UpdateStatus":{"State":"completed","Message":"update completed"}}
        """#
        let service = try JSONDecoder().decode(EngineAPI.Service.self, from: Data(json.utf8))
        #expect(service.name == "ftservices_nginx")
        #expect(service.image == "ftservices/nginx:1a2b3c")
        #expect(service.publishedPorts == [.init(protocol: "tcp", targetPort: 443, publishedPort: 443, publishMode: "host")])
        #expect(service.spec.endpointSpec?.mode == "dnsrr")
        #expect(service.updateStatus?.state == "completed")
    }

    @Test func decodesATaskAndAContainerWithHealth() throws {
        let task = try JSONDecoder().decode(EngineAPI.ServiceTask.self, from: Data(#"""
        {"ID":"t1","ServiceID":"s1","Slot":1,"DesiredState":"running","CreatedAt":"2026-11-22T19:32:21.517946567Z",
         "Status":{"Timestamp":"2026-11-22T19:32:25.1Z","State":"failed","Message":"started","Err":"task: non-zero exit (1)",
                   "ContainerStatus":{"ContainerID":"c1","PID":0,"ExitCode":1}}}
        """#.utf8))
        #expect(task.status.err == "task: non-zero exit (1)")
        #expect(task.status.containerStatus?.containerID == "c1")
        #expect(task.created == Date(timeIntervalSince1970: 1_795_375_941.517))
        let container = try JSONDecoder().decode(EngineAPI.Container.self, from: Data(#"""
        {"Id":"c1","Name":"/x","RestartCount":2,
         "State":{"Status":"running","Running":true,"Pid":42,"ExitCode":0,"StartedAt":"2026-11-22T19:32:26Z",
                  "Health":{"Status":"unhealthy","FailingStreak":3,
                            "Log":[{"Start":"a","End":"b","ExitCode":0,"Output":"ok"},{"ExitCode":1,"Output":"https://localhost:443: refused\n"}]}}}
        """#.utf8))
        #expect(container.state.health?.status == "unhealthy")
        #expect(container.state.health?.last?.output == "https://localhost:443: refused\n")
        #expect(container.restartCount == 2)
        #expect(container.state.pid == 42)
        #expect(container.state.started == Date(timeIntervalSince1970: 1_795_375_946))
    }

    @Test func decodesAnEvent() throws {
        let event = try JSONDecoder().decode(EngineAPI.Event.self, from: Data(#"""
        {"status":"die","id":"c1","Type":"container","Action":"die","Actor":{"ID":"c1","Attributes":{"exitCode":"137","name":"x"}},
         "scope":"local","time":1795375946,"timeNano":1795375946123456789}
        """#.utf8))
        #expect(event.action == "die")
        #expect(event.actor.attributes?["exitCode"] == "137")
        #expect(abs(event.date.timeIntervalSince1970 - 1_795_375_946.123) < 0.001)
    }

    @Test func queryHelpers() {
        #expect(DockerEngineAPI.filters(["label": ["com.docker.stack.namespace=web"], "type": []])
            == #"{"label":["com.docker.stack.namespace=web"]}"#)
        #expect(DockerEngineAPI.percentEncode(#"{"a":["b=c"]}"#) == "%7B%22a%22%3A%5B%22b%3Dc%22%5D%7D")
        #expect(DockerEngineAPI.component("ftservices/nginx:local") == "ftservices/nginx:local")
        #expect(DockerEngineAPI.timestamp(Date(timeIntervalSince1970: 1.5)) == "1.500000000")
        #expect(DockerEngineAPI.daemonMessage(Data(#"{"message":"No such container: x"}"#.utf8)) == "No such container: x")
        #expect(EngineAPI.date("0001-01-01T00:00:00Z") == nil)
    }

    @Test func missingSocketSaysDockerIsNotRunning() async throws {
        let socket = "/tmp/ftservices-no-docker-\(UUID().uuidString).sock"
        do {
            try await DockerEngineAPI(socketPath: socket).ping()
            Issue.record("expected an error")
        } catch {
            guard case .daemonNotRunning(socket, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(error.description.contains("Docker is not running"))
            #expect(error.description.contains("dockerd"))
            #expect(error.description.contains("./setup.sh"))
            #expect(error.description.contains(socket))
        }
    }

    @Test func refusedConnectSaysDockerIsNotRunning() {
        let refused = NetError(kind: .couldNotConnect, url: "http://localhost/v1.41/_ping", unixSocketPath: "/s",
                               curlCode: 7, osErrno: 111, message: "Couldn't connect to server")
        #expect(EngineAPIError.from(refused, socket: "/s") == .daemonNotRunning(socket: "/s", detail: "connection refused"))
    }

    @Test func permissionDeniedSaysHowToGetAccess() {
        let denied = NetError(kind: .couldNotConnect, url: "http://localhost/v1.41/_ping", unixSocketPath: "/s",
                              curlCode: 7, osErrno: 13, message: "Couldn't connect to server")
        let error = EngineAPIError.from(denied, socket: "/s")
        #expect(error == .permissionDenied(socket: "/s"))
        #expect(error.description.contains("root"))
        #expect(error.description.contains("docker group"))
    }

    @Test func apiErrorsCarryStatusAndMessage() {
        let error = EngineAPIError.api(status: 404, method: "GET", path: "/containers/x/json", message: "No such container: x")
        #expect(error.hasStatus(404))
        #expect(error.description == "Docker Engine API GET /containers/x/json failed with HTTP 404: No such container: x")
    }

    /// The health output a failure report quotes is the newest one that said something: the orchestrator
    /// stopping an unhealthy container cuts off the probe then running, which leaves an empty entry last.
    @Test func theLastReportedHealthRunSkipsAProbeCutOffByTheStop() {
        typealias Health = EngineAPI.Container.Health
        let failing = EngineAPI.Container.HealthRun(exitCode: 1, output: "unhealthy: the check failed\n")
        let health = Health(status: "unhealthy", failingStreak: 5, log: [failing, EngineAPI.Container.HealthRun(exitCode: -1, output: "")])
        #expect(health.last?.output == "")
        #expect(health.lastReported == failing)
        #expect(Health(status: "starting", log: []).lastReported == nil)
    }
}
