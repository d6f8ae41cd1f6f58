//! Render stage, search text: the plain text of a body's HTML, and the words the index
//! keeps from it. Every document's body goes through here twice per build (for its
//! words, then for its result's excerpt), so both work on bytes, copying runs of plain
//! ASCII whole and decoding characters only outside ASCII.

/// Words longer than this, in characters, are not indexed (hashes, base64, long URLs).
pub const MAX_WORD_CHARS: usize = 40;

/// Tags comrak and the highlighter write inside running text: they do not separate
/// words, where block tags do. The most frequent first (the highlighter's spans), as
/// every tag of every body is looked up here.
const INLINE_TAGS: [&str; 13] = [
    "span", "a", "code", "em", "strong", "del", "mark", "sup", "sub", "b", "i", "s", "kbd",
];

/// Longest entity decoded, `;` included (`&#x27;`, `&nbsp;`).
const MAX_ENTITY_BYTES: usize = 11;

/// The text of an HTML fragment: tags dropped, the entities comrak writes decoded,
/// whitespace collapsed to single spaces, none at either end.
pub fn html_text(html: &str) -> String {
    html_text_upto(html, usize::MAX)
}

/// [`html_text`], stopping once the text has at least `limit` bytes. The text's first
/// `limit` bytes are then the same as [`html_text`]'s, since text is only appended.
pub fn html_text_upto(html: &str, limit: usize) -> String {
    let bytes = html.as_bytes();
    let mut out = Collapsed {
        text: String::with_capacity(html.len().min(limit.saturating_add(64))),
        space_pending: false,
    };
    let mut i = 0;
    while i < bytes.len() && out.text.len() < limit {
        match bytes[i] {
            b'<' => {
                let rest = &html[i + 1..];
                let (tag, next) = match rest.find('>') {
                    Some(gt) => (&rest[..gt], i + gt + 2),
                    None => (rest, bytes.len()),
                };
                let name = tag.trim_start_matches('/');
                let name = &name[..name.find([' ', '/']).unwrap_or(name.len())];
                if !INLINE_TAGS.contains(&name) {
                    out.space();
                }
                i = next;
            }
            b'&' => {
                let rest = &bytes[i..];
                let end = rest.iter().take(MAX_ENTITY_BYTES).position(|&b| b == b';');
                let entity = end.map(|e| &html[i..=i + e]);
                let decoded = entity.and_then(entity_char);
                match (decoded, entity) {
                    (Some(c), Some(e)) => {
                        out.push_char(c);
                        i += e.len();
                    }
                    _ => {
                        out.push_run("&");
                        i += 1;
                    }
                }
            }
            b if is_ascii_space(b) => {
                out.space();
                i += 1;
            }
            b if b.is_ascii() => {
                // A run of plain ASCII, with the single spaces between its words: text
                // is mostly sentences, and copying one per word is most of the cost.
                let mut run = i + 1;
                while let Some(&b) = bytes.get(run) {
                    if is_run_byte(b) {
                        run += 1;
                    } else if b == b' ' && bytes.get(run + 1).is_some_and(|&n| is_run_byte(n)) {
                        run += 2;
                    } else {
                        break;
                    }
                }
                out.push_run(&html[i..run]);
                i = run;
            }
            _ => {
                // `i` is at a character boundary: it only ever moves past whole
                // characters or ASCII bytes.
                let c = html[i..].chars().next().unwrap_or(' ');
                out.push_char(c);
                i += c.len_utf8();
            }
        }
    }
    out.text
}

/// The character an entity comrak writes stands for (`&amp;` and the like).
fn entity_char(entity: &str) -> Option<char> {
    match entity {
        "&amp;" => Some('&'),
        "&lt;" => Some('<'),
        "&gt;" => Some('>'),
        "&quot;" => Some('"'),
        "&#39;" | "&#x27;" | "&apos;" => Some('\''),
        "&nbsp;" => Some(' '),
        _ => None,
    }
}

/// Whether `b` is ASCII that is copied as it is: not whitespace, and neither starts a
/// tag nor an entity. A table, as it is asked of nearly every byte of every body.
fn is_run_byte(b: u8) -> bool {
    const RUN: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 128 {
            table[b] = !matches!(b as u8, b'<' | b'&') && !is_ascii_space(b as u8);
            b += 1;
        }
        table
    };
    RUN[b as usize]
}

/// ASCII whitespace as `char::is_whitespace` sees it (which includes vertical tab).
const fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// Text whose runs of whitespace become one space, written only before the next word.
struct Collapsed {
    text: String,
    space_pending: bool,
}

impl Collapsed {
    fn space(&mut self) {
        self.space_pending = true;
    }

    /// Appends text that starts and ends with no whitespace and has none but single
    /// spaces inside.
    fn push_run(&mut self, run: &str) {
        if std::mem::take(&mut self.space_pending) && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.text.push_str(run);
    }

    fn push_char(&mut self, c: char) {
        if c.is_whitespace() {
            self.space();
        } else {
            self.push_run(c.encode_utf8(&mut [0; 4]));
        }
    }
}

/// Calls `f` with each index word of `text`: a run of letters and digits, 2 to
/// [`MAX_WORD_CHARS`] characters long, lowercased into `buf` (so indexing allocates
/// per distinct word rather than per occurrence). `search.js` splits queries the same
/// way.
pub fn for_each_word(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let mut chars = 0;
        let mut ascii = true;
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii() {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                i += 1;
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                if !c.is_alphanumeric() {
                    break;
                }
                ascii = false;
                i += c.len_utf8();
            }
            chars += 1;
        }
        if i == start {
            // A separator: step over it whole.
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        if (2..=MAX_WORD_CHARS).contains(&chars) {
            let word = &text[start..i];
            buf.clear();
            if ascii {
                buf.push_str(word);
                buf.make_ascii_lowercase();
            } else {
                buf.extend(word.chars().flat_map(char::to_lowercase));
            }
            f(buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain definitions the byte-wise code must agree with.
    fn reference_text(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(lt) = rest.find('<') {
            reference_entities(&mut out, &rest[..lt]);
            let (tag, after) = match rest[lt..].find('>') {
                Some(gt) => (&rest[lt + 1..lt + gt], &rest[lt + gt + 1..]),
                None => (&rest[lt + 1..], ""),
            };
            let name = tag.trim_start_matches('/');
            let name = &name[..name.find([' ', '/']).unwrap_or(name.len())];
            if !INLINE_TAGS.contains(&name) {
                out.push(' ');
            }
            rest = after;
        }
        reference_entities(&mut out, rest);
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn reference_entities(out: &mut String, text: &str) {
        let mut rest = text;
        while let Some(amp) = rest.find('&') {
            out.push_str(&rest[..amp]);
            rest = &rest[amp..];
            let entity = rest.find(';').filter(|&e| e <= 10).map(|e| &rest[..=e]);
            let decoded = entity.and_then(entity_char);
            match (decoded, entity) {
                (Some(c), Some(e)) => {
                    out.push(c);
                    rest = &rest[e.len()..];
                }
                _ => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
        out.push_str(rest);
    }

    fn reference_words(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| (2..=MAX_WORD_CHARS).contains(&w.chars().count()))
            .map(|w| w.chars().flat_map(char::to_lowercase).collect())
            .collect()
    }

    fn words(text: &str) -> Vec<String> {
        let mut all = Vec::new();
        for_each_word(text, &mut String::new(), |w| all.push(w.to_string()));
        all
    }

    /// Strings made of pieces that meet every branch: tags, entities good and bad,
    /// ASCII and Unicode whitespace, letters outside ASCII, stray `<`, `>`, `&`, `;`.
    fn samples() -> impl Iterator<Item = String> {
        const PIECES: [&str; 32] = [
            "<p>",
            "</p>",
            "<em>",
            "</em>",
            "<a href=\"x&amp;y\">",
            "<br/>",
            "<span class=\"hl-k\">",
            "&amp;",
            "&lt;",
            "&nbsp;",
            "&#39;",
            "&unknown;",
            "&",
            ";",
            "<",
            ">",
            " ",
            "\n\t",
            "\u{a0}",
            "\u{3000}",
            "\u{b}",
            "Word",
            "ZÜRICH",
            "über",
            "x",
            "42",
            "İ",
            "日本語",
            "a-b",
            "thisisaveryveryveryverylongwordofmorethanforty",
            "é",
            "&amp",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        (0..3000).map(move |_| {
            let mut s = String::new();
            for _ in 0..(seed % 24) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            }
            seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
            s
        })
    }

    #[test]
    fn text_agrees_with_the_plain_definition() {
        for html in samples() {
            let text = reference_text(&html);
            assert_eq!(html_text(&html), text, "for {html:?}");
            for limit in [0, 1, 5, 20] {
                let upto = html_text_upto(&html, limit);
                let shown = upto.len().min(limit);
                assert!(
                    text.starts_with(&upto[..upto.floor_char_boundary(shown)]),
                    "first {limit} bytes differ for {html:?}: {upto:?} vs {text:?}"
                );
                assert!(
                    upto.len() >= limit.min(text.len()),
                    "stopped early: {html:?}"
                );
            }
        }
    }

    #[test]
    fn words_agree_with_the_plain_definition() {
        for html in samples() {
            assert_eq!(words(&html), reference_words(&html), "for {html:?}");
        }
    }

    #[test]
    fn drops_tags_and_decodes_entities() {
        let t = html_text(
            "<p>Retry <em>with</em> keys &amp; backoff</p>\n<pre><code>a &lt; b</code></pre>",
        );
        assert_eq!(t, "Retry with keys & backoff a < b");
        assert_eq!(html_text("AT&T &unknown; x"), "AT&T &unknown; x");
        assert_eq!(html_text("a</p><p>b"), "a b");
        assert_eq!(html_text("a<em>b</em>c"), "abc");
    }

    #[test]
    fn words_are_lowercase_alphanumeric_runs() {
        assert_eq!(
            words("PAY-101: Instant payouts (v2) — Zürich, a x"),
            ["pay", "101", "instant", "payouts", "v2", "zürich"].map(String::from)
        );
    }
}
