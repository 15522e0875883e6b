import Foundation

/// What a service's container may do (docs/DESIGN.md, "Privileges"): the capabilities added back after
/// dropping ALL, its memory, CPU and process limits, and whether its root filesystem is read-only.
/// Both orchestrators render the same values (`StackFile`, `KubernetesManifests`).
public struct ServicePrivileges: Sendable, Equatable {
    /// Added back after `cap_drop: [ALL]` / `drop: [ALL]`, sorted by name, each with why it is needed.
    public var capabilities: [CapabilityGrant]
    /// Hard memory limit (MiB): the kernel kills the container's processes beyond it.
    public var memoryLimitMiB: Int
    /// Memory the scheduler sets aside for the service (MiB): Swarm's reservation, Kubernetes' request.
    public var memoryReservationMiB: Int
    /// CPU limit in thousandths of a core (`500` = half a core).
    public var cpuLimitMillis: Int
    /// CPU the scheduler sets aside, in thousandths of a core: Swarm's reservation, Kubernetes' request.
    public var cpuReservationMillis: Int
    /// Most processes and threads the container may run (`pids.max`): Swarm's `limits.pids` (stack file
    /// 3.9). Kubernetes has no per-container field (the kubelet's `podPidsLimit` is per node).
    public var pidsLimit: Int
    public var rootFilesystem: RootFilesystem

    public init(
        capabilities: [CapabilityGrant], memoryLimitMiB: Int, memoryReservationMiB: Int, cpuLimitMillis: Int,
        cpuReservationMillis: Int, pidsLimit: Int, rootFilesystem: RootFilesystem
    ) {
        self.capabilities = capabilities.sorted { $0.capability < $1.capability }
        self.memoryLimitMiB = memoryLimitMiB
        self.memoryReservationMiB = memoryReservationMiB
        self.cpuLimitMillis = cpuLimitMillis
        self.cpuReservationMillis = cpuReservationMillis
        self.pidsLimit = pidsLimit
        self.rootFilesystem = rootFilesystem
    }

    /// The capability names only, sorted.
    public var capabilityNames: [String] { capabilities.map(\.capability.rawValue) }

    /// The writable paths of a read-only root (empty when the root is writable).
    public var tmpfsMounts: [TmpfsMount] {
        if case .readOnly(let mounts) = rootFilesystem { return mounts }
        return []
    }

    /// True when the root filesystem is mounted read-only.
    public var readOnlyRoot: Bool {
        if case .readOnly = rootFilesystem { return true }
        return false
    }
}

/// One capability a service keeps, and why.
public struct CapabilityGrant: Sendable, Equatable {
    public var capability: Capability
    /// One line: which program of the service needs it, for what.
    public var reason: String

    public init(_ capability: Capability, _ reason: String) {
        self.capability = capability
        self.reason = reason
    }
}

/// A Linux capability as Docker and Kubernetes spell it (without `CAP_`): the ones Docker grants by default.
public enum Capability: String, Sendable, CaseIterable, Comparable {
    case auditWrite = "AUDIT_WRITE"
    case chown = "CHOWN"
    case dacOverride = "DAC_OVERRIDE"
    case fowner = "FOWNER"
    case fsetid = "FSETID"
    case kill = "KILL"
    case mknod = "MKNOD"
    case netBindService = "NET_BIND_SERVICE"
    case netRaw = "NET_RAW"
    case setfcap = "SETFCAP"
    case setgid = "SETGID"
    case setpcap = "SETPCAP"
    case setuid = "SETUID"
    case sysChroot = "SYS_CHROOT"

    public static func < (lhs: Capability, rhs: Capability) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The container's root filesystem.
public enum RootFilesystem: Sendable, Equatable {
    /// Read-only, with these paths writable in memory (Swarm `tmpfs` mounts, Kubernetes `emptyDir`
    /// with `medium: Memory`).
    case readOnly(tmpfs: [TmpfsMount])
    /// Left writable, and why (what the entrypoint writes outside a volume or tmpfs).
    case writable(reason: String)
}

/// A writable in-memory directory of a read-only root.
public struct TmpfsMount: Sendable, Equatable, Hashable {
    public var path: String
    public var sizeMiB: Int

    public init(_ path: String, sizeMiB: Int) {
        self.path = path
        self.sizeMiB = sizeMiB
    }
}
