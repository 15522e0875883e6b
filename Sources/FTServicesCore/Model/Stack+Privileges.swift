import Foundation

/// Least privilege per service (docs/DESIGN.md, "Privileges"). Starting values that keep every daemon
/// working as the images are today: PID 1 is a root entrypoint that chowns volumes, copies secrets and
/// starts each daemon, which drops to its own user; the metrics agent runs as `collectd` through
/// `setpriv`. Of Docker's default set, NET_RAW, MKNOD (`mkfifo` needs no capability), FSETID, SETFCAP and
/// SETPCAP (nothing changes file capabilities or the bounding set at run time) are dropped everywhere.
extension Stack {
    /// The privileges of `service`.
    public static func privileges(of service: ServiceName) -> ServicePrivileges {
        switch service {
        case .nginx:
            ServicePrivileges(
                capabilities: common(
                    switching: "nginx workers run as www-data, sshd's privilege-separated child as sshd and sessions as the SSH user, the agent as collectd")
                    + [
                        CapabilityGrant(.netBindService, "nginx listens on 80 and 443"),
                        CapabilityGrant(.sysChroot, "sshd's privilege separation chroots its pre-auth child to /run/sshd"),
                        CapabilityGrant(.auditWrite, "sshd writes login audit records"),
                    ],
                memoryLimitMiB: 256, memoryReservationMiB: 32, cpuLimitMillis: 500, cpuReservationMillis: 50, pidsLimit: 256,
                rootFilesystem: .readOnly(tmpfs: [
                    TmpfsMount("/run", sizeMiB: 8), TmpfsMount("/tmp", sizeMiB: 16), TmpfsMount("/home", sizeMiB: 32),
                    TmpfsMount("/var/lib/nginx", sizeMiB: 64), TmpfsMount("/var/log", sizeMiB: 8), TmpfsMount("/var/lib/collectd", sizeMiB: 8),
                ]))
        case .wordpress:
            ServicePrivileges(
                capabilities: common(switching: "php-fpm's pool, nginx workers and the install script (runuser) run as www-data, the agent as collectd"),
                memoryLimitMiB: 512, memoryReservationMiB: 64, cpuLimitMillis: 1000, cpuReservationMillis: 100, pidsLimit: 512,
                rootFilesystem: .readOnly(tmpfs: webphpTmpfs + [TmpfsMount(PageCache.directory, sizeMiB: PageCache.tmpfsMiB)]))
        case .phpmyadmin:
            ServicePrivileges(
                capabilities: common(switching: "php-fpm's pool and nginx workers run as www-data, the agent as collectd"),
                memoryLimitMiB: 512, memoryReservationMiB: 64, cpuLimitMillis: 1000, cpuReservationMillis: 100, pidsLimit: 512,
                rootFilesystem: .readOnly(tmpfs: webphpTmpfs + [TmpfsMount("/var/lib/phpmyadmin/tmp", sizeMiB: 64)]))
        case .mysql:
            ServicePrivileges(
                capabilities: common(switching: "mariadbd --user=mysql drops to mysql, the agent runs as collectd"),
                memoryLimitMiB: 768, memoryReservationMiB: 128, cpuLimitMillis: 1000, cpuReservationMillis: 100, pidsLimit: 512,
                rootFilesystem: .readOnly(tmpfs: [
                    TmpfsMount("/run/mysqld", sizeMiB: 8), TmpfsMount("/tmp", sizeMiB: 64), TmpfsMount("/var/lib/collectd", sizeMiB: 8),
                ]))
        case .ftps:
            ServicePrivileges(
                capabilities: common(switching: "vsftpd serves a logged-in session as the FTP user, the agent runs as collectd")
                    + [
                        CapabilityGrant(.netBindService, "vsftpd listens on 21"),
                        CapabilityGrant(.sysChroot, "vsftpd chroots sessions to the user's home and its pre-login child to secure_chroot_dir"),
                    ],
                memoryLimitMiB: 256, memoryReservationMiB: 16, cpuLimitMillis: 500, cpuReservationMillis: 50, pidsLimit: 256,
                rootFilesystem: .readOnly(tmpfs: [
                    TmpfsMount("/run", sizeMiB: 8), TmpfsMount("/tmp", sizeMiB: 8), TmpfsMount("/var/log", sizeMiB: 8),
                    TmpfsMount("/var/lib/collectd", sizeMiB: 8),
                ]))
        case .influxdb:
            ServicePrivileges(
                capabilities: common(switching: "influxd runs as influxdb and the agent as collectd through setpriv"),
                memoryLimitMiB: 768, memoryReservationMiB: 64, cpuLimitMillis: 1000, cpuReservationMillis: 100, pidsLimit: 512,
                rootFilesystem: .readOnly(tmpfs: [TmpfsMount("/tmp", sizeMiB: 64), TmpfsMount("/var/lib/collectd", sizeMiB: 8)]))
        case .grafana:
            ServicePrivileges(
                capabilities: common(switching: "grafana runs as grafana and the agent as collectd through setpriv"),
                memoryLimitMiB: 512, memoryReservationMiB: 128, cpuLimitMillis: 1000, cpuReservationMillis: 100, pidsLimit: 512,
                rootFilesystem: .writable(reason: "Grafana may write under its home path and /var/log/grafana besides its data volume: not all paths known yet"))
        }
    }

    /// The writable paths of the images built on webphp (WordPress, phpMyAdmin): runtime files and the PHP-FPM
    /// socket (/run), PHP uploads in progress (/tmp, as large as an upload may be), nginx's request bodies
    /// and proxy buffers (/var/lib/nginx), nginx's compiled-in error log opened before its config
    /// (/var/log), PHP sessions and the agent's state.
    static let webphpTmpfs = [
        TmpfsMount("/run", sizeMiB: 8), TmpfsMount("/tmp", sizeMiB: 80), TmpfsMount("/var/lib/nginx", sizeMiB: 80),
        TmpfsMount("/var/log", sizeMiB: 8), TmpfsMount("/var/lib/php/sessions", sizeMiB: 8), TmpfsMount("/var/lib/collectd", sizeMiB: 8),
    ]

    /// What every service keeps: its entrypoint runs as root and hands files and processes to other users.
    /// - Parameter switching: which processes run as which users (the reason for SETUID and SETGID).
    static func common(switching: String) -> [CapabilityGrant] {
        [
            CapabilityGrant(.chown, "the entrypoint chowns volumes, runtime directories and secret copies to the daemon users (and /var/lib/collectd to collectd)"),
            CapabilityGrant(.dacOverride, "the root entrypoint and daemon masters read and write in directories owned by the daemon users (0700/0750)"),
            CapabilityGrant(.fowner, "the entrypoint chmods directories owned by daemon users (install -d -m on /var/lib/collectd and volumes)"),
            CapabilityGrant(.kill, "the root PID 1 supervisor signals processes running as other users on stop"),
            CapabilityGrant(.setgid, "setgid/setgroups: " + switching),
            CapabilityGrant(.setuid, "setuid: " + switching),
        ]
    }
}
