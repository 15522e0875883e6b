import Foundation
import Yams

/// A coding key for any mapping key, used to list the keys a YAML mapping really has.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }
}

/// Collects decoding problems from every nested spec, so one decode reports all of them.
///
/// Decoding is synchronous and single-threaded; the collector lives only for one `ConfigLoader.decode` call.
final class DecodingProblems {
    static let userInfoKey = CodingUserInfoKey(rawValue: "org.ftservices.decodingProblems")!

    private(set) var problems: [ConfigProblem] = []

    func add(_ path: [any CodingKey], _ message: String) {
        problems.append(ConfigProblem(keyPath: ConfigProblem.keyPath(path), message: message))
    }
}

/// A keyed container that never throws for a single bad value: it records the problem, returns nil,
/// and reports keys that the spec does not know.
struct StrictContainer<Key: CodingKey & CaseIterable> {
    private let container: KeyedDecodingContainer<Key>
    private let problems: DecodingProblems?
    private let codingPath: [any CodingKey]

    /// Opens the mapping at `decoder` (throws only when the value is not a mapping at all) and records
    /// every key that is not one of `Key`'s cases.
    init(_ decoder: any Decoder, keyedBy: Key.Type) throws {
        container = try decoder.container(keyedBy: Key.self)
        problems = decoder.userInfo[DecodingProblems.userInfoKey] as? DecodingProblems
        codingPath = decoder.codingPath
        let known = Key.allCases.map(\.stringValue)
        let all = try decoder.container(keyedBy: AnyCodingKey.self)
        for key in all.allKeys where Key(stringValue: key.stringValue) == nil {
            problems?.add(
                codingPath + [key],
                "unknown key; the keys allowed here are \(known.joined(separator: ", "))")
        }
    }

    /// The value at `key`, or nil when it is absent, null, or of the wrong type (recorded as a problem).
    func decode<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        do {
            return try container.decodeIfPresent(T.self, forKey: key)
        } catch let DecodingError.typeMismatch(expected, context) {
            problems?.add(context.codingPath, "expected \(Self.describe(expected)), found \(found(at: key, path: context.codingPath))")
        } catch let DecodingError.dataCorrupted(context) {
            problems?.add(context.codingPath, context.debugDescription)
        } catch let DecodingError.keyNotFound(missing, context) {
            problems?.add(context.codingPath + [missing], "missing")
        } catch let DecodingError.valueNotFound(_, context) {
            problems?.add(context.codingPath, "expected \(Self.describe(T.self)), found nothing")
        } catch {
            problems?.add(codingPath + [key], "\(error)")
        }
        return nil
    }

    /// Describes what was found at `key` when its type was wrong (only when the mismatch is the key itself).
    private func found(at key: Key, path: [any CodingKey]) -> String {
        guard path.count == codingPath.count + 1 else { return "a value of another kind" }
        if let string = try? container.decode(String.self, forKey: key) { return "\"\(string)\"" }
        if (try? container.nestedUnkeyedContainer(forKey: key)) != nil { return "a list" }
        if (try? container.nestedContainer(keyedBy: AnyCodingKey.self, forKey: key)) != nil { return "a mapping" }
        return "a value of another kind"
    }

    /// The YAML kind a Swift type is decoded from, in the user's words.
    static func describe(_ type: Any.Type) -> String {
        if type == Int.self { return "an integer" }
        if type == String.self { return "a string" }
        if type == Bool.self { return "true or false" }
        if type == Node.Mapping.self { return "a mapping" }
        if type == Node.Sequence.self { return "a list" }
        if type == Node.Scalar.self { return "a single value" }
        if type is any RangeReplaceableCollection.Type { return "a list" }
        return "a mapping"
    }
}
