import Foundation

/// Services and MetalLB: one shared address for everything Swarm publishes.
extension KubernetesManifests {
    /// `LoadBalancer` on the shared address for a service that publishes ports (port = target port, as in
    /// Swarm's host-mode publishing); `ClusterIP` for an internal-only one (mysql, influxdb).
    static func service(_ service: StackService, address: String) -> KubernetesObject<ServiceSpec> {
        let published = !service.internalOnly
        let ports = (published ? service.publishedPorts : service.internalPorts).map {
            ServiceSpec.ServicePortSpec(name: portName($0), port: $0.number, targetPort: $0.number, protocol: $0.transport.rawValue.uppercased())
        }
        return KubernetesObject(
            apiVersion: "v1", kind: "Service",
            metadata: ObjectMeta(
                name: service.name.rawValue, namespace: namespace, labels: labels(service.name),
                annotations: published ? [sharedIPAnnotation: sharingKey] : nil),
            spec: ServiceSpec(
                type: published ? "LoadBalancer" : "ClusterIP", selector: selector(service.name), ports: ports,
                loadBalancerIP: published ? address : nil, externalTrafficPolicy: published ? "Cluster" : nil))
    }

    /// The IPAddressPool holding just the shared address (not auto-assigned, so no other Service takes it)
    /// and the L2Advertisement that answers ARP for it.
    static func metalLB(address: String) -> [any KubernetesResource] {
        let metadata = ObjectMeta(name: addressPoolName, namespace: metalLBNamespace, labels: labels(nil))
        return [
            KubernetesObject(apiVersion: "metallb.io/v1beta1", kind: "IPAddressPool", metadata: metadata,
                             spec: IPAddressPoolSpec(addresses: ["\(address)/32"], autoAssign: false)),
            KubernetesObject(apiVersion: "metallb.io/v1beta1", kind: "L2Advertisement", metadata: metadata,
                             spec: L2AdvertisementSpec(ipAddressPools: [addressPoolName])),
        ]
    }
}
