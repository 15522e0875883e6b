import Foundation

/// `spec` of a pod template: one container per pod, as in the Swarm stack (one task, one container).
public struct PodSpec: Encodable, Sendable, Equatable {
    /// The service name, like Swarm's `hostname:`.
    public var hostname: String
    /// False: no `<SERVICE>_PORT`-style variables, which would collide with programs that read their own
    /// prefix from the environment (InfluxDB reads `INFLUXDB_*`, and a Service named influxdb injects
    /// `INFLUXDB_PORT=tcp://…`).
    public var enableServiceLinks: Bool
    /// False: no pod talks to the Kubernetes API.
    public var automountServiceAccountToken: Bool
    /// Swarm's `stop_grace_period`.
    public var terminationGracePeriodSeconds: Int
    /// `Always`: Swarm's `restart_policy.condition: any`.
    public var restartPolicy: String
    /// `seccompProfile: RuntimeDefault` (the container runtime's default filter, as Docker applies to
    /// every Swarm task).
    public var securityContext: PodSecurityContext
    public var containers: [Container]
    public var volumes: [Volume]?
}

/// The pod's `securityContext`. No `runAsNonRoot`: PID 1 is a root entrypoint that chowns volumes and
/// starts each daemon, which drops to its own user (the checkov skip annotations say so).
public struct PodSecurityContext: Encodable, Sendable, Equatable {
    public var seccompProfile: SeccompProfile

    public struct SeccompProfile: Encodable, Sendable, Equatable {
        public var type: String
    }
}

/// A container's `securityContext`: the Swarm service's `cap_drop`/`cap_add` and `read_only`, plus
/// `allowPrivilegeEscalation: false` (no_new_privs, which Swarm cannot set).
public struct ContainerSecurityContext: Encodable, Sendable, Equatable {
    public var allowPrivilegeEscalation: Bool
    public var capabilities: Capabilities
    public var readOnlyRootFilesystem: Bool

    public struct Capabilities: Encodable, Sendable, Equatable {
        public var add: [String]?
        public var drop: [String]
    }
}

/// A container's `resources`: requests = Swarm's reservations, limits = Swarm's limits.
public struct ResourceRequirements: Encodable, Sendable, Equatable {
    /// `cpu` (`500m`) and `memory` (`256Mi`).
    public var requests: [String: String]
    public var limits: [String: String]
}

/// One container.
public struct Container: Encodable, Sendable, Equatable {
    public var name: String
    public var image: String
    public var imagePullPolicy: String
    public var ports: [ContainerPort]?
    public var env: [EnvVar]?
    public var volumeMounts: [VolumeMount]?
    /// Covers Swarm's `start_period`: failures do not count until it has passed once.
    public var startupProbe: Probe
    /// Swarm replaces a task whose healthcheck fails `retries` times; Kubernetes restarts the container.
    public var livenessProbe: Probe
    /// Ready = Swarm's `healthy`: what the wait and the Services' endpoints go by.
    public var readinessProbe: Probe
    public var securityContext: ContainerSecurityContext
    public var resources: ResourceRequirements

    public struct ContainerPort: Encodable, Sendable, Equatable {
        public var name: String
        public var containerPort: Int
        public var `protocol`: String
    }

    public struct EnvVar: Encodable, Sendable, Equatable {
        public var name: String
        public var value: String
    }

    public struct VolumeMount: Encodable, Sendable, Equatable {
        public var name: String
        public var mountPath: String
        public var readOnly: Bool?
    }
}

/// An exec probe with its timings.
public struct Probe: Encodable, Sendable, Equatable {
    public var exec: ExecAction
    public var periodSeconds: Int
    public var timeoutSeconds: Int
    public var failureThreshold: Int
    public var successThreshold: Int

    public struct ExecAction: Encodable, Sendable, Equatable {
        public var command: [String]
    }
}

/// A pod volume: a PersistentVolumeClaim, the service's secrets projected into one directory, or an
/// in-memory directory (a writable path of a read-only root, Swarm's `tmpfs`).
public struct Volume: Encodable, Sendable, Equatable {
    public var name: String
    public var persistentVolumeClaim: ClaimSource?
    public var projected: ProjectedSource?
    public var emptyDir: EmptyDirSource?

    public init(name: String, persistentVolumeClaim: ClaimSource? = nil, projected: ProjectedSource? = nil, emptyDir: EmptyDirSource? = nil) {
        self.name = name
        self.persistentVolumeClaim = persistentVolumeClaim
        self.projected = projected
        self.emptyDir = emptyDir
    }

    /// `medium: Memory` (tmpfs) with a size limit (`8Mi`).
    public struct EmptyDirSource: Encodable, Sendable, Equatable {
        public var medium: String
        public var sizeLimit: String
    }

    public struct ClaimSource: Encodable, Sendable, Equatable {
        public var claimName: String
    }

    /// Several Secrets in one directory, each file with `defaultMode` (0400, as Swarm mounts secrets).
    public struct ProjectedSource: Encodable, Sendable, Equatable {
        public var defaultMode: FileMode
        public var sources: [Projection]
    }

    public struct Projection: Encodable, Sendable, Equatable {
        public var secret: SecretProjection
    }

    public struct SecretProjection: Encodable, Sendable, Equatable {
        public var name: String
        public var items: [KeyToPath]
    }

    public struct KeyToPath: Encodable, Sendable, Equatable {
        public var key: String
        public var path: String
    }
}

/// `spec` of a `v1` Service.
public struct ServiceSpec: Encodable, Sendable, Equatable {
    /// `LoadBalancer` for what Swarm publishes, `ClusterIP` for internal-only services.
    public var type: String
    public var selector: [String: String]
    public var ports: [ServicePortSpec]
    /// The one shared address (MetalLB assigns it when it is in an IPAddressPool); nil for ClusterIP.
    public var loadBalancerIP: String?
    /// `Cluster`: MetalLB shares one IP between services with different selectors only under this policy.
    public var externalTrafficPolicy: String?

    public struct ServicePortSpec: Encodable, Sendable, Equatable {
        public var name: String
        public var port: Int
        public var targetPort: Int
        public var `protocol`: String
    }
}
