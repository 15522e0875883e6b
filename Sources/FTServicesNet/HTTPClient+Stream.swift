import CCurl
import Foundation

extension HTTPClient {
    /// Streams the body of `request` chunk by chunk as it arrives (the Docker events endpoint).
    ///
    /// The stream ends when the server closes the body, and fails with a `NetError`: `.httpStatus`
    /// (with the body as `detail`) when the answer is 4xx/5xx, or the transfer's error. Ending the
    /// iteration (or cancelling its task) aborts the transfer within about a second.
    /// `request.timeout` should usually be `nil` here.
    public func stream(_ request: HTTPRequest) -> AsyncThrowingStream<Data, any Error> {
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        let cancel = CancelFlag()
        continuation.onTermination = { _ in cancel.raise() }
        CurlRuntime.detach {
            do throws(NetError) {
                try Self.performStream(request, cancel: cancel, continuation: continuation)
                continuation.finish()
            } catch where error.kind == .cancelled {
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        return stream
    }

    /// Streams the body of `request` as lines (split on `\n`, without the line ending; a last
    /// unterminated line is delivered when the body ends). Same ending and errors as `stream(_:)`.
    public func lines(_ request: HTTPRequest) -> AsyncThrowingStream<String, any Error> {
        let chunks = stream(request)
        let (lines, continuation) = AsyncThrowingStream<String, any Error>.makeStream()
        let task = Task {
            var pending = Data()
            do {
                for try await chunk in chunks {
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = pending[pending.startIndex..<newline]
                        pending = Data(pending[pending.index(after: newline)...])
                        continuation.yield(String(decoding: line, as: UTF8.self).trimmingCharacters(in: ["\r"]))
                    }
                }
                if !pending.isEmpty { continuation.yield(String(decoding: pending, as: UTF8.self)) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return lines
    }

    private static func performStream(
        _ request: HTTPRequest, cancel: CancelFlag, continuation: AsyncThrowingStream<Data, any Error>.Continuation
    ) throws(NetError) {
        let handle = try CurlHandle(url: request.url, unixSocketPath: request.unixSocketPath)
        try configure(handle, for: request)
        let transfer = CurlTransfer(handle: handle, cancel: cancel)
        var errorBody: Data?
        transfer.onChunk = { chunk in
            if errorBody == nil, handle.long(CURLINFO_RESPONSE_CODE) >= 400 { errorBody = Data() }
            if errorBody != nil {
                errorBody?.append(chunk)
                return true
            }
            continuation.yield(chunk)
            return true
        }
        try transfer.run()
        let status = handle.long(CURLINFO_RESPONSE_CODE)
        if status >= 400 {
            throw NetError(
                kind: .httpStatus(status), url: request.url, unixSocketPath: request.unixSocketPath,
                message: "HTTP status \(status)", detail: String(decoding: errorBody ?? Data(), as: UTF8.self)
            )
        }
    }
}
