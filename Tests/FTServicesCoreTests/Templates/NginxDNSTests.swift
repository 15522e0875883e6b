import Foundation
import Testing

/// `srcs/nginx/nginx-dns` (run by the nginx entrypoint): the same image resolves its upstreams on Swarm
/// and on Kubernetes. Runs the rendered script with bash on sample resolv.conf files.
@Suite struct NginxDNSTests {
    func run(_ resolvConf: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("resolv-\(UUID().uuidString).conf")
        try resolvConf.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Golden.repositoryRoot.appendingPathComponent("srcs/nginx/nginx-dns").path, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: output, as: UTF8.self)
    }

    @Test func swarmUsesDockersDNSAndBareNames() throws {
        let output = try run("search example.org\nnameserver 127.0.0.11\noptions ndots:0\n")
        #expect(output.contains("resolver 127.0.0.11 valid=1s ipv6=off;"))
        #expect(output.contains(#"map "" $fts_dns_suffix { default ""; }"#))
    }

    @Test func kubernetesUsesTheClusterDNSAndTheNamespaceSuffix() throws {
        let output = try run("search ftservices.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n")
        #expect(output.contains("resolver 10.96.0.10 valid=1s ipv6=off;"))
        #expect(output.contains(#"map "" $fts_dns_suffix { default ".ftservices.svc.cluster.local"; }"#))
    }

    @Test func oddFilesFallBackToDockersDNS() throws {
        #expect(try run("nameserver fd00::a\n").contains("resolver [fd00::a] valid=1s"))
        let hostile = try run("search evil;}.svc.x\nnameserver 1.2.3.4;include\n")
        #expect(hostile.contains("resolver 127.0.0.11 valid=1s") && hostile.contains(#"default "";"#))
    }
}
