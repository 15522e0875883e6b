import FTServicesCore
import Foundation
import Testing
@testable import FTServicesKit

/// `status` and `down` on Kubernetes against a scripted kubectl.
@Suite struct KubernetesStatusTests {
    @Test func statusRowsComeFromDeploymentsPodsAndServices() async throws {
        let loop = TestPod(restarts: 4, state: .waiting(reason: "CrashLoopBackOff", message: "back-off 1m20s restarting failed container=mysql pod=mysql-1"),
                           lastExit: (1, "Error", "2030-01-01T00:03:00Z"))
        let nginx = TestPod(name: "nginx-1", service: "nginx", ready: true, started: true)
        let influx = TestPod(name: "influxdb-1", service: "influxdb", restarts: 1, state: .running(since: "2030-01-01T00:00:09Z"),
                             lastExit: (137, "Error", "2030-01-01T00:00:08Z"), started: true)
        let kubectl = FakeKubectl(before: TestPod.list(loop, nginx, influx), deployments: ["mysql": 1, "nginx": 1, "influxdb": 1, "ftps": 0]) { _, _ in
            .exited(7, "")
        }
        kubectl.outputs[["kubectl", "get", "services"]] = #"{"items":[{"metadata":{"name":"nginx"},"spec":{"type":"LoadBalancer","ports":[{"port":443},{"port":80},{"port":2222}]}},{"metadata":{"name":"mysql"},"spec":{"type":"ClusterIP","ports":[{"port":3306}]}}]}"#
        let rows = try await KubernetesStatusService(runner: kubectl).status()
        func row(_ name: ServiceName) -> ServiceStatus? { rows.first { $0.service == name.rawValue } }
        #expect(rows.map(\.service) == ServiceName.allCases.map(\.rawValue))
        #expect(row(.nginx) == ServiceStatus(service: "nginx", state: "running", health: "healthy", restarts: 0, ports: [80, 443, 2222]))
        #expect(row(.mysql) == ServiceStatus(service: "mysql", state: "CrashLoopBackOff", health: "-", restarts: 4, ports: [],
                                            detail: "back-off 1m20s restarting failed container=mysql pod=mysql-1"))
        #expect(row(.influxdb) == ServiceStatus(service: "influxdb", state: "running", health: "unhealthy", restarts: 1, ports: [],
                                               detail: "last exited with code 137 (Error)"))
        #expect(row(.ftps)?.state == "scaled to 0" && row(.grafana)?.state == "not deployed")
        // The figures are asked inside the influxdb pod as the read-only user; this one failed, so there are none.
        let figures = try #require(kubectl.execCalls.first)
        #expect(figures[4] == "influxdb-1" && figures.contains("influxdb_grafana_password") && figures.contains("grafana"))
        #expect(rows.allSatisfy { $0.cpuPercent == nil })
    }

    @Test func statusWithoutAClusterSaysWhatToCheck() async throws {
        let runner = ScriptedRunner([["kubectl"]: .fail("The connection to the server 192.168.49.2:8443 was refused - did you specify the right host or port?")])
        await #expect {
            _ = try await KubernetesStatusService(runner: runner).status()
        } throws: { "\($0)".contains("was refused") && "\($0)".contains("kubectl config current-context") }
    }

    @Test func downKeepsTheVolumeClaimsUnlessAsked() async throws {
        let runner = ScriptedRunner([["kubectl", "get", "persistentvolumeclaims"]: .output("persistentvolumeclaim/mysql-data\npersistentvolumeclaim/ftps-data\n")])
        #expect(try await KubernetesDeployer(runner: runner).remove(volumes: false).isEmpty)
        let keep = runner.calls.map(\.arguments)
        #expect(keep == [
            ["kubectl", "delete", "deployments,services,secrets", "--namespace", "ftservices", "--selector", "app.kubernetes.io/part-of=ftservices",
             "--ignore-not-found", "--wait=true"],
            ["kubectl", "delete", "ipaddresspools.metallb.io,l2advertisements.metallb.io", "--namespace", "metallb-system", "--selector",
             "app.kubernetes.io/part-of=ftservices", "--ignore-not-found"],
        ])
        let all = ScriptedRunner([["kubectl", "get", "persistentvolumeclaims"]: .output("persistentvolumeclaim/mysql-data\npersistentvolumeclaim/ftps-data\n")])
        #expect(try await KubernetesDeployer(runner: all).remove(volumes: true) == ["mysql-data", "ftps-data"])
        #expect(all.calls.last?.arguments == ["kubectl", "delete", "namespace", "ftservices", "--ignore-not-found", "--wait=true"])
    }
}
