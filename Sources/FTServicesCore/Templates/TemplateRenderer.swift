import Foundation
import Mustache

/// Renders `templates/<image>/**` into ``RenderedFile``s under `srcs/<image>/`, one image at a time,
/// with the typed ``TemplateContext``. Reads the templates directory; writes nothing.
public struct TemplateRenderer: Sendable {
    /// The first line every template must have: swift-mustache would HTML-escape values otherwise.
    /// swift-mustache treats it as a standalone tag, so the line (with its newline) renders to nothing.
    public static let pragma = "{{% CONTENT_TYPE: TEXT}}"

    public let templatesDirectory: URL
    public let stack: Stack
    /// How `templates/` is named in messages.
    public var displayName = "templates"

    public init(templatesDirectory: URL, stack: Stack) {
        self.templatesDirectory = templatesDirectory
        self.stack = stack
    }

    /// Renders every image of the model; fails on a missing image directory, an unknown one, or any template error.
    /// All errors are collected and thrown together.
    public func render() throws(TemplateError) -> [RenderedFile] {
        var errors: [TemplateError] = []
        var files: [RenderedFile] = []
        let known = Set(stack.images.map(\.templateDirectory))
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: templatesDirectory.path)) ?? [] {
            var isDirectory: ObjCBool = false
            let url = templatesDirectory.appendingPathComponent(entry)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue,
                !known.contains(entry)
            {
                errors.append(.unknownImageDirectory(path: "\(displayName)/\(entry)"))
            }
        }
        for image in stack.images {
            do {
                files += try render(image: image.name)
            } catch {
                errors += error.errors
            }
        }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw .multiple(errors) }
        return files
    }

    /// The image names that have a directory under the templates directory (for partial renders while
    /// templates are being written).
    public func presentImages() -> [ImageName] {
        stack.images.filter { image in
            var isDirectory: ObjCBool = false
            let path = templatesDirectory.appendingPathComponent(image.templateDirectory).path
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        }.map(\.name)
    }

    /// Renders every file of one image's template directory, sorted by path.
    public func render(image name: ImageName) throws(TemplateError) -> [RenderedFile] {
        let image = stack.image(name)
        let directory = templatesDirectory.appendingPathComponent(image.templateDirectory)
        let displayDirectory = "\(displayName)/\(image.templateDirectory)"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingDirectory(path: displayDirectory, hint: "every image of the model needs its templates (at least a Dockerfile)")
        }
        let context = TemplateContext(image: name, stack: stack)
        let checker = TemplateKeyChecker(context: context)
        var errors: [TemplateError] = []
        var files: [RenderedFile] = []
        for relative in Self.regularFiles(under: directory) {
            let displayPath = "\(displayDirectory)/\(relative)"
            let url = directory.appendingPathComponent(relative)
            do {
                let file = try renderFile(at: url, displayPath: displayPath, checker: checker, context: context)
                files.append(RenderedFile(path: "\(image.templateDirectory)/\(relative)", contents: file, isExecutable: Self.isExecutable(url)))
            } catch {
                errors += error.errors
            }
        }
        if files.isEmpty, errors.isEmpty {
            errors.append(.missingDirectory(path: "\(displayDirectory)/Dockerfile", hint: "the image's directory has no files"))
        }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw .multiple(errors) }
        return files
    }

    /// Renders one template text (already read) with `context`; checks the pragma and the keys first.
    public static func render(_ text: String, displayPath: String, context: TemplateContext) throws(TemplateError) -> String {
        try renderChecked(text, displayPath: displayPath, checker: TemplateKeyChecker(context: context), context: context)
    }

    private func renderFile(at url: URL, displayPath: String, checker: TemplateKeyChecker, context: TemplateContext)
        throws(TemplateError) -> Data
    {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(path: displayPath, reason: (error as NSError).localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: displayPath, reason: "not UTF-8 text (binary files cannot be templates)")
        }
        return Data(try Self.renderChecked(text, displayPath: displayPath, checker: checker, context: context).utf8)
    }

    private static func renderChecked(_ text: String, displayPath: String, checker: TemplateKeyChecker, context: TemplateContext)
        throws(TemplateError) -> String
    {
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        guard firstLine.filter({ !$0.isWhitespace }) == pragma.filter({ !$0.isWhitespace }) else {
            throw .missingPragma(path: displayPath)
        }
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: text)
        } catch let error as MustacheTemplate.ParserError {
            throw .syntax(
                path: displayPath, line: error.context.lineNumber, column: error.context.columnNumber,
                message: "\(error.error)")
        } catch {
            throw .syntax(path: displayPath, line: 1, column: 1, message: "\(error)")
        }
        let problems = checker.check(text, path: displayPath)
        if problems.count == 1 { throw problems[0] }
        if !problems.isEmpty { throw .multiple(problems) }
        return template.render(context)
    }

    /// Relative paths of the regular files under `directory`, sorted.
    static func regularFiles(under directory: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var paths: [String] = []
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = directory.appendingPathComponent(relative).path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                paths.append(relative)
            }
        }
        return paths.sorted()
    }

    static func isExecutable(_ url: URL) -> Bool {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        let permissions = (attributes?[.posixPermissions] as? NSNumber)?.intValue ?? 0
        return permissions & 0o100 != 0
    }
}
