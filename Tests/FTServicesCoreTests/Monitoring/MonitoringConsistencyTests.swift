import Foundation
import Testing
@testable import FTServicesCore

/// The dashboards' queries and the agents' rendered configs name the same things: each service's agent
/// has its Hostname, a Process match per process, loads the plugin of each of its sources, and (for
/// curl/curl_json, whose names are chosen in the config) declares every instance and type the queries read.
@Suite struct MonitoringConsistencyTests {
    let stack = Stack(config: .defaults)

    /// The agent config of `service`: runtime's collectd.conf plus the image's (and webphp's) include files.
    func agentConfig(_ service: ServiceName) throws -> String {
        let renderer = TemplateRenderer(templatesDirectory: Golden.templatesDirectory, stack: stack)
        let images = [service.image] + stack.ancestors(of: service.image)
        return try images.flatMap { try renderer.render(image: $0) }
            .filter { $0.path.hasSuffix("collectd.conf") || $0.path.contains("/collectd-") }
            .map(\.text).joined(separator: "\n")
    }

    @Test(arguments: ServiceName.allCases)
    func agentConfigFeedsEveryPanel(service: ServiceName) throws {
        let config = try agentConfig(service)
        let monitoring = try #require(Monitoring(stack: stack).service(service.rawValue))
        #expect(config.contains("Hostname \"\(service.rawValue)\""))
        #expect(config.contains("<Server \"influxdb\" \"\(Monitoring.collectorPort)\">"))
        #expect(config.contains("Interval \(Monitoring.interval)\n"))
        for process in monitoring.processes { #expect(config.contains("Process \"\(process)\""), "no Process match for \(process)") }
        for source in monitoring.sources {
            #expect(config.contains("LoadPlugin \(source.plugin)\n"), "\(service): \(source.plugin) is not loaded")
            guard ["curl", "curl_json"].contains(source.plugin) else { continue }
            for panel in source.panels(host: service.rawValue) {
                for target in panel.targets {
                    // How the config names each tag: the plugin instance is a URL's `Instance` or a curl
                    // `<Page>`, the type a Key's/Match's `Type`, the type instance its `Instance`.
                    let spellings = ["instance": ["Instance \"%@\"", "<Page \"%@\">"], "type": ["Type \"%@\""], "type_instance": ["Instance \"%@\""]]
                    for (tag, forms) in spellings {
                        guard let value = Self.tagValue(tag, in: target.query) else { continue }
                        #expect(forms.contains { config.contains($0.replacingOccurrences(of: "%@", with: value)) },
                                "\(service) panel \(panel.title): \(tag) '\(value)' is not declared in the agent config")
                    }
                }
            }
        }
    }

    /// The value of `"tag" = 'value'` in a query.
    static func tagValue(_ tag: String, in query: String) -> String? {
        guard let range = query.range(of: "\"\(tag)\" = '") else { return nil }
        return String(query[range.upperBound...].prefix { $0 != "'" })
    }

    @Test func influxdbListensForTheAgentsInTheDatabaseGrafanaReads() throws {
        let files = try TemplateRenderer(templatesDirectory: Golden.templatesDirectory, stack: stack).render(image: .influxdb)
        let conf = try #require(files.first { $0.path == "influxdb/influxdb.conf" }).text
        let section = try #require(conf.components(separatedBy: "[[collectd]]").dropFirst().first?.components(separatedBy: "[[graphite]]").first)
        #expect(section.contains("enabled = true"))
        #expect(section.contains("bind-address = \":\(Monitoring.collectorPort)\""))
        #expect(section.contains("database = \"\(stack.config.influxdbDatabase)\""))
        #expect(section.contains("typesdb = \"/usr/share/collectd/types.db\""))
        #expect(section.contains("parse-multivalue-plugin = \"join\""))
    }
}
