import CCurl
import Foundation

/// Sends HTTP(S) requests through libcurl, over TCP or a Unix socket.
///
/// Each call runs on a thread of its own; cancelling the calling task aborts the transfer.
public struct HTTPClient: Sendable {
    /// Makes a client (it holds no state).
    public init() {}

    /// Sends `request` and returns the answer, whatever its status; throws only when no answer came.
    public func send(_ request: HTTPRequest) async throws(NetError) -> HTTPResponse {
        try await CurlRuntime.run { cancel in
            Result { () throws(NetError) in try Self.perform(request, cancel: cancel) }
        }.get()
    }

    static func perform(_ request: HTTPRequest, cancel: CancelFlag) throws(NetError) -> HTTPResponse {
        let handle = try CurlHandle(url: request.url, unixSocketPath: request.unixSocketPath)
        try configure(handle, for: request)
        try handle.set(CURLOPT_CERTINFO, true)
        let transfer = CurlTransfer(handle: handle, cancel: cancel)
        try transfer.run()
        let connect = handle.duration(CURLINFO_CONNECT_TIME_T)
        let appConnect = handle.duration(CURLINFO_APPCONNECT_TIME_T)
        let certificates = handle.certificates()
        let usedTLS = appConnect > .zero || !certificates.isEmpty
        return HTTPResponse(
            status: handle.long(CURLINFO_RESPONSE_CODE),
            headers: HTTPResponse.parseHeaders(transfer.headerLines),
            body: transfer.body,
            effectiveURL: handle.string(CURLINFO_EFFECTIVE_URL) ?? request.url,
            redirectURL: handle.string(CURLINFO_REDIRECT_URL),
            timings: TransferTimings(
                connect: connect,
                tlsHandshake: appConnect > connect ? appConnect - connect : .zero,
                firstByte: handle.duration(CURLINFO_STARTTRANSFER_TIME_T),
                total: handle.duration(CURLINFO_TOTAL_TIME_T)
            ),
            tls: usedTLS ? TLSSessionInfo(version: transfer.tlsVersion, certificates: certificates) : nil
        )
    }

    /// Applies method, headers, body, timeouts, redirects and TLS options to a fresh handle.
    static func configure(_ handle: CurlHandle, for request: HTTPRequest) throws(NetError) {
        try handle.setTimeouts(total: request.timeout, connect: request.connectTimeout)
        try handle.set(CURLOPT_FOLLOWLOCATION, request.followRedirects)
        try request.tls.apply(to: handle)
        let method = request.method.uppercased()
        if method == "HEAD" {
            try handle.set(CURLOPT_NOBODY, true)
        } else if method == "POST" || request.body != nil {
            let body = request.body ?? Data()
            try handle.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.count))
            // COPYPOSTFIELDS copies the bytes, so the buffer need not outlive this call.
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: body.count + 1, alignment: 1)
            defer { copy.deallocate() }
            copy.copyBytes(from: body + [0])
            try handle.set(CURLOPT_COPYPOSTFIELDS, pointer: copy.baseAddress)
        }
        if !["GET", "HEAD", "POST"].contains(method) || (method == "GET" && request.body != nil) {
            try handle.set(CURLOPT_CUSTOMREQUEST, method)
        }
        // "Expect:" stops curl from waiting for "100 Continue" before larger bodies.
        let headers = request.headers.map { "\($0.name): \($0.value)" } + ["Expect:"]
        try handle.set(CURLOPT_HTTPHEADER, list: headers)
    }
}
