import Foundation
import Yams

/// Reads `ftservices.yaml`: YAML → ``StackConfigSpec`` (unknown keys and wrong types reported) →
/// ``StackConfig`` (every rule checked). All problems of one file come back in one ``ConfigError``.
public enum ConfigLoader {
    /// Reads and validates the file at `path`. Relative paths inside it are resolved against its directory.
    public static func load(path: String, fileProbe: any FileProbe = LocalFileProbe()) throws(ConfigError) -> StackConfig {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
        guard let yaml = String(data: data, encoding: .utf8) else {
            throw .unreadable(file: path, reason: "not UTF-8 text")
        }
        return try decode(
            yaml: yaml, fileName: path, baseDirectory: url.deletingLastPathComponent().path, fileProbe: fileProbe)
    }

    /// Decodes and validates YAML text; `fileName` is only used in messages. An empty document gives the defaults.
    public static func decode(
        yaml: String, fileName: String, baseDirectory: String? = nil, fileProbe: any FileProbe = LocalFileProbe()
    ) throws(ConfigError) -> StackConfig {
        let decodingProblems = DecodingProblems()
        let spec = try decodeSpec(yaml: yaml, fileName: fileName, problems: decodingProblems)
        // Type errors and rule violations are reported together; a value of the wrong type counts as absent.
        var problems = decodingProblems.problems
        let validator = ConfigValidator(fileProbe: fileProbe, baseDirectory: baseDirectory)
        let config = validator.validate(spec, problems: &problems)
        guard problems.isEmpty else { throw .invalid(file: fileName, problems: problems) }
        return config
    }

    /// Decodes YAML text into the unvalidated spec; throws on bad YAML, unknown keys and wrong types.
    public static func decodeSpec(yaml: String, fileName: String) throws(ConfigError) -> StackConfigSpec {
        let problems = DecodingProblems()
        let spec = try decodeSpec(yaml: yaml, fileName: fileName, problems: problems)
        guard problems.problems.isEmpty else { throw .invalid(file: fileName, problems: problems.problems) }
        return spec
    }

    private static func decodeSpec(yaml: String, fileName: String, problems: DecodingProblems?) throws(ConfigError)
        -> StackConfigSpec
    {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, fileName: fileName)
        } catch {
            throw .syntax(file: fileName, line: 1, column: 1, message: "\(error)")
        }
        // An empty document, or one that is only `~`, means "all defaults".
        guard let node, node.null == nil else { return StackConfigSpec() }
        guard node.mapping != nil else {
            throw .invalid(
                file: fileName,
                problems: [ConfigProblem(keyPath: "", message: "the file must be a mapping of settings (key: value)")])
        }
        var userInfo: [CodingUserInfoKey: Any] = [:]
        userInfo[DecodingProblems.userInfoKey] = problems
        do {
            return try YAMLDecoder().decode(StackConfigSpec.self, from: node, userInfo: userInfo)
        } catch {
            throw .invalid(file: fileName, problems: [ConfigProblem(keyPath: "", message: "\(error)")])
        }
    }

    private static func syntaxError(_ error: YamlError, fileName: String) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = problem
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return .syntax(file: fileName, line: mark.line, column: mark.column, message: message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .syntax(
                file: fileName, line: context.mark.line, column: context.mark.column,
                message: "duplicate key \(duplicates.joined(separator: ", ")) in this mapping; keep one")
        default:
            return .syntax(file: fileName, line: 1, column: 1, message: "\(error)")
        }
    }
}
