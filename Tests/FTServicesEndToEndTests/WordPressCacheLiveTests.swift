import FTServicesCore
import Foundation
import Testing

/// End-to-end: WordPress's page cache (docs/DESIGN.md, "WordPress page cache") on the live stack. The
/// front page is a miss then a hit; a logged-in page (with the admin bar) never reaches a request without
/// the cookie, even right after the logged-in request, and the logged-in request is not stored; a POST is
/// never answered from the cache nor stored; a HEAD answer is not served to a GET; a new post and an
/// approved comment reach anonymous visitors within the lifetime; the admin, the login, the REST API,
/// feeds, previews, unknown query strings and requests with a cookie are never hits.
///
/// Each check first shows that its subject is real: the cached copy is served (a hit without the new
/// post), the logged-in answer has the admin bar, so "never in the anonymous answer" is a real difference.
/// The rules themselves are broken one by one in `WordPressCacheRulesTests`. Same gate as the other live suites.
@Suite(.serialized, .enabled(if: E2E.requested, E2E.notRequested))
struct WordPressCacheLiveTests {
    let address = "127.0.0.1"
    var base: String { "https://\(address):5050/" }
    static let lifetime = Double(PageCache.lifetimeSeconds)
    static let adminBar = #"id="wpadminbar""#

    /// The cache header's value ("" when there is none).
    static func cache(_ response: Curl.Response) -> String { response.values(of: PageCache.header).joined(separator: ",") }

    /// Runs PHP with WordPress loaded, as www-data in the wordpress container (as the entrypoint runs
    /// wp-setup.php); `arguments` are `$argv[1...]`.
    static func wordpressPHP(_ code: String, _ arguments: [String]) throws -> String {
        let prelude = """
            $_SERVER['HTTP_HOST'] = '127.0.0.1:5050'; $_SERVER['HTTPS'] = 'on'; $_SERVER['REQUEST_URI'] = '/';
            $_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1'; require '/usr/share/wordpress/wp-load.php';
            """
        return try Docker.exec(service: "wordpress", ["runuser", "-u", "www-data", "--", "php", "-r", prelude + code, "--"] + arguments)
    }

    @Test("anonymous pages come from the cache; logged-in pages, POSTs and the admin never do; new content shows within the lifetime")
    func pageCacheOnTheLiveStack() throws {
        try E2E.requireReady()
        try E2E.withFreshStack(address: address) { stack in
            let curl = Curl(caFile: stack.state.appendingPathComponent("ca/ca.crt").path)
            let credentials = try Credentials(json: try stack.tool.run(["credentials", "--json"]).stdout)
            let admin = try #require(credentials.all(service: "wordpress").first, "credentials list WordPress's administrator")

            // 1. A miss, then a hit with the same page: on a page nobody asked for yet, and on the front page
            //    (which setup's own checks already asked for: wait for its next render, a MISS or EXPIRED).
            let author = base + "?author=1"
            let first = try curl.get(author)
            let second = try curl.get(author)
            #expect(first.status == 200 && Self.cache(first) == "MISS", "first anonymous author page: \(first), cache \(Self.cache(first))")
            #expect(second.status == 200 && Self.cache(second) == "HIT", "second anonymous author page: \(second), cache \(Self.cache(second))")
            #expect(second.body == first.body && second.body.contains("</html>"), "the hit is the page the miss rendered")
            let rendered = E2E.wait(for: "a render of the front page", within: Self.lifetime + 5, { try curl.get(base) },
                                    until: { ["MISS", "EXPIRED"].contains(Self.cache($0)) })
            let cached = try curl.get(base)
            #expect(rendered?.status == 200 && Self.cache(cached) == "HIT" && cached.body == rendered?.body,
                    "the front page right after its render is a hit with the same page: cache \(Self.cache(cached))")

            // 2. Logged in: the admin bar, never cached (BYPASS); the anonymous request right after it gets no
            //    admin bar. On a page nobody asked for yet, the anonymous request is a MISS: the logged-in
            //    answer was not stored. Then alternately, on the cached front page.
            let jar = FileManager.default.temporaryDirectory.appendingPathComponent("wp-jar-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: jar) }
            #expect(try curl.wordpressLogin(base: base, user: admin.user, password: admin.password ?? "", keeping: jar), "the administrator logs in")
            let samplePage = base + "?page_id=2"
            let loggedIn = try curl.get(samplePage, with: ["-b", jar])
            #expect(loggedIn.status == 200 && loggedIn.body.contains(Self.adminBar), "the logged-in page has the admin bar: \(loggedIn)")
            #expect(Self.cache(loggedIn) == "BYPASS", "a logged-in request bypasses the cache: \(Self.cache(loggedIn))")
            let anonymous = try curl.get(samplePage)
            #expect(anonymous.status == 200 && !anonymous.body.contains(Self.adminBar), "the anonymous page right after has no admin bar")
            #expect(Self.cache(anonymous) == "MISS", "the logged-in answer was not stored: \(Self.cache(anonymous))")
            for round in 1...5 {
                let withCookie = try curl.get(base, with: ["-b", jar])
                let without = try curl.get(base)
                #expect(withCookie.body.contains(Self.adminBar) && Self.cache(withCookie) == "BYPASS",
                        "round \(round): logged in gets its own page, not the cached one (cache \(Self.cache(withCookie)))")
                #expect(without.status == 200 && !without.body.contains(Self.adminBar),
                        "round \(round): the anonymous front page right after a logged-in one has no admin bar (cache \(Self.cache(without)))")
            }

            // 3. A POST is neither answered from the cache nor stored: the GET after it on a fresh page is a MISS.
            let firstPost = base + "?p=1"
            let post = try curl.get(firstPost, with: ["--data", "ftservices=post"])
            #expect(post.status == 200 && ["", "BYPASS"].contains(Self.cache(post)), "a POST is not served from the cache: \(post), cache \(Self.cache(post))")
            let repeated = try curl.get(firstPost, with: ["--data", "ftservices=post"])
            #expect(!["HIT", "MISS"].contains(Self.cache(repeated)), "a POST never looks up the cache: \(Self.cache(repeated))")
            let afterPost = try curl.get(firstPost)
            #expect(Self.cache(afterPost) == "MISS", "the GET after two POSTs renders (nothing was stored): \(Self.cache(afterPost))")
            #expect(Self.cache(try curl.get(firstPost)) == "HIT", "and the page is cacheable: the MISS above is the POST's doing")

            // 4. HEAD and GET are cached apart: a GET after a HEAD still gets the whole page.
            let category = base + "?cat=1"
            let head = try curl.get(category, with: ["-I"])
            #expect(head.status == 200 && Self.cache(head) == "MISS", "HEAD: \(head), cache \(Self.cache(head))")
            let afterHead = try curl.get(category)
            #expect(afterHead.body.contains("</html>") && Self.cache(afterHead) == "MISS", "the GET after a HEAD renders the whole page: \(Self.cache(afterHead))")

            // 5. Never a hit: each asked twice without a cookie, the second is still a BYPASS.
            let never = ["wp-admin/", "wp-login.php", "wp-json/", "index.php?rest_route=/", "index.php/wp-json/", "%77p-login.php",
                         "feed/", "comments/feed/", "?feed=rss2", "?p=1&preview=true", "?s=hello", "?utm_source=mail", "?p=1&x=1"]
            for path in never {
                _ = try curl.get(base + path)
                let again = try curl.get(base + path)
                #expect(Self.cache(again) == "BYPASS", "\(path) twice: the second is \(again) with cache \(Self.cache(again)), expected BYPASS")
            }
            for cookie in ["comment_author_0123=Ann", "wp-postpass_0123=x", "wordpress_test_cookie=WP%20Cookie%20check", "theme=dark"] {
                let withCookie = try curl.get(base, with: ["-H", "Cookie: \(cookie)"])
                #expect(Self.cache(withCookie) == "BYPASS", "with the cookie \(cookie): cache \(Self.cache(withCookie)), expected BYPASS")
            }

            // 6. A new post reaches the anonymous front page within the lifetime. Wait for a fresh copy of the
            //    front page (so the lifetime ahead is known), publish, see the cached copy still served, then
            //    poll until the post shows.
            E2E.wait(for: "a fresh render of the front page", within: Self.lifetime + 5, { Self.cache(try curl.get(base)) },
                     until: { $0 == "MISS" || $0 == "EXPIRED" })
            let title = "ftservices cache check \(UUID().uuidString.prefix(8))"
            let published = Date()
            let postID = try Self.wordpressPHP("""
                echo wp_insert_post(['post_title' => $argv[1], 'post_content' => 'A post of the live test.', 'post_status' => 'publish', 'post_author' => 1]);
                """, [title])
            try #require(Int(postID) ?? 0 > 0, "a post was created: \(postID)")
            let stale = try curl.get(base)
            #expect(Self.cache(stale) == "HIT" && !stale.body.contains(title),
                    "right after publishing, the cached front page is served without the post (cache \(Self.cache(stale))): the wait below measures the cache")
            let fresh = E2E.wait(for: "the new post on the anonymous front page", within: Self.lifetime + 5, { try curl.get(base) },
                                 until: { $0.body.contains(title) })
            let delay = Date().timeIntervalSince(published)
            print("new post on the anonymous front page after \(String(format: "%.1f", delay)) s (lifetime \(Int(Self.lifetime)) s), cache \(fresh.map(Self.cache) ?? "-")")
            // nginx dates the copy in whole seconds: it is served until the second after the lifetime ends.
            #expect(delay <= Self.lifetime + 2, "the post showed after \(delay) s, more than the lifetime (+1 s, + one render)")

            // 7. An approved comment reaches the anonymous post page within the lifetime.
            let postPage = base + "?p=\(postID)"
            E2E.wait(for: "the post page cached", within: 10, { Self.cache(try curl.get(postPage)) }, until: { $0 == "HIT" })
            let comment = "ftservices comment \(UUID().uuidString.prefix(8))"
            let commented = Date()
            let commentID = try Self.wordpressPHP("""
                echo wp_insert_comment(['comment_post_ID' => (int) $argv[1], 'comment_content' => $argv[2], 'comment_author' => 'ftservices', 'comment_approved' => 1]);
                """, [postID, comment])
            try #require(Int(commentID) ?? 0 > 0, "a comment was created: \(commentID)")
            E2E.wait(for: "the approved comment on the anonymous post page", within: Self.lifetime + 5, { try curl.get(postPage) },
                     until: { $0.body.contains(comment) })
            #expect(Date().timeIntervalSince(commented) <= Self.lifetime + 2, "the comment showed within the lifetime")
        }
    }
}
