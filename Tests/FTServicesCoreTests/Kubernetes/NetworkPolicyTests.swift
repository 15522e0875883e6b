import Foundation
import Testing
import Yams
@testable import FTServicesCore

/// `srcs/k8s/02-network-policy.yaml`: deny by default, then exactly DNS, the published ports and the
/// model's connections.
@Suite struct NetworkPolicyTests {
    let stack = Stack(config: .defaults)

    func policies() throws -> [String: [String: Any]] {
        let documents = try KubernetesManifestsTests.documents(KubernetesManifests.render(stack: stack))
        var result: [String: [String: Any]] = [:]
        for document in documents where document["kind"] as? String == "NetworkPolicy" {
            result[(document["metadata"] as? [String: Any])?["name"] as? String ?? "?"] = document["spec"] as? [String: Any]
        }
        return result
    }

    /// "PROTO/port" of every port of `rules`, optionally only those whose peers match `peer`.
    func ports(_ rules: Any?, peers key: String, matching service: ServiceName?) -> Set<String> {
        var result: Set<String> = []
        for rule in rules as? [[String: Any]] ?? [] {
            let peers = rule[key] as? [[String: Any]]
            if let service {
                let labels = peers?.compactMap { ($0["podSelector"] as? [String: Any])?["matchLabels"] as? [String: String] } ?? []
                let everyPod = peers?.contains { ($0["podSelector"] as? [String: Any])?.isEmpty == true } ?? false
                guard everyPod || labels.contains(KubernetesManifests.selector(service)) else { continue }
            } else if peers != nil {
                continue
            }
            for port in rule["ports"] as? [[String: Any]] ?? [] {
                result.insert("\(port["protocol"] as? String ?? "?")/\(port["port"] as? Int ?? -1)")
            }
        }
        return result
    }

    @Test func everythingIsDeniedThenDNSIsAllowed() throws {
        let policies = try policies()
        #expect(Set(policies.keys) == Set(["default-deny", "dns"] + ServiceName.allCases.map(\.rawValue)))
        let deny = try #require(policies["default-deny"])
        #expect((deny["podSelector"] as? [String: Any])?.isEmpty == true)
        #expect(deny["policyTypes"] as? [String] == ["Ingress", "Egress"] && deny["ingress"] == nil && deny["egress"] == nil)
        let dns = try #require(policies["dns"])
        let rule = try #require((dns["egress"] as? [[String: Any]])?.first)
        #expect(Set((rule["ports"] as? [[String: Any]] ?? []).compactMap { "\($0["protocol"] ?? "")/\($0["port"] ?? "")" }) == ["UDP/53", "TCP/53"])
    }

    @Test func publishedPortsAreOpenToAnyoneAndInternalOnesToTheirClientsOnly() throws {
        let policies = try policies()
        for service in stack.services {
            let spec = try #require(policies[service.name.rawValue])
            let open = ports(spec["ingress"], peers: "from", matching: nil)
            #expect(open == Set(service.publishedPorts.map { "\($0.transport.rawValue.uppercased())/\($0.number)" }), "\(service.name)")
            #expect(open.isDisjoint(with: service.internalPorts.map { "\($0.transport.rawValue.uppercased())/\($0.number)" }), "\(service.name)")
        }
    }

    @Test func everyConnectionIsAllowedOnBothEnds() throws {
        let policies = try policies()
        #expect(stack.connections.count == 5)
        for connection in stack.connections {
            let port = "\(connection.port.transport.rawValue.uppercased())/\(connection.port.number)"
            let server = try #require(policies[connection.server.rawValue])
            let clients = stack.services.map(\.name).filter { connection.client.includes($0) }
            for client in clients {
                let egress = try #require(policies[client.rawValue])?["egress"]
                #expect(ports(egress, peers: "to", matching: connection.server).contains(port), "\(client) → \(connection.server) \(port)")
                #expect(ports(server["ingress"], peers: "from", matching: client).contains(port), "\(client) → \(connection.server) \(port)")
            }
        }
        // nginx only redirects /wordpress: it has no way to WordPress.
        let nginx = try #require(policies["nginx"])
        #expect(ports(nginx["egress"], peers: "to", matching: .wordpress).isEmpty)
    }
}
