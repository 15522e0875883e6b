import Foundation

extension Stack {
    /// The path every image provides for its healthcheck.
    public static let healthcheckCommand = ["CMD", "/usr/local/bin/healthcheck"]

    /// Secrets per service (docs/DESIGN.md, "Swarm secrets").
    public static func secrets(of service: ServiceName) -> [SecretKey] {
        switch service {
        case .nginx: [.tlsCert, .tlsKey, .sshHostEd25519Key, .sshAuthorizedKeys]
        case .wordpress: [.tlsCert, .tlsKey, .wordpressDbPassword, .wordpressPasswords, .wordpressSalts]
        case .phpmyadmin: [.tlsCert, .tlsKey, .phpmyadminBlowfish]
        case .mysql: [.mysqlRootPassword, .wordpressDbPassword, .mysqlAdminPassword]
        case .ftps: [.tlsCert, .tlsKey, .ftpPassword]
        case .influxdb: [.influxdbAdminPassword, .influxdbGrafanaPassword]
        case .grafana: [.tlsCert, .tlsKey, .grafanaAdminPassword, .influxdbGrafanaPassword, .grafanaMetricsPassword]
        }
    }

    static func service(_ name: ServiceName, config: StackConfig) -> StackService {
        let ports = config.ports
        let published: [ServicePort]
        var internalOnlyPorts: [ServicePort] = []
        var volumes: [VolumeMount] = []
        var environment: [String] = []
        var processes: [String]
        switch name {
        case .nginx:
            published = [ServicePort(ports.http, .http), ServicePort(ports.https, .https), ServicePort(ports.ssh, .ssh)]
            processes = ["nginx", "sshd"]
        case .wordpress:
            published = [ServicePort(ports.wordpress, .https)]
            volumes = [VolumeMount(name: "wordpress_uploads", path: "/var/lib/wordpress/wp-content/uploads")]
            processes = ["php-fpm8.2", "nginx"]
        case .phpmyadmin:
            published = [ServicePort(ports.phpmyadmin, .https)]
            processes = ["php-fpm8.2", "nginx"]
        case .mysql:
            published = []
            internalOnlyPorts = [ServicePort(ports.mysql, .mysql)]
            volumes = [VolumeMount(name: "mysql_data", path: "/var/lib/mysql")]
            processes = ["mariadbd"]
        case .ftps:
            published = [ServicePort(ports.ftps, .ftpsControl)] + ports.passive.map { ServicePort($0, .ftpsPassive) }
            volumes = [VolumeMount(name: "ftps_data", path: "/home/\(config.users.ftp)")]
            environment = ["FTS_ADDRESS"]
            processes = ["vsftpd"]
        case .influxdb:
            published = []
            internalOnlyPorts = [
                ServicePort(ports.influxdb, .influxdb),
                ServicePort(Monitoring.collectorPort, .collectd, transport: .udp),
            ]
            volumes = [VolumeMount(name: "influxdb_data", path: "/var/lib/influxdb")]
            processes = ["influxd"]
        case .grafana:
            published = [ServicePort(ports.grafana, .https)]
            volumes = [VolumeMount(name: "grafana_data", path: "/var/lib/grafana")]
            processes = ["grafana"]
        }
        // Every image also runs the metrics agent under the same supervisor.
        processes.append(Monitoring.agentProcess)
        let slowStart: Set<ServiceName> = [.mysql, .wordpress, .grafana]
        // The databases are reached by name from inside the stack only, and their name resolves once Swarm
        // counts the new task running, which waits for its first passing probe; Docker runs that probe one
        // interval after the start (20.10 has no start_interval). At 3 s the databases answered ~3 s after
        // they were ready (docs/BENCHMARKS.md, "Where a database's restart goes"): they are probed every second,
        // with more retries, so a slow moment is not taken for a failure sooner than before.
        let probedEverySecond = [ServiceName.mysql, .influxdb].contains(name)
        return StackService(
            name: name,
            image: name.image,
            publishedPorts: published,
            internalPorts: internalOnlyPorts,
            volumes: volumes,
            secrets: secrets(of: name),
            deployEnvironment: environment,
            healthcheck: Healthcheck(
                test: healthcheckCommand, interval: .seconds(probedEverySecond ? 1 : 3), timeout: .seconds(2),
                retries: probedEverySecond ? 5 : 3,
                startPeriod: .seconds(slowStart.contains(name) ? 60 : 30)),
            restartPolicy: RestartPolicy(condition: .any, delay: .zero),
            stopGracePeriod: .seconds(10),
            processes: processes,
            privileges: privileges(of: name)
        )
    }
}
