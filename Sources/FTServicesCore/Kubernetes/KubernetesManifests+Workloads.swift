import Foundation

/// Deployments and their probes.
extension KubernetesManifests {
    /// The service's Deployment: one replica, `Recreate`, its image, ports, secrets, volumes and probes.
    static func deployment(_ service: StackService, stack: Stack, values: KubernetesValues) -> KubernetesObject<DeploymentSpec> {
        let name = service.name.rawValue
        var volumes: [Volume] = service.volumes.map {
            Volume(name: claimName($0), persistentVolumeClaim: .init(claimName: claimName($0)))
        }
        var mounts: [Container.VolumeMount] = service.volumes.map {
            Container.VolumeMount(name: claimName($0), mountPath: $0.path, readOnly: nil)
        }
        if !service.secrets.isEmpty {
            volumes.append(Volume(name: "secrets", projected: .init(
                defaultMode: FileMode(0o400),
                sources: service.secrets.map {
                    Volume.Projection(secret: .init(name: secretName($0), items: [.init(key: $0.rawValue, path: $0.rawValue)]))
                })))
            mounts.append(Container.VolumeMount(name: "secrets", mountPath: secretsMountPath, readOnly: true))
        }
        let ports = (service.publishedPorts + service.internalPorts).map {
            Container.ContainerPort(name: portName($0), containerPort: $0.number, protocol: $0.transport.rawValue.uppercased())
        }
        let environment = service.deployEnvironment.map { variable in
            Container.EnvVar(name: variable, value: values.environment(variable))
        }
        let privileges = service.privileges
        for (index, tmpfs) in privileges.tmpfsMounts.enumerated() {
            let volume = "tmpfs-\(index)"
            volumes.append(Volume(name: volume, emptyDir: .init(medium: "Memory", sizeLimit: "\(tmpfs.sizeMiB)Mi")))
            mounts.append(Container.VolumeMount(name: volume, mountPath: tmpfs.path, readOnly: nil))
        }
        let probes = self.probes(service.healthcheck)
        let container = Container(
            name: name, image: values.image(for: service.name, stack: stack), imagePullPolicy: "IfNotPresent",
            ports: ports.isEmpty ? nil : ports, env: environment.isEmpty ? nil : environment,
            volumeMounts: mounts.isEmpty ? nil : mounts,
            startupProbe: probes.startup, livenessProbe: probes.liveness, readinessProbe: probes.readiness,
            securityContext: ContainerSecurityContext(
                allowPrivilegeEscalation: false,
                capabilities: .init(add: privileges.capabilityNames.isEmpty ? nil : privileges.capabilityNames, drop: ["ALL"]),
                readOnlyRootFilesystem: privileges.readOnlyRoot),
            resources: ResourceRequirements(
                requests: ["cpu": "\(privileges.cpuReservationMillis)m", "memory": "\(privileges.memoryReservationMiB)Mi"],
                limits: ["cpu": "\(privileges.cpuLimitMillis)m", "memory": "\(privileges.memoryLimitMiB)Mi"]))
        let pod = PodSpec(
            hostname: name, enableServiceLinks: false, automountServiceAccountToken: false,
            terminationGracePeriodSeconds: Int(service.stopGracePeriod.components.seconds),
            restartPolicy: restartPolicy(service.restartPolicy),
            securityContext: PodSecurityContext(seccompProfile: .init(type: "RuntimeDefault")), containers: [container],
            volumes: volumes.isEmpty ? nil : volumes)
        return KubernetesObject(
            apiVersion: "apps/v1", kind: "Deployment",
            metadata: ObjectMeta(name: name, namespace: namespace, labels: labels(service.name), annotations: auditSkips(service)),
            spec: DeploymentSpec(
                replicas: 1, selector: LabelSelector(matchLabels: selector(service.name)), strategy: .init(type: "Recreate"),
                template: .init(metadata: .init(labels: labels(service.name)), spec: pod)))
    }

    /// checkov's inline skips (`checkov.io/skipN: CHECK=reason`) for what the service cannot meet yet.
    static func auditSkips(_ service: StackService) -> [String: String] {
        let root = "PID 1 is a root entrypoint that chowns volumes, copies secrets and starts each daemon, which drops to its own user"
        let added = "after dropping ALL it adds back only what its daemons need, each for a reason in docs/DESIGN.md (Privileges): "
            + service.privileges.capabilityNames.joined(separator: ", ")
        var skips = [("CKV_K8S_23", root), ("CKV_K8S_25", added), ("CKV_K8S_40", root)]
        if case .writable(let reason) = service.privileges.rootFilesystem { skips.append(("CKV_K8S_22", "root filesystem left writable: \(reason)")) }
        var annotations: [String: String] = [:]
        for (index, skip) in skips.enumerated() { annotations["checkov.io/skip\(index + 1)"] = "\(skip.0)=\(skip.1)" }
        return annotations
    }

    /// The Swarm healthcheck as three exec probes running the same command with the same interval and timeout:
    /// - startup: `start_period` plus `retries` failures before the container is restarted (Swarm ignores
    ///   failures during the start period, then needs `retries` in a row);
    /// - liveness: `retries` failures in a row restart the container (Swarm replaces an unhealthy task);
    /// - readiness: `retries` failures in a row take it out of its Service (Swarm's `unhealthy`).
    public static func probes(_ healthcheck: Healthcheck) -> (startup: Probe, liveness: Probe, readiness: Probe) {
        let interval = max(1, Int(healthcheck.interval.components.seconds))
        let timeout = max(1, Int(healthcheck.timeout.components.seconds))
        let startPeriod = Int(healthcheck.startPeriod.components.seconds)
        let command = probeCommand(healthcheck.test)
        func probe(failures: Int) -> Probe {
            Probe(exec: .init(command: command), periodSeconds: interval, timeoutSeconds: timeout,
                  failureThreshold: failures, successThreshold: 1)
        }
        let startPeriodPolls = (startPeriod + interval - 1) / interval
        return (probe(failures: startPeriodPolls + healthcheck.retries), probe(failures: healthcheck.retries),
                probe(failures: healthcheck.retries))
    }

    /// Compose's `test` as an exec command: `CMD` runs the rest as is, `CMD-SHELL` runs it through `/bin/sh -c`.
    public static func probeCommand(_ test: [String]) -> [String] {
        switch test.first {
        case "CMD": return Array(test.dropFirst())
        case "CMD-SHELL": return ["/bin/sh", "-c", test.dropFirst().joined(separator: " ")]
        default: return test
        }
    }

    /// A port's name (at most 15 characters, unique per Service): its purpose, or `pasv-<number>` for the
    /// FTP passive ports.
    public static func portName(_ port: ServicePort) -> String {
        port.purpose == .ftpsPassive ? "pasv-\(port.number)" : port.purpose.rawValue
    }

    /// Kubernetes restarts whatever stops; only `Always` exists for a Deployment's pods.
    static func restartPolicy(_ policy: RestartPolicy) -> String { "Always" }
}
