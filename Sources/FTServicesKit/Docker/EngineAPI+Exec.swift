import Foundation

extension DockerEngineAPI {
    public func logs(container idOrName: String, tail: Int) async throws(EngineAPIError) -> [EngineAPI.LogLine] {
        let data = try await call("GET", "/containers/\(Self.component(idOrName))/logs",
                                  query: [("stdout", "1"), ("stderr", "1"), ("tail", String(tail))])
        return EngineAPI.LogLine.decode(data)
    }

    public func exec(container idOrName: String, command: [String], user: String?) async throws(EngineAPIError)
        -> CommandResult {
        struct Create: Encodable {
            let AttachStdout = true, AttachStderr = true, Tty = false
            let Cmd: [String]
            let User: String?
        }
        struct Created: Decodable { let Id: String }
        struct Start: Encodable { let Detach = false, Tty = false }
        struct Inspect: Decodable {
            let Running: Bool
            let ExitCode: Int?
        }
        let created = try await get(Created.self, "/containers/\(Self.component(idOrName))/exec", method: "POST",
                                    body: Self.json(Create(Cmd: command, User: user)))
        // Without Detach the daemon streams the multiplexed output until the command exits.
        let output = try await call("POST", "/exec/\(created.Id)/start", body: Self.json(Start()))
        let (stdout, stderr) = EngineAPI.LogLine.demultiplex(output)
        // The exit code is recorded just after the stream closes; give it a moment.
        for _ in 0..<50 {
            let state = try await get(Inspect.self, "/exec/\(created.Id)/json")
            if !state.Running, let exitCode = state.ExitCode {
                return CommandResult(exitCode: exitCode, stdout: stdout, stderr: stderr)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        throw EngineAPIError.api(status: 0, method: "GET", path: "/exec/\(created.Id)/json",
                                 message: "the command's exit code was not recorded within 1 s")
    }
}
