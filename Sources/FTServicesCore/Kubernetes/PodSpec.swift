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
    public var containers: [Container]
    public var volumes: [Volume]?
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

/// A pod volume: a PersistentVolumeClaim, or the service's secrets projected into one directory.
public struct Volume: Encodable, Sendable, Equatable {
    public var name: String
    public var persistentVolumeClaim: ClaimSource?
    public var projected: ProjectedSource?

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
