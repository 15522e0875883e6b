import FTServicesTestSupport

/// The answers the client tests ask the shared `TestServer` for.
extension TestServer {
    /// HTTP (or, with a certificate, HTTPS) with the routes the client tests use: `/ok`, `/redirect`,
    /// `/status/404` and `/status/500`, `/stream` (three JSON lines, 0.1 s apart), `/forever` (a line every
    /// 0.5 s for five minutes), and POST/PUT/DELETE echoed.
    static func web(certificate: (cert: String, key: String)? = nil) throws -> TestServer {
        let routes: [String: Any] = [
            "/ok": ["body": "hello", "headers": [["X-Test", "yes"], ["Content-Type", "text/plain"]]],
            "/redirect": ["status": 301, "headers": [["Location", "/ok"]]],
            "/status/404": ["status": 404, "body": #"{"message":"no such thing"}"#],
            "/status/500": ["status": 500, "body": #"{"message":"no such thing"}"#],
            "/stream": ["chunks": [#"{"n":0}\#n"#, #"{"n":1}\#n"#, #"{"n":2}\#n"#], "interval": 0.1],
            "/forever": ["chunks": ["tick\n"], "interval": 0.5, "repeat": 600],
        ]
        return try TestServer(certificate == nil ? "http" : "tls", ["routes": routes, "echo": true], certificate: certificate)
    }

    /// A line server that greets with `greeting` and answers like a minimal FTP server: 234 to AUTH TLS, a
    /// multi-line 211 to MULTI, 221 to QUIT (then hangs up), 500 to anything else.
    static func banner(_ greeting: String = "220 FakeFTP ready") throws -> TestServer {
        try TestServer("lines", [
            "greeting": greeting,
            "replies": ["AUTH TLS": "234 Proceed with negotiation.", "MULTI": "211-first\r\n211-second\r\n211 end", "QUIT": "221 Goodbye."],
        ])
    }
}
