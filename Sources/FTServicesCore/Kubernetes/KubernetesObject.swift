import Foundation

/// One Kubernetes object as it is written into a manifest: `apiVersion`, `kind`, `metadata` and, for most
/// kinds, a `spec`. The renderer encodes these with Yams (sorted keys), so field names are the API's own.
public protocol KubernetesResource: Encodable, Sendable {
    var apiVersion: String { get }
    var kind: String { get }
    var metadata: ObjectMeta { get }
}

/// An object whose desired state is one `spec` (Deployment, Service, PersistentVolumeClaim, MetalLB kinds).
public struct KubernetesObject<Spec: Encodable & Sendable & Equatable>: KubernetesResource, Equatable {
    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: Spec

    public init(apiVersion: String, kind: String, metadata: ObjectMeta, spec: Spec) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
    }
}

/// A Namespace: no spec.
public struct NamespaceObject: KubernetesResource, Equatable {
    public var apiVersion = "v1"
    public var kind = "Namespace"
    public var metadata: ObjectMeta

    public init(metadata: ObjectMeta) {
        self.metadata = metadata
    }
}

/// `metadata` of an object.
public struct ObjectMeta: Encodable, Sendable, Equatable {
    public var name: String
    /// Nil for cluster-scoped kinds (Namespace).
    public var namespace: String?
    public var labels: [String: String]?
    public var annotations: [String: String]?

    public init(name: String, namespace: String? = nil, labels: [String: String]? = nil, annotations: [String: String]? = nil) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
    }
}

/// `spec` of a `apps/v1` Deployment.
public struct DeploymentSpec: Encodable, Sendable, Equatable {
    public var replicas: Int
    public var selector: LabelSelector
    /// `Recreate`: the old pod stops before the new one starts (Swarm's `update_config.order: stop-first`),
    /// which a ReadWriteOnce volume needs anyway.
    public var strategy: Strategy
    public var template: PodTemplate

    public struct Strategy: Encodable, Sendable, Equatable {
        public var type: String
    }

    public struct PodTemplate: Encodable, Sendable, Equatable {
        public var metadata: TemplateMeta
        public var spec: PodSpec
    }

    /// A pod template's metadata: labels only (no name).
    public struct TemplateMeta: Encodable, Sendable, Equatable {
        public var labels: [String: String]
    }
}

/// `matchLabels` selector.
public struct LabelSelector: Encodable, Sendable, Equatable {
    public var matchLabels: [String: String]
}

/// `spec` of a `v1` PersistentVolumeClaim (the cluster's default StorageClass).
public struct PersistentVolumeClaimSpec: Encodable, Sendable, Equatable {
    public var accessModes: [String]
    public var resources: Resources

    public struct Resources: Encodable, Sendable, Equatable {
        public var requests: [String: String]
    }
}

/// `spec` of a `metallb.io/v1beta1` IPAddressPool.
public struct IPAddressPoolSpec: Encodable, Sendable, Equatable {
    public var addresses: [String]
    /// False: MetalLB hands the address only to services that ask for it (`loadBalancerIP`).
    public var autoAssign: Bool
}

/// `spec` of a `metallb.io/v1beta1` L2Advertisement.
public struct L2AdvertisementSpec: Encodable, Sendable, Equatable {
    public var ipAddressPools: [String]
}

/// A `v1` Secret as the tool applies it (never rendered into `srcs/`): `data` is base64.
public struct SecretObject: KubernetesResource, Equatable {
    public var apiVersion = "v1"
    public var kind = "Secret"
    public var metadata: ObjectMeta
    public var type = "Opaque"
    public var data: [String: String]

    public init(metadata: ObjectMeta, data: [String: String]) {
        self.metadata = metadata
        self.data = data
    }
}
