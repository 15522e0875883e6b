import Foundation

/// NetworkPolicies: deny everything in the namespace, then allow DNS, the published ports from anywhere and
/// the model's ``ServiceConnection``s (client egress + server ingress).
extension KubernetesManifests {
    /// The file, named to apply after the namespace and before the workloads.
    public static let networkPolicyPath = "\(directory)/02-network-policy.yaml"
    /// Where the cluster DNS runs (kube-dns or CoreDNS keep the `k8s-app: kube-dns` label).
    static let dnsPeer = NetworkPolicySpec.Peer(
        namespaceSelector: PodSelector(matchLabels: ["kubernetes.io/metadata.name": "kube-system"]),
        podSelector: PodSelector(matchLabels: ["k8s-app": "kube-dns"]))

    /// `default-deny`, `dns` and one policy per service of `services`.
    static func networkPolicies(stack: Stack, services: [ServiceName]) -> [any KubernetesResource] {
        let dnsPorts = ["UDP", "TCP"].map { NetworkPolicySpec.Port(port: 53, protocol: $0) }
        var policies: [any KubernetesResource] = [
            policy("default-deny", service: nil, spec: NetworkPolicySpec(
                podSelector: .all, policyTypes: ["Ingress", "Egress"], ingress: nil, egress: nil)),
            policy("dns", service: nil, spec: NetworkPolicySpec(
                podSelector: .all, policyTypes: ["Egress"], ingress: nil,
                egress: [.init(from: nil, to: [dnsPeer], ports: dnsPorts)])),
        ]
        for service in stack.services where services.contains(service.name) {
            policies.append(policy(service.name.rawValue, service: service.name, spec: networkPolicy(service, stack: stack)))
        }
        return policies
    }

    /// What `service` accepts (its published ports from anywhere, its internal ports from its clients) and
    /// what it opens (its connections to other services).
    static func networkPolicy(_ service: StackService, stack: Stack) -> NetworkPolicySpec {
        func ports(_ list: [ServicePort]) -> [NetworkPolicySpec.Port] {
            list.map { .init(port: $0.number, protocol: $0.transport.rawValue.uppercased()) }
        }
        func peer(_ client: ServiceConnection.Client) -> NetworkPolicySpec.Peer {
            switch client {
            case .service(let name): .init(namespaceSelector: nil, podSelector: PodSelector(matchLabels: selector(name)))
            case .everyService: .init(namespaceSelector: nil, podSelector: .all)
            }
        }
        var ingress: [NetworkPolicySpec.Rule] = []
        if !service.publishedPorts.isEmpty { ingress.append(.init(from: nil, to: nil, ports: ports(service.publishedPorts))) }
        for connection in stack.connections where connection.server == service.name {
            ingress.append(.init(from: [peer(connection.client)], to: nil, ports: ports([connection.port])))
        }
        let egress: [NetworkPolicySpec.Rule] = stack.connections.filter { $0.client.includes(service.name) }.map {
            .init(from: nil, to: [peer(.service($0.server))], ports: ports([$0.port]))
        }
        var types: [String] = []
        if !ingress.isEmpty { types.append("Ingress") }
        if !egress.isEmpty { types.append("Egress") }
        return NetworkPolicySpec(
            podSelector: PodSelector(matchLabels: selector(service.name)), policyTypes: types,
            ingress: ingress.isEmpty ? nil : ingress, egress: egress.isEmpty ? nil : egress)
    }

    static func policy(_ name: String, service: ServiceName?, spec: NetworkPolicySpec) -> KubernetesObject<NetworkPolicySpec> {
        KubernetesObject(
            apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy",
            metadata: ObjectMeta(name: name, namespace: namespace, labels: labels(service)), spec: spec)
    }
}
