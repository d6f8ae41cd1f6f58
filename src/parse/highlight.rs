//! Syntax highlighting of fenced code blocks: syntect parses, and each token is written
//! as a flat span with one of a dozen short classes, as Pygments and Chroma do, so one
//! small stylesheet serves light and dark and the HTML stays close to the code's size.
//! (Writing syntect's whole scope stack as nested spans made a one-line JSON pair
//! ~600 bytes and tripled a site's size.)
//!
//! A token's class comes from its TextMate scopes, first matching rule of the table:
//!
//! | class  | scopes                                                                       |
//! |--------|------------------------------------------------------------------------------|
//! | `hl-c` | `comment`                                                                    |
//! | `hl-s` | `string` (regexps and unquoted strings too)                                  |
//! | `hl-n` | `constant.numeric`, `constant.language`, `constant.character`, `support.constant` |
//! | `hl-k` | `keyword` (`keyword.operator` only when the token is a word: `and`, `IN`), `storage.modifier`, `storage.type.{function,class,struct,…}` (declaration keywords such as `fn`, `def`, `class`), `storage.type` when the token is a declaration word (`let`, `const`, `var`, …: grammars give them the scope of `i32`), `variable.language` (`self`, `this`) |
//! | `hl-t` | `storage.type` (other: `i32`, `TEXT`), `entity.name.{type,class,struct,enum,trait,interface,impl,union}`, `entity.other.inherited-class`, `support.type`, `support.class` |
//! | `hl-f` | `entity.name.function`, `support.function`, `variable.function`              |
//! | `hl-g` | `entity.name.tag` (HTML tags, YAML keys)                                     |
//! | `hl-a` | `entity.other.attribute-name`                                                |
//! | `hl-h` | `markup.heading`, `meta.diff.header`, `meta.diff.range`                      |
//! | `hl-i` | `markup.inserted` (a diff's `+` lines)                                       |
//! | `hl-d` | `markup.deleted` (a diff's `-` lines)                                        |
//! | `hl-e` | `invalid`                                                                    |
//!
//! Strings and comments dominate: a token anywhere inside one (its quotes, an escape, a
//! regexp's quantifier) takes its class. `string.unquoted` does not dominate, so a YAML
//! key (a tag inside a plain scalar) stays a tag. Otherwise the innermost mapped scope
//! wins, and a token with none is written bare. Adjacent tokens of one class share a
//! span (blanks between them too), and spans close at each line's end, so every line is
//! balanced on its own. Scope → class lookups are cached per thread.
//!
//! The syntax set loads once. Parsing a line with syntect's regexes is the costly part,
//! and its result depends only on the parser's state and the line's text, so parsed
//! lines are cached by both: specs repeat lines (JSON keys, SQL clauses, boilerplate)
//! far more often than whole blocks, and `serve` re-renders the same blocks on every save.
//! States are interned, so a cached line holds two numbers rather than two states.

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
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxSet};
use syntect::util::LinesWithEndings;

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
/// specs of many small rust blocks on a shared 2-core machine), so this is an eighth of
/// a second at most: one block of [`MAX_BLOCK_BYTES`], or hundreds of usual ones.
pub const DOCUMENT_BUDGET: usize = 128 * 1024;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Parser states interned per thread: the line cache names a state by its number, so
/// a cached line costs its text and tokens, not two copies of syntect's state (a stack
/// of contexts with their captures), and a hit needs no hashing of a state.
const MAX_STATES: usize = 1 << 14;

/// The scope operations syntect found in one line, at their byte offsets.
type Tokens = Rc<[(usize, ScopeStackOp)]>;

/// One line as syntect parsed it from one state (both states by number).
struct ParsedLine {
    before: u32,
    line: Box<str>,
    ops: Tokens,
    after: u32,
}

/// Parsed lines and parser states of one thread. syntect's parser state holds regex
/// captures that may not cross threads, so each worker keeps its own cache; it lives as
/// long as the thread, so `serve` keeps it between rebuilds. The syntax set is global,
/// so a state means the same in every build.
#[derive(Default)]
struct LineCache {
    /// Hash of (state number, line) → the lines parsed with that hash.
    map: FxHashMap<u64, Vec<Rc<ParsedLine>>>,
    len: usize,
    states: Vec<Rc<ParseState>>,
    /// Hash of a state → the numbers of the states with that hash.
    state_numbers: FxHashMap<u64, Vec<u32>>,
}

impl LineCache {
    /// The number of `state`, adding it when new; `None` once [`MAX_STATES`] are known
    /// (lines from or to other states are then not cached).
    fn intern(&mut self, state: &ParseState) -> Option<u32> {
        let hash = state_hash(state);
        if let Some(&n) = self
            .state_numbers
            .get(&hash)
            .and_then(|ns| ns.iter().find(|&&n| *self.states[n as usize] == *state))
        {
            return Some(n);
        }
        if self.states.len() >= MAX_STATES {
            return None;
        }
        let n = u32::try_from(self.states.len()).ok()?;
        self.states.push(Rc::new(state.clone()));
        self.state_numbers.entry(hash).or_default().push(n);
        Some(n)
    }

    fn get(&self, state: u32, line: &str) -> Option<Rc<ParsedLine>> {
        self.map
            .get(&line_key(state, line))?
            .iter()
            .find(|p| p.before == state && &*p.line == line)
            .cloned()
    }

    fn insert(&mut self, parsed: Rc<ParsedLine>) {
        if self.len < MAX_CACHED_LINES {
            self.len += 1;
            let key = line_key(parsed.before, &parsed.line);
            self.map.entry(key).or_default().push(parsed);
        }
    }
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

fn state_hash(state: &ParseState) -> u64 {
    let mut hasher = FxHasher::default();
    // syntect's state is not `Hash`; its debug form names every context on its stack.
    // Equal states print alike, and interning compares states exactly, so the hash
    // only has to group them.
    let _ = fmt::write(&mut HashWriter(&mut hasher), format_args!("{state:?}"));
    hasher.finish()
}

fn line_key(state: u32, line: &str) -> u64 {
    let mut hasher = FxHasher::default();
    state.hash(&mut hasher);
    line.hash(&mut hasher);
    hasher.finish()
}

/// The token classes, each written as `hl-` and one letter (see the module's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Comment,
    String,
    Number,
    Keyword,
    Type,
    Function,
    Tag,
    Attribute,
    Heading,
    Inserted,
    Deleted,
    Invalid,
}

impl Class {
    fn open_tag(self) -> &'static str {
        match self {
            Class::Comment => "<span class=\"hl-c\">",
            Class::String => "<span class=\"hl-s\">",
            Class::Number => "<span class=\"hl-n\">",
            Class::Keyword => "<span class=\"hl-k\">",
            Class::Type => "<span class=\"hl-t\">",
            Class::Function => "<span class=\"hl-f\">",
            Class::Tag => "<span class=\"hl-g\">",
            Class::Attribute => "<span class=\"hl-a\">",
            Class::Heading => "<span class=\"hl-h\">",
            Class::Inserted => "<span class=\"hl-i\">",
            Class::Deleted => "<span class=\"hl-d\">",
            Class::Invalid => "<span class=\"hl-e\">",
        }
    }
}

/// What one scope says about the tokens inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScopeClass {
    /// Nothing: the scope is not in the table.
    Unmapped,
    /// This class, unless a more inner scope is mapped too.
    Class(Class),
    /// This class for everything inside, whatever inner scopes say (strings, comments).
    Dominant(Class),
    /// `keyword.operator`: a keyword when the token is a word (`and`, `not`, `IN`), bare
    /// when it is a symbol (`=`, `+`).
    Operator,
    /// `storage.type`: a keyword when the token is one of [`DECLARATION_WORDS`], a type
    /// otherwise (`i32`, `TEXT`).
    StorageType,
}

/// Declaration keywords that grammars scope like type names (Rust's `let`, JavaScript's
/// `const`).
const DECLARATION_WORDS: &[&str] = &[
    "let",
    "const",
    "var",
    "val",
    "mut",
    "static",
    "fn",
    "func",
    "function",
    "def",
    "class",
    "struct",
    "enum",
    "trait",
    "impl",
    "type",
    "interface",
    "mod",
    "module",
];

/// The module's table: the first rule whose scope is a prefix of a token's scope (atom
/// by atom) gives its class; more specific rules come before the general ones.
const RULES: &[(&str, ScopeClass)] = {
    use Class::*;
    use ScopeClass::{Class as C, Dominant, Operator, StorageType};
    &[
        ("comment", Dominant(Comment)),
        ("string.unquoted", C(String)),
        ("string", Dominant(String)),
        ("constant.numeric", C(Number)),
        ("constant.language", C(Number)),
        ("constant.character", C(Number)),
        ("support.constant", C(Number)),
        ("keyword.operator", Operator),
        ("keyword", C(Keyword)),
        ("storage.modifier", C(Keyword)),
        // Grammars name the keywords that start a declaration `storage.type.<what>`.
        ("storage.type.function", C(Keyword)),
        ("storage.type.class", C(Keyword)),
        ("storage.type.struct", C(Keyword)),
        ("storage.type.enum", C(Keyword)),
        ("storage.type.impl", C(Keyword)),
        ("storage.type.trait", C(Keyword)),
        ("storage.type.interface", C(Keyword)),
        ("storage.type.union", C(Keyword)),
        ("storage.type.module", C(Keyword)),
        ("storage.type.namespace", C(Keyword)),
        ("storage.type.type", C(Keyword)),
        ("storage.type", StorageType),
        ("storage", C(Keyword)),
        ("variable.language", C(Keyword)),
        ("entity.name.type", C(Type)),
        ("entity.name.class", C(Type)),
        ("entity.name.struct", C(Type)),
        ("entity.name.enum", C(Type)),
        ("entity.name.trait", C(Type)),
        ("entity.name.interface", C(Type)),
        ("entity.name.impl", C(Type)),
        ("entity.name.union", C(Type)),
        ("entity.other.inherited-class", C(Type)),
        ("support.type", C(Type)),
        ("support.class", C(Type)),
        ("entity.name.function", C(Function)),
        ("support.function", C(Function)),
        ("variable.function", C(Function)),
        ("entity.name.tag", C(Tag)),
        ("entity.other.attribute-name", C(Attribute)),
        ("markup.heading", C(Heading)),
        ("meta.diff.header", C(Heading)),
        ("meta.diff.range", C(Heading)),
        ("markup.inserted", C(Inserted)),
        ("markup.deleted", C(Deleted)),
        ("invalid", C(Invalid)),
    ]
};

fn scope_class_uncached(scope: Scope) -> ScopeClass {
    let name = scope.build_string();
    RULES
        .iter()
        .find(|(rule, _)| {
            name.strip_prefix(rule)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
        .map_or(ScopeClass::Unmapped, |&(_, class)| class)
}

thread_local! {
    /// Scope → class, per thread: a syntax set has a few thousand scopes, and naming a
    /// scope takes a global lock.
    static SCOPE_CLASSES: RefCell<FxHashMap<Scope, ScopeClass>> = RefCell::default();
}

/// The class of a token with scope stack `scopes` (outermost first) and text `text`.
fn token_class(scopes: &[Scope], text: &str) -> Option<Class> {
    let resolved = SCOPE_CLASSES.with_borrow_mut(|cache| {
        let mut innermost = ScopeClass::Unmapped;
        for &scope in scopes.iter().rev() {
            let class = *cache
                .entry(scope)
                .or_insert_with(|| scope_class_uncached(scope));
            match class {
                ScopeClass::Dominant(_) => return class,
                ScopeClass::Unmapped => {}
                _ if innermost == ScopeClass::Unmapped => innermost = class,
                _ => {}
            }
        }
        innermost
    });
    match resolved {
        ScopeClass::Unmapped => None,
        ScopeClass::Class(class) | ScopeClass::Dominant(class) => Some(class),
        ScopeClass::Operator => text
            .starts_with(char::is_alphabetic)
            .then_some(Class::Keyword),
        ScopeClass::StorageType if DECLARATION_WORDS.contains(&text) => Some(Class::Keyword),
        ScopeClass::StorageType => Some(Class::Type),
    }
}

/// Writes tokens as flat spans: one span per run of same-class tokens, blanks between
/// two tokens of one class kept inside it, every span closed at the end of its line.
struct SpanWriter {
    html: String,
    open: Option<Class>,
    /// Blanks after the open span, written once the next token shows where they go.
    blanks: String,
}

impl SpanWriter {
    fn token(&mut self, text: &str, scopes: &[Scope]) {
        if text.is_empty() {
            return;
        }
        if let Some(body) = text.strip_suffix('\n') {
            self.token(body, scopes);
            self.close();
            self.html.push('\n');
            return;
        }
        let class = token_class(scopes, text);
        if class.is_none() && self.open.is_some() && text.bytes().all(|b| b == b' ' || b == b'\t') {
            self.blanks.push_str(text);
            return;
        }
        if class != self.open {
            self.close();
            if let Some(class) = class {
                self.html.push_str(class.open_tag());
                self.open = Some(class);
            }
        }
        self.html.push_str(&self.blanks);
        self.blanks.clear();
        let _ = crate::escape::write_html_with(&mut self.html, text, false);
    }

    fn close(&mut self) {
        if self.open.take().is_some() {
            self.html.push_str("</span>");
        }
        self.html.push_str(&self.blanks);
        self.blanks.clear();
    }

    fn finish(mut self) -> String {
        self.close();
        self.html
    }
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
        Ok(self.write_spans(syntax, code, true))
    }

    /// Parses `code` line by line (through the line cache when `cached`) and writes its
    /// tokens as spans; `None` if syntect fails on it.
    fn write_spans(
        &self,
        syntax: &syntect::parsing::SyntaxReference,
        code: &str,
        cached: bool,
    ) -> Option<String> {
        let first = ParseState::new(syntax);
        let mut number = cached
            .then(|| LINES.with_borrow_mut(|c| c.intern(&first)))
            .flatten();
        let mut state = Rc::new(first);
        let mut scopes = ScopeStack::new();
        let mut out = SpanWriter {
            html: String::with_capacity(code.len() * 2),
            open: None,
            blanks: String::new(),
        };
        for line in LinesWithEndings::from(code) {
            let (ops, after, after_number) = self.parse_line(&state, number, line)?;
            let mut start = 0;
            for (end, op) in ops.iter() {
                let end = (*end).clamp(start, line.len());
                out.token(&line[start..end], &scopes.scopes);
                start = end;
                scopes.apply(op).ok()?;
            }
            out.token(&line[start..], &scopes.scopes);
            state = after;
            number = after_number;
        }
        Some(out.finish())
    }

    /// Parses one line from `state` (numbered `number` when it is cached), or finds it
    /// in the cache. Returns the line's tokens and the state after it, with its number.
    fn parse_line(
        &self,
        state: &Rc<ParseState>,
        number: Option<u32>,
        line: &str,
    ) -> Option<(Tokens, Rc<ParseState>, Option<u32>)> {
        if let Some(n) = number {
            let hit = LINES.with_borrow(|cache| {
                cache.get(n, line).map(|p| {
                    let after = cache.states[p.after as usize].clone();
                    (p.ops.clone(), after, Some(p.after))
                })
            });
            if hit.is_some() {
                self.hits.fetch_add(1, Ordering::Relaxed);
                return hit;
            }
        }
        let mut after = ParseState::clone(state);
        let ops = after.parse_line(line, syntaxes()).ok()?;
        let Some(before) = number else {
            return Some((ops.into(), Rc::new(after), None));
        };
        LINES.with_borrow_mut(|cache| {
            let after_number = cache.intern(&after);
            let after = match after_number {
                Some(a) => cache.states[a as usize].clone(),
                None => Rc::new(after),
            };
            let ops: Tokens = ops.into();
            if let Some(a) = after_number {
                cache.insert(Rc::new(ParsedLine {
                    before,
                    line: line.into(),
                    ops: ops.clone(),
                    after: a,
                }));
            }
            Some((ops, after, after_number))
        })
    }

    /// How many lines this highlighter took from the cache so far.
    pub fn cache_hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// The stylesheet for highlighted code: a light palette, and a dark one under
    /// `prefers-color-scheme: dark` as the default theme switches, both readable on the
    /// theme's code background.
    pub fn css() -> &'static str {
        include_str!("highlight.css")
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
            None => crate::escape::write_html_with(output, code, false),
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
        crate::escape::write_html(output, &v)?;
        output.write_str("\"")?;
    }
    output.write_str(">")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The highlighted HTML of `code`.
    fn html(lang: &str, code: &str) -> String {
        Highlighter::default()
            .highlight(lang, code)
            .unwrap()
            .unwrap()
    }

    /// Every `(class, text)` span of `html`, in order.
    fn spans(html: &str) -> Vec<(String, String)> {
        html.split("<span class=\"")
            .skip(1)
            .map(|rest| {
                let (class, rest) = rest.split_once("\">").unwrap();
                let (text, _) = rest.split_once("</span>").unwrap();
                (class.to_string(), text.to_string())
            })
            .collect()
    }

    /// The class of the span holding exactly `text`.
    fn class_of(html: &str, text: &str) -> Option<String> {
        spans(html)
            .into_iter()
            .find(|(_, t)| t == text)
            .map(|(class, _)| class)
    }

    #[test]
    fn tokens_get_their_class() {
        let rust = html(
            "rust",
            "// the entry point\npub fn main() {\n    let n: u32 = parse(\"a\\n\", 42);\n}\n",
        );
        assert_eq!(
            class_of(&rust, "// the entry point").as_deref(),
            Some("hl-c"),
            "{rust}"
        );
        assert_eq!(class_of(&rust, "pub fn").as_deref(), Some("hl-k"), "{rust}");
        assert_eq!(class_of(&rust, "main").as_deref(), Some("hl-f"), "{rust}");
        // The quotes and the escape take the string's class: one span.
        assert_eq!(
            class_of(&rust, "\"a\\n\"").as_deref(),
            Some("hl-s"),
            "{rust}"
        );
        assert_eq!(class_of(&rust, "42").as_deref(), Some("hl-n"), "{rust}");
        assert_eq!(class_of(&rust, "let").as_deref(), Some("hl-k"), "{rust}");
        assert_eq!(class_of(&rust, "u32").as_deref(), Some("hl-t"), "{rust}");
        let js = html("js", "const n = 1;\n");
        assert_eq!(class_of(&js, "const").as_deref(), Some("hl-k"), "{js}");
        // Plain identifiers and punctuation are bare.
        assert!(rust.contains("</span> n: "), "{rust}");

        let diff = html("diff", "@@ -1 +1 @@\n-old line\n+new line\n same\n");
        assert_eq!(
            class_of(&diff, "-old line").as_deref(),
            Some("hl-d"),
            "{diff}"
        );
        assert_eq!(
            class_of(&diff, "+new line").as_deref(),
            Some("hl-i"),
            "{diff}"
        );
        assert!(
            diff.ends_with("\n same\n"),
            "context lines are bare: {diff}"
        );

        let yaml = html("yaml", "owner: \"ana\" # who\n");
        assert_eq!(class_of(&yaml, "owner").as_deref(), Some("hl-g"), "{yaml}");
        assert_eq!(
            class_of(&yaml, "\"ana\"").as_deref(),
            Some("hl-s"),
            "{yaml}"
        );
        assert_eq!(class_of(&yaml, "# who").as_deref(), Some("hl-c"), "{yaml}");

        let python = html("python", "if a and not b:\n    x = 1\n");
        assert_eq!(
            class_of(&python, "and not").as_deref(),
            Some("hl-k"),
            "{python}"
        );
        assert!(
            python.contains(" = "),
            "symbol operators are bare: {python}"
        );
    }

    #[test]
    fn spans_are_flat_balanced_per_line_and_escaped() {
        let code = "/* a <b> & \"c\"\n   d */\nlet s = \"<script>'x'</script>\";\n";
        let out = html("js", code);
        for line in out.lines() {
            assert_eq!(
                line.matches("<span").count(),
                line.matches("</span>").count(),
                "{line}"
            );
            // Flat: no span opens inside another.
            for inner in line.split("<span").skip(1) {
                let before_close = inner.split("</span>").next().unwrap();
                assert!(!before_close.contains("<span"), "{line}");
            }
        }
        assert!(!out.contains("<script") && !out.contains("<b>"), "{out}");
        assert!(out.contains("&lt;b&gt; &amp; \"c\""), "{out}");
        // Unescaped, the text is the code.
        let text: String = out
            .split("<span class=\"")
            .map(|p| p.split_once("\">").map_or(p, |(_, t)| t))
            .collect::<String>()
            .replace("</span>", "")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        assert_eq!(text, code);
    }

    #[test]
    fn json_stays_close_to_its_size() {
        let code = "{\n  \"event\": \"invoice.paid\",\n  \"version\": 5,\n  \"payload\": {\n    \"account_id\": \"acc_382483\",\n    \"enabled\": true,\n    \"tags\": [\"service\", \"event\"]\n  }\n}\n";
        let out = html("json", code);
        assert_eq!(
            class_of(&out, "\"event\"").as_deref(),
            Some("hl-s"),
            "{out}"
        );
        assert_eq!(class_of(&out, "true").as_deref(), Some("hl-n"), "{out}");
        // What writing syntect's scope stack as nested spans gave.
        let syntax = syntaxes().find_syntax_by_token("json").unwrap();
        let mut nested = syntect::html::ClassedHTMLGenerator::new_with_class_style(
            syntax,
            syntaxes(),
            syntect::html::ClassStyle::SpacedPrefixed { prefix: "hl-" },
        );
        for line in LinesWithEndings::from(code) {
            nested
                .parse_html_for_line_which_includes_newline(line)
                .unwrap();
        }
        let nested = nested.finalize();
        assert!(
            out.len() * 5 < nested.len() && out.len() < 4 * code.len(),
            "{} bytes of HTML ({} nested) for {} bytes of JSON",
            out.len(),
            nested.len(),
            code.len()
        );
    }

    #[test]
    fn highlights_known_languages_and_caches_lines() {
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
        let uncached = |lang: &str, code: &str| {
            let syntax = syntaxes().find_syntax_by_token(lang).unwrap();
            h.write_spans(syntax, code, false).unwrap()
        };
        let blocks = [
            ("python", "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\n"),
            ("python", "x = 1\ny = 2\n"),
            ("sql", "SELECT a\nFROM t -- x = 1\nWHERE b = 'x = 1';\n"),
            ("json", "{\n  \"a\": [1, 2],\n  \"b\": {\"c\": null}\n}\n"),
        ];
        for _ in 0..2 {
            for (lang, code) in blocks {
                assert_eq!(
                    h.highlight(lang, code).unwrap().unwrap(),
                    uncached(lang, code)
                );
            }
        }
        assert!(h.cache_hits() > 0);
        assert_eq!(
            class_of(&uncached("python", blocks[0].1), "\"\"\""),
            Some("hl-c".into()),
            "the docstring is a comment, so the state differs"
        );
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
        // Five blocks of a fifth of the budget fit in it; the sixth does not.
        let line = "let x = 1;\n";
        let blocks: Vec<String> = (0..6)
            .map(|_| line.repeat(DOCUMENT_BUDGET / 5 / line.len()))
            .collect();
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
        crate::escape::write_html(&mut s, "<a href=\"x\">&'</a>").unwrap();
        assert_eq!(s, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
        // Plain code blocks are text: quotes stay.
        let shared = Highlighter::default();
        let doc = DocHighlighter::new(&shared);
        let mut plain = String::new();
        doc.write_highlighted(&mut plain, None, "<a href=\"x\">&'</a>")
            .unwrap();
        assert_eq!(plain, "&lt;a href=\"x\"&gt;&amp;'&lt;/a&gt;");
    }

    #[test]
    fn css_styles_every_class_in_light_and_dark() {
        let css = Highlighter::css();
        let (light, dark) = css
            .split_once("@media (prefers-color-scheme: dark)")
            .unwrap();
        for class in ["c", "s", "n", "k", "t", "f", "g", "a", "h", "i", "d", "e"] {
            let rule = format!(".hl-{class} {{");
            assert!(light.contains(&rule) && dark.contains(&rule), "{rule}");
        }
        assert_eq!(css.matches('{').count(), css.matches('}').count());
    }
}
