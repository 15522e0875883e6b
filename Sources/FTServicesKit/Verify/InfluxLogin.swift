import Foundation

/// The one way the tool talks to InfluxDB inside its container: a `sh -c` script whose `$1` is the user
/// and `$2` the secret holding the password. The password is read there from `/run/secrets/$2` and handed
/// to curl as a config on stdin, so it is never on a command line (`ps`, `docker inspect`, exec records).
enum InfluxLogin {
    /// The start of such a script, up to and including `curl -sS -K -`; callers append curl's own options
    /// and URL (using `$3` onwards for their arguments).
    static let curlScriptPrefix = #"pw=$(tr -d '\n' < "/run/secrets/$2") || exit 3; "#
        + #"printf 'user = "%s:%s"\n' "$1" "$pw" | curl -sS -K - "#
}
