import Foundation
import FTServicesTestSupport

/// A helper server (a small Python script) on 127.0.0.1, started by a test and stopped by it.
///
/// Modes: `http` and `tls` serve fixed routes (see `script`), `banner` greets and answers lines.
final class TestServer: @unchecked Sendable {
    private let server: PythonServer
    var port: Int { server.port }

    /// Starts `python3 script MODE BANNER ARGS...` and waits for it to print its port.
    init(_ mode: String, _ arguments: [String] = [], banner: String = "220 FakeFTP ready") throws {
        server = try PythonServer(script: Self.script, arguments: [mode, banner] + arguments, name: mode)
    }

    func stop() { server.stop() }

    /// A TCP port on 127.0.0.1 that nothing listens on.
    static func closedPort() throws -> Int { try PythonServer.closedPort() }

    static let script = #"""
import signal, socket, socketserver, ssl, sys, time, threading
# The test runner blocks signals in its threads and children inherit that mask: undo it so that
# terminate() ends this server.
signal.pthread_sigmask(signal.SIG_SETMASK, [])
signal.signal(signal.SIGTERM, signal.SIG_DFL)
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

mode, banner = sys.argv[1], sys.argv[2]

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers: self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        if self.path == "/ok":
            self.reply(200, b"hello", [("X-Test", "yes"), ("Content-Type", "text/plain")])
        elif self.path == "/redirect":
            self.reply(301, b"", [("Location", "/ok")])
        elif self.path.startswith("/status/"):
            self.reply(int(self.path.split("/")[2]), b'{"message":"no such thing"}')
        elif self.path == "/stream":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(3):
                line = ('{"n":%d}\n' % i).encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
                self.wfile.flush()
                time.sleep(0.1)
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/forever":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for i in range(600):
                    line = b"tick\n"
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                pass
        else:
            self.reply(404, b"not found")
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.reply(200, self.command.encode() + b" " + body, [("X-Content-Type", self.headers.get("Content-Type", ""))])
    def do_HEAD(self):
        self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Length", "5")
        self.end_headers()
    do_PUT = do_POST
    do_DELETE = do_POST

class Quiet:
    def handle_error(self, request, client_address): pass  # clients that hang up are expected

class LineHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(banner.encode() + b"\r\n")
        for raw in self.rfile:
            line = raw.decode(errors="replace").strip()
            if line == "AUTH TLS": self.wfile.write(b"234 Proceed with negotiation.\r\n")
            elif line == "MULTI": self.wfile.write(b"211-first\r\n211-second\r\n211 end\r\n")
            elif line == "QUIT":
                self.wfile.write(b"221 Goodbye.\r\n")
                return
            else: self.wfile.write(b"500 Unknown command.\r\n")

if mode == "banner":
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    server = type("LineServer", (Quiet, socketserver.ThreadingTCPServer), {})(("127.0.0.1", 0), LineHandler)
else:
    server = type("HTTPServer", (Quiet, ThreadingHTTPServer), {})(("127.0.0.1", 0), Handler)
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
    static let shared = Result { try TestCertificates(serverCommonName: "localhost") }
}
