import Foundation
import Testing
@testable import FTServicesCore

@Suite struct StackTests {
    let stack = Stack(config: .defaults)

    @Test func imagesAndParents() {
        #expect(stack.images.map(\.name) == ImageName.allCases)
        #expect(stack.image(.runtime).parent == nil)
        #expect(stack.image(.runtime).fromReference == "ftservices/base:bookworm")
        #expect(stack.image(.webphp).parent == .runtime)
        #expect(stack.image(.wordpress).parent == .webphp)
        #expect(stack.image(.phpmyadmin).parent == .webphp)
        #expect(stack.image(.grafana).fromReference == "ftservices/runtime:local")
        #expect(stack.image(.nginx).localTag == "ftservices/nginx:local")
        #expect(stack.image(.nginx).tag(hash: "abc") == "ftservices/nginx:abc")
        #expect(stack.ancestors(of: .wordpress) == [.webphp, .runtime])
        // Parents come before children.
        for image in stack.images {
            if let parent = image.parent {
                #expect(stack.images.firstIndex { $0.name == parent }! < stack.images.firstIndex { $0.name == image.name }!)
            }
        }
    }

    @Test func servicesArethe7ServiceImages() {
        #expect(stack.services.map(\.name.rawValue) == ["nginx", "wordpress", "phpmyadmin", "mysql", "ftps", "influxdb", "grafana"])
        #expect(stack.services.allSatisfy { $0.image.rawValue == $0.name.rawValue })
    }

    @Test func publishedPorts() {
        #expect(stack.service(.nginx).publishedPorts == [ServicePort(80, .http), ServicePort(443, .https), ServicePort(2222, .ssh)])
        #expect(stack.service(.wordpress).publishedPorts == [ServicePort(5050, .https)])
        #expect(stack.service(.phpmyadmin).publishedPorts == [ServicePort(5000, .https)])
        #expect(stack.service(.grafana).publishedPorts == [ServicePort(3000, .https)])
        #expect(stack.service(.ftps).publishedPorts.map(\.number) == [21, 21000, 21001, 21002, 21003, 21004])
        #expect(stack.service(.ftps).publishedPorts.first?.purpose == .ftpsControl)
        #expect(stack.service(.mysql).internalOnly)
        #expect(stack.service(.influxdb).internalOnly)
        #expect(stack.service(.mysql).internalPorts == [ServicePort(3306, .mysql)])
        #expect(stack.service(.influxdb).internalPorts == [
            ServicePort(8086, .influxdb), ServicePort(25826, .collectd, transport: .udp),
        ])
        #expect(stack.services.filter(\.internalOnly).map(\.name) == [.mysql, .influxdb])
    }

    @Test func volumes() {
        #expect(stack.volumes == [
            VolumeMount(name: "wordpress_uploads", path: "/var/lib/wordpress/wp-content/uploads"),
            VolumeMount(name: "mysql_data", path: "/var/lib/mysql"),
            VolumeMount(name: "ftps_data", path: "/home/ftpuser"),
            VolumeMount(name: "influxdb_data", path: "/var/lib/influxdb"),
            VolumeMount(name: "grafana_data", path: "/var/lib/grafana"),
        ])
        var config = StackConfig.defaults
        config.users.ftp = "files"
        #expect(Stack(config: config).service(.ftps).volumes == [VolumeMount(name: "ftps_data", path: "/home/files")])
    }

    @Test func secretsPerServiceFollowTheDesignTable() {
        let table: [ServiceName: [String]] = [
            .nginx: ["tls_cert", "tls_key", "ssh_host_ed25519_key", "ssh_authorized_keys"],
            .wordpress: ["tls_cert", "tls_key", "wordpress_db_password", "wordpress_passwords", "wordpress_salts"],
            .phpmyadmin: ["tls_cert", "tls_key", "phpmyadmin_blowfish"],
            .mysql: ["mysql_root_password", "wordpress_db_password", "mysql_admin_password"],
            .ftps: ["tls_cert", "tls_key", "ftp_password"],
            .influxdb: ["influxdb_admin_password", "influxdb_grafana_password"],
            .grafana: ["tls_cert", "tls_key", "grafana_admin_password", "influxdb_grafana_password", "grafana_metrics_password"],
        ]
        for service in stack.services {
            #expect(service.secrets.map(\.rawValue) == table[service.name])
        }
        #expect(Set(stack.secretKeys) == Set(SecretKey.allCases))
    }

    @Test func secretGeneration() {
        #expect(SecretKey.tlsCert.generation == .tlsCertificateChain)
        #expect(SecretKey.tlsKey.generation == .tlsPrivateKey)
        #expect(SecretKey.phpmyadminBlowfish.generation == .blowfishSecret(length: 32))
        #expect(SecretKey.wordpressPasswords.generation == .wordpressPasswordLines(passwordLength: 24))
        #expect(SecretKey.mysqlRootPassword.generation == .password(length: 24))
        #expect(SecretKey.grafanaMetricsPassword.generation == .password(length: 24))
        // WordPress's keys and salts have their own random root, not derived from a password.
        #expect(SecretKey.wordpressSalts.generation == .password(length: 64))
        #expect(SecretKey.wordpressPasswordsContent([("a", "x"), ("b", "y")]) == "a\tx\nb\ty\n")
    }

    @Test func healthRestartAndProcesses() {
        for service in stack.services {
            #expect(service.healthcheck.test == ["CMD", "/usr/local/bin/healthcheck"])
            // The databases, reached by name only once their task counts as running (first passing probe),
            // are probed every second; the rest every 3 s.
            let everySecond = [ServiceName.mysql, .influxdb].contains(service.name)
            #expect(service.healthcheck.interval == .seconds(everySecond ? 1 : 3), "\(service.name)")
            #expect(service.healthcheck.timeout == .seconds(2))
            #expect(service.healthcheck.retries == (everySecond ? 5 : 3), "\(service.name)")
            #expect(service.restartPolicy == RestartPolicy(condition: .any, delay: .zero))
            #expect(service.stopGracePeriod == .seconds(10))
        }
        #expect(stack.services.filter { $0.healthcheck.startPeriod == .seconds(60) }.map(\.name) == [.wordpress, .mysql, .grafana])
        #expect(stack.services.map(\.processes) == [
            ["nginx", "sshd", "collectd"], ["php-fpm8.2", "nginx", "collectd"], ["php-fpm8.2", "nginx", "collectd"],
            ["mariadbd", "collectd"], ["vsftpd", "collectd"], ["influxd", "collectd"], ["grafana", "collectd"],
        ])
        #expect(stack.services.filter { !$0.deployEnvironment.isEmpty }.map(\.name) == [.ftps])
        #expect(stack.service(.ftps).deployEnvironment == ["FTS_ADDRESS"])
    }

    @Test func templateContextCarriesTheConfiguration() {
        var config = StackConfig.defaults
        config.ports.passive = 30000...30002
        let context = TemplateContext(image: .ftps, stack: Stack(config: config))
        #expect(context.image == "ftps")
        #expect(context.ports.passiveMin == 30000)
        #expect(context.ports.passiveMax == 30002)
        #expect(context.users.mysqlWordpress == "wordpress")
        #expect(context.users.influxGrafana == "grafana")
        #expect(context.wordpress.users.first?.role == "administrator")
        #expect(context.influxdb.database == "ftservices")
    }
}
