import Foundation

extension EngineAPI {
    /// A Swarm service (`GET /services`, `GET /services/{id}`).
    public struct Service: Codable, Sendable, Equatable {
        public var id: String
        public var spec: Spec
        /// The ports Swarm actually set up (absent until it has).
        public var endpoint: Endpoint?
        /// The state of the last rolling update, if any (`docker stack deploy` clears it; Swarm sets it when
        /// it replaces tasks for a new spec and when it rolls one back).
        public var updateStatus: UpdateStatus?
        /// The spec before the last update: absent for a service created by the last deploy, and after a
        /// rollback (Swarm puts it back as `spec`).
        public var previousSpec: Spec?

        public init(id: String, spec: Spec, endpoint: Endpoint? = nil, updateStatus: UpdateStatus? = nil, previousSpec: Spec? = nil) {
            self.id = id
            self.spec = spec
            self.endpoint = endpoint
            self.updateStatus = updateStatus
            self.previousSpec = previousSpec
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID", spec = "Spec", endpoint = "Endpoint", updateStatus = "UpdateStatus", previousSpec = "PreviousSpec"
        }

        /// The service's name ("ftservices_nginx").
        public var name: String { spec.name }
        /// The image the tasks run.
        public var image: String? { spec.taskTemplate.containerSpec?.image }
        /// The published ports: the endpoint's when Swarm reports them, otherwise the spec's.
        public var publishedPorts: [Port] {
            let actual = endpoint?.ports ?? []
            let ports = actual.isEmpty ? (spec.endpointSpec?.ports ?? []) : actual
            return ports.filter { $0.publishedPort != 0 }
        }

        /// `Service.Spec`.
        public struct Spec: Codable, Sendable, Equatable {
            public var name: String
            public var labels: [String: String]?
            public var taskTemplate: TaskTemplate
            public var endpointSpec: EndpointSpec?
            /// Replicated (with its replica count) or global.
            public var mode: Mode?

            public init(name: String, labels: [String: String]? = nil, taskTemplate: TaskTemplate,
                        endpointSpec: EndpointSpec? = nil, mode: Mode? = nil) {
                self.name = name
                self.labels = labels
                self.taskTemplate = taskTemplate
                self.endpointSpec = endpointSpec
                self.mode = mode
            }

            enum CodingKeys: String, CodingKey {
                case name = "Name", labels = "Labels", taskTemplate = "TaskTemplate", endpointSpec = "EndpointSpec"
                case mode = "Mode"
            }
        }

        /// `Spec.Mode`: `{"Replicated": {"Replicas": 1}}` or `{"Global": {}}`.
        public struct Mode: Codable, Sendable, Equatable {
            public var replicated: Replicated?
            public init(replicated: Replicated?) { self.replicated = replicated }
            enum CodingKeys: String, CodingKey { case replicated = "Replicated" }

            /// `Mode.Replicated`.
            public struct Replicated: Codable, Sendable, Equatable {
                public var replicas: Int?
                public init(replicas: Int?) { self.replicas = replicas }
                enum CodingKeys: String, CodingKey { case replicas = "Replicas" }
            }
        }

        /// The replica count a replicated service asks for (`nil` for a global one).
        public var replicas: Int? { spec.mode?.replicated?.replicas }

        /// `Spec.TaskTemplate`.
        public struct TaskTemplate: Codable, Sendable, Equatable {
            public var containerSpec: ContainerSpec?
            public var restartPolicy: RestartPolicy?
            public init(containerSpec: ContainerSpec?, restartPolicy: RestartPolicy? = nil) {
                self.containerSpec = containerSpec
                self.restartPolicy = restartPolicy
            }
            enum CodingKeys: String, CodingKey { case containerSpec = "ContainerSpec", restartPolicy = "RestartPolicy" }
        }

        /// `TaskTemplate.RestartPolicy`.
        public struct RestartPolicy: Codable, Sendable, Equatable {
            /// `none`, `on-failure` or `any`.
            public var condition: String?
            public init(condition: String?) { self.condition = condition }
            enum CodingKeys: String, CodingKey { case condition = "Condition" }
        }

        /// When Swarm replaces an exited task: `any`, `on-failure`, `none` (`nil` when the spec leaves it out).
        public var restartCondition: String? { spec.taskTemplate.restartPolicy?.condition }

        /// `TaskTemplate.ContainerSpec`.
        public struct ContainerSpec: Codable, Sendable, Equatable {
            /// The image reference (a stack deploy adds "@sha256:..." when it resolved a digest).
            public var image: String
            public init(image: String) { self.image = image }
            enum CodingKeys: String, CodingKey { case image = "Image" }
        }

        /// `Spec.EndpointSpec`.
        public struct EndpointSpec: Codable, Sendable, Equatable {
            /// `vip` or `dnsrr`.
            public var mode: String?
            public var ports: [Port]?
            public init(mode: String? = nil, ports: [Port]? = nil) {
                self.mode = mode
                self.ports = ports
            }
            enum CodingKeys: String, CodingKey { case mode = "Mode", ports = "Ports" }
        }

        /// `Service.Endpoint`.
        public struct Endpoint: Codable, Sendable, Equatable {
            public var ports: [Port]?
            public init(ports: [Port]?) { self.ports = ports }
            enum CodingKeys: String, CodingKey { case ports = "Ports" }
        }

        /// A published port.
        public struct Port: Codable, Sendable, Equatable {
            /// `tcp`, `udp` or `sctp`.
            public var `protocol`: String?
            public var targetPort: Int
            public var publishedPort: Int
            /// `ingress` or `host`.
            public var publishMode: String?

            public init(protocol: String? = "tcp", targetPort: Int, publishedPort: Int, publishMode: String? = "host") {
                self.protocol = `protocol`
                self.targetPort = targetPort
                self.publishedPort = publishedPort
                self.publishMode = publishMode
            }

            enum CodingKeys: String, CodingKey {
                case `protocol` = "Protocol", targetPort = "TargetPort", publishedPort = "PublishedPort"
                case publishMode = "PublishMode"
            }

            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                self.protocol = try container.decodeIfPresent(String.self, forKey: .protocol)
                targetPort = try container.decodeIfPresent(Int.self, forKey: .targetPort) ?? 0
                publishedPort = try container.decodeIfPresent(Int.self, forKey: .publishedPort) ?? 0
                publishMode = try container.decodeIfPresent(String.self, forKey: .publishMode)
            }
        }

        /// `Service.UpdateStatus`.
        public struct UpdateStatus: Codable, Sendable, Equatable {
            /// `updating`, `paused`, `completed`, `rollback_started`, `rollback_paused`, `rollback_completed`.
            public var state: String?
            public var message: String?
            public var startedAt: String?
            public var completedAt: String?
            public init(state: String?, message: String? = nil, startedAt: String? = nil, completedAt: String? = nil) {
                self.state = state
                self.message = message
                self.startedAt = startedAt
                self.completedAt = completedAt
            }
            enum CodingKeys: String, CodingKey {
                case state = "State", message = "Message", startedAt = "StartedAt", completedAt = "CompletedAt"
            }

            /// The states of an update Swarm is rolling back or has rolled back.
            public static let rollbackStates: Set<String> = ["rollback_started", "rollback_paused", "rollback_completed"]
            /// Whether Swarm rolled (or is rolling) this update back.
            public var isRollback: Bool { state.map(Self.rollbackStates.contains) ?? false }
        }
    }

    /// A Swarm task: one attempt at running one replica (`GET /tasks`).
    public struct ServiceTask: Codable, Sendable, Equatable {
        public var id: String
        public var serviceID: String?
        /// The replica number (replicated services).
        public var slot: Int?
        /// What Swarm wants: `running`, `shutdown`, ...
        public var desiredState: String
        public var createdAt: String?
        public var status: Status
        /// The spec the task was created from (its image tells which version of the service it ran).
        public var spec: Service.TaskTemplate?

        public init(id: String, serviceID: String? = nil, slot: Int? = nil, desiredState: String,
                    createdAt: String? = nil, status: Status, spec: Service.TaskTemplate? = nil) {
            self.id = id
            self.serviceID = serviceID
            self.slot = slot
            self.desiredState = desiredState
            self.createdAt = createdAt
            self.status = status
            self.spec = spec
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID", serviceID = "ServiceID", slot = "Slot", desiredState = "DesiredState"
            case createdAt = "CreatedAt", status = "Status", spec = "Spec"
        }

        /// The image the task runs.
        public var image: String? { spec?.containerSpec?.image }

        /// `createdAt` parsed.
        public var created: Date? { EngineAPI.date(createdAt) }

        /// `Task.Status`.
        public struct Status: Codable, Sendable, Equatable {
            /// `new`, `pending`, `preparing`, `starting`, `running`, `complete`, `failed`, `rejected`, ...
            public var state: String
            public var timestamp: String?
            public var message: String?
            /// Why the task failed, when it did.
            public var err: String?
            public var containerStatus: ContainerStatus?

            public init(state: String, timestamp: String? = nil, message: String? = nil, err: String? = nil,
                        containerStatus: ContainerStatus? = nil) {
                self.state = state
                self.timestamp = timestamp
                self.message = message
                self.err = err
                self.containerStatus = containerStatus
            }

            enum CodingKeys: String, CodingKey {
                case state = "State", timestamp = "Timestamp", message = "Message", err = "Err"
                case containerStatus = "ContainerStatus"
            }

            /// `timestamp` parsed.
            public var date: Date? { EngineAPI.date(timestamp) }
        }

        /// `Status.ContainerStatus`.
        public struct ContainerStatus: Codable, Sendable, Equatable {
            public var containerID: String?
            public var pid: Int?
            public var exitCode: Int?

            public init(containerID: String?, pid: Int? = nil, exitCode: Int? = nil) {
                self.containerID = containerID
                self.pid = pid
                self.exitCode = exitCode
            }

            enum CodingKeys: String, CodingKey { case containerID = "ContainerID", pid = "PID", exitCode = "ExitCode" }
        }
    }
}

extension Array where Element == EngineAPI.ServiceTask {
    /// The service's current task: the newest one Swarm wants running (tasks come newest first), else the
    /// newest at all.
    public var current: EngineAPI.ServiceTask? {
        first { $0.desiredState == SwarmTaskState.running.rawValue } ?? first
    }
}
