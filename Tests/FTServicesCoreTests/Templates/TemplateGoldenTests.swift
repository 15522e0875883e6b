import Foundation
import Testing
@testable import FTServicesCore

/// Renders whatever `templates/` holds with the default configuration and compares every file with
/// the committed `srcs/<path>` (see `Golden`); modes are compared through `Golden/srcs.modes`.
@Suite struct TemplateGoldenTests {
    let stack = Stack(config: .defaults)
    var renderer: TemplateRenderer { TemplateRenderer(templatesDirectory: Golden.templatesDirectory, stack: stack) }

    func renderPresent() throws -> [RenderedFile] {
        try renderer.presentImages().flatMap { try renderer.render(image: $0) } + dashboards()
    }

    /// Grafana's dashboards, rendered from the model in Swift (not from templates).
    func dashboards() throws -> [RenderedFile] { try DashboardRenderer.render(Monitoring(stack: stack)) }

    @Test func dashboardsMatchGolden() throws {
        let files = try dashboards()
        #expect(files.count == stack.services.count + 1)
        for file in files {
            Golden.check(file.contents, path: "srcs/\(file.path)")
        }
    }

    @Test(arguments: ImageName.allCases)
    func templatesMatchGolden(image: ImageName) throws {
        // Every image's template directory is committed: one that is missing is a failure, not a pass.
        try #require(renderer.presentImages().contains(image), "templates/\(stack.image(image).templateDirectory) is missing")
        let files = try renderer.render(image: image)
        #expect(!files.isEmpty)
        for file in files {
            Golden.check(file.contents, path: "srcs/\(file.path)")
        }
    }

    @Test func modesMatchGolden() throws {
        let files = try renderPresent()
        let manifest = files.map { "\(String($0.mode, radix: 8)) \($0.path)\n" }.joined()
        Golden.check(Data(manifest.utf8), path: "srcs.modes")
    }

    @Test func noStaleGoldenFiles() throws {
        let rendered = Set(try renderPresent().map(\.path) + [StackFile.path] + KubernetesManifests.render(stack: stack).map(\.path))
        for golden in Golden.files(under: "srcs") where !rendered.contains(golden) {
            if Golden.isRecording {
                Golden.remove("srcs/\(golden)")
            } else {
                Issue.record("srcs/\(golden) is rendered by nothing; run `ftservices render` (or record with FTSERVICES_RECORD=1) to remove it")
            }
        }
    }

    @Test func everyImageHasADockerfileAndExecutablesStartWithAShebang() throws {
        for image in renderer.presentImages() {
            let files = try renderer.render(image: image)
            #expect(files.contains { $0.path == "\(image.rawValue)/Dockerfile" }, "\(image.rawValue) has no Dockerfile")
            for file in files where file.isExecutable {
                #expect(file.text.hasPrefix("#!"), "\(file.path) is executable but line 1 is not a shebang")
            }
            for file in files {
                #expect(!file.text.hasPrefix("\n"), "\(file.path) starts with an empty line (pragma left a newline)")
                #expect(!file.text.contains("{{"), "\(file.path) still contains {{ after rendering")
            }
        }
    }

    @Test func everyKeyTheTemplatesUseExists() throws {
        for image in renderer.presentImages() {
            let checker = TemplateKeyChecker(context: TemplateContext(image: image, stack: stack))
            let directory = Golden.templatesDirectory.appendingPathComponent(image.rawValue)
            for relative in TemplateRenderer.regularFiles(under: directory) {
                let text = try String(contentsOf: directory.appendingPathComponent(relative), encoding: .utf8)
                let problems = checker.check(text, path: "templates/\(image.rawValue)/\(relative)")
                #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
            }
        }
    }

    /// Nothing rendered may carry a credential: secrets exist only at deploy time, as /run/secrets files.
    @Test func renderedFilesContainNoSecretLookingValues() throws {
        let files = try renderPresent() + [try StackFile.render(stack: stack)] + KubernetesManifests.render(stack: stack)
        for file in files {
            for (index, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let location = "\(file.path):\(index + 1): \(line)"
                #expect(!line.contains("-----BEGIN"), "PEM block in \(location)")
                #expect(SecretScanner.literalCredential(in: String(line)) == nil, "literal credential in \(location)")
            }
        }
    }

    @Test func completeTemplatesRenderTogether() throws {
        let missing = ImageName.allCases.filter { !renderer.presentImages().contains($0) }
        try #require(missing.isEmpty, "templates/ lacks the template directory of \(missing)")
        let files = try SourceTree.render(stack: stack, templatesDirectory: Golden.templatesDirectory)
        #expect(files.contains { $0.path == "stack.yml" } && files.last?.path.hasPrefix("k8s/") == true)
        let hashes = ImageHash.computeAll(stack: stack, files: files)
        #expect(hashes.count == ImageName.allCases.count)
    }
}

/// A heuristic for `password = literal` style assignments (values that are not a variable, a file
/// path, a command substitution or a template key).
enum SecretScanner {
    static func literalCredential(in line: String) -> String? {
        let lower = line.lowercased()
        for word in ["password", "passwd", "secret", "token", "api_key", "apikey"] {
            var searchStart = lower.startIndex
            while let range = lower.range(of: word, range: searchStart..<lower.endIndex) {
                searchStart = range.upperBound
                var rest = lower[range.upperBound...].drop { $0.isLetter || $0 == "_" }
                rest = rest.drop { $0 == " " || $0 == "\t" }
                guard let sign = rest.first, sign == "=" || sign == ":" else { continue }
                var value = rest.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "'" }
                value = value.prefix { !$0.isWhitespace && $0 != "\"" && $0 != "'" && $0 != ";" && $0 != "," }
                guard value.count >= 8 else { continue }
                if let first = value.first, "$/{%<(`".contains(first) { continue }
                if value.contains("(") { continue }  // a function call, e.g. file_get_contents(...)
                if value.allSatisfy({ $0.isLetter || $0 == "_" || $0 == "-" || $0 == "." }) { continue }
                return String(value)
            }
        }
        return nil
    }
}
