import Foundation

/// WordPress's page cache: nginx's `fastcgi_cache` in the wordpress container, in front of php-fpm
/// (docs/DESIGN.md, "WordPress page cache"). Anonymous GET and HEAD pages are kept for a short
/// lifetime; anything that could be personal (a cookie, credentials, another method, the admin, the
/// login, the REST API, feeds, previews, an unknown query string) goes to PHP and is never stored.
///
/// The same values feed the wordpress image's nginx config (through ``TemplateContext``), the live
/// tests (which wait at most ``lifetimeSeconds`` plus a margin for a new post) and the container's
/// writable paths.
public enum PageCache {
    /// Where nginx keeps the cached pages (the `fastcgi_cache_path`), owned by nginx's workers' user.
    /// Nothing in it outlives the container: a new container starts with an empty cache.
    public static let directory = "/var/cache/nginx/wordpress"
    /// How long a page is served from the cache: a new post or an approved comment reaches anonymous
    /// visitors within this many seconds (plus one render while the entry is refreshed).
    public static let lifetimeSeconds = 10
    /// nginx's `max_size` for the cache: the cache manager removes the least recently used pages past it.
    public static let maxSizeMiB = 32
    /// What the directory needs as a tmpfs: ``maxSizeMiB`` plus room for the entries being written while
    /// the cache manager (every few seconds) catches up with the limit.
    public static let tmpfsMiB = 64
    /// The response header saying what the cache did (`$upstream_cache_status`: MISS, HIT, EXPIRED,
    /// UPDATING, BYPASS); absent where the cache is not consulted (POST, static files, other sites).
    public static let header = "X-FTServices-Cache"
}
