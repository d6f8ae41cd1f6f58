//! Syntax highlighting of fenced code blocks with syntect, as CSS classes so one
//! stylesheet serves light and dark. The syntax set loads once. Parsing a line with
//! syntect's regexes is the costly part, and its result depends only on the parser's
//! state and the line's text, so parsed lines are cached by both: specs repeat lines
//! (JSON keys, SQL clauses, boilerplate) far more often than whole blocks, and `serve`
//! re-renders the same blocks on every save.

use comrak::adapters::SyntaxHighlighterAdapter;
use rustc_hash::{FxHashMap, FxHasher};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use syntect::html::{ClassStyle, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, ScopeStackOp, SyntaxSet};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Blocks larger than this are shown unhighlighted: some grammars are slow on some
/// inputs, and a spec repo should never hang a build on one pasted log.
pub const MAX_BLOCK_BYTES: usize = 128 * 1024;
/// Lines longer than this (minified code, data dumps) are shown unhighlighted too.
pub const MAX_LINE_BYTES: usize = 4 * 1024;
/// At most this many parsed lines are kept per thread (a few hundred bytes each), so
/// memory stays bounded on any repository; lines met after that are parsed every time.
pub const MAX_CACHED_LINES: usize = 1 << 16;
/// How much code one document may have highlighted, in bytes: blocks past it are shown
/// plain (each with a warning), so no number of blocks can make one file take more than
/// a fraction of a second. A size, not a time, so output never depends on machine load.
/// syntect parses about a megabyte of code a second when no line repeats (measured on
/// `scripts/limits.sh`'s specs of many small rust blocks), and its spans make the HTML
/// some 60 times the code, so 256 KB is a quarter of a second and 16 MB of page at most.
pub const DOCUMENT_BUDGET: usize = 256 * 1024;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// One line as syntect parsed it from one state.
struct ParsedLine {
    before: ParseState,
    line: Box<str>,
    ops: Vec<(usize, ScopeStackOp)>,
    after: ParseState,
}

/// Parsed lines of one thread. syntect's parser state holds regex captures that may
/// not cross threads, so each worker keeps its own cache; it lives as long as the
/// thread, so `serve` keeps it between rebuilds. The syntax set is global, so a state
/// means the same in every build.
#[derive(Default)]
struct LineCache {
    /// Hash of (state, line) → the lines parsed with that hash.
    map: FxHashMap<u64, Vec<Rc<ParsedLine>>>,
    len: usize,
}

thread_local! {
    static LINES: RefCell<LineCache> = RefCell::default();
}

/// Feeds formatted text into a hasher without allocating.
struct HashWriter<'a>(&'a mut FxHasher);

impl fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

fn line_key(state: &ParseState, line: &str) -> u64 {
    let mut hasher = FxHasher::default();
    line.hash(&mut hasher);
    // syntect's state is not `Hash`; its debug form names every context on its stack.
    // Equal states print alike, and a lookup compares states exactly, so the hash
    // only has to group them.
    let _ = fmt::write(&mut HashWriter(&mut hasher), format_args!("{state:?}"));
    hasher.finish()
}

/// The highlighter shared by every document of a build (and across `serve` rebuilds).
#[derive(Default)]
pub struct Highlighter {
    hits: AtomicUsize,
}

impl fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Highlighter").finish_non_exhaustive()
    }
}

impl Highlighter {
    /// Highlights `code` as `lang`; `None` when the language is unknown or the block is
    /// too large to highlight safely (the caller shows it plain).
    pub fn highlight(&self, lang: &str, code: &str) -> Result<Option<String>, Skipped> {
        let Some(syntax) = syntaxes().find_syntax_by_token(lang) else {
            return Ok(None);
        };
        if code.len() > MAX_BLOCK_BYTES || code.lines().any(|l| l.len() > MAX_LINE_BYTES) {
            return Err(Skipped);
        }
        let mut state = ParseState::new(syntax);
        let mut scopes = ScopeStack::new();
        let mut html = String::with_capacity(code.len() * 3);
        let mut open_spans: isize = 0;
        for line in LinesWithEndings::from(code) {
            let Some(parsed) = self.parse_line(&state, line) else {
                return Ok(None);
            };
            let Ok((formatted, delta)) =
                line_tokens_to_classed_spans(line, &parsed.ops, CLASS_STYLE, &mut scopes)
            else {
                return Ok(None);
            };
            html.push_str(&formatted);
            open_spans += delta;
            state.clone_from(&parsed.after);
        }
        for _ in 0..open_spans {
            html.push_str("</span>");
        }
        Ok(Some(html))
    }

    /// Parses one line from `state`, or finds it in the cache.
    fn parse_line(&self, state: &ParseState, line: &str) -> Option<Rc<ParsedLine>> {
        let key = line_key(state, line);
        let hit = LINES.with_borrow(|cache| {
            cache.map.get(&key).and_then(|v| {
                v.iter()
                    .find(|p| &*p.line == line && p.before == *state)
                    .cloned()
            })
        });
        if let Some(hit) = hit {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Some(hit);
        }
        let mut after = state.clone();
        let ops = after.parse_line(line, syntaxes()).ok()?;
        let parsed = Rc::new(ParsedLine {
            before: state.clone(),
            line: line.into(),
            ops,
            after,
        });
        LINES.with_borrow_mut(|cache| {
            if cache.len < MAX_CACHED_LINES {
                cache.len += 1;
                cache.map.entry(key).or_default().push(parsed.clone());
            }
        });
        Some(parsed)
    }

    /// How many lines this highlighter took from the cache so far.
    pub fn cache_hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// The stylesheet for highlighted code: a light theme, and a dark one under
    /// `prefers-color-scheme: dark`.
    pub fn css() -> String {
        let themes = syntect::highlighting::ThemeSet::load_defaults();
        let css = |name: &str| {
            themes
                .themes
                .get(name)
                .and_then(|t| syntect::html::css_for_theme_with_class_style(t, CLASS_STYLE).ok())
                .unwrap_or_default()
        };
        format!(
            "/* Code highlighting (syntect). */\n{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
            css("InspiredGitHub"),
            css("base16-ocean.dark")
        )
    }
}

/// A block that was too large to highlight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Skipped;

/// comrak's hook for one document: highlights through the shared [`Highlighter`] and
/// comrak's hook for one document: highlights through the shared [`Highlighter`]
/// within the document's [`DOCUMENT_BUDGET`], and remembers the blocks it had to leave plain
/// (by the address of their text, which is the code block node's own) so each gets a
/// warning at its position.
pub struct DocHighlighter<'a> {
    pub shared: &'a Highlighter,
    /// Bytes of code still allowed.
    budget: AtomicUsize,
    skipped: Mutex<rustc_hash::FxHashSet<usize>>,
}

impl<'a> DocHighlighter<'a> {
    pub fn new(shared: &'a Highlighter) -> Self {
        DocHighlighter {
            shared,
            budget: AtomicUsize::new(DOCUMENT_BUDGET),
            skipped: Mutex::default(),
        }
    }

    fn skipped(&self) -> std::sync::MutexGuard<'_, rustc_hash::FxHashSet<usize>> {
        // Inserts are atomic, so a poisoned lock still holds a whole set.
        self.skipped.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether the block whose text is `code` was left plain.
    pub fn was_skipped(&self, code: &str) -> bool {
        self.skipped().contains(&(code.as_ptr() as usize))
    }

    pub fn any_skipped(&self) -> bool {
        !self.skipped().is_empty()
    }

    /// Takes `bytes` from the budget, or refuses when too little is left.
    fn spend(&self, bytes: usize) -> Result<(), Skipped> {
        self.budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(bytes)
            })
            .map(drop)
            .map_err(|_| Skipped)
    }
}

impl SyntaxHighlighterAdapter for DocHighlighter<'_> {
    fn write_highlighted(
        &self,
        output: &mut dyn fmt::Write,
        lang: Option<&str>,
        code: &str,
    ) -> fmt::Result {
        let html = match lang.filter(|l| !l.is_empty()) {
            Some(lang) => match self
                .spend(code.len())
                .and_then(|()| self.shared.highlight(lang, code))
            {
                Ok(html) => html,
                Err(Skipped) => {
                    self.skipped().insert(code.as_ptr() as usize);
                    None
                }
            },
            None => None,
        };
        match html {
            Some(html) => output.write_str(&html),
            None => write_escaped(output, code),
        }
    }

    fn write_pre_tag(
        &self,
        output: &mut dyn fmt::Write,
        attributes: HashMap<&'static str, Cow<'_, str>>,
    ) -> fmt::Result {
        write_tag(output, "pre", attributes)
    }

    fn write_code_tag(
        &self,
        output: &mut dyn fmt::Write,
        attributes: HashMap<&'static str, Cow<'_, str>>,
    ) -> fmt::Result {
        write_tag(output, "code", attributes)
    }
}

fn write_tag(
    output: &mut dyn fmt::Write,
    tag: &str,
    attributes: HashMap<&'static str, Cow<'_, str>>,
) -> fmt::Result {
    // Sorted, so output does not depend on HashMap order.
    let mut attrs: Vec<_> = attributes.into_iter().collect();
    attrs.sort();
    write!(output, "<{tag}")?;
    for (k, v) in attrs {
        write!(output, " {k}=\"")?;
        write_escaped(output, &v)?;
        output.write_str("\"")?;
    }
    output.write_str(">")
}

/// Escapes text for HTML content and attribute values.
pub fn write_escaped(output: &mut dyn fmt::Write, text: &str) -> fmt::Result {
    let mut last = 0;
    // The escaped characters are ASCII, and an ASCII byte is never part of a longer
    // UTF-8 character, so bytes can be scanned instead of characters.
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
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
    fn highlights_known_languages_with_classes_and_caches_lines() {
        let h = Highlighter::default();
        let code = "fn cached_lines() {\n    let x = \"<s>\";\n}\n";
        let a = h.highlight("rust", code).unwrap().unwrap();
        assert!(a.contains("class=\"hl-"), "{a}");
        assert!(a.contains("&lt;s&gt;"), "{a}");
        assert_eq!(h.cache_hits(), 0);
        let b = h.highlight("rust", code).unwrap().unwrap();
        assert_eq!(a, b, "cached lines must give the same HTML");
        assert_eq!(
            h.cache_hits(),
            3,
            "every line of the repeat comes from the cache"
        );
        assert!(h.highlight("no-such-language", "x").unwrap().is_none());
    }

    #[test]
    fn cached_lines_match_uncached_highlighting() {
        // The same line in different states (inside a string or not) must not share
        // a cache entry.
        let h = Highlighter::default();
        let plain = |lang: &str, code: &str| {
            let syntax = syntaxes().find_syntax_by_token(lang).unwrap();
            let mut g = syntect::html::ClassedHTMLGenerator::new_with_class_style(
                syntax,
                syntaxes(),
                CLASS_STYLE,
            );
            for line in LinesWithEndings::from(code) {
                g.parse_html_for_line_which_includes_newline(line).unwrap();
            }
            g.finalize()
        };
        let blocks = [
            ("python", "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\n"),
            ("python", "x = 1\ny = 2\n"),
            ("sql", "SELECT a\nFROM t -- x = 1\nWHERE b = 'x = 1';\n"),
            ("json", "{\n  \"a\": [1, 2],\n  \"b\": {\"c\": null}\n}\n"),
        ];
        for _ in 0..2 {
            for (lang, code) in blocks {
                assert_eq!(h.highlight(lang, code).unwrap().unwrap(), plain(lang, code));
            }
        }
        assert!(h.cache_hits() > 0);
    }

    #[test]
    fn huge_blocks_and_lines_are_skipped() {
        let h = Highlighter::default();
        let long_line = "x".repeat(MAX_LINE_BYTES + 1);
        assert_eq!(h.highlight("rust", &long_line), Err(Skipped));
    }

    #[test]
    fn blocks_past_the_document_budget_are_skipped() {
        let shared = Highlighter::default();
        let doc = DocHighlighter::new(&shared);
        // Five blocks of 99 KB fit in the budget; the sixth does not.
        let blocks: Vec<String> = (0..6).map(|_| "let x = 1;\n".repeat(9_000)).collect();
        let mut out = String::new();
        for (i, block) in blocks.iter().enumerate() {
            out.clear();
            doc.write_highlighted(&mut out, Some("rust"), block)
                .unwrap();
            assert_eq!(out.contains("class=\"hl-"), i < 5, "block {i}");
            assert_eq!(doc.was_skipped(block), i == 5, "block {i}");
        }
    }

    #[test]
    fn escaping_covers_html_specials() {
        let mut s = String::new();
        write_escaped(&mut s, "<a href=\"x\">&'</a>").unwrap();
        assert_eq!(s, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    }

    #[test]
    fn css_has_light_and_dark() {
        let css = Highlighter::css();
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
