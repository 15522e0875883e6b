import Foundation

/// A fake server on 127.0.0.1 (one small Python script) that a test starts and stops, told by a spec what
/// to answer. The one fake behind the libcurl wrapper's tests and the verifier's.
///
/// Modes: `http` and `tls` (HTTP over TLS with `certificate`) answer from the spec's keys:
/// - `routes`: path → `{"status", "body", "headers": [[name, value]], "chunks": [text], "interval": s, "repeat": n}`;
///   a route with `chunks` streams them with chunked encoding, `interval` seconds apart, `repeat` times over;
/// - `echo`: POST, PUT and DELETE answer "METHOD BODY", with the request's Content-Type in `X-Content-Type`;
/// - `pma`: `{"user", "password"}`, a fake phpMyAdmin login at `/`;
/// - `influx`: `{"user", "password", "database"}`, a fake InfluxDB `/query` that answers `SHOW DATABASES`.
/// HEAD answers a route's status and headers without its body; anything else is 404.
///
/// Mode `lines` greets with `greeting` (or stays silent without one) and answers each line from `replies`
/// (by the whole line, then by its first word), else `default` ("500 Unknown command."); it hangs up after
/// QUIT, or after every reply with `close_after_reply`; with `log`, every line received is appended to that
/// file. Every mode listens on `port` when given.
public final class TestServer: @unchecked Sendable {
    private let server: PythonServer
    public var port: Int { server.port }

    /// Starts `python3 server.py MODE SPEC-JSON [CERT KEY]` and reads the port it prints.
    public init(_ mode: String, _ spec: [String: Any] = [:], certificate: (cert: String, key: String)? = nil) throws {
        let specText = String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)
        server = try PythonServer(script: Self.script, arguments: [mode, specText] + (certificate.map { [$0.cert, $0.key] } ?? []), name: mode)
    }

    public func stop() { server.stop() }

    /// A TCP port on 127.0.0.1 that nothing listens on.
    public static func closedPort() throws -> Int { try PythonServer.closedPort() }

    static let script = #"""
import base64, json, signal, socketserver, ssl, sys, time, urllib.parse
# The test runner blocks signals in its threads and children inherit that mask: undo it so that
# terminate() ends this server.
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
    def reply(self, status, body=b"", headers=(), head=False):
        if isinstance(body, str): body = body.encode()
        self.send_response(status)
        for name, value in headers: self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head: self.wfile.write(body)
    def stream(self, route):
        self.send_response(route.get("status", 200))
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for _ in range(route.get("repeat", 1)):
                for chunk in route["chunks"]:
                    data = chunk.encode()
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                    self.wfile.flush()
                    time.sleep(route.get("interval", 0))
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client hung up
    def do_GET(self, head=False):
        url = urllib.parse.urlsplit(self.path)
        route = spec.get("routes", {}).get(url.path)
        if route and "chunks" in route and not head:
            return self.stream(route)
        if route:
            return self.reply(route.get("status", 200), route.get("body", ""), route.get("headers", []), head)
        if "pma" in spec and url.path == "/":
            return self.reply(200, LOGIN_PAGE % "", [("Set-Cookie", "phpMyAdmin_https=SESSION1; path=/; secure; HttpOnly"),
                                                    ("Set-Cookie", "pma_lang=en; path=/")], head)
        if "influx" in spec and url.path == "/query":
            influx = spec["influx"]
            query = urllib.parse.parse_qs(url.query).get("q", [""])[0]
            auth = self.headers.get("Authorization", "")
            expected = "Basic " + base64.b64encode((influx["user"] + ":" + influx["password"]).encode()).decode()
            if auth != expected:
                return self.reply(401, '{"error":"authorization failed"}', head=head)
            if query != "SHOW DATABASES":
                return self.reply(400, '{"error":"unexpected query %s"}' % query, head=head)
            return self.reply(200, json.dumps({"results": [{"statement_id": 0, "series": [{"name": "databases",
                              "columns": ["name"], "values": [["_internal"], [influx["database"]]]}]}]}), head=head)
        self.reply(404, "not found", head=head)
    def do_HEAD(self):
        self.do_GET(head=True)
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = raw.decode()
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
        if spec.get("echo"):
            return self.reply(200, self.command.encode() + b" " + raw, [("X-Content-Type", self.headers.get("Content-Type", ""))])
        self.reply(404, "not found")
    do_PUT = do_POST
    do_DELETE = do_POST

class Quiet:
    def handle_error(self, request, client_address): pass  # clients that hang up are expected

class LineHandler(socketserver.StreamRequestHandler):
    def handle(self):
        if spec.get("greeting") is None:
            self.rfile.read()  # silent: say nothing until the client hangs up
            return
        self.wfile.write(spec["greeting"].encode() + b"\r\n")
        replies = spec.get("replies", {})
        for raw in self.rfile:
            line = raw.decode(errors="replace").strip()
            if spec.get("log"):
                with open(spec["log"], "a") as log: log.write(line + "\n")
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
    /// For a server reached as `localhost`. Made once per test run (openssl takes a moment); left in the
    /// temporary directory.
    public static let localhost = Result { try TestCertificates(serverCommonName: "localhost") }

    /// For a server reached as `127.0.0.1`. Made once per test run.
    public static let loopback = Result { try TestCertificates(serverCommonName: "127.0.0.1") }
}
