import Foundation

/// The Secrets `setup --orchestrator kubernetes` creates from the state directory's values: one per key,
/// named by ``KubernetesManifests/secretName(_:)``, its one data key being the file name under
/// /run/secrets. They are applied through kubectl's standard input, never rendered or written to a file.
public enum KubernetesSecrets {
    /// The annotation carrying a digest of the value (salted per install, as the Swarm secret names), so
    /// setup can tell which Secrets changed and restart the services that read them.
    public static let digestAnnotation = "ftservices/value-digest"

    /// One Secret per key of `values`, sorted by key.
    /// - Parameter digests: the digest of each value (``digestAnnotation``).
    public static func objects(values: [SecretKey: String], digests: [SecretKey: String]) -> [SecretObject] {
        values.keys.sorted().map { key in
            SecretObject(
                metadata: ObjectMeta(
                    name: KubernetesManifests.secretName(key), namespace: KubernetesManifests.namespace,
                    labels: KubernetesManifests.labels(nil), annotations: digests[key].map { [digestAnnotation: $0] }),
                data: [key.rawValue: Data(values[key]!.utf8).base64EncodedString()])
        }
    }

    /// A `v1` List of `secrets` as JSON (sorted keys), for `kubectl apply -f -`.
    public static func list(_ secrets: [SecretObject]) throws -> Data {
        struct List: Encodable {
            var apiVersion = "v1"
            var kind = "List"
            var items: [SecretObject]
        }
        return try JSONEncoder.stable(pretty: false, escapingSlashes: true).encode(List(items: secrets))
    }

    /// The services whose pods must restart because a Secret they mount changed: `current` and `deployed`
    /// map Secret names to digests; a Secret that did not exist before changes nothing (its pods are new).
    public static func servicesToRestart(stack: Stack, services: [ServiceName], current: [String: String], deployed: [String: String])
        -> [ServiceName]
    {
        let changed = Set(current.keys.filter { name in deployed[name].map { $0 != current[name] } ?? false })
        return stack.services.filter { services.contains($0.name) && $0.secrets.contains { changed.contains(KubernetesManifests.secretName($0)) } }
            .map(\.name)
    }
}
