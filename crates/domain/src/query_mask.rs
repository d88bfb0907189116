//! Credentials carried in a URL's query string (the portal's `?jwt=` logins, `?token=` links)
//! never reach a log line or the audit log: their values are masked wherever a path is kept.

/// The query parameters whose values are credentials.
pub const QUERY_SECRETS: [&str; 2] = ["jwt", "token"];

/// `path` (with its query) with the value of every [`QUERY_SECRETS`] parameter replaced by
/// `********` (names compared case-insensitively, percent-encoded or not).
pub fn mask_query_secrets(path: &str) -> String {
    let Some((path, query)) = path.split_once('?') else { return path.to_owned() };
    let masked: Vec<String> = query
        .split('&')
        .map(|pair| {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            let plain = name.replace("%5F", "_").replace("%5f", "_").to_ascii_lowercase();
            if QUERY_SECRETS.iter().any(|secret| plain == *secret) {
                format!("{name}=********")
            } else {
                pair.to_owned()
            }
        })
        .collect();
    format!("{path}?{}", masked.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_and_token_values_are_masked_and_the_rest_is_kept() {
        assert_eq!(mask_query_secrets("/a/login?jwt=eyJ.x.y"), "/a/login?jwt=********");
        assert_eq!(mask_query_secrets("/a?x=1&Token=abc&y=2"), "/a?x=1&Token=********&y=2");
        assert_eq!(mask_query_secrets("/a?token"), "/a?token=********");
        assert_eq!(mask_query_secrets("/a?tokens=1&version=3"), "/a?tokens=1&version=3");
        assert_eq!(mask_query_secrets("/plain"), "/plain");
    }
}
