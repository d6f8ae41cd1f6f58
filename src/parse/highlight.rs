//! Syntax highlighting of fenced code blocks with syntect, as CSS classes so one
//! stylesheet serves light and dark. The syntax set loads once, and each highlighted
//! block is cached by its language and text: specs repeat snippets, and `serve`
//! re-renders the same blocks on every save.

use comrak::adapters::SyntaxHighlighterAdapter;
use rustc_hash::{FxHashMap, FxHasher};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Blocks larger than this are shown unhighlighted: some grammars are slow on some
/// inputs, and a spec repo should never hang a build on one pasted log.
pub const MAX_BLOCK_BYTES: usize = 128 * 1024;
/// Lines longer than this (minified code, data dumps) are shown unhighlighted too.
pub const MAX_LINE_BYTES: usize = 4 * 1024;
/// The time one document may spend highlighting: a block still being highlighted when
/// it runs out, and every block after it, is shown plain, so no grammar can make a
/// file take more than about a second.
pub const DOCUMENT_BUDGET: Duration = Duration::from_millis(400);

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The highlighter shared by every document of a build (and across `serve` rebuilds).
#[derive(Default)]
pub struct Highlighter {
    cache: Mutex<FxHashMap<(u64, usize), Arc<str>>>,
}

impl fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Highlighter").finish_non_exhaustive()
    }
}

impl Highlighter {
    /// Highlights `code` as `lang`; `None` when the language is unknown, `Skipped` when
    /// the block is too large to highlight safely or highlighting it would pass
    /// `deadline` (the caller shows it plain).
    pub fn highlight(
        &self,
        lang: &str,
        code: &str,
        deadline: Instant,
    ) -> Result<Option<Arc<str>>, Skipped> {
        let Some(syntax) = syntaxes().find_syntax_by_token(lang) else {
            return Ok(None);
        };
        if code.len() > MAX_BLOCK_BYTES || code.lines().any(|l| l.len() > MAX_LINE_BYTES) {
            return Err(Skipped);
        }
        let mut hasher = FxHasher::default();
        lang.hash(&mut hasher);
        code.hash(&mut hasher);
        let key = (hasher.finish(), code.len());
        if let Some(hit) = self.lock().get(&key) {
            return Ok(Some(hit.clone()));
        }
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            if Instant::now() > deadline {
                return Err(Skipped);
            }
            if generator
                .parse_html_for_line_which_includes_newline(line)
                .is_err()
            {
                return Ok(None);
            }
        }
        let html: Arc<str> = generator.finalize().into();
        self.lock().insert(key, html.clone());
        Ok(Some(html))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<(u64, usize), Arc<str>>> {
        // A panic elsewhere cannot leave the cache half-written (inserts are atomic), so
        // a poisoned lock is still safe to use.
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
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

/// comrak's hook for one document: highlights through the shared [`Highlighter`]
/// within the document's time budget, and remembers the blocks it had to leave plain
/// (by the address of their text, which is the code block node's own) so each gets a
/// warning at its position.
pub struct DocHighlighter<'a> {
    pub shared: &'a Highlighter,
    deadline: Instant,
    skipped: Mutex<Vec<usize>>,
}

impl<'a> DocHighlighter<'a> {
    pub fn new(shared: &'a Highlighter) -> Self {
        DocHighlighter {
            shared,
            deadline: Instant::now() + DOCUMENT_BUDGET,
            skipped: Mutex::new(Vec::new()),
        }
    }

    /// Whether the block whose text is `code` was left plain.
    pub fn was_skipped(&self, code: &str) -> bool {
        let skipped = self.skipped.lock().unwrap_or_else(|p| p.into_inner());
        skipped.contains(&(code.as_ptr() as usize))
    }

    pub fn any_skipped(&self) -> bool {
        !self
            .skipped
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_empty()
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
            Some(lang) => match self.shared.highlight(lang, code, self.deadline) {
                Ok(html) => html,
                Err(Skipped) => {
                    let mut skipped = self.skipped.lock().unwrap_or_else(|p| p.into_inner());
                    skipped.push(code.as_ptr() as usize);
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
    for (i, c) in text.char_indices() {
        let rep = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
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
    fn highlights_known_languages_with_classes_and_caches() {
        let h = Highlighter::default();
        let later = Instant::now() + Duration::from_secs(60);
        let a = h.highlight("rust", "fn main() {}\n", later).unwrap().unwrap();
        assert!(a.contains("class=\"hl-"), "{a}");
        let b = h.highlight("rust", "fn main() {}\n", later).unwrap().unwrap();
        assert!(
            Arc::ptr_eq(&a, &b),
            "second call should come from the cache"
        );
        assert!(h.highlight("no-such-language", "x", later).unwrap().is_none());
    }

    #[test]
    fn huge_blocks_and_lines_are_skipped() {
        let h = Highlighter::default();
        let later = Instant::now() + Duration::from_secs(60);
        let long_line = "x".repeat(MAX_LINE_BYTES + 1);
        assert_eq!(h.highlight("rust", &long_line, later), Err(Skipped));
    }

    #[test]
    fn a_block_past_the_deadline_is_skipped() {
        let h = Highlighter::default();
        let past = Instant::now() - Duration::from_millis(1);
        assert_eq!(h.highlight("rust", "fn main() {}\n", past), Err(Skipped));
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
