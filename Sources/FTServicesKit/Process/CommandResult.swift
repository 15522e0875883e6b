/// What a command printed and how it exited: the Docker Engine API's exec, and so whichever orchestrator ran
/// a command in a service's container (``ServiceRuntime/exec(_:in:command:)``).
public struct CommandResult: Sendable, Equatable {
    public var exitCode: Int
    public var stdout: String
    public var stderr: String

    public init(exitCode: Int, stdout: String, stderr: String) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }
}
