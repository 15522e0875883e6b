import Foundation

/// `spec` of a `networking.k8s.io/v1` NetworkPolicy.
public struct NetworkPolicySpec: Encodable, Sendable, Equatable {
    /// `{}` selects every pod of the namespace.
    public var podSelector: PodSelector
    public var policyTypes: [String]
    public var ingress: [Rule]?
    public var egress: [Rule]?

    /// An ingress rule (`from`) or an egress rule (`to`); no peers = anywhere.
    public struct Rule: Encodable, Sendable, Equatable {
        public var from: [Peer]?
        public var to: [Peer]?
        public var ports: [Port]?
    }

    public struct Peer: Encodable, Sendable, Equatable {
        public var namespaceSelector: PodSelector?
        public var podSelector: PodSelector?
    }

    public struct Port: Encodable, Sendable, Equatable {
        public var port: Int
        public var `protocol`: String
    }
}

/// A label selector that may be empty (`{}`: everything).
public struct PodSelector: Encodable, Sendable, Equatable {
    public var matchLabels: [String: String]?

    public static let all = PodSelector(matchLabels: nil)
}
