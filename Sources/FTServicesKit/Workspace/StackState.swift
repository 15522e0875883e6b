import FTServicesCore
import Foundation

/// Everything the tool generated for this install: secrets (passwords, keys, certificates).
/// Lives in `<state dir>/state.json`, mode 0600, in a 0700 directory outside the repository.
public struct StackState: Codable, Sendable, Equatable {
    public var schema: Int = 1
    /// Random and fixed per install: salts the Swarm secret names, so two installs (or a state directory
    /// generated anew) never reuse each other's secrets.
    public var installID: String = PasswordGenerator.make(length: 16)
    /// Generated secret values, by secret key (`mysql_root_password`, `tls_cert`, ...). On disk a JSON object
    /// keyed by the keys' raw names.
    public var secrets: [SecretKey: String] = [:]
    /// Entries of the file's `secrets` object whose key this version does not know (written by another
    /// version of the tool): never used, kept as they were so saving the state does not lose them.
    var unknownSecrets: [String: String] = [:]
    /// The address the current server certificate was issued for.
    public var certificateAddress: String?
    /// Where the last setup deployed the stack; `verify`, `crashtest`, `status`, `logs` and `down` go there
    /// unless told otherwise (absent before the first deploy, and in states written before it was recorded).
    public var orchestrator: Orchestrator?

    public init() {}

    /// The Swarm secret name for a key: `ftservices_<key>_<digest>`, where the digest (SHA-256 of the install
    /// ID, key and value; 12 hex digits) changes with the value. Swarm secrets are immutable, so a new value
    /// gets a new secret and the services using it are updated; an unchanged value keeps its name.
    public func swarmSecretName(_ key: SecretKey) -> String? {
        secretDigest(key).map { "ftservices_\(key.rawValue)_\($0)" }
    }

    /// SHA-256 of the install ID, key and value (12 hex digits): changes with the value, says nothing about it.
    public func secretDigest(_ key: SecretKey) -> String? {
        guard let value = secrets[key] else { return nil }
        return String(SHA256.hex(Array("\(installID)\0\(key.rawValue)\0\(value)".utf8)).prefix(12))
    }

    // MARK: - Codable: the file's `secrets` stays an object keyed by raw names

    enum CodingKeys: String, CodingKey {
        case schema, installID, secrets, certificateAddress, orchestrator
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schema = try container.decode(Int.self, forKey: .schema)
        installID = try container.decode(String.self, forKey: .installID)
        for (name, value) in try container.decode([String: String].self, forKey: .secrets) {
            if let key = SecretKey(rawValue: name) { secrets[key] = value } else { unknownSecrets[name] = value }
        }
        certificateAddress = try container.decodeIfPresent(String.self, forKey: .certificateAddress)
        orchestrator = try container.decodeIfPresent(Orchestrator.self, forKey: .orchestrator)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schema, forKey: .schema)
        try container.encode(installID, forKey: .installID)
        var raw = unknownSecrets
        for (key, value) in secrets { raw[key.rawValue] = value }
        try container.encode(raw, forKey: .secrets)
        try container.encodeIfPresent(certificateAddress, forKey: .certificateAddress)
        try container.encodeIfPresent(orchestrator, forKey: .orchestrator)
    }
}
