import Foundation
import Testing
@testable import FTServicesCore

@Suite struct SourceTreeTests {
    @Test func diffSortsFilesIntoWriteUnchangedAndStale() {
        let rendered = [
            RenderedFile(path: "nginx/Dockerfile", contents: Data("new\n".utf8)),
            RenderedFile(path: "nginx/entrypoint", contents: Data("same\n".utf8), isExecutable: true),
            RenderedFile(path: "stack.yml", contents: Data("x\n".utf8)),
        ]
        let current = [
            "nginx/Dockerfile": Data("old\n".utf8),
            "nginx/entrypoint": Data("same\n".utf8),
            "nginx/removed.conf": Data("gone\n".utf8),
        ]
        let diff = SourceTree.diff(rendered: rendered, current: current)
        #expect(diff.toWrite.map(\.path) == ["nginx/Dockerfile", "stack.yml"])
        #expect(diff.unchanged == ["nginx/entrypoint"])
        #expect(diff.stale == ["nginx/removed.conf"])
        #expect(!diff.isClean)
        let clean = SourceTree.diff(rendered: rendered, current: Dictionary(uniqueKeysWithValues: rendered.map { ($0.path, $0.contents) }))
        #expect(clean.isClean)
        #expect(clean.unchanged.count == 3)
    }

    @Test func grafanaDebBecomesAFileOfTheGrafanaContext() throws {
        let deb = FileManager.default.temporaryDirectory.appendingPathComponent("grafana_test_\(UUID().uuidString).deb")
        try Data([0x21, 0x3c, 0x61]).write(to: deb)
        defer { try? FileManager.default.removeItem(at: deb) }
        let file = try SourceTree.grafanaPackage(at: deb.path)
        #expect(file.path == "grafana/packages/\(deb.lastPathComponent)")
        #expect(file.contents == Data([0x21, 0x3c, 0x61]))
        #expect(throws: TemplateError.self) { try SourceTree.grafanaPackage(at: "/nonexistent/grafana.deb") }
    }

    @Test func renderedFileBasics() {
        let file = RenderedFile(path: "nginx/conf/site.conf", contents: Data("x".utf8), isExecutable: true)
        #expect(file.mode == 0o755)
        #expect(file.imageDirectory == "nginx")
        #expect(RenderedFile(path: "stack.yml", contents: Data()).imageDirectory == nil)
        #expect(RenderedFile(path: "stack.yml", contents: Data()).mode == 0o644)
    }
}
