import Foundation
import FTServicesTestSupport

/// A helper server on 127.0.0.1 (a small Python script) that a verifier test starts and stops.
///
/// `http`/`tls` answer fixed routes, a fake phpMyAdmin login (`pma`) and a fake InfluxDB `/query`
/// (`influx`); `lines` greets (or stays silent) and answers commands like an FTP or SSH server.
final class VerifierTestServer: @unchecked Sendable {
    private let server: PythonServer
    var port: Int { server.port }

    /// Starts `python3 server.py MODE SPEC-JSON [CERT KEY]` and reads the port it prints.
    init(_ mode: String, _ spec: [String: Any], certificate: (cert: String, key: String)? = nil) throws {
        let specText = String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)
        server = try PythonServer(script: Self.script, arguments: [mode, specText] + (certificate.map { [$0.cert, $0.key] } ?? []), name: mode)
    }

    func stop() { server.stop() }

    /// A port on 127.0.0.1 that nothing listens on.
    static func closedPort() throws -> Int { try PythonServer.closedPort() }

    static let script = #"""
import base64, json, signal, socketserver, ssl, sys, urllib.parse
signal.pthread_sigmask(signal.SIG_SETMASK, [])
signal.signal(signal.SIGTERM, signal.SIG_DFL)
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

mode, spec = sys.argv[1], json.loads(sys.argv[2])

LOGIN_PAGE = ('<html><body><noscript><div class="alert alert-danger" role="alert">Javascript must be enabled past this point!</div></noscript>'
              '<div class="hide" id="js-https-mismatch"><div class="alert alert-danger" role="alert">There is mismatch between HTTPS '
              'indicated on the server and client.</div></div>%s<form method="post" id="login_form" action="index.php?route=/&amp;x=1" name="login_form">'
              '<input type="hidden" name="set_session" value="SESSION1"><input type="hidden" name="token" value="T0K&amp;EN">'
              '<input type="text" name="pma_username" value=""><input type="password" name="pma_password" value="">'
              '<input type="hidden" name="server" value="1"></form></body></html>')

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def reply(self, status, body=b"", headers=()):
        if isinstance(body, str): body = body.encode()
        self.send_response(status)
        for name, value in headers: self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        route = spec.get("routes", {}).get(url.path)
        if route:
            return self.reply(route.get("status", 200), route.get("body", ""), route.get("headers", []))
        if "pma" in spec and url.path == "/":
            return self.reply(200, LOGIN_PAGE % "", [("Set-Cookie", "phpMyAdmin_https=SESSION1; path=/; secure; HttpOnly"),
                                                    ("Set-Cookie", "pma_lang=en; path=/")])
        if "influx" in spec and url.path == "/query":
            influx = spec["influx"]
            query = urllib.parse.parse_qs(url.query).get("q", [""])[0]
            auth = self.headers.get("Authorization", "")
            expected = "Basic " + base64.b64encode((influx["user"] + ":" + influx["password"]).encode()).decode()
            if auth != expected:
                return self.reply(401, '{"error":"authorization failed"}')
            if query != "SHOW DATABASES":
                return self.reply(400, '{"error":"unexpected query %s"}' % query)
            return self.reply(200, json.dumps({"results": [{"statement_id": 0, "series": [{"name": "databases",
                              "columns": ["name"], "values": [["_internal"], [influx["database"]]]}]}]}))
        self.reply(404, "not found")
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        form = urllib.parse.parse_qs(body)
        pma = spec.get("pma")
        url = urllib.parse.urlsplit(self.path)
        if pma and url.path == "/index.php" and urllib.parse.parse_qs(url.query).get("x") == ["1"]:
            cookie = self.headers.get("Cookie", "")
            good = (form.get("pma_username") == [pma["user"]] and form.get("pma_password") == [pma["password"]]
                    and form.get("token") == ["T0K&EN"] and form.get("set_session") == ["SESSION1"]
                    and form.get("server") == ["1"] and "phpMyAdmin_https=SESSION1" in cookie and "pma_lang=en" in cookie)
            if good:
                return self.reply(302, "", [("Location", "index.php?route=/"), ("Set-Cookie", "pmaUser-1_https=ENC; path=/"),
                                            ("Set-Cookie", "pmaAuth-1_https=ENC2; path=/")])
            alert = ('<div class="alert alert-danger" role="alert"><img src="x.png"> mysqli::real_connect(): '
                     '(HY000/1045): Access denied for user &#039;%s&#039;@&#039;10.0.0.5&#039;</div>' % form.get("pma_username", [""])[0])
            return self.reply(200, LOGIN_PAGE % alert, [("Set-Cookie", "pmaAuth-1_https=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT")])
        self.reply(404, "not found")

class Quiet:
    def handle_error(self, request, client_address): pass

class LineHandler(socketserver.StreamRequestHandler):
    def handle(self):
        if spec.get("greeting") is None:
            self.rfile.read()  # silent: say nothing until the client hangs up
            return
        self.wfile.write(spec["greeting"].encode() + b"\r\n")
        replies = spec.get("replies", {})
        for raw in self.rfile:
            line = raw.decode(errors="replace").strip()
            reply = replies.get(line, replies.get(line.split(" ")[0], spec.get("default", "500 Unknown command.")))
            self.wfile.write(reply.encode() + b"\r\n")
            if line == "QUIT" or spec.get("close_after_reply"): return

if mode == "lines":
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    server = type("LineServer", (Quiet, socketserver.ThreadingTCPServer), {})(("127.0.0.1", spec.get("port", 0)), LineHandler)
else:
    ThreadingHTTPServer.allow_reuse_address = True
    server = type("HTTPServer", (Quiet, ThreadingHTTPServer), {})(("127.0.0.1", spec.get("port", 0)), Handler)
    if mode == "tls":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        server.socket = context.wrap_socket(server.socket, server_side=True)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""#
}

extension TestCertificates {
    /// Made once per test run (openssl takes a moment); left in the temporary directory.
    static let verifier = Result { try TestCertificates(serverCommonName: "127.0.0.1") }
}
