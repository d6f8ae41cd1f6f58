//! Escaping text from a spec repository for every place it is written to that gives
//! characters a meaning: HTML pages (the theme escapes every value with [`html`]), XML
//! files (the feed, the sitemap), terminals and CI logs (diagnostics), and GitHub's
//! workflow commands. Spec text is untrusted: a title can hold a form feed pasted from
//! a PDF, an id can hold an escape sequence. The one home of each escaper.

use std::borrow::Cow;
use std::fmt;

/// Whether XML 1.0 allows `c` at all, even escaped: C0 controls other than tab, line
/// feed and carriage return, and the noncharacters U+FFFE and U+FFFF are forbidden, and
/// one of them makes the whole file unreadable to a conforming parser. (Surrogates
/// cannot occur in a Rust string.)
fn xml_allows(c: char) -> bool {
    !matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\u{fffe}' | '\u{ffff}')
}

/// Escapes text for XML content and attribute values. Characters XML 1.0 forbids are
/// replaced: a control character by a space (in copied text it is layout, such as a
/// PDF's form feed, and a space keeps the words apart), a noncharacter by U+FFFD.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if xml_allows(c) => out.push(c),
            c if c.is_control() => out.push(' '),
            _ => out.push('\u{fffd}'),
        }
    }
    out
}

/// Whether `c` can change what a terminal or a CI log shows beyond printing itself:
/// control characters (escape sequences start with ESC or a C1 control, `\r` rewrites
/// the line, `\n` forges one) and the bidirectional overrides that reorder text on
/// screen. Tab is harmless and kept.
fn moves_the_terminal(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Makes text safe to print on a terminal: each character that could move the cursor,
/// clear the screen, start a hyperlink or reorder the line is shown as an escape
/// instead (`\n`, `\r`, `\u{1b}`), so a reader sees what the file holds.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(moves_the_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if moves_the_terminal(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escapes a GitHub Actions workflow command's message (`property` false) or property
/// value (`property` true) the way GitHub's own toolkit does: `%`, CR and LF always
/// (GitHub shows them as line breaks in the annotation), and `,` and `:` in
/// properties, so no value can end the command early or start another one. Other
/// control characters are shown as [`terminal`] shows them, since the log is a
/// terminal too.
pub fn github(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c if moves_the_terminal(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for HTML content and attribute values. The theme's templates escape
/// every value with it (tera's default also escapes `/`, which URLs are full of).
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // Writing to a String cannot fail.
    let _ = write_html(&mut out, text);
    out
}

/// Escapes text for HTML content and attribute values.
pub fn write_html(output: &mut dyn fmt::Write, text: &str) -> fmt::Result {
    write_html_with(output, text, true)
}

/// Escapes `text` for HTML: `&`, `<` and `>` always, and quotes when `quotes` (needed in
/// attribute values only; code has many, and each would cost six bytes).
pub fn write_html_with<W: fmt::Write + ?Sized>(
    output: &mut W,
    text: &str,
    quotes: bool,
) -> fmt::Result {
    let mut last = 0;
    // The escaped characters are ASCII, and an ASCII byte is never part of a longer
    // UTF-8 character, so bytes can be scanned instead of characters.
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if quotes => "&quot;",
            b'\'' if quotes => "&#39;",
            _ => continue,
        };
        output.write_str(&text[last..i])?;
        output.write_str(rep)?;
        last = i + 1;
    }
    output.write_str(&text[last..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_specials_and_replaces_forbidden_characters() {
        assert_eq!(xml(r#"a<b>&"c'"#), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(xml("page\x0cbreak"), "page break");
        assert_eq!(xml("a\u{fffe}b\u{ffff}"), "a\u{fffd}b\u{fffd}");
        // What XML allows stays, C1 controls and astral characters included.
        let allowed = "tab\tline\ncr\r\u{85}\u{10000}\u{fffd}é";
        assert_eq!(xml(allowed), allowed);
        for c in (0u32..0x20).filter_map(char::from_u32) {
            let escaped = xml(&c.to_string());
            assert!(escaped.chars().all(xml_allows), "{c:?} became {escaped:?}");
        }
    }

    #[test]
    fn terminal_shows_control_characters_instead_of_obeying_them() {
        assert!(matches!(terminal("plain id-1\twith tab"), Cow::Borrowed(_)));
        assert_eq!(terminal("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(
            terminal("\x1b]8;;http://x\x07link\x1b]8;;\x07"),
            "\\u{1b}]8;;http://x\\u{7}link\\u{1b}]8;;\\u{7}"
        );
        assert_eq!(terminal("ok\rerror\nfake"), "ok\\rerror\\nfake");
        assert_eq!(terminal("\u{9b}2J \u{7f}"), "\\u{9b}2J \\u{7f}");
        assert_eq!(terminal("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert!(
            !terminal("\x00\x1f\u{85}\u{2066}")
                .chars()
                .any(moves_the_terminal)
        );
    }

    #[test]
    fn github_escapes_as_the_toolkit_does() {
        assert_eq!(github("50% a,b:c\r\n", false), "50%25 a,b:c%0D%0A");
        assert_eq!(github("a,b:c", true), "a%2Cb%3Ac");
        assert_eq!(github("\x1b[2J::x", false), "\\u{1b}[2J::x");
    }
}
