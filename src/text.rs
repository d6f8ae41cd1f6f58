//! Small text helpers shared by the stages: byte offsets to line and column, and slugs
//! for URLs.

use crate::diagnostic::Pos;
use std::cmp::Ordering;

/// Maps byte offsets in a text to 1-based line and column (columns count characters).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        // Every document is indexed, and memchr finds newlines many times faster than
        // `match_indices`.
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts }
    }

    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        Pos::new(line, col)
    }

    /// The position of a 1-based line and 1-based *byte* column (as parsers such as
    /// comrak report them), with the column counted in characters.
    pub fn pos_at_byte_col(&self, line: usize, byte_col: usize) -> Pos {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return Pos::new(line, byte_col);
        };
        self.pos(start + byte_col.saturating_sub(1))
    }

    /// The character at a 1-based line and character column.
    pub fn char_at(&self, line: usize, col: usize) -> Option<char> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        self.text.get(start..)?.chars().nth(col.checked_sub(1)?)
    }

    /// The character at a byte offset.
    pub fn char_at_offset(&self, offset: usize) -> Option<char> {
        self.text.get(offset..)?.chars().next()
    }

    /// How many characters a line holds between two 1-based byte columns, both
    /// included (a parser's inclusive span), at least one.
    pub fn chars_between(&self, line: usize, first_byte_col: usize, last_byte_col: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return 1;
        };
        let from = start + first_byte_col.saturating_sub(1);
        let to = (start + last_byte_col).min(self.text.len());
        // A span that ends inside a multi-byte character still counts that character.
        let to = (to..=self.text.len())
            .find(|&i| self.text.is_char_boundary(i))
            .unwrap_or(self.text.len());
        self.text
            .get(from..to)
            .map_or(1, |s| s.chars().count().max(1))
    }
}

/// The `n`th line (1-based) of a text, without its line ending.
pub fn nth_line(text: &str, n: u32) -> Option<&str> {
    let n = usize::try_from(n).ok()?.checked_sub(1)?;
    text.split('\n')
        .nth(n)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// The longest slug, in bytes. Slugs become folder names, and file systems refuse names
/// over 255 bytes; 120 leaves room and keeps URLs readable.
pub const MAX_SLUG_BYTES: usize = 120;

/// A URL-safe slug: lowercase ASCII letters, digits, `-`, `_` and `.`; every other run
/// of characters becomes one `-`. Non-ASCII letters are kept (browsers handle them and
/// teams write titles in their language), except where they would be unsafe. At most
/// [`MAX_SLUG_BYTES`] long.
pub fn slug(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut dash = false;
    for c in raw.trim().chars() {
        if out.len() + c.len_utf8() * 3 > MAX_SLUG_BYTES {
            // Lowercasing may lengthen a character (up to three); stop before the cap.
            break;
        }
        let keep = c.is_ascii_alphanumeric() || c == '_' || (c.is_alphanumeric() && !c.is_ascii());
        if keep {
            out.extend(c.to_lowercase());
            dash = false;
        } else if c == '.' && !out.is_empty() && !out.ends_with('.') {
            out.push('.');
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') || out.ends_with('.') {
        out.pop();
    }
    out
}

/// Shortens `text` to at most `max` characters at a word boundary, adding `…`.
pub fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// Compares ids so that `ADR-2` sorts before `ADR-10`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (&a[..da], &b[..db]);
                let na = trim_zeros(na);
                let nb = trim_zeros(nb);
                let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if ord != Ordering::Equal {
                    return ord;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                let ord = x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase());
                if ord != Ordering::Equal {
                    return ord;
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let n = digits.iter().take_while(|&&c| c == b'0').count();
    &digits[n.min(digits.len().saturating_sub(1))..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_lines_and_characters() {
        let text = "ab\nçd\n\nxyz";
        let idx = LineIndex::new(text);
        assert_eq!(idx.pos(0), Pos::new(1, 1));
        assert_eq!(idx.pos(3), Pos::new(2, 1));
        assert_eq!(idx.pos(5), Pos::new(2, 2)); // after the two-byte ç
        assert_eq!(idx.pos(8), Pos::new(4, 1));
        assert_eq!(idx.pos(999), Pos::new(4, 4));
    }

    #[test]
    fn byte_columns_become_character_columns() {
        let text = "x\nçé [a](b.md)\n";
        let idx = LineIndex::new(text);
        // `[` is byte 6 of line 2 (ç and é take two bytes each) but character 4.
        assert_eq!(idx.pos_at_byte_col(2, 6), Pos::new(2, 4));
        assert_eq!(idx.chars_between(2, 1, 4), 2);
        assert_eq!(
            idx.chars_between(2, 1, 3),
            2,
            "a span ending inside é counts it"
        );
        assert_eq!(idx.chars_between(2, 6, 14), 9);
    }

    #[test]
    fn nth_line_strips_carriage_returns() {
        assert_eq!(nth_line("a\r\nb\r\n", 2), Some("b"));
        assert_eq!(nth_line("a", 0), None);
        assert_eq!(nth_line("a", 3), None);
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slug("PAY-101"), "pay-101");
        assert_eq!(slug("Foo Bar"), "foo-bar");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("a / b"), "a-b");
        assert_eq!(slug("Entscheidung Über"), "entscheidung-über");
        assert_eq!(slug("v1.2"), "v1.2");
        assert_eq!(slug("<script>"), "script");
        assert_eq!(slug("!!!"), "");
        let long = slug(&"Ab-ü".repeat(100));
        assert!(long.len() <= MAX_SLUG_BYTES, "{}", long.len());
        assert!(long.len() > MAX_SLUG_BYTES - 12);
    }

    #[test]
    fn truncation_cuts_at_words() {
        assert_eq!(truncate_words("short", 10), "short");
        assert_eq!(truncate_words("one two three four", 12), "one two…");
    }

    #[test]
    fn natural_order() {
        let mut v = vec!["ADR-10", "ADR-2", "adr-1", "ADR-002", "B"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["adr-1", "ADR-2", "ADR-002", "ADR-10", "B"]);
    }
}
