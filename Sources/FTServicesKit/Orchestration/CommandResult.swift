/// What a command run in a service's container printed and how it exited, whichever orchestrator ran it
/// (``ServiceRuntime/exec(_:in:command:)``).
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
