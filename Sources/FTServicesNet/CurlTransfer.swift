import CCurl
import Foundation

/// The state libcurl's callbacks write into during one transfer (body, headers, upload cursor, TLS
/// version), reached from C through an unretained pointer while `run` keeps it alive.
final class CurlTransfer {
    let handle: CurlHandle
    let cancel: CancelFlag?
    /// Received body bytes, unless `onChunk` takes them.
    var body = Data()
    /// Header lines of the last response (the status line starts a new list).
    var headerLines: [String] = []
    /// Gets each body chunk instead of `body`; returning false stops the transfer.
    var onChunk: ((Data) -> Bool)?
    /// Bytes to upload, with the read position.
    var upload: Data?
    private var uploadOffset = 0
    /// The negotiated TLS protocol, caught while the connection is live.
    var tlsVersion: String?

    init(handle: CurlHandle, cancel: CancelFlag?) {
        self.handle = handle
        self.cancel = cancel
    }

    /// Installs the callbacks and runs the transfer.
    func run() throws(NetError) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try handle.set(CURLOPT_WRITEDATA, pointer: context)
        try handle.set(CURLOPT_HEADERDATA, pointer: context)
        try handle.set(CURLOPT_XFERINFODATA, pointer: context)
        try handle.set(CURLOPT_NOPROGRESS, false)
        _ = ccurl_setopt_data_callback(handle.raw, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            CurlTransfer.from(context).received(data, size * count)
        }
        _ = ccurl_setopt_data_callback(handle.raw, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            CurlTransfer.from(context).receivedHeader(data, size * count)
        }
        _ = ccurl_setopt_xferinfo_callback(handle.raw) { context, _, _, _, _ in
            CurlTransfer.from(context).progress()
        }
        if let upload {
            try handle.set(CURLOPT_READDATA, pointer: context)
            try handle.set(CURLOPT_UPLOAD, true)
            try handle.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(upload.count))
            _ = ccurl_setopt_data_callback(handle.raw, CURLOPT_READFUNCTION) { buffer, size, count, context in
                CurlTransfer.from(context).send(into: buffer, size * count)
            }
        }
        try withExtendedLifetime(self) { () throws(NetError) in try handle.perform(cancel: cancel) }
    }

    private static func from(_ context: UnsafeMutableRawPointer?) -> CurlTransfer {
        Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    }

    private func received(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let data, count > 0 else { return count }
        if cancel?.isRaised == true { return 0 }
        captureTLSVersion()
        let chunk = Data(bytes: data, count: count)
        if let onChunk {
            return onChunk(chunk) ? count : 0
        }
        body.append(chunk)
        return count
    }

    private func receivedHeader(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let data, count > 0 else { return count }
        captureTLSVersion()
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
            .trimmingCharacters(in: .newlines)
        if line.hasPrefix("HTTP/") { headerLines = [] }
        headerLines.append(line)
        return count
    }

    private func progress() -> Int32 {
        captureTLSVersion()
        return cancel?.isRaised == true ? 1 : 0
    }

    private func send(into buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int {
        guard let buffer, let upload else { return 0 }
        let count = min(capacity, upload.count - uploadOffset)
        guard count > 0 else { return 0 }
        let start = upload.startIndex + uploadOffset
        upload.copyBytes(to: UnsafeMutableRawPointer(buffer).assumingMemoryBound(to: UInt8.self),
                         from: start..<start + count)
        uploadOffset += count
        return count
    }

    private func captureTLSVersion() {
        guard tlsVersion == nil, let version = ccurl_tls_version(handle.raw) else { return }
        tlsVersion = String(cString: version)
    }
}
