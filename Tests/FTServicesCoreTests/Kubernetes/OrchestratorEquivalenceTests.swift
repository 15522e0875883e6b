import Foundation
import Testing
import Yams
@testable import FTServicesCore

/// One stack model, two renderers: read back from the rendered bytes of `srcs/stack.yml` and `srcs/k8s/`,
/// every service has the same published ports, healthcheck, volumes, secrets, environment and stop grace
/// period. Both sides are parsed from YAML, so a field either renderer drops (or renders differently)
/// shows up as a difference.
@Suite struct OrchestratorEquivalenceTests {
    let stack = Stack(config: .defaults)

    /// What both orchestrators must agree on for one service.
    struct Shape: Equatable, CustomStringConvertible {
        var publishedPorts: [Int] = []
        /// command, interval, timeout, retries, start period (seconds)
        var probe: [String] = []
        /// volume (Swarm name) → mount path
        var volumes: [String: String] = [:]
        /// file under /run/secrets → mode
        var secrets: [String: String] = [:]
        var environment: [String] = []
        var stopGraceSeconds = -1
        /// capabilities dropped, then added
        var capabilities: [[String]] = []
        var readOnlyRoot = false
        /// writable path of a read-only root → size in MiB
        var tmpfs: [String: Int] = [:]
        /// memory limit and reservation in MiB, CPU limit and reservation in thousandths of a core
        var resources: [Int] = []

        var description: String {
            "ports \(publishedPorts), probe \(probe), volumes \(volumes.sorted { $0.key < $1.key }), "
                + "secrets \(secrets.sorted { $0.key < $1.key }), env \(environment), stop grace \(stopGraceSeconds) s, "
                + "capabilities \(capabilities), read-only \(readOnlyRoot), tmpfs \(tmpfs.sorted { $0.key < $1.key }), "
                + "resources \(resources)"
        }
    }

    @Test func bothRenderersGiveTheSameServices() throws {
        let swarm = try swarmShapes(StackFile.render(stack: stack).text)
        let kubernetes = try kubernetesShapes(KubernetesManifests.render(stack: stack, values: KubernetesValues(address: "192.0.2.10")))
        #expect(Set(swarm.keys) == Set(ServiceName.allCases.map(\.rawValue)))
        #expect(Set(kubernetes.keys) == Set(swarm.keys))
        for name in swarm.keys.sorted() {
            #expect(kubernetes[name] == swarm[name], "\(name):\n  swarm:      \(swarm[name]!)\n  kubernetes: \(kubernetes[name].map(String.init(describing:)) ?? "missing")")
        }
        // Every shape is non-trivial, so an extraction that finds nothing on both sides cannot pass.
        #expect(swarm.values.allSatisfy { !$0.probe.isEmpty && !$0.secrets.isEmpty && $0.stopGraceSeconds > 0 })
        #expect(swarm.values.map(\.publishedPorts.count).reduce(0, +) == stack.services.flatMap(\.publishedPorts).count)
        #expect(swarm.values.map(\.volumes.count).reduce(0, +) == stack.volumes.count)
        // ... and carries the model's privileges.
        for service in stack.services {
            let shape = try #require(swarm[service.name.rawValue])
            let privileges = service.privileges
            #expect(shape.capabilities == [["ALL"], privileges.capabilityNames], "\(service.name)")
            #expect(shape.readOnlyRoot == privileges.readOnlyRoot && shape.tmpfs.count == privileges.tmpfsMounts.count, "\(service.name)")
            #expect(shape.resources == [privileges.memoryLimitMiB, privileges.memoryReservationMiB,
                                        privileges.cpuLimitMillis, privileges.cpuReservationMillis], "\(service.name)")
        }
        #expect(swarm.values.contains { $0.readOnlyRoot } && swarm.values.allSatisfy { !$0.capabilities.joined().contains("NET_RAW") })
    }

    /// Internal ports exist only in the Kubernetes manifests (Swarm's overlay network needs no declaration):
    /// they must be the model's, on ClusterIP Services, for exactly the internal-only services.
    @Test func internalPortsAreClusterIPServicesOfTheModel() throws {
        let documents = try KubernetesManifestsTests.documents(KubernetesManifests.render(stack: stack))
        var clusterIP: [String: [Int]] = [:]
        for service in documents where service["kind"] as? String == "Service" {
            let spec = service["spec"] as? [String: Any] ?? [:]
            guard spec["type"] as? String == "ClusterIP" else { continue }
            let name = (service["metadata"] as? [String: Any])?["name"] as? String ?? ""
            clusterIP[name] = (spec["ports"] as? [[String: Any]] ?? []).compactMap { $0["port"] as? Int }
        }
        var expected: [String: [Int]] = [:]
        for service in stack.services where service.internalOnly { expected[service.name.rawValue] = service.internalPorts.map(\.number) }
        #expect(clusterIP == expected)
        #expect(!expected.isEmpty)
    }

    // MARK: - Swarm

    func swarmShapes(_ yaml: String) throws -> [String: Shape] {
        let root = try #require(try Yams.load(yaml: yaml) as? [String: Any])
        let services = try #require(root["services"] as? [String: Any])
        var shapes: [String: Shape] = [:]
        for (name, value) in services {
            let service = value as? [String: Any] ?? [:]
            var shape = Shape()
            for port in service["ports"] as? [[String: Any]] ?? [] {
                let published = port["published"] as? Int ?? -1
                #expect(port["target"] as? Int == published && port["mode"] as? String == "host", "\(name): \(port)")
                shape.publishedPorts.append(published)
            }
            let health = service["healthcheck"] as? [String: Any] ?? [:]
            shape.probe = [
                KubernetesManifests.probeCommand(health["test"] as? [String] ?? []).joined(separator: " "),
                String(seconds(health["interval"])), String(seconds(health["timeout"])),
                String(health["retries"] as? Int ?? -1), String(seconds(health["start_period"])),
            ]
            for volume in service["volumes"] as? [[String: Any]] ?? [] {
                let target = volume["target"] as? String ?? "?"
                if volume["type"] as? String == "tmpfs" {
                    shape.tmpfs[target] = ((volume["tmpfs"] as? [String: Any])?["size"] as? Int ?? -1) / (1024 * 1024)
                } else {
                    shape.volumes[volume["source"] as? String ?? "?"] = target
                }
            }
            shape.capabilities = [service["cap_drop"] as? [String] ?? [], service["cap_add"] as? [String] ?? []]
            shape.readOnlyRoot = service["read_only"] as? Bool ?? false
            let resources = (service["deploy"] as? [String: Any])?["resources"] as? [String: Any] ?? [:]
            let limits = resources["limits"] as? [String: Any] ?? [:]
            let reservations = resources["reservations"] as? [String: Any] ?? [:]
            shape.resources = [
                Self.quantity(limits["memory"], unit: "M"), Self.quantity(reservations["memory"], unit: "M"),
                Self.millicores(limits["cpus"]), Self.millicores(reservations["cpus"]),
            ]
            for secret in service["secrets"] as? [[String: Any]] ?? [] {
                let target = secret["target"] as? String ?? "?"
                #expect(secret["source"] as? String == target, "\(name): \(secret)")
                shape.secrets["/run/secrets/\(target)"] = "\(secret["mode"] ?? "none")"
            }
            shape.environment = (service["environment"] as? [String: Any] ?? [:]).keys.sorted()
            shape.stopGraceSeconds = seconds(service["stop_grace_period"])
            shapes[name] = shape
        }
        return shapes
    }

    /// "256M" (unit "M") or "256Mi" (unit "Mi") → 256.
    static func quantity(_ value: Any?, unit: String) -> Int {
        guard let text = value as? String, text.hasSuffix(unit) else { return -1 }
        return Int(text.dropLast(unit.count)) ?? -1
    }

    /// "0.5" → 500 (Compose), "500m" → 500 (Kubernetes).
    static func millicores(_ value: Any?) -> Int {
        guard let text = value as? String else { return -1 }
        if text.hasSuffix("m") { return Int(text.dropLast()) ?? -1 }
        return Double(text).map { Int(($0 * 1000).rounded()) } ?? -1
    }

    /// "3s" → 3.
    func seconds(_ value: Any?) -> Int {
        guard let text = value as? String, text.hasSuffix("s"), let number = Int(text.dropLast()) else { return -1 }
        return number
    }

    // MARK: - Kubernetes

    func kubernetesShapes(_ files: [RenderedFile]) throws -> [String: Shape] {
        let documents = try KubernetesManifestsTests.documents(files)
        func named(_ kind: String) -> [String: [String: Any]] {
            var result: [String: [String: Any]] = [:]
            for document in documents where document["kind"] as? String == kind {
                result[(document["metadata"] as? [String: Any])?["name"] as? String ?? "?"] = document
            }
            return result
        }
        let services = named("Service")
        let claims = Set(named("PersistentVolumeClaim").keys)
        var shapes: [String: Shape] = [:]
        for (name, deployment) in named("Deployment") {
            var shape = Shape()
            let pod = ((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any] ?? [:]
            let containers = pod["containers"] as? [[String: Any]] ?? []
            #expect(containers.count == 1, "\(name): one container per pod, like one Swarm task")
            let container = containers.first ?? [:]

            let service = services[name]?["spec"] as? [String: Any] ?? [:]
            if service["type"] as? String == "LoadBalancer" {
                for port in service["ports"] as? [[String: Any]] ?? [] {
                    #expect(port["targetPort"] as? Int == port["port"] as? Int, "\(name): \(port)")
                    shape.publishedPorts.append(port["port"] as? Int ?? -1)
                }
            }
            let containerPorts = Set((container["ports"] as? [[String: Any]] ?? []).compactMap { $0["containerPort"] as? Int })
            #expect(Set(shape.publishedPorts).isSubset(of: containerPorts), "\(name): a published port the container does not declare")

            let liveness = container["livenessProbe"] as? [String: Any] ?? [:]
            let startup = container["startupProbe"] as? [String: Any] ?? [:]
            let readiness = container["readinessProbe"] as? [String: Any] ?? [:]
            let period = liveness["periodSeconds"] as? Int ?? -1
            let retries = liveness["failureThreshold"] as? Int ?? -1
            let command = (liveness["exec"] as? [String: Any])?["command"] as? [String] ?? []
            for other in [startup, readiness] {
                #expect((other["exec"] as? [String: Any])?["command"] as? [String] == command, "\(name): probes run different commands")
                #expect(other["periodSeconds"] as? Int == period && other["timeoutSeconds"] as? Int == liveness["timeoutSeconds"] as? Int, "\(name)")
            }
            shape.probe = [
                command.joined(separator: " "), String(period), String(liveness["timeoutSeconds"] as? Int ?? -1), String(retries),
                String(((startup["failureThreshold"] as? Int ?? 0) - retries) * period),
            ]

            let volumes = Dictionary(uniqueKeysWithValues: (pod["volumes"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "?", $0) })
            for mount in container["volumeMounts"] as? [[String: Any]] ?? [] {
                let path = mount["mountPath"] as? String ?? "?"
                let volume = volumes[mount["name"] as? String ?? ""] ?? [:]
                if let claim = (volume["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String {
                    #expect(claims.contains(claim), "\(name): claim \(claim) is not rendered")
                    shape.volumes[claim.replacingOccurrences(of: "-", with: "_")] = path
                } else if let projected = volume["projected"] as? [String: Any] {
                    #expect(mount["readOnly"] as? Bool == true, "\(name): secrets mounted writable")
                    for source in projected["sources"] as? [[String: Any]] ?? [] {
                        let secret = source["secret"] as? [String: Any] ?? [:]
                        for item in secret["items"] as? [[String: Any]] ?? [] {
                            let key = item["key"] as? String ?? "?"
                            #expect(secret["name"] as? String == key.replacingOccurrences(of: "_", with: "-"), "\(name): \(secret)")
                            shape.secrets["\(path)/\(item["path"] as? String ?? "?")"] = "\(projected["defaultMode"] ?? "none")"
                        }
                    }
                } else if let emptyDir = volume["emptyDir"] as? [String: Any] {
                    #expect(emptyDir["medium"] as? String == "Memory", "\(name): \(path) is not in memory like Swarm's tmpfs")
                    shape.tmpfs[path] = Self.quantity(emptyDir["sizeLimit"], unit: "Mi")
                } else {
                    Issue.record("\(name): mount \(path) is neither a claim, the secrets nor a tmpfs")
                }
            }
            let security = container["securityContext"] as? [String: Any] ?? [:]
            let capabilities = security["capabilities"] as? [String: Any] ?? [:]
            shape.capabilities = [capabilities["drop"] as? [String] ?? [], capabilities["add"] as? [String] ?? []]
            shape.readOnlyRoot = security["readOnlyRootFilesystem"] as? Bool ?? false
            #expect(security["allowPrivilegeEscalation"] as? Bool == false, "\(name)")
            #expect(((pod["securityContext"] as? [String: Any])?["seccompProfile"] as? [String: Any])?["type"] as? String == "RuntimeDefault", "\(name)")
            let resources = container["resources"] as? [String: Any] ?? [:]
            let limits = resources["limits"] as? [String: Any] ?? [:]
            let requests = resources["requests"] as? [String: Any] ?? [:]
            shape.resources = [
                Self.quantity(limits["memory"], unit: "Mi"), Self.quantity(requests["memory"], unit: "Mi"),
                Self.millicores(limits["cpu"]), Self.millicores(requests["cpu"]),
            ]
            shape.environment = (container["env"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }.sorted()
            shape.stopGraceSeconds = pod["terminationGracePeriodSeconds"] as? Int ?? -1
            shapes[name] = shape
        }
        return shapes
    }
}
