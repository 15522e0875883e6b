import Foundation

/// A service's own figures and the collectd plugin that reads them. InfluxDB's listener runs with
/// `parse-multivalue-plugin = "join"`: the measurement is the plugin's name, the collectd identifier
/// becomes the tags `host`, `instance` (plugin instance), `type` and `type_instance`, and the fields are
/// the type's data sources (`value`, or e.g. `user`/`syst`). The names below must match the agent
/// configs under `templates/` (checked by `MonitoringConsistencyTests`).
public enum MetricSource: Sendable, Equatable {
    /// nginx `stub_status` on the loopback status port (collectd `nginx` plugin).
    case nginx
    /// php-fpm's pool status page as JSON, through nginx on the loopback status port (`curl_json`).
    case phpFpm
    /// MariaDB `SHOW GLOBAL STATUS` over the Unix socket as the `unix_socket` account (`mysql` plugin).
    case mariadb
    /// Established TCP connections on vsftpd's control port (one per FTP session) and its passive data
    /// ports (transfers and listings) from the kernel's table (`tcpconns` plugin).
    case ftpConnections(control: Int, passive: [Int])
    /// InfluxDB's own counters from `/debug/vars` (`curl_json`).
    case influxdb(httpPort: Int, collectdPort: Int)
    /// Grafana's Prometheus `/metrics`, matched with regular expressions (`curl` plugin).
    case grafana

    /// The collectd plugin instance of `curl_json`/`curl` sources (their `Instance`/`Page` name).
    public static let phpFpmInstance = "php-fpm"
    public static let influxdbInstance = "influxdb"
    public static let grafanaInstance = "grafana"
    /// The `Database` block name of the mysql plugin (its plugin instance).
    public static let mariadbInstance = "mariadb"

    /// The collectd plugin (and so the InfluxDB measurement) this source reports through.
    public var plugin: String {
        switch self {
        case .nginx: "nginx"
        case .phpFpm, .influxdb: "curl_json"
        case .mariadb: "mysql"
        case .ftpConnections: "tcpconns"
        case .grafana: "curl"
        }
    }

    /// The panels showing this source's figures for `host`.
    func panels(host: String) -> [MetricPanel] {
        let rate = "non_negative_derivative(last(\"value\"), 1s)"
        func query(_ select: String, _ tags: [String: String], extra: [String] = [], by: [String] = []) -> String {
            "SELECT \(select) FROM \(InfluxQL.identifier(plugin)) WHERE "
                + InfluxQL.filter(host: host, tags, extra: extra) + " GROUP BY "
                + (["time($__interval)"] + by.map(InfluxQL.identifier)).joined(separator: ", ") + " fill(none)"
        }
        switch self {
        case .nginx:
            return [
                MetricPanel("nginx requests", unit: "reqps", host: host, alias: "requests/s",
                            query(rate, ["type": "nginx_requests"])),
                MetricPanel("nginx connections", unit: "short", host: host, alias: "$tag_type_instance",
                            query("last(\"value\")", ["type": "nginx_connections"], by: ["type_instance"])),
            ]
        case .phpFpm:
            let instance = Self.phpFpmInstance
            return [
                MetricPanel("php-fpm accepted requests", unit: "reqps", host: host, alias: "requests/s",
                            query(rate, ["instance": instance, "type": "total_requests"])),
                MetricPanel("php-fpm pool processes", unit: "short", host: host, alias: "$tag_type_instance",
                            query("last(\"value\")", ["instance": instance, "type": "count"], by: ["type_instance"])),
            ]
        case .mariadb:
            let instance = Self.mariadbInstance
            return [
                MetricPanel("MariaDB statements by command", unit: "ops", host: host, alias: "$tag_type_instance",
                            query(rate, ["instance": instance, "type": "mysql_commands"], by: ["type_instance"])),
                MetricPanel("MariaDB connections (threads)", unit: "short", host: host, alias: "$tag_type_instance",
                            query("last(\"value\")", ["instance": instance, "type": "threads"], by: ["type_instance"])),
            ]
        case .ftpConnections(let control, _):
            let established = ["type": "tcp_connections", "type_instance": "ESTABLISHED"]
            return [
                MetricPanel("FTP sessions (control connections)", unit: "short", host: host, alias: "sessions",
                            query("last(\"value\")", established.merging(["instance": "\(control)-local"]) { $1 })),
                MetricPanel("FTP data connections (passive ports)", unit: "short", host: host, alias: "$tag_instance",
                            query("last(\"value\")", established,
                                  extra: ["\"instance\" != \(InfluxQL.literal("\(control)-local"))"], by: ["instance"])),
            ]
        case .influxdb:
            let instance = Self.influxdbInstance
            return [
                MetricPanel("InfluxDB points written", unit: "short", host: host, alias: "$tag_type_instance",
                            query(rate, ["instance": instance, "type": "total_values"], by: ["type_instance"])),
                MetricPanel("InfluxDB HTTP requests", unit: "reqps", host: host, alias: "$tag_type_instance",
                            query(rate, ["instance": instance, "type": "total_requests"], by: ["type_instance"])),
                MetricPanel("InfluxDB write errors", unit: "short", host: host, alias: "errors/s",
                            query(rate, ["instance": instance, "type": "derive", "type_instance": "write_errors"])),
            ]
        case .grafana:
            let instance = Self.grafanaInstance
            return [
                MetricPanel("Grafana HTTP requests", unit: "reqps", host: host, alias: "requests/s",
                            query(rate, ["instance": instance, "type": "gauge", "type_instance": "http_requests"])),
                MetricPanel("Grafana goroutines", unit: "short", host: host, alias: "goroutines",
                            query("last(\"value\")", ["instance": instance, "type": "gauge", "type_instance": "goroutines"])),
                MetricPanel("Grafana Go heap", unit: "bytes", host: host, alias: "heap in use",
                            query("last(\"value\")", ["instance": instance, "type": "bytes", "type_instance": "heap"])),
            ]
        }
    }
}
