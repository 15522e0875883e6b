import Foundation
import Testing
@testable import FTServicesCore

@Suite struct TemplateRendererTests {
    let stack = Stack(config: .defaults)
    var context: TemplateContext { TemplateContext(image: .nginx, stack: stack) }

    @Test func pragmaLineRendersToNothingSoTheShebangIsLineOne() throws {
        let output = try TemplateRenderer.render(
            "{{% CONTENT_TYPE: TEXT}}\n#!/bin/bash\necho {{image}} <{{ports.https}}> & {{users.ssh}}\n",
            displayPath: "templates/nginx/entrypoint", context: context)
        #expect(output == "#!/bin/bash\necho nginx <443> & ftssh\n")
    }

    @Test func missingPragmaIsAnError() {
        #expect(throws: TemplateError.missingPragma(path: "templates/nginx/x")) {
            try TemplateRenderer.render("#!/bin/sh\n", displayPath: "templates/nginx/x", context: context)
        }
    }

    @Test func unknownKeyIsReportedWithItsLine() {
        let text = "{{% CONTENT_TYPE: TEXT}}\nlisten {{ports.https}};\nlisten {{ports.htps}};\n{{foo}}\n"
        #expect(throws: TemplateError.multiple([
            .unknownKey(path: "templates/nginx/nginx.conf", line: 3, key: "ports.htps"),
            .unknownKey(path: "templates/nginx/nginx.conf", line: 4, key: "foo"),
        ])) {
            try TemplateRenderer.render(text, displayPath: "templates/nginx/nginx.conf", context: context)
        }
        let error = TemplateError.unknownKey(path: "templates/x/y", line: 3, key: "foo")
        #expect(error.description.hasPrefix("templates/x/y: line 3: unknown key 'foo'"))
    }

    @Test func sectionsScopeTheirKeys() throws {
        let text = """
            {{% CONTENT_TYPE: TEXT}}
            {{#wordpress.users}}
            {{name}} {{role}} {{email}} {{image}} {{ports.http}}{{^last()}},{{/last()}}
            {{/wordpress.users}}
            {{#ports}}{{https}}{{/ports}}

            """
        let output = try TemplateRenderer.render(text, displayPath: "t", context: context)
        #expect(output == """
            wpadmin administrator wpadmin@ftservices.invalid nginx 80,
            editor editor editor@ftservices.invalid nginx 80,
            author author author@ftservices.invalid nginx 80,
            subscriber subscriber subscriber@ftservices.invalid nginx 80
            443

            """)
        let outside = "{{% CONTENT_TYPE: TEXT}}\n{{#wordpress.users}}{{/wordpress.users}}{{name}}\n"
        #expect(throws: TemplateError.unknownKey(path: "t", line: 2, key: "name")) {
            try TemplateRenderer.render(outside, displayPath: "t", context: context)
        }
    }

    @Test func partialsAndDelimitersAreRejected() {
        let text = "{{% CONTENT_TYPE: TEXT}}\n{{> other}}\n"
        #expect(throws: TemplateError.unsupportedTag(path: "t", line: 2, tag: "> other")) {
            try TemplateRenderer.render(text, displayPath: "t", context: context)
        }
    }

    @Test func syntaxErrorNamesTheLine() {
        let text = "{{% CONTENT_TYPE: TEXT}}\nok\n{{#ports}}\nnever closed\n"
        #expect {
            try TemplateRenderer.render(text, displayPath: "templates/x/y", context: context)
        } throws: { error in
            guard case .syntax(let path, let line, _, _) = error as? TemplateError else { return false }
            return path == "templates/x/y" && line >= 3
        }
    }

    @Test func keyPathsMatchTheDesignDocument() {
        let checker = TemplateKeyChecker(context: context)
        #expect(checker.keyPaths == [
            "image",
            "influxdb.database",
            "monitoring.agentProcess", "monitoring.agentUser", "monitoring.collector", "monitoring.collectorPort",
            "monitoring.datasourceUid", "monitoring.grafanaInstance", "monitoring.host", "monitoring.influxdbInstance",
            "monitoring.interval", "monitoring.mariadbInstance", "monitoring.minimumQueryInterval",
            "monitoring.nginxStatusPath", "monitoring.passivePorts[]", "monitoring.phpFpmInstance",
            "monitoring.phpFpmStatusPath", "monitoring.processes[].name", "monitoring.retention", "monitoring.statusPort",
            "ports.ftps", "ports.grafana", "ports.http", "ports.https", "ports.influxdb", "ports.mysql",
            "ports.passiveMax", "ports.passiveMin", "ports.phpmyadmin", "ports.ssh", "ports.wordpress",
            "users.ftp", "users.grafanaAdmin", "users.influxAdmin", "users.influxGrafana", "users.mysqlAdmin",
            "users.mysqlWordpress", "users.ssh",
            "wordpress.cache.directory", "wordpress.cache.header", "wordpress.cache.lifetimeSeconds", "wordpress.cache.maxSizeMiB",
            "wordpress.database", "wordpress.title",
            "wordpress.users[].email", "wordpress.users[].name", "wordpress.users[].role",
        ])
    }

    @Test func rendersADirectoryCopyingTheExecutableBitAndRejectsUnknownDirectories() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ftservices-templates-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let nginx = root.appendingPathComponent("nginx/conf")
        try FileManager.default.createDirectory(at: nginx, withIntermediateDirectories: true)
        try Data("{{% CONTENT_TYPE: TEXT}}\n#!/bin/sh\nexec nginx\n".utf8).write(to: root.appendingPathComponent("nginx/entrypoint"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root.appendingPathComponent("nginx/entrypoint").path)
        try Data("{{% CONTENT_TYPE: TEXT}}\nlisten {{ports.https}};\n".utf8).write(to: nginx.appendingPathComponent("site.conf"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("stale"), withIntermediateDirectories: true)

        let renderer = TemplateRenderer(templatesDirectory: root, stack: stack)
        #expect(renderer.presentImages() == [.nginx])
        let files = try renderer.render(image: .nginx)
        #expect(files == [
            RenderedFile(path: "nginx/conf/site.conf", contents: Data("listen 443;\n".utf8), isExecutable: false),
            RenderedFile(path: "nginx/entrypoint", contents: Data("#!/bin/sh\nexec nginx\n".utf8), isExecutable: true),
        ])
        #expect {
            try renderer.render()
        } throws: { error in
            let errors = (error as? TemplateError)?.errors ?? []
            return errors.contains(.unknownImageDirectory(path: "templates/stale"))
                && errors.contains(.missingDirectory(
                    path: "templates/runtime", hint: "every image of the model needs its templates (at least a Dockerfile)"))
        }
    }
}
