/// The body of Grafana's `POST /api/annotations`, as the Grafana canary writes it: an annotation whose text
/// is the canary's value, tagged so the canary's query finds it.
public struct GrafanaAnnotation: Codable, Sendable, Equatable {
    /// The tag of every canary annotation (`GET /api/annotations?tags=…` lists them).
    public static let canaryTag = "ftservices-canary"

    public var text: String
    public var tags: [String]

    public init(text: String, tags: [String] = [Self.canaryTag]) {
        self.text = text
        self.tags = tags
    }
}
