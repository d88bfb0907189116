//! What a branding value that a web console loads or links to may be: a relative path or an
//! `https:` URL, and, for images only, an inline raster image. A console renders these values
//! into `href`, `src` and CSS `url(...)`, so this is its guard against script: `javascript:`,
//! `vbscript:`, `data:text/html`, an inline SVG (which can carry script) and every other scheme
//! are refused, however they are spelled (case, spaces, control or invisible characters).

/// What a URL value is for: a link or a loaded resource, or an image (which may be inline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LinkKind {
    Link,
    Image,
}

/// The media types of an inline image (`data:<type>;base64,<data>`): raster formats only.
pub const INLINE_IMAGE_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/// Schemes that run script when a browser follows or loads them.
const SCRIPT_SCHEMES: [&str; 3] = ["javascript", "vbscript", "data"];

/// Characters a URL value may hold: RFC 3986's unreserved and reserved characters and `%`,
/// without `'`, `(` and `)`, which end a quoted attribute or a CSS `url(...)` (percent-encode
/// them, and anything else, e.g. spaces and non-ASCII).
fn url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&*+,;=%".contains(c)
}

/// Why `value` is not an acceptable URL of `kind`, if it is not.
pub(super) fn check_link(value: &str, kind: LinkKind) -> Result<(), String> {
    let expected = match kind {
        LinkKind::Link => "a relative path or an https: URL",
        LinkKind::Image => "a relative path, an https: URL or an inline PNG, JPEG, GIF or WebP image",
    };
    if value.is_empty() {
        return Err(format!("must be {expected}"));
    }
    if let Some(c) = value.chars().find(|c| !url_char(*c)) {
        return Err(format!("must be {expected}, with URL characters only (percent-encode {c:?})"));
    }
    // A scheme is whatever comes before a ':' in the first segment (RFC 3986: a relative path
    // cannot have one there), so "JavaScript:" and "1x:" are both schemes, and both refused.
    let first_segment = value.split(['/', '?', '#']).next().unwrap_or_default();
    let Some((scheme, rest)) = first_segment.split_once(':').map(|(scheme, _)| (scheme, &value[scheme.len() + 1..]))
    else {
        return match value.starts_with("//") {
            true => Err(format!("must be {expected}; a path must not start with // (another host)")),
            false => Ok(()),
        };
    };
    match scheme.to_ascii_lowercase().as_str() {
        "https" => https(rest).map_err(|reason| format!("must be {expected}: {reason}")),
        "data" if kind == LinkKind::Image => {
            inline_image(rest).map_err(|reason| format!("must be {expected}: {reason}"))
        }
        _ => Err(format!("must be {expected}, not a {scheme}: URL")),
    }
}

/// `//host[:port][/path...]` with a host and no user information.
fn https(rest: &str) -> Result<(), &'static str> {
    let Some(after) = rest.strip_prefix("//") else { return Err("https: must be followed by //host") };
    let authority = after.split(['/', '?', '#']).next().unwrap_or_default();
    let host_char = |c: char| c.is_ascii_alphanumeric() || "-.:[]".contains(c);
    if authority.is_empty() || authority.starts_with(':') || !authority.chars().all(host_char) {
        return Err("the host must be a host name or address, optionally with a port, and no user name");
    }
    Ok(())
}

/// `<type>;base64,<data>` of an [`INLINE_IMAGE_TYPES`] type, the data in base64.
fn inline_image(rest: &str) -> Result<(), &'static str> {
    let Some((media, data)) = rest.split_once(',') else { return Err("an inline image is data:<type>;base64,<data>") };
    let media = media.to_ascii_lowercase();
    let Some(media_type) = media.strip_suffix(";base64") else { return Err("an inline image must be base64") };
    if !INLINE_IMAGE_TYPES.contains(&media_type) {
        return Err("an inline image must be image/png, image/jpeg, image/gif or image/webp");
    }
    let payload = data.trim_end_matches('=');
    let base64 = |c: char| c.is_ascii_alphanumeric() || c == '+' || c == '/';
    if payload.is_empty() || data.len() - payload.len() > 2 || !payload.chars().all(base64) {
        return Err("the image data must be base64");
    }
    Ok(())
}

/// Whether a free-form string (a property the spec does not define) would run script if a
/// console used it as a URL: its scheme, read as a browser reads it (leading and trailing
/// controls and spaces dropped, tabs and newlines removed, any case), is `javascript:`,
/// `vbscript:` or `data:`.
pub(super) fn runs_script(value: &str) -> bool {
    let cleaned: String =
        value.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let Some((scheme, _)) = cleaned.split_once(':') else { return false };
    SCRIPT_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

    #[test]
    fn relative_paths_and_https_urls_are_links() {
        for ok in [
            "/branding/default/favicon/favicon.ico",
            "branding/img/logo.png",
            "img.png?v=2#top",
            "/forgot-password",
            "https://apio-dev.fusion.netaxis.cloud",
            "HTTPS://portal.example.com:8443/login?next=%2F",
            "https://[::1]/x",
        ] {
            assert_eq!(check_link(ok, LinkKind::Link), Ok(()), "{ok}");
        }
    }

    #[test]
    fn hostile_and_foreign_urls_are_refused_however_they_are_spelled() {
        for hostile in [
            "javascript:alert(document.cookie)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "javascript:alert(1) ",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "java\u{0}script:alert(1)",
            "java\u{200b}script:alert(1)",
            "\u{1}javascript:alert(1)",
            "vbscript:msgbox(1)",
            "VBScript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
            "data:image/png,raw",
            "http://example.com/logo.png",
            "file:///etc/passwd",
            "ftp://example.com/x",
            "mailto:a@example.com",
            "//evil.example/x.png",
            "https:evil",
            "https://user@evil.example/",
            "https://",
            "/x\"onerror=\"alert(1)",
            "/x')alert(1)",
            "/a b.png",
            "",
        ] {
            assert!(check_link(hostile, LinkKind::Link).is_err(), "{hostile:?} passed as a link");
            assert!(check_link(hostile, LinkKind::Image).is_err(), "{hostile:?} passed as an image");
        }
    }

    #[test]
    fn only_images_may_be_inline_and_only_as_raster_base64() {
        assert_eq!(check_link(PNG, LinkKind::Image), Ok(()));
        assert_eq!(check_link("DATA:IMAGE/WEBP;BASE64,UklGRg==", LinkKind::Image), Ok(()));
        assert!(check_link(PNG, LinkKind::Link).is_err(), "not as a link");
        for bad in ["data:image/png;base64,", "data:image/png;base64,***", "data:image/gif;base64,R0lG===="] {
            assert!(check_link(bad, LinkKind::Image).is_err(), "{bad}");
        }
    }

    #[test]
    fn free_strings_are_refused_only_when_a_browser_would_run_them() {
        for script in ["javascript:x", " JAVASCRIPT:x", "java\tscript:x", "\u{0}vbscript:x", "data:text/html,x"] {
            assert!(runs_script(script), "{script:?}");
        }
        for text in ["Fusion: DRaaS", "note", "https://x.example", "java script:x", "/path:with:colons"] {
            assert!(!runs_script(text), "{text:?}");
        }
    }
}
