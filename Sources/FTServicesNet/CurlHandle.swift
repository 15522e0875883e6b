import CCurl
import Foundation

/// One libcurl easy handle, owned by one blocking job on one thread (never shared, so not Sendable).
///
/// Every handle turns off signals (threads), ignores proxy variables (the tool only talks to its own
/// machine and stack) and records libcurl's detailed error text for `NetError.detail`.
final class CurlHandle {
    let raw: UnsafeMutableRawPointer
    let url: String
    let unixSocketPath: String?
    /// The URL errors name (a raw TCP connection is made through an `http://` URL but is not HTTP).
    var reportedURL: String
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var lists: [UnsafeMutablePointer<curl_slist>] = []

    init(url: String, unixSocketPath: String? = nil) throws(NetError) {
        CurlRuntime.initializeOnce()
        self.url = url
        self.reportedURL = url
        self.unixSocketPath = unixSocketPath
        guard let raw = curl_easy_init() else {
            throw NetError(kind: .other, url: url, unixSocketPath: unixSocketPath, message: "curl_easy_init failed")
        }
        self.raw = raw
        let size = ccurl_error_size()
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        try set(CURLOPT_URL, url)
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_NOPROXY, "*")
        if let unixSocketPath { try set(CURLOPT_UNIX_SOCKET_PATH, unixSocketPath) }
    }

    deinit {
        curl_easy_cleanup(raw)
        for list in lists { curl_slist_free_all(list) }
        errorBuffer.deallocate()
    }

    // MARK: Options

    func set(_ option: CURLoption, _ value: Int) throws(NetError) {
        try check(ccurl_setopt_long(raw, option, value), option: option)
    }

    func set(_ option: CURLoption, _ value: Bool) throws(NetError) {
        try set(option, value ? 1 : 0)
    }

    func set(_ option: CURLoption, _ value: String) throws(NetError) {
        try check(ccurl_setopt_string(raw, option, value), option: option)
    }

    func set(_ option: CURLoption, offset value: Int64) throws(NetError) {
        try check(ccurl_setopt_off_t(raw, option, curl_off_t(value)), option: option)
    }

    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(NetError) {
        try check(ccurl_setopt_pointer(raw, option, value), option: option)
    }

    /// Sets a `curl_slist` option (headers, FTP quote commands); the list lives as long as the handle.
    func set(_ option: CURLoption, list values: [String]) throws(NetError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for value in values { list = curl_slist_append(list, value) }
        guard let list else { return }
        lists.append(list)
        try check(ccurl_setopt_slist(raw, option, list), option: option)
    }

    /// Sets the timeout of the whole operation (0 = none) and of the connect phase.
    func setTimeouts(total: Duration?, connect: Duration?) throws(NetError) {
        if let total { try set(CURLOPT_TIMEOUT_MS, total.milliseconds) }
        if let connect { try set(CURLOPT_CONNECTTIMEOUT_MS, connect.milliseconds) }
    }

    private func check(_ code: CURLcode, option: CURLoption) throws(NetError) {
        guard code != CURLE_OK else { return }
        throw NetError(
            kind: .invalidRequest, url: url, unixSocketPath: unixSocketPath, curlCode: Int(code.rawValue),
            message: String(cString: curl_easy_strerror(code)), detail: "setting option \(option.rawValue)"
        )
    }

    // MARK: Running

    /// Runs the transfer; a failure becomes a `NetError` (`cancelled` when `cancel` was raised).
    func perform(cancel: CancelFlag? = nil) throws(NetError) {
        let code = curl_easy_perform(raw)
        guard code != CURLE_OK else { return }
        if let cancel, cancel.isRaised {
            throw NetError(kind: .cancelled, url: reportedURL, unixSocketPath: unixSocketPath, message: "cancelled")
        }
        throw failure(code)
    }

    /// The `NetError` for a libcurl result code, with the error buffer and the connect errno.
    func failure(_ code: CURLcode, detail extra: String? = nil) -> NetError {
        let detail = extra ?? String(cString: errorBuffer)
        let osErrno = Int32(truncatingIfNeeded: long(CURLINFO_OS_ERRNO))
        // For a failed connect the system's reason ("Connection refused") says more than curl's summary.
        let message = code == CURLE_COULDNT_CONNECT && osErrno != 0
            ? String(cString: strerror(osErrno)) : String(cString: curl_easy_strerror(code))
        return NetError(
            kind: Self.kind(of: code), url: reportedURL, unixSocketPath: unixSocketPath, curlCode: Int(code.rawValue),
            osErrno: osErrno, message: message, detail: detail
        )
    }

    static func kind(of code: CURLcode) -> NetError.Kind {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .couldNotResolve
        case CURLE_COULDNT_CONNECT: .couldNotConnect
        case CURLE_OPERATION_TIMEDOUT: .timedOut
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR: .tlsVerificationFailed
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER: .tlsHandshakeFailed
        case CURLE_USE_SSL_FAILED: .tlsRefusedByServer
        case CURLE_LOGIN_DENIED: .loginDenied
        case CURLE_REMOTE_ACCESS_DENIED: .accessDenied
        case CURLE_REMOTE_FILE_NOT_FOUND: .notFound
        case CURLE_SSH: .ssh
        case CURLE_ABORTED_BY_CALLBACK: .cancelled
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_NOT_BUILT_IN, CURLE_UNKNOWN_OPTION: .invalidRequest
        case CURLE_GOT_NOTHING, CURLE_WEIRD_SERVER_REPLY, CURLE_RECV_ERROR, CURLE_SEND_ERROR: .protocolError
        default: .other
        }
    }

    // MARK: Information

    func long(_ info: CURLINFO) -> Int {
        var value = 0
        return ccurl_getinfo_long(raw, info, &value) == CURLE_OK ? value : 0
    }

    func string(_ info: CURLINFO) -> String? {
        var value: UnsafePointer<CChar>?
        guard ccurl_getinfo_string(raw, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    /// A `*_TIME_T` info (microseconds) as a `Duration`.
    func duration(_ info: CURLINFO) -> Duration {
        var value: curl_off_t = 0
        guard ccurl_getinfo_off_t(raw, info, &value) == CURLE_OK else { return .zero }
        return .microseconds(value)
    }

    /// The peer's certificate chain, when `CURLOPT_CERTINFO` was set and the transfer used TLS.
    func certificates() -> [PeerCertificate] {
        var info: UnsafeMutablePointer<curl_certinfo>?
        guard ccurl_getinfo_certinfo(raw, &info) == CURLE_OK, let info, let lists = info.pointee.certinfo else {
            return []
        }
        return (0..<Int(info.pointee.num_of_certs)).map { index in
            var lines: [String] = []
            var node = lists[index]
            while let current = node {
                if let data = current.pointee.data { lines.append(String(cString: data)) }
                node = current.pointee.next
            }
            return PeerCertificate(certinfoLines: lines)
        }
    }
}

extension Duration {
    /// Whole milliseconds, for libcurl's `*_MS` options.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
