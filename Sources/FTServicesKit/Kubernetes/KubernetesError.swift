import FTServicesCore
import Foundation

/// The Kubernetes path of `setup` could not proceed; each message names the cause and the fix.
public enum KubernetesError: Error, CustomStringConvertible, LocalizedError {
    case kubectlMissing
    case noContext(detail: String)
    case unreachable(context: String, detail: String)
    case metalLBMissing(context: String, crds: [String])
    case noAddress
    case needsRegistry(context: String)
    case applyFailed(detail: String, logFile: URL?)
    case addressNotAssigned(expected: String, services: [String: String?])
    case unexpectedOutput(command: String, detail: String)
    case queryFailed(command: [String], detail: String)

    public var description: String {
        switch self {
        case .kubectlMissing:
            return "kubectl is not installed (not found in PATH): install kubectl (https://kubernetes.io/docs/tasks/tools/) and point it at your cluster."
        case .noContext(let detail):
            return "kubectl has no current context (\(Self.oneLine(detail))): start a cluster (`minikube start`, `kind create cluster`), or choose one with `kubectl config use-context NAME` (list them with `kubectl config get-contexts`)."
        case .unreachable(let context, let detail):
            return "the cluster of kubectl context '\(context)' does not answer (\(Self.oneLine(detail))): start it (`minikube start`), or switch context with `kubectl config use-context NAME`."
        case .metalLBMissing(let context, let crds):
            return "MetalLB is not installed in the cluster of context '\(context)' (no \(crds.joined(separator: ", "))): install MetalLB 0.14.9 or newer, e.g. `kubectl apply -f https://raw.githubusercontent.com/metallb/metallb/v0.14.9/config/manifests/metallb-native.yaml`, wait for `kubectl -n metallb-system wait --for=condition=Ready pod --all --timeout=120s`, then run setup again. (minikube's metallb addon is an older MetalLB configured by ConfigMap and does not serve these CRDs.)"
        case .noAddress:
            return "Kubernetes needs the shared address up front: pass --address with a free IPv4 address on your cluster nodes' network (minikube: an unused address in the subnet of `minikube ip`, e.g. its .240), or set `address:` in the config."
        case .needsRegistry(let context):
            return "kubectl context '\(context)' is neither minikube nor kind (kind-*), so the images cannot be loaded into it directly: pass --registry HOST[:PORT]/PREFIX of a registry you can push to and the cluster can pull from (the images are tagged and pushed there), or switch context."
        case .applyFailed(let detail, let logFile):
            var text = "kubectl apply failed:\n" + detail.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
            if let logFile { text += "\n  full log: \(logFile.path)" }
            if detail.contains("metallb") && detail.contains("webhook") {
                text += "\n  MetalLB's webhook is not ready yet: wait for `kubectl -n metallb-system wait --for=condition=Ready pod --all --timeout=120s` and run setup again."
            }
            return text
        case .addressNotAssigned(let expected, let services):
            let lines = services.sorted { $0.key < $1.key }.map { "- \($0.key): " + ($0.value ?? "no address (pending)") }
            return "the LoadBalancer Services did not all get \(expected):\n\(lines.joined(separator: "\n"))\n  see `kubectl describe service --namespace \(KubernetesManifests.namespace) NAME`: the address must be free and on the nodes' network, and MetalLB must be running (`kubectl -n metallb-system get pods`)."
        case .unexpectedOutput(let command, let detail):
            return "`\(command)` printed something ftservices cannot read (\(detail)); check that kubectl and the cluster are Kubernetes 1.32 or newer."
        case .queryFailed(let command, let detail):
            return "`\(ProcessError.shortCommand(command))` failed (\(Self.oneLine(detail))): check that the cluster of the current kubectl context answers (`kubectl cluster-info`) and is the one setup deployed to (`kubectl config current-context`)."
        }
    }

    public var errorDescription: String? { description }

    static func oneLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.isEmpty ? "no details" : line.trimmingCharacters(in: .whitespaces)
    }
}
