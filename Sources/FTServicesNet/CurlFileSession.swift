import CCurl
import Foundation

/// What ``FTPClient`` and ``SSHFileClient`` share: every call is one libcurl transfer on a connection of its
/// own, set up by the client's session options (login, TLS or SSH keys) before the call's own options.
protocol CurlFileSession: Sendable {
    /// The URL of `path` on the server.
    func url(for path: String) -> String
    /// Sets the options every call of this client needs.
    func configureSession(_ handle: CurlHandle) throws(NetError)
}

extension CurlFileSession {
    /// Runs one transfer of `path`, with `configure` adding the call's own options; returns what was downloaded.
    func run(
        path: String, configure: @escaping @Sendable (CurlHandle, CurlTransfer) throws(NetError) -> Void
    ) async throws(NetError) -> Data {
        let client = self
        return try await CurlRuntime.transfer(
            url: url(for: path), session: { handle throws(NetError) in try client.configureSession(handle) }, configure: configure)
    }

    /// The names a directory listing (`CURLOPT_DIRLISTONLY`) of `path` returns, one per line, without empty
    /// lines and without `ignored` names.
    func names(in path: String, ignoring ignored: Set<String> = []) async throws(NetError) -> [String] {
        let body = try await run(path: path) { handle, _ throws(NetError) in
            try handle.set(CURLOPT_DIRLISTONLY, true)
        }
        return String(decoding: body, as: UTF8.self)
            .split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty && !ignored.contains($0) }
    }

    /// `path` percent-encoded for a URL.
    static func encoded(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
    }
}
