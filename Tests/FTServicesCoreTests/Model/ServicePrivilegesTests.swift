import Foundation
import Testing
@testable import FTServicesCore

/// The starting least-privilege values keep to the rules docs/DESIGN.md ("Privileges") states.
@Suite struct ServicePrivilegesTests {
    let stack = Stack(config: .defaults)

    @Test func noServiceKeepsNetRawMknodOrTheCapabilitiesNothingUsesAtRunTime() {
        let never: Set<Capability> = [.netRaw, .mknod, .fsetid, .setfcap, .setpcap]
        for service in stack.services {
            let kept = Set(service.privileges.capabilities.map(\.capability))
            #expect(kept.isDisjoint(with: never), "\(service.name): \(kept.intersection(never))")
            #expect(service.privileges.capabilities.allSatisfy { !$0.reason.isEmpty }, "\(service.name): a capability without a reason")
            #expect(service.privileges.capabilityNames == service.privileges.capabilityNames.sorted(), "\(service.name)")
        }
    }

    /// NET_BIND_SERVICE exactly where a daemon listens below 1024 (nginx 80/443, vsftpd 21).
    @Test func onlyServicesWithPrivilegedPortsMayBindThem() {
        for service in stack.services {
            let privileged = (service.publishedPorts + service.internalPorts).contains { $0.number < 1024 }
            #expect(service.privileges.capabilityNames.contains("NET_BIND_SERVICE") == privileged, "\(service.name)")
        }
    }

    @Test func chrootOnlyForSshdAndVsftpdAuditOnlyForSshd() {
        let chroot = stack.services.filter { $0.privileges.capabilityNames.contains("SYS_CHROOT") }.map(\.name)
        let audit = stack.services.filter { $0.privileges.capabilityNames.contains("AUDIT_WRITE") }.map(\.name)
        #expect(chroot == [.nginx, .ftps])
        #expect(audit == [.nginx])
    }

    @Test func limitsLeaveHeadroomAboveReservations() {
        for service in stack.services {
            let privileges = service.privileges
            #expect(privileges.memoryLimitMiB >= 256 && privileges.memoryReservationMiB < privileges.memoryLimitMiB, "\(service.name)")
            #expect(privileges.cpuReservationMillis < privileges.cpuLimitMillis && privileges.pidsLimit >= 256, "\(service.name)")
        }
    }

    /// A read-only root keeps every path its entrypoint writes outside volumes writable, and never
    /// mounts a tmpfs over a volume, inside one, or over the secrets. (A tmpfs on /run, the secrets'
    /// parent, is fine: Docker and containerd mount parents first, so /run/secrets is mounted on it.)
    @Test func readOnlyRootsHaveDistinctTmpfsPathsOutsideVolumesAndSecrets() {
        for service in stack.services where service.privileges.readOnlyRoot {
            let paths = service.privileges.tmpfsMounts.map(\.path)
            #expect(!paths.isEmpty && Set(paths).count == paths.count, "\(service.name)")
            #expect(paths.contains("/var/lib/collectd"), "\(service.name): the agent writes /var/lib/collectd")
            for path in paths {
                for protected in service.volumes.map(\.path) + ["/run/secrets"] {
                    #expect(path != protected && !path.hasPrefix(protected + "/"), "\(service.name): tmpfs \(path) over or inside \(protected)")
                }
            }
        }
    }
}
