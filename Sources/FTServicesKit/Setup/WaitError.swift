import Foundation

/// The stack did not become healthy.
public enum WaitError: Error, CustomStringConvertible, LocalizedError {
    public struct Stuck: Sendable {
        public var service: String
        public var state: String
        public var detail: String
        public var health: String?
        public var logs: String
    }

    /// A service whose new version failed and whose previous version serves again.
    public struct RolledBack: Sendable, Equatable {
        public var service: String
        /// The version that failed (the image), when known.
        public var failed: String?
        /// The version serving again.
        public var restored: String?
        /// Why the new version was given up: its task's error, its health state, or the deadline.
        public var reason: String
        /// The failed version's last health output and log lines.
        public var details: FailureDetails
    }

    /// `firstDeploy`: the service did not exist before this deploy, so nothing was rolled back.
    case serviceFailed(service: String, state: String, detail: String, health: String?, logs: String, firstDeploy: Bool = false)
    case timeout(seconds: Double, services: [Stuck])
    /// Every service is healthy, but these only because their previous version was put back.
    case rolledBack([RolledBack])

    public var description: String {
        switch self {
        case .serviceFailed(let service, let state, let detail, let health, let logs, let firstDeploy):
            return "service \(service) is \(state): \(detail)" + Self.diagnostics(health: health, logs: logs)
                + (firstDeploy
                    ? "\n  nothing to roll back to: this is the first deploy of \(service); its service, task and image are left as they are for inspection."
                    : "")
                + "\n  inspect it with `ftservices logs \(service)` and `ftservices status`; fix the cause and run setup again."
        case .timeout(let seconds, let services):
            var text = "not every service became healthy within \(Int(seconds)) s:"
            for stuck in services {
                text += "\n- \(stuck.service): \(stuck.state)" + (stuck.detail.isEmpty ? "" : " (\(stuck.detail))")
                text += Self.diagnostics(health: stuck.health, logs: stuck.logs)
            }
            return text + "\n  a slow machine may need more time: ftservices setup --timeout 600; otherwise see `ftservices logs SERVICE`."
        case .rolledBack(let services):
            var text = services.count == 1
                ? "the update of \(services[0].service) failed and was rolled back:"
                : "the updates of \(services.map(\.service).joined(separator: ", ")) failed and were rolled back:"
            for service in services {
                text += "\n- \(service.service): its new version\(service.failed.map { " \($0)" } ?? "") failed (\(service.reason));"
                    + " rolled back: the previous version\(service.restored.map { " \($0)" } ?? "") serves again."
                text += Self.diagnostics(health: service.details.health, logs: service.details.logs, of: "the failed version")
            }
            return text + "\n  every other service is up to date. Fix the change and run setup again; until then `ftservices status` shows "
                + (services.count == 1 ? "it" : "them") + " as rolled back."
        }
    }

    public var errorDescription: String? { description }

    static func diagnostics(health: String?, logs: String, of subject: String? = nil) -> String {
        var text = ""
        let of = subject.map { " of \($0)" } ?? ""
        if let health, !health.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            text += "\n  last health check\(of): " + health.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: " | ")
        }
        let lines = logs.split(separator: "\n").suffix(15)
        if !lines.isEmpty {
            text += "\n  last log lines\(of):\n" + lines.map { "    " + $0 }.joined(separator: "\n")
        }
        return text
    }
}
