import Foundation
import Testing
@testable import FTServicesCore

/// The rules of WordPress's page cache (`templates/wordpress/wordpress-cache.conf`, used by the site in
/// `wordpress.conf`): the rendered maps are evaluated for requests a visitor, a logged-in user or an
/// attacker would send, and each must be cached or skipped as docs/DESIGN.md says. Then each rule is
/// broken in turn, to show the table notices. The live stack is `WordPressCacheLiveTests`.
@Suite struct WordPressCacheRulesTests {
    let stack = Stack(config: .defaults)

    func rendered(_ name: String) throws -> String {
        let renderer = TemplateRenderer(templatesDirectory: Golden.templatesDirectory, stack: stack)
        let file = try #require(try renderer.render(image: .wordpress).first { $0.path == "wordpress/\(name)" }, "wordpress/\(name) is rendered")
        return file.text
    }

    /// A request as nginx's variables see it in the PHP location: `uri` is the script after try_files
    /// (`/index.php` for a pretty URL), `request_uri` what the client sent.
    struct Request: CustomStringConvertible, Sendable {
        var requestURI: String
        var uri: String? = nil
        var cookie: String = ""
        var authorization: String = ""

        var args: String { requestURI.firstIndex(of: "?").map { String(requestURI[requestURI.index(after: $0)...]) } ?? "" }
        var variables: [String: String] {
            let path = requestURI.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            return ["request_uri": requestURI, "uri": uri ?? (path.hasSuffix(".php") ? path : "/index.php"), "args": args,
                    "http_cookie": cookie, "http_authorization": authorization]
        }
        var description: String {
            "GET \(requestURI)" + (uri.map { " (script \($0))" } ?? "") + (cookie.isEmpty ? "" : " Cookie: \(cookie)")
                + (authorization.isEmpty ? "" : " Authorization: \(authorization)")
        }
    }

    /// Anonymous pages of the site: cached.
    static let cached: [Request] = [
        Request(requestURI: "/"),
        Request(requestURI: "/?p=12"), Request(requestURI: "/?page_id=2"), Request(requestURI: "/?paged=2"),
        Request(requestURI: "/?cat=3"), Request(requestURI: "/?author=1"), Request(requestURI: "/?m=202401"),
        Request(requestURI: "/hello-world/"), Request(requestURI: "/2024/01/02/hello-world/"),
        Request(requestURI: "/sample-page/"), Request(requestURI: "/caf%C3%A9/"), Request(requestURI: "/feeding-the-cat/"),
        Request(requestURI: "/index.php"),
    ]

    /// Requests that may be personal or must be fresh: never answered from the cache, never stored.
    static let skipped: [Request] = [
        // A WordPress login, comment author, post password: any cookie, however its name is spelled.
        Request(requestURI: "/", cookie: "wordpress_logged_in_0123abcd=admin%7C1700000000%7Ctoken%7Chmac"),
        Request(requestURI: "/", cookie: "theme=dark; wordpress_sec_0123abcd=x"),
        Request(requestURI: "/", cookie: "comment_author_0123abcd=Ann"),
        Request(requestURI: "/?p=12", cookie: "wp-postpass_0123abcd=%24P%24B"),
        Request(requestURI: "/", cookie: "wordpress%5Flogged%5Fin_0123abcd=x"),
        Request(requestURI: "/", cookie: "wordpress.logged.in_0123abcd=x"),
        Request(requestURI: "/", cookie: "anything=1"),
        Request(requestURI: "/", authorization: "Basic YWRtaW46cGFzc3dvcmQ="),
        // The admin, the login, the API and the other /wp-* scripts, however the path is spelled.
        Request(requestURI: "/wp-admin/", uri: "/wp-admin/index.php"),
        Request(requestURI: "/wp-admin/edit.php"),
        Request(requestURI: "/wp-login.php"), Request(requestURI: "/wp-login.php?action=lostpassword"),
        Request(requestURI: "/%77p-login.php", uri: "/wp-login.php"),
        Request(requestURI: "//wp-admin/", uri: "/wp-admin/index.php"),
        Request(requestURI: "/./wp-login.php", uri: "/wp-login.php"), Request(requestURI: "/x/../wp-admin/", uri: "/wp-admin/index.php"),
        Request(requestURI: "/WP-LOGIN.PHP", uri: "/WP-LOGIN.PHP"),
        Request(requestURI: "/wp-json/wp/v2/users"), Request(requestURI: "/wp-json/"),
        Request(requestURI: "/index.php/wp-json/wp/v2/users"),
        Request(requestURI: "/%77p-json/wp/v2/users"), Request(requestURI: "/wp%2Djson/wp/v2/users"),
        Request(requestURI: "/?rest_route=/wp/v2/users"),
        Request(requestURI: "/xmlrpc.php"), Request(requestURI: "/wp-cron.php"), Request(requestURI: "/wp-comments-post.php"),
        Request(requestURI: "/wp-signup.php"), Request(requestURI: "/wp-trackback.php?p=1"),
        // Feeds and previews.
        Request(requestURI: "/feed/"), Request(requestURI: "/feed"), Request(requestURI: "/comments/feed/"),
        Request(requestURI: "/category/news/feed/atom/"), Request(requestURI: "/category/news/rss2/"),
        Request(requestURI: "/?feed=rss2"), Request(requestURI: "/hello-world/feed/"),
        Request(requestURI: "/?p=12&preview=true"), Request(requestURI: "/hello-world/?preview=true"),
        Request(requestURI: "/?preview_id=12&preview_nonce=abc&preview=true"),
        // Query strings not known to be safe.
        Request(requestURI: "/?s=hello"), Request(requestURI: "/?utm_source=mail"), Request(requestURI: "/?p=abc"),
        Request(requestURI: "/?p=12&p=13"), Request(requestURI: "/?p=12&unapproved=4&moderation-hash=abc"),
        Request(requestURI: "/?P=12"), Request(requestURI: "/?p=12&"),
    ]

    /// Requests whose `$fts_wp_skip_cache` is not what the tables say, in `maps`.
    func misjudged(_ maps: NginxMaps) -> [String] {
        let wrongCached = Self.cached.filter { maps.value(of: "fts_wp_skip_cache", request: $0.variables) != "0" }
        let wrongSkipped = Self.skipped.filter { maps.value(of: "fts_wp_skip_cache", request: $0.variables) != "1" }
        return wrongCached.map { "cached but skipped: \($0)" } + wrongSkipped.map { "skipped but cacheable: \($0)" }
    }

    @Test func anonymousPagesAreCachedAndEverythingPersonalIsSkipped() throws {
        let maps = try NginxMaps(config: try rendered("wordpress-cache.conf"))
        let wrong = misjudged(maps)
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
    }

    /// Each rule (one map) is needed: with it answering 0 for everything, some request of the table is
    /// cached that must not be.
    @Test(arguments: ["fts_wp_skip_cookie", "fts_wp_skip_authorization", "fts_wp_skip_args", "fts_wp_skip_request_uri", "fts_wp_skip_script"])
    func eachRuleIsNeeded(rule: String) throws {
        let config = try rendered("wordpress-cache.conf")
        let block = try #require(config.range(of: #"map \S+ \$\#(rule) \{[^}]*\}"#, options: .regularExpression), "map $\(rule) is in the config")
        let broken = config.replacingCharacters(in: block, with: "map $uri $\(rule) { default 0; }")
        let wrong = misjudged(try NginxMaps(config: broken))
        #expect(!wrong.isEmpty, "with $\(rule) always 0, no request of the table changes: the rule is not tested")
        #expect(wrong.allSatisfy { $0.hasPrefix("skipped but cacheable") }, "\(wrong)")
    }

    /// The site's PHP location asks the maps both whether to answer from the cache and whether to store,
    /// keys by method and both hosts, and leaves nginx's refusal to store answers with Set-Cookie,
    /// Cache-Control: no-cache/private or an Expires in the past alone.
    @Test func theSiteUsesTheRulesForLookupAndStorage() throws {
        let site = try rendered("wordpress.conf")
        let cache = try rendered("wordpress-cache.conf")
        let php = try #require(site.range(of: #"location ~ \\\.php\$ \{\n[^}]*\}"#, options: .regularExpression).map { String(site[$0]) },
                               "wordpress.conf has the PHP location")
        for line in ["fastcgi_cache wordpress;", "fastcgi_cache_bypass $fts_wp_skip_cache;", "fastcgi_no_cache $fts_wp_skip_cache;",
                     "fastcgi_cache_methods GET HEAD;", "fastcgi_cache_valid 200 301 302 \(PageCache.lifetimeSeconds)s;",
                     #"fastcgi_cache_key "$scheme|$request_method|$host|$http_host|$request_uri";"#] {
            #expect(php.contains(line), "the PHP location has `\(line)`:\n\(php)")
        }
        #expect((site + cache).range(of: #"(?m)^\s*fastcgi_ignore_headers"#, options: .regularExpression) == nil,
                "nginx keeps refusing to store answers with Set-Cookie or no-cache")
        #expect(cache.contains("fastcgi_cache_path \(PageCache.directory) "), "the cache lives in \(PageCache.directory)")
        #expect(cache.contains("max_size=\(PageCache.maxSizeMiB)m"))
        #expect(PageCache.tmpfsMiB > PageCache.maxSizeMiB, "the tmpfs has room past max_size")
        #expect(cache.contains("add_header \(PageCache.header) $upstream_cache_status always;"))
        #expect(!site.contains("add_header"), "no add_header in the server: it would drop the TLS headers")
        let entrypoint = try rendered("entrypoint")
        #expect(entrypoint.contains("install -d -o www-data -g www-data -m 0700 \(PageCache.directory)"), "the entrypoint prepares the directory")
        let healthcheck = try rendered("healthcheck")
        #expect(healthcheck.contains("-b ftservices_healthcheck=1"), "the healthcheck reaches PHP and the database, not the cache")
    }

    @Test func theInterpreterReadsNginxsSyntax() throws {
        let maps = try NginxMaps(config: #"""
            # a comment { with braces; }
            map $http_x $a { "" 0; "~*^Yes\.?$" 1; exact 2; default 3; }
            map "$a-$args" $b { "~^1-" one; default other; }
            server { listen 1; location / { return 200; } }
            """#)
        #expect(maps.value(of: "a", request: [:]) == "0")
        #expect(maps.value(of: "a", request: ["http_x": "YES."]) == "1")
        #expect(maps.value(of: "a", request: ["http_x": "exact"]) == "2")
        #expect(maps.value(of: "a", request: ["http_x": "yes!"]) == "3")
        #expect(maps.value(of: "b", request: ["http_x": "yes", "args": "q"]) == "one")
        #expect(maps.value(of: "b", request: ["http_x": "no", "args": "q"]) == "other")
    }
}
