import Foundation
import Testing
import Yams
@testable import FTServicesCore

/// `srcs/k8s/` against its golden files (the committed tree) and the rules the renderer promises.
@Suite struct KubernetesManifestsTests {
    let stack = Stack(config: .defaults)

    @Test func manifestsMatchGolden() throws {
        let files = try KubernetesManifests.render(stack: stack)
        #expect(files.map(\.path) == ["k8s/00-namespace.yaml", "k8s/01-metallb.yaml", "k8s/02-network-policy.yaml"] + ServiceName.allCases.map { "k8s/\($0.rawValue).yaml" })
        for file in files {
            Golden.check(file.contents, path: "srcs/\(file.path)")
        }
    }

    /// What setup applies is `srcs/k8s/` with exactly two substitutions, so the committed files are what runs.
    @Test func applyTimeValuesOnlyReplaceTheAddressAndTheImages() throws {
        var images: [ServiceName: String] = [:]
        for service in ServiceName.allCases { images[service] = "registry.example:5000/team/\(service.rawValue):0123456789ab" }
        let applied = try KubernetesManifests.render(stack: stack, values: KubernetesValues(address: "192.0.2.10", images: images))
        let placeholders = try KubernetesManifests.render(stack: stack)
        #expect(applied.map(\.path) == placeholders.map(\.path))
        // The header comment (which names the placeholders) is the same; the YAML differs by the values only.
        func yaml(_ file: RenderedFile) -> String {
            file.text.split(separator: "\n", omittingEmptySubsequences: false).drop { $0.hasPrefix("#") }.joined(separator: "\n")
        }
        for (file, template) in zip(applied, placeholders) {
            #expect(file.text.hasPrefix(KubernetesManifests.header) && template.text.hasPrefix(KubernetesManifests.header))
            var expected = yaml(template).replacingOccurrences(of: "${FTS_ADDRESS}", with: "192.0.2.10")
            for service in ServiceName.allCases {
                expected = expected.replacingOccurrences(of: "image: ftservices/\(service.rawValue):local", with: "image: \(images[service]!)")
            }
            #expect(yaml(file) == expected, "\(file.path)")
            #expect(!yaml(file).contains("${") && !yaml(file).contains(":local"), "\(file.path)")
        }
    }

    @Test func subsetLeavesOutTheServiceButKeepsNamespaceAndMetalLB() throws {
        let services = ServiceName.allCases.filter { $0 != .grafana }
        let paths = try KubernetesManifests.render(stack: stack, services: services).map(\.path)
        #expect(!paths.contains("k8s/grafana.yaml"))
        #expect(paths.contains("k8s/00-namespace.yaml") && paths.contains("k8s/01-metallb.yaml"))
    }

    @Test func everyLoadBalancerSharesOneAddressAndInternalServicesAreClusterIP() throws {
        let documents = try Self.documents(KubernetesManifests.render(stack: stack, values: KubernetesValues(address: "192.0.2.10")))
        let services = documents.filter { $0["kind"] as? String == "Service" }
        #expect(services.count == ServiceName.allCases.count)
        for service in services {
            let name = (service["metadata"] as? [String: Any])?["name"] as? String ?? ""
            let spec = service["spec"] as? [String: Any] ?? [:]
            let annotations = (service["metadata"] as? [String: Any])?["annotations"] as? [String: String]
            if stack.service(ServiceName(rawValue: name)!).internalOnly {
                #expect(spec["type"] as? String == "ClusterIP", "\(name)")
                #expect(spec["loadBalancerIP"] == nil && annotations == nil, "\(name)")
            } else {
                #expect(spec["type"] as? String == "LoadBalancer", "\(name)")
                #expect(spec["loadBalancerIP"] as? String == "192.0.2.10", "\(name)")
                #expect(spec["externalTrafficPolicy"] as? String == "Cluster", "\(name): MetalLB shares an IP between different selectors only with Cluster")
                #expect(annotations == ["metallb.io/allow-shared-ip": "ftservices"], "\(name)")
            }
        }
        let pool = try #require(documents.first { $0["kind"] as? String == "IPAddressPool" })
        #expect((pool["spec"] as? [String: Any])?["addresses"] as? [String] == ["192.0.2.10/32"])
        #expect((pool["spec"] as? [String: Any])?["autoAssign"] as? Bool == false)
        let advertisement = try #require(documents.first { $0["kind"] as? String == "L2Advertisement" })
        #expect((advertisement["spec"] as? [String: Any])?["ipAddressPools"] as? [String] == ["ftservices"])
    }

    @Test func namesAreValidKubernetesNames() {
        let dns1123 = /[a-z0-9]([-a-z0-9]*[a-z0-9])?/
        for key in SecretKey.allCases {
            #expect(KubernetesManifests.secretName(key).wholeMatch(of: dns1123) != nil, "\(key)")
        }
        for volume in stack.volumes {
            #expect(KubernetesManifests.claimName(volume).wholeMatch(of: dns1123) != nil, "\(volume.name)")
        }
        // Port names: IANA_SVC_NAME, at most 15 characters, unique per pod.
        let ianaName = /[a-z0-9]+(-[a-z0-9]+)*/
        for service in stack.services {
            let names = (service.publishedPorts + service.internalPorts).map(KubernetesManifests.portName)
            #expect(Set(names).count == names.count, "\(service.name)")
            for name in names {
                #expect(name.count <= 15 && name.wholeMatch(of: ianaName) != nil && name.contains(where: \.isLetter), "\(name)")
            }
        }
    }

    @Test func probesCoverTheStartPeriodThenTheRetries() {
        let mysql = KubernetesManifests.probes(stack.service(.mysql).healthcheck)
        #expect(mysql.startup.exec.command == ["/usr/local/bin/healthcheck"])
        #expect(mysql.startup.periodSeconds == 1 && mysql.startup.timeoutSeconds == 2)
        #expect(mysql.startup.failureThreshold == 60 / 1 + 5)
        #expect(mysql.liveness.failureThreshold == 5 && mysql.readiness.failureThreshold == 5)
        let nginx = KubernetesManifests.probes(stack.service(.nginx).healthcheck)
        #expect(nginx.startup.failureThreshold == 30 / 3 + 3)
        #expect(KubernetesManifests.probeCommand(["CMD-SHELL", "test -e /x"]) == ["/bin/sh", "-c", "test -e /x"])
    }

    @Test func noSecretIsRendered() throws {
        let documents = try Self.documents(KubernetesManifests.render(stack: stack))
        #expect(!documents.contains { $0["kind"] as? String == "Secret" })
    }

    /// Every YAML document of `files`, as loaded by Yams.
    static func documents(_ files: [RenderedFile]) throws -> [[String: Any]] {
        try files.flatMap { file in try Yams.load_all(yaml: file.text).compactMap { $0 as? [String: Any] } }
    }
}
