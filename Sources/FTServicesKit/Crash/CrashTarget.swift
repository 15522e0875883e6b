import FTServicesCore

/// One thing `crashtest` crashes: a service and, in kill mode, the process in it to signal (nil in the
/// other modes, which crash the whole container or engine).
struct CrashTarget: Sendable, Equatable {
    var service: ServiceName
    var process: String?
}
