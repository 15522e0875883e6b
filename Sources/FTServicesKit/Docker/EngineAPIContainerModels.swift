import Foundation

extension EngineAPI {
    /// A container as listed by `GET /containers/json`.
    public struct ContainerSummary: Codable, Sendable, Equatable {
        public var id: String
        /// Names with Docker's leading slash ("/nettest").
        public var names: [String]
        public var image: String
        /// `created`, `running`, `exited`, ...
        public var state: String
        /// Human text ("Up 3 minutes (healthy)").
        public var status: String
        public var labels: [String: String]?

        public init(id: String, names: [String], image: String, state: String, status: String,
                    labels: [String: String]? = nil) {
            self.id = id
            self.names = names
            self.image = image
            self.state = state
            self.status = status
            self.labels = labels
        }

        enum CodingKeys: String, CodingKey {
            case id = "Id", names = "Names", image = "Image", state = "State", status = "Status", labels = "Labels"
        }
    }

    /// A container in detail (`GET /containers/{id}/json`).
    public struct Container: Codable, Sendable, Equatable {
        public var id: String
        /// With Docker's leading slash.
        public var name: String
        public var restartCount: Int
        public var state: State

        public init(id: String, name: String, restartCount: Int = 0, state: State) {
            self.id = id
            self.name = name
            self.restartCount = restartCount
            self.state = state
        }

        enum CodingKeys: String, CodingKey {
            case id = "Id", name = "Name", restartCount = "RestartCount", state = "State"
        }

        /// `Container.State`.
        public struct State: Codable, Sendable, Equatable {
            /// `created`, `running`, `exited`, ...
            public var status: String
            public var running: Bool
            /// The main process's PID on the host (0 when not running).
            public var pid: Int
            public var exitCode: Int?
            public var startedAt: String?
            public var finishedAt: String?
            /// Present only when the image or service defines a healthcheck.
            public var health: Health?

            public init(status: String, running: Bool, pid: Int = 0, exitCode: Int? = nil, startedAt: String? = nil,
                        finishedAt: String? = nil, health: Health? = nil) {
                self.status = status
                self.running = running
                self.pid = pid
                self.exitCode = exitCode
                self.startedAt = startedAt
                self.finishedAt = finishedAt
                self.health = health
            }

            enum CodingKeys: String, CodingKey {
                case status = "Status", running = "Running", pid = "Pid", exitCode = "ExitCode"
                case startedAt = "StartedAt", finishedAt = "FinishedAt", health = "Health"
            }

            /// `startedAt` parsed.
            public var started: Date? { EngineAPI.date(startedAt) }
        }

        /// `State.Health`.
        public struct Health: Codable, Sendable, Equatable {
            /// `starting`, `healthy` or `unhealthy`.
            public var status: String
            public var failingStreak: Int?
            /// The last few healthcheck runs, oldest first.
            public var log: [HealthRun]?

            public init(status: String, failingStreak: Int? = nil, log: [HealthRun]? = nil) {
                self.status = status
                self.failingStreak = failingStreak
                self.log = log
            }

            enum CodingKeys: String, CodingKey { case status = "Status", failingStreak = "FailingStreak", log = "Log" }

            /// The newest healthcheck run.
            public var last: HealthRun? { log?.last }

            /// The newest run that said something: a probe cut off by the container's stop (the
            /// orchestrator stopping an unhealthy container while the next probe runs) leaves an empty one.
            public var lastReported: HealthRun? {
                log?.last { !$0.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            }
        }

        /// One healthcheck run.
        public struct HealthRun: Codable, Sendable, Equatable {
            public var start: String?
            public var end: String?
            public var exitCode: Int
            public var output: String

            public init(start: String? = nil, end: String? = nil, exitCode: Int, output: String) {
                self.start = start
                self.end = end
                self.exitCode = exitCode
                self.output = output
            }

            enum CodingKeys: String, CodingKey { case start = "Start", end = "End", exitCode = "ExitCode", output = "Output" }
        }
    }
}
