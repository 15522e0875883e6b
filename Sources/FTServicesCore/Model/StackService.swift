import Foundation

/// One Swarm service of the stack: what it runs, publishes, mounts and needs.
public struct StackService: Sendable, Equatable {
    public var name: ServiceName
    public var image: ImageName
    /// Ports published on the host (`mode: host`, target = published).
    public var publishedPorts: [ServicePort]
    /// Ports the service listens on that only other services reach, over the internal network.
    public var internalPorts: [ServicePort]
    public var volumes: [VolumeMount]
    /// Mounted as `/run/secrets/<key>`.
    public var secrets: [SecretKey]
    /// Environment variables whose values come from the deploy environment under the same name (`NAME: ${NAME}`).
    public var deployEnvironment: [String]
    public var healthcheck: Healthcheck
    public var restartPolicy: RestartPolicy
    public var stopGracePeriod: Duration
    /// Process names the PID 1 supervisor starts (as `ps -o comm` shows them); the first is the service's
    /// main process (the one `crashtest` kills by default).
    public var processes: [String]
    /// Capabilities, limits and root filesystem (`Stack.privileges(of:)`).
    public var privileges: ServicePrivileges
    /// The process that does the service's work: nginx, php-fpm, mariadbd, vsftpd, influxd, grafana.
    public var mainProcess: String { processes[0] }
    /// The service's own processes, without the metrics agent every image also runs.
    public var ownProcesses: [String] { processes.filter { $0 != Monitoring.agentProcess } }
    /// True when nothing is published (reachable from other services only).
    public var internalOnly: Bool { publishedPorts.isEmpty }

    public init(
        name: ServiceName, image: ImageName, publishedPorts: [ServicePort], internalPorts: [ServicePort],
        volumes: [VolumeMount], secrets: [SecretKey], deployEnvironment: [String], healthcheck: Healthcheck,
        restartPolicy: RestartPolicy, stopGracePeriod: Duration, processes: [String], privileges: ServicePrivileges
    ) {
        self.name = name
        self.image = image
        self.publishedPorts = publishedPorts
        self.internalPorts = internalPorts
        self.volumes = volumes
        self.secrets = secrets
        self.deployEnvironment = deployEnvironment
        self.healthcheck = healthcheck
        self.restartPolicy = restartPolicy
        self.stopGracePeriod = stopGracePeriod
        self.processes = processes
        self.privileges = privileges
    }
}

/// A TCP port and what speaks on it.
public struct ServicePort: Sendable, Equatable, Hashable {
    public var number: Int
    public var transport: Transport
    public var purpose: Purpose

    public init(_ number: Int, _ purpose: Purpose, transport: Transport = .tcp) {
        self.number = number
        self.transport = transport
        self.purpose = purpose
    }

    /// The transport protocol (UDP only for collectd's metrics, which nothing publishes).
    public enum Transport: String, Sendable, Hashable { case tcp, udp }

    /// What a client should expect on the port, so checks know how to probe it.
    public enum Purpose: String, Sendable, Hashable {
        /// Plain HTTP that redirects to HTTPS.
        case http
        /// HTTP over TLS.
        case https
        case ssh
        /// FTP control connection with explicit TLS (AUTH TLS).
        case ftpsControl = "ftps-control"
        /// One FTP passive data port.
        case ftpsPassive = "ftps-passive"
        /// MariaDB protocol.
        case mysql
        /// InfluxDB HTTP API.
        case influxdb
        /// collectd's network protocol (UDP), InfluxDB's `[[collectd]]` listener for the agents.
        case collectd
    }
}

/// A named Docker volume and where it is mounted.
public struct VolumeMount: Sendable, Equatable, Hashable {
    public var name: String
    public var path: String

    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }
}

/// The container healthcheck (exec form).
public struct Healthcheck: Sendable, Equatable {
    public var test: [String]
    public var interval: Duration
    public var timeout: Duration
    public var retries: Int
    public var startPeriod: Duration

    public init(test: [String], interval: Duration, timeout: Duration, retries: Int, startPeriod: Duration) {
        self.test = test
        self.interval = interval
        self.timeout = timeout
        self.retries = retries
        self.startPeriod = startPeriod
    }
}

/// Swarm's restart policy for a service.
public struct RestartPolicy: Sendable, Equatable {
    public var condition: Condition
    public var delay: Duration

    public init(condition: Condition, delay: Duration) {
        self.condition = condition
        self.delay = delay
    }

    public enum Condition: String, Sendable {
        case none, any
        case onFailure = "on-failure"
    }
}
