import FTServicesCore

/// What `crashtest`'s options choose: the mode, the signal and process of kill mode, how often, how long.
extension CrashTester {
    /// Which process `kill` mode signals.
    public enum ProcessChoice: Sendable, Equatable {
        /// The service's main process (nginx, php-fpm, mariadbd, vsftpd, influxd, grafana).
        case main
        /// This process, in every chosen service that runs it.
        case named(String)
        /// Every process of the service, one after the other.
        case all
    }

    public struct Options: Sendable {
        public var mode: CrashMode
        public var signal: CrashSignal
        public var process: ProcessChoice
        public var repeatCount: Int
        /// How long a service has to recover (and to be ready before the crash).
        public var deadline: Duration

        public init(mode: CrashMode = .kill, signal: CrashSignal = .KILL, process: ProcessChoice = .main, repeatCount: Int = 1,
                    deadline: Duration = .seconds(60)) {
            self.mode = mode
            self.signal = signal
            self.process = process
            self.repeatCount = repeatCount
            self.deadline = deadline
        }
    }
}
