//! Link safety: which texts from SOURCE may become a link's address. Fields are written
//! by many hands and a page's `href="javascript:…"` runs script on the reader's click,
//! so every field that becomes a link goes through [`href`]: only `http:`, `https:`,
//! `mailto:` and relative URLs are links; anything else is shown as text, with an
//! `unsafe-url` warning at the field ([`unsafe_url`]).

use crate::diagnostic::{Diagnostic, Pos, Rule};

/// The schemes a link may have. A URL without a scheme (relative) is a link too.
pub const LINK_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// The schemes of the site's own addresses (`base_url`, `repository`).
pub const WEB_SCHEMES: &[&str] = &["http", "https"];

/// The scheme of a URL as a browser reads it, lower-cased; `None` for a relative URL.
/// Browsers drop leading and trailing spaces and control characters and ASCII tabs
/// and newlines anywhere (` java\tscript:` is `javascript:`), so this does too.
/// Anything before the first `:` that comes before any `/`, `?` or `#` counts as a
/// scheme, even text a browser would take for a relative path (`a b:c`): erring that
/// way only shows an odd link as text.
pub fn scheme(raw: &str) -> Option<String> {
    let trimmed = raw.trim_matches(|c: char| c <= ' ');
    let mut scheme = String::new();
    for c in trimmed.chars() {
        match c {
            '\t' | '\n' | '\r' => {}
            ':' => return Some(scheme),
            '/' | '?' | '#' => return None,
            c => scheme.extend(c.to_lowercase()),
        }
    }
    None
}

/// Whether `raw` has no scheme or one of `allowed`.
pub fn has_scheme_in(raw: &str, allowed: &[&str]) -> bool {
    scheme(raw).is_none_or(|s| allowed.contains(&s.as_str()))
}

/// `raw`, trimmed, when it may be a link's address (see [`LINK_SCHEMES`]).
pub fn href(raw: &str) -> Option<&str> {
    let trimmed = raw.trim();
    (!trimmed.is_empty() && has_scheme_in(trimmed, LINK_SCHEMES)).then_some(trimmed)
}

/// The warning for a field whose value is not a safe link, at its position.
pub fn unsafe_url(file: &str, pos: Pos, field: &str, raw: &str) -> Diagnostic {
    let shown: String = raw.chars().take(80).collect();
    Diagnostic::new(
        Rule::UnsafeUrl,
        file,
        format!("`{field}` is not a link specsite publishes: '{shown}'; it is shown as text"),
    )
    .at(pos)
    .help("write an http://, https:// or mailto: address, or a relative path")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_mail_and_relative_urls_are_links() {
        for ok in [
            "https://example.com/x?a=b#c",
            "HTTP://EXAMPLE.COM",
            "mailto:team@example.com",
            "/dashboards/1",
            "../a.md",
            "dash.html#a:b",
            "?q=a:b",
            "//cdn.example.com/x",
            " https://example.com ",
        ] {
            assert_eq!(href(ok), Some(ok.trim()), "{ok}");
        }
    }

    #[test]
    fn script_data_and_disguised_schemes_are_not_links() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "java\r\nscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "file:///etc/passwd",
            "ｊａｖａｓｃｒｉｐｔ:alert(1)",
            "java\u{0}script:alert(1)",
            "",
            "   ",
        ] {
            assert_eq!(href(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn web_schemes_exclude_mail() {
        assert!(has_scheme_in("https://x", WEB_SCHEMES));
        assert!(has_scheme_in("/", WEB_SCHEMES));
        assert!(!has_scheme_in("mailto:a@b", WEB_SCHEMES));
        assert!(!has_scheme_in("javascript:x", WEB_SCHEMES));
    }
}
