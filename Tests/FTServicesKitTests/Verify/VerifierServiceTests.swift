import FTServicesCore
import Foundation
import Testing
import FTServicesTestSupport
@testable import FTServicesKit

/// The verifier's login and application probes against local fakes: each passes against a healthy
/// fake and fails, saying why, when the fake is broken (wrong password, database down, no container).
@Suite struct VerifierServiceTests {
    let certificates: TestCertificates

    init() throws {
        certificates = try TestCertificates.loopback.get()
    }

    func check(_ probe: CheckProbe, passwords: [SecretKey: String] = [:], engine: (any ContainerEngineAPI)? = nil,
               timeout: Duration? = nil) async -> CheckResult {
        let verifier = VerifierTests.verifier(caFile: certificates.caFile, passwords: passwords, engine: engine)
        return await verifier.check(CheckSpec(name: "test", group: .services, target: "t", expected: "e", probe: probe, timeout: timeout))
    }

    // MARK: FTP

    static let vsftpdGreeting = "220 (vsFTPd 3.0.3)"
    let ftpLogin = CheckProbe.Login(user: "ftpuser", passwordSecret: .ftpPassword)

    @Test func plainFTPRefusedPassesOnlyOn530() async throws {
        let vsftpd = try TestServer("lines", ["greeting": Self.vsftpdGreeting,
                                                     "replies": ["USER": "530 Non-anonymous sessions must use encryption."]])
        let refused = await check(.ftpPlainRefused(host: "127.0.0.1", port: vsftpd.port, login: ftpLogin), passwords: [.ftpPassword: "pw"])
        #expect(refused.pass, "\(refused.observed)")
        #expect(refused.observed.hasPrefix("refused: "))

        let open = try TestServer("lines", ["greeting": "220 open FTP", "default": "200 OK", "replies": [
            "USER": "331 Please specify the password.", "PASS": "230 Login successful.", "PWD": "257 \"/\" is the current directory",
            "QUIT": "221 Goodbye.",
        ]])
        let accepted = await check(.ftpPlainRefused(host: "127.0.0.1", port: open.port, login: ftpLogin), passwords: [.ftpPassword: "pw"])
        #expect(!accepted.pass)
        #expect(accepted.observed == "a plain-text login is possible: the server asked for a password without TLS (\"331 Please specify the password.\" to USER)")

        let closed = try TestServer.closedPort()
        let down = await check(.ftpPlainRefused(host: "127.0.0.1", port: closed, login: ftpLogin), passwords: [.ftpPassword: "pw"])
        #expect(!down.pass, "a server that is not there does not refuse anything")
        #expect(down.observed.contains("127.0.0.1:\(closed)"))
    }

    @Test func ftpsRoundTripFailsWhenTLSIsNotOffered() async throws {
        let noTLS = try TestServer("lines", ["greeting": "220 plain only", "default": "500 AUTH not understood"])
        let result = await check(.ftpsRoundTrip(host: "127.0.0.1", port: noTLS.port, login: ftpLogin, passive: 21000...21004),
                                 passwords: [.ftpPassword: "pw"])
        #expect(!result.pass)
        #expect(result.observed.hasPrefix("upload failed: TLS failed with 127.0.0.1:\(noTLS.port)"), "\(result.observed)")
    }

    @Test func aMissingPasswordSaysSo() async throws {
        let result = await check(.ftpsRoundTrip(host: "127.0.0.1", port: 21, login: ftpLogin, passive: 21000...21004))
        #expect(!result.pass)
        #expect(result.observed == "no password ftp_password in the state directory (run `ftservices setup`)")
    }

    // MARK: SSH (failure modes; a real sshd is exercised by the end-to-end tests)

    @Test func sshChecksFailWithoutAnSSHServer() async throws {
        let ftp = try TestServer("lines", ["greeting": Self.vsftpdGreeting])
        let login = await check(.sshLogin(host: "127.0.0.1", port: ftp.port, user: "ftssh"), timeout: .seconds(2))
        #expect(!login.pass)
        #expect(login.observed.contains("127.0.0.1:\(ftp.port)"))
        let closed = try TestServer.closedPort()
        let root = await check(.sshRootRefused(host: "127.0.0.1", port: closed))
        #expect(!root.pass, "a refused connection is not a refused root login")
        #expect(root.observed.contains("Connection refused"))
    }

    // MARK: phpMyAdmin

    @Test func phpMyAdminLogsInWithTheRightPassword() async throws {
        let server = try TestServer("tls", ["pma": ["user": "dbadmin", "password": "s3cret"]], certificate: certificates.server)
        let login = CheckProbe.Login(user: "dbadmin", passwordSecret: .mysqlAdminPassword)
        let url = "https://127.0.0.1:\(server.port)/"
        let good = await check(.phpMyAdminLogin(url: url, login: login), passwords: [.mysqlAdminPassword: "s3cret"])
        #expect(good.pass, "\(good.observed)")
        #expect(good.observed == "logged in as dbadmin (HTTP 302, auth cookie set)")

        let wrong = await check(.phpMyAdminLogin(url: url, login: login), passwords: [.mysqlAdminPassword: "wrong"])
        #expect(!wrong.pass)
        #expect(wrong.observed == "login as dbadmin refused: HTTP 200, mysqli::real_connect(): (HY000/1045): Access denied for user 'dbadmin'@'10.0.0.5'")
    }

    @Test func phpMyAdminWithoutItsLoginPageFails() async throws {
        let server = try TestServer("tls", ["routes": ["/": ["status": 502, "body": "Bad Gateway"]]], certificate: certificates.server)
        let result = await check(.phpMyAdminLogin(url: "https://127.0.0.1:\(server.port)/",
                                                  login: .init(user: "dbadmin", passwordSecret: .mysqlAdminPassword)),
                                 passwords: [.mysqlAdminPassword: "pw"])
        #expect(!result.pass)
        #expect(result.observed == "GET https://127.0.0.1:\(server.port)/ answered HTTP 502 without the login form")
    }

    @Test func loginFormParsing() {
        let html = #"<form method="post" id="login_form" action="index.php?route=/&amp;lang=en" class="x"><input type='hidden' name=token value="a&amp;b"><input type="text" name="pma_username"><input type="hidden" name="server" value="1"></form><input type="hidden" name="outside" value="no">"#
        let form = PhpMyAdminLogin.loginForm(html)
        #expect(form.action == "index.php?route=/&lang=en")
        #expect(form.hidden.map(\.name) == ["token", "server"])
        #expect(form.hidden.map(\.value) == ["a&b", "1"])
        #expect(PhpMyAdminLogin.formEncode([("pma_password", "a b&c=d/é")]) == "pma_password=a%20b%26c%3Dd%2F%C3%A9")
    }

    // MARK: WordPress and Grafana

    @Test func wordpressSiteNeedsItsTitleAndItsDatabase() async throws {
        let server = try TestServer("tls", ["routes": [
            "/": ["body": "<title>ft_services</title>"],
            "/nodb/": ["status": 500, "body": "<h1>Error establishing a database connection</h1>"],
            "/other/": ["body": "<title>Welcome to nginx</title>"],
        ]], certificate: certificates.server)
        let base = "https://127.0.0.1:\(server.port)"
        let good = await check(.wordpressSite(url: base + "/", title: "ft_services"))
        #expect(good.pass, "\(good.observed)")
        let noDatabase = await check(.wordpressSite(url: base + "/nodb/", title: "ft_services"))
        #expect(!noDatabase.pass)
        #expect(noDatabase.observed == "HTTP 500: Error establishing a database connection")
        let notWordPress = await check(.wordpressSite(url: base + "/other/", title: "ft_services"))
        #expect(!notWordPress.pass)
        #expect(notWordPress.observed.hasSuffix("without \"ft_services\""))
    }

    @Test func grafanaHealthNeedsDatabaseOK() async throws {
        let server = try TestServer("tls", ["routes": [
            "/api/health": ["body": #"{"commit":"abc","database":"ok","version":"11.3.0"}"#],
            "/bad/api/health": ["status": 503, "body": #"{"database":"failing","version":"11.3.0"}"#],
            "/html/api/health": ["body": "<html>"],
        ]], certificate: certificates.server)
        let base = "https://127.0.0.1:\(server.port)"
        let good = await check(.grafanaHealth(url: base + "/api/health"))
        #expect(good.pass)
        #expect(good.observed == "HTTP 200, database ok, version 11.3.0")
        let failing = await check(.grafanaHealth(url: base + "/bad/api/health"))
        #expect(!failing.pass)
        #expect(failing.observed == "HTTP 503, database failing, version 11.3.0")
        let notGrafana = await check(.grafanaHealth(url: base + "/html/api/health"))
        #expect(!notGrafana.pass)
    }

    // MARK: InfluxDB inside the stack

    func influxEngine(password: String, running: Bool = true) throws -> FakeEngine {
        let secrets = try TestFiles.directory()
        try password.appending("\n").write(to: secrets.appendingPathComponent("influxdb_admin_password"), atomically: true, encoding: .utf8)
        let task = EngineAPI.ServiceTask(id: "t1", desiredState: running ? "running" : "shutdown",
                                         status: .init(state: running ? "running" : "failed", containerStatus: .init(containerID: "c1")))
        return FakeEngine(tasks: [task], secretsDirectory: secrets)
    }

    func influxProbe(port: Int) -> CheckProbe {
        .influxInside(service: .influxdb, url: "http://127.0.0.1:\(port)", login: .init(user: "admin", passwordSecret: .influxdbAdminPassword),
                      database: "ftservices")
    }

    @Test func influxAnswersInsideWithTheSecretFromTheContainer() async throws {
        let influx = try TestServer("http", ["influx": ["user": "admin", "password": "p4ss", "database": "ftservices"]])
        let good = await check(influxProbe(port: influx.port), engine: try influxEngine(password: "p4ss"))
        #expect(good.pass, "\(good.observed)")
        #expect(good.observed == "HTTP 200 to SHOW DATABASES as admin, lists ftservices")

        let wrong = await check(influxProbe(port: influx.port), engine: try influxEngine(password: "nope"))
        #expect(!wrong.pass)
        #expect(wrong.observed.hasPrefix("HTTP 401 to SHOW DATABASES as admin, without ftservices"))
    }

    @Test func influxFailsWithoutARunningContainer() async throws {
        let result = await check(influxProbe(port: 1), engine: try influxEngine(password: "p", running: false))
        #expect(!result.pass)
        #expect(result.observed == "no running task of ftservices_influxdb (`ftservices status` shows why)")
    }

    @Test func thePasswordIsNeverOnTheCommandLine() {
        let command = Verifier.influxQueryCommand(url: "http://127.0.0.1:8086", user: "admin", secret: .influxdbAdminPassword, maxSeconds: 4)
        #expect(command.prefix(2) == ["sh", "-c"])
        #expect(Array(command.dropFirst(3)) == ["sh", "admin", "influxdb_admin_password", "http://127.0.0.1:8086", "4"])
        #expect(command[2].contains("-K -"), "curl reads user:password from its config on stdin")
    }
}
