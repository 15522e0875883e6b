import Foundation
import Testing
@testable import FTServicesCore

/// Offline validation of every manifest, as no cluster can run here: `kubernetes-validate --strict` (PyPI)
/// for Kubernetes' own kinds, against the oldest version the README promises (1.32, the kubectl here) and
/// the newest one kubernetes-validate 1.37.0 bundles; `scripts/validate-metallb.py` for MetalLB's kinds,
/// which kubernetes-validate only warns about. Both the committed `srcs/k8s/` and what setup applies (real
/// address, registry image names) are checked, and each validator is first shown to reject a bad file.
@Suite(.enabled(if: KubernetesValidator.available, KubernetesValidator.skipReason))
struct KubernetesValidationTests {
    static let versions = ["1.32.0", "1.37.0"]
    let stack = Stack(config: .defaults)

    @Test func committedManifestsPassStrictValidation() throws {
        let directory = Golden.repositoryRoot.appendingPathComponent("srcs/k8s")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count == 3 + ServiceName.allCases.count)
        try validate(files.map { directory.appendingPathComponent($0).path })
    }

    @Test func appliedManifestsPassStrictValidation() throws {
        var images: [ServiceName: String] = [:]
        for service in ServiceName.allCases { images[service] = "registry.example:5000/team/\(service.rawValue):0123456789ab" }
        let rendered = try KubernetesManifests.render(stack: stack, values: KubernetesValues(address: "192.0.2.10", images: images))
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for file in rendered {
            let url = directory.appendingPathComponent(URL(fileURLWithPath: file.path).lastPathComponent)
            try file.contents.write(to: url)
            paths.append(url.path)
        }
        try validate(paths)
    }

    /// The validators are not vacuous: an unknown field, a wrong type and a bad address are each rejected.
    @Test func validatorsRejectBadManifests() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let deployment = directory.appendingPathComponent("bad-deployment.yaml")
        let good = try String(contentsOf: Golden.repositoryRoot.appendingPathComponent("srcs/k8s/mysql.yaml"), encoding: .utf8)
        try good.replacingOccurrences(of: "imagePullPolicy: IfNotPresent", with: "imagePullPolicy: IfNotPresent\n        imagePulPolicy: Always")
            .write(to: deployment, atomically: true, encoding: .utf8)
        let strict = try KubernetesValidator.kubernetesValidate(["--strict", "-k", Self.versions.last!, deployment.path])
        #expect(strict.status != 0 && strict.output.contains("imagePulPolicy"), "\(strict.output)")

        let pool = directory.appendingPathComponent("bad-metallb.yaml")
        try """
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: ftservices, namespace: metallb-system}
            spec: {addresses: [192.0.2.300/32], autoAssign: "false"}
            ---
            apiVersion: metallb.io/v1beta1
            kind: L2Advertisement
            metadata: {name: ftservices, namespace: metallb-system}
            spec: {ipAddressPool: [ftservices]}
            """.write(to: pool, atomically: true, encoding: .utf8)
        let metalLB = try KubernetesValidator.metalLB([pool.path])
        #expect(metalLB.status == 1, "\(metalLB.output)")
        for expected in ["192.0.2.300/32", "'false' is not of type 'boolean'", "'ipAddressPool' was unexpected"] {
            #expect(metalLB.output.contains(expected), "missing \(expected) in \(metalLB.output)")
        }
    }

    /// kubernetes-validate passes everything it knows, and says it does not know exactly the MetalLB kinds,
    /// which the MetalLB check then passes.
    func validate(_ paths: [String]) throws {
        let result = try KubernetesValidator.kubernetesValidate(["--strict"] + Self.versions.flatMap { ["-k", $0] } + paths)
        #expect(result.status == 0, "\(result.output)")
        let lines = result.output.split(separator: "\n").map(String.init)
        let passed = lines.filter { $0.hasPrefix("INFO ") && $0.contains(" passed for resource ") }
        // Namespace; PVC, Service, Deployment per service but two without a volume; NetworkPolicies
        // default-deny, dns and one per service.
        let documents = 1 + 3 * ServiceName.allCases.count - 2 + 2 + ServiceName.allCases.count
        #expect(passed.count == Self.versions.count * documents, "\(result.output)")
        for line in lines where !line.hasPrefix("INFO ") {
            let metalLBKind = line.contains("Couldn't find schema for kind IPAddressPool with api version metallb.io/v1beta1")
                || line.contains("Couldn't find schema for kind L2Advertisement with api version metallb.io/v1beta1")
            #expect(line.hasPrefix("WARN ") && metalLBKind, "unexpected: \(line)")
        }
        let metalLB = try KubernetesValidator.metalLB(paths)
        #expect(metalLB.status == 0, "\(metalLB.output)")
        #expect(metalLB.output.split(separator: "\n").filter { $0.hasPrefix("INFO ") }.count == 2, "\(metalLB.output)")
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("k8s-validate-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Finds and runs the validators: `$FTSERVICES_KUBERNETES_VALIDATE`, else the virtual environment
/// `./setup.sh test` makes (`.build/kubernetes-validate`), else `kubernetes-validate` in PATH. The MetalLB
/// check runs with the Python next to it (it imports kubernetes_validate's schemas).
enum KubernetesValidator {
    static let environment = ProcessInfo.processInfo.environment

    static let executable: URL? = {
        if let path = environment["FTSERVICES_KUBERNETES_VALIDATE"] { return URL(fileURLWithPath: path) }
        let venv = Golden.repositoryRoot.appendingPathComponent(".build/kubernetes-validate/bin/kubernetes-validate")
        if FileManager.default.isExecutableFile(atPath: venv.path) { return venv }
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("kubernetes-validate")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()

    /// Missing tools fail the suite in CI (`./setup.sh test` installs them) and skip it elsewhere.
    static var available: Bool { executable != nil || environment["CI"] != nil }

    static var skipReason: Comment {
        "kubernetes-validate is not installed: ./setup.sh test installs it into .build/kubernetes-validate (pip), or pip install kubernetes-validate==1.37.0"
    }

    struct Result {
        var status: Int32
        var output: String
    }

    static func kubernetesValidate(_ arguments: [String]) throws -> Result {
        guard let executable else {
            Issue.record("kubernetes-validate is missing in CI: ./setup.sh test installs it into .build/kubernetes-validate")
            return Result(status: -1, output: "")
        }
        return try run(executable, arguments)
    }

    static func metalLB(_ files: [String]) throws -> Result {
        let sibling = executable?.deletingLastPathComponent().appendingPathComponent("python3")
        let python = sibling.flatMap { FileManager.default.isExecutableFile(atPath: $0.path) ? $0 : nil } ?? URL(fileURLWithPath: "/usr/bin/env")
        let script = Golden.repositoryRoot.appendingPathComponent("scripts/validate-metallb.py").path
        let arguments = python.path == "/usr/bin/env" ? ["python3", script] + files : [script] + files
        return try run(python, arguments)
    }

    static func run(_ executable: URL, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }
}
