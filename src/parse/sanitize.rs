//! Raw HTML in bodies. HTML comments are dropped whatever `allow_html` says (they hold
//! notes meant for authors, not readers). Without `allow_html`, every raw HTML node
//! comrak found (block or inline) is cut down to a safe subset — [`ELEMENTS`] with
//! their attributes, links and images only to URLs [`crate::url::href`] accepts — with
//! an `html-removed` warning at the line of each thing removed. Either way, the `id`s
//! and `<a name>`s that reach the page are collected as link targets for the anchor
//! check.
//!
//! Each node is filtered on its own, token by token (html5ever's tokenizer, the parser
//! browsers' behaviour is specified by, without its tree builder), so a warning has the
//! node's line and an element may open in one node and close in another (`<details>`
//! in one block, the markdown inside it, `</details>` in a later block). What comes
//! out is only allowed tags written by this module, attribute values and text escaped
//! here; none of the allowed elements changes how a browser tokenizes what follows, so
//! nothing a tokenizer could read differently survives. Elements left open at the end
//! of the body are closed there, so raw HTML never swallows the page around it.
//! Bodies without raw HTML never come here.

use crate::diagnostic::{Diagnostic, Pos, Rule};
use comrak::nodes::{AstNode, LineColumn, NodeValue};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;

/// At most this many `html-removed` warnings per document; the last one counts the rest.
const MAX_WARNINGS: usize = 10;

/// An element raw HTML may keep, with the attributes it may keep besides [`GLOBAL`].
struct Element {
    name: &'static str,
    attributes: &'static [&'static str],
    /// Has no end tag (`<br>`, `<img>`).
    void: bool,
}

const fn el(name: &'static str, attributes: &'static [&'static str]) -> Element {
    Element {
        name,
        attributes,
        void: false,
    }
}

const fn void(name: &'static str, attributes: &'static [&'static str]) -> Element {
    Element {
        name,
        attributes,
        void: true,
    }
}

/// Attributes every kept element may have. `id` makes a link target.
const GLOBAL: &[&str] = &["id", "title"];

/// Attributes whose value is a URL, kept only when [`crate::url::href`] accepts it.
const URL_ATTRIBUTES: &[&str] = &["href", "src"];

const ALIGN: &[&str] = &["align"];
const CELL: &[&str] = &["align", "colspan", "rowspan"];

/// The elements raw HTML keeps: what specs use markdown cannot say (collapsible
/// sections, footnote-like marks, keys, line breaks, anchors, sized images, tables
/// with merged cells) and plain text formatting. None of them runs script, loads a
/// frame, carries style or changes how a browser reads the markup after it.
const ELEMENTS: &[Element] = &[
    el("details", &["open"]),
    el("summary", &[]),
    el("sup", &[]),
    el("sub", &[]),
    el("kbd", &[]),
    void("br", &[]),
    el("a", &["href", "name"]),
    void("img", &["src", "alt", "width", "height", "align"]),
    el("table", ALIGN),
    el("caption", &[]),
    el("thead", ALIGN),
    el("tbody", ALIGN),
    el("tfoot", ALIGN),
    el("tr", ALIGN),
    el("th", CELL),
    el("td", CELL),
    el("p", ALIGN),
    el("div", ALIGN),
    el("span", &[]),
    void("hr", &[]),
    el("b", &[]),
    el("i", &[]),
    el("em", &[]),
    el("strong", &[]),
    el("code", &[]),
    el("pre", &[]),
    el("s", &[]),
    el("del", &[]),
    el("ins", &[]),
    el("mark", &[]),
    el("small", &[]),
    el("abbr", &[]),
    el("ul", &[]),
    el("ol", &["start"]),
    el("li", &[]),
    el("dl", &[]),
    el("dt", &[]),
    el("dd", &[]),
    el("blockquote", &[]),
    el("h1", ALIGN),
    el("h2", ALIGN),
    el("h3", ALIGN),
    el("h4", ALIGN),
    el("h5", ALIGN),
    el("h6", ALIGN),
];

/// Removed elements whose content goes with them (code, styles, frames' fallback), with
/// the tokenizer state browsers read that content in.
fn dropped_content(name: &str) -> Option<RawKind> {
    match name {
        "script" => Some(RawKind::ScriptData),
        "style" | "iframe" | "xmp" | "noembed" | "noframes" | "noscript" => Some(RawKind::Rawtext),
        "textarea" | "title" => Some(RawKind::Rcdata),
        _ => None,
    }
}

fn element(name: &str) -> Option<&'static Element> {
    ELEMENTS.iter().find(|e| e.name == name)
}

/// What raw HTML left on the page besides its nodes' new text.
#[derive(Debug, Default)]
pub struct Cleaned {
    /// Ids and `<a name>`s on the page, in document order: link targets.
    pub anchors: Vec<String>,
    /// End tags for elements raw HTML left open, to append to the body's HTML.
    pub closing: String,
    pub diags: Vec<Diagnostic>,
}

/// Rewrites every raw HTML node under `root`: comments dropped, and without
/// `allow_html` only the safe subset kept (the node becomes comrak's `Raw`, written as
/// is). A node left empty is taken out. `at` turns comrak positions into file positions.
pub fn clean<'a>(
    root: &'a AstNode<'a>,
    allow_html: bool,
    at: &dyn Fn(LineColumn) -> Pos,
    file: &str,
) -> Cleaned {
    let nodes: Vec<&AstNode<'_>> = root
        .descendants()
        .filter(|n| {
            matches!(
                n.data().value,
                NodeValue::HtmlBlock(_) | NodeValue::HtmlInline(_)
            )
        })
        .collect();
    let mut state = State {
        allow_html,
        ..State::default()
    };
    let mut removed: Vec<(Pos, Removed)> = Vec::new();
    for node in nodes {
        let start = node.data().sourcepos.start;
        let literal = match &node.data().value {
            NodeValue::HtmlBlock(b) => b.literal.clone(),
            NodeValue::HtmlInline(s) => s.clone(),
            _ => continue,
        };
        state.out.clear();
        let new = if allow_html {
            let text = strip_comments(&literal);
            state = filter(&text, state);
            text
        } else {
            state = filter(&literal, state);
            std::mem::take(&mut state.out)
        };
        for (line, what) in state.removed.drain(..) {
            removed.push((at(locate(&literal, start, line, &what)), what));
        }
        if new.trim().is_empty() {
            node.detach();
            continue;
        }
        let mut d = node.data_mut();
        match &mut d.value {
            NodeValue::HtmlBlock(b) if allow_html => b.literal = new,
            NodeValue::HtmlInline(s) if allow_html => *s = new,
            value => *value = NodeValue::Raw(new),
        }
    }
    let closing = state
        .open
        .iter()
        .rev()
        .map(|name| format!("</{name}>"))
        .collect();
    Cleaned {
        anchors: state.anchors,
        closing,
        diags: warnings(removed, file),
    }
}

/// Something taken out of raw HTML, for its warning.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Removed {
    Element(String),
    Attribute {
        element: String,
        attribute: String,
    },
    Url {
        element: String,
        attribute: String,
        value: String,
    },
}

impl Removed {
    /// What to look for on the line to place the caret.
    fn needle(&self) -> String {
        match self {
            Removed::Element(name) => format!("<{name}"),
            Removed::Attribute { attribute, .. } | Removed::Url { attribute, .. } => {
                attribute.clone()
            }
        }
    }

    fn message(&self) -> String {
        match self {
            Removed::Element(name) if dropped_content(name).is_some() => {
                format!("raw HTML `<{name}>` was removed with its content")
            }
            Removed::Element(name) => {
                format!("raw HTML `<{name}>` was removed (its text is kept)")
            }
            Removed::Attribute { element, attribute } => {
                format!("the `{attribute}` attribute of raw HTML `<{element}>` was removed")
            }
            Removed::Url {
                element,
                attribute,
                value,
            } => {
                let shown: String = value.chars().take(60).collect();
                format!(
                    "the `{attribute}` of raw HTML `<{element}>` was removed: '{shown}' is not an http, https, mailto or relative URL"
                )
            }
        }
    }
}

fn warnings(removed: Vec<(Pos, Removed)>, file: &str) -> Vec<Diagnostic> {
    let more = removed.len().saturating_sub(MAX_WARNINGS);
    let mut diags: Vec<Diagnostic> = removed
        .into_iter()
        .take(MAX_WARNINGS)
        .map(|(pos, what)| {
            Diagnostic::new(Rule::HtmlRemoved, file, what.message())
                .at(pos)
                .span(what.needle().chars().count())
                .help(
                    "specsite publishes a safe subset of raw HTML (details, summary, sup, sub, kbd, br, links, images, tables and text formatting, without scripts, event handlers or styles); write it in markdown, or set `allow_html = true` under [markdown] in specsite.toml if every author is trusted",
                )
        })
        .collect();
    if more > 0
        && let Some(last) = diags.last_mut()
    {
        last.message
            .push_str(&format!(" (and {more} more removals after this one)"));
    }
    diags
}

/// Where in the file a removal is: the tokenizer's line in the node, and on it the
/// first place the tag or attribute is written (the node's start when not found).
fn locate(literal: &str, start: LineColumn, line: u64, what: &Removed) -> LineColumn {
    let index = usize::try_from(line.saturating_sub(1)).unwrap_or(0);
    let Some(text) = literal.split('\n').nth(index) else {
        return start;
    };
    // comrak places a block at its first non-space character, and its literal keeps the
    // indentation; each line of the literal starts where the first one does (inside a
    // list item or a quote, past their markers).
    let indent = literal.len() - literal.trim_start_matches([' ', '\t']).len();
    let base = start.column.saturating_sub(indent).max(1);
    let offset = text.to_ascii_lowercase().find(&what.needle()).unwrap_or(0);
    LineColumn {
        line: start.line + index,
        column: base + offset,
    }
}

/// Drops every `<!-- … -->` (and an unclosed one to the end), keeping the rest as
/// written. Comments end as browsers end them: `<!-->`, `<!--->`, `-->` or `--!>`.
pub fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("<!--") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 4..];
        let end = if after.starts_with('>') {
            Some(1)
        } else if after.starts_with("->") {
            Some(2)
        } else {
            [
                after.find("-->").map(|i| i + 3),
                after.find("--!>").map(|i| i + 4),
            ]
            .into_iter()
            .flatten()
            .min()
        };
        match end {
            Some(end) => rest = &after[end..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// The filter's state, carried from node to node of one body.
#[derive(Default)]
struct State {
    allow_html: bool,
    /// The current node's filtered HTML.
    out: String,
    /// Kept elements opened and not yet closed, across nodes.
    open: Vec<&'static str>,
    anchors: Vec<String>,
    /// What the current node lost, with the line in the node.
    removed: Vec<(u64, Removed)>,
    /// Inside a removed element whose content goes too, until its end tag.
    skipping: Option<String>,
}

/// Runs one node's HTML through the tokenizer into `state`.
fn filter(text: &str, mut state: State) -> State {
    // Tokenizer states do not carry over: each node is read as browsers would read it.
    state.skipping = None;
    let tokenizer = Tokenizer::new(
        Sink {
            state: RefCell::new(state),
        },
        TokenizerOpts::default(),
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(text));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.state.into_inner()
}

struct Sink {
    state: RefCell<State>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => state.tag(tag, line),
            Token::CharacterTokens(text) => {
                if !state.allow_html && state.skipping.is_none() {
                    escape(&mut state.out, &text);
                }
                TokenSinkResult::Continue
            }
            // Comments, doctypes, NULs and parse errors are dropped.
            _ => TokenSinkResult::Continue,
        }
    }
}

impl State {
    fn tag(&mut self, tag: Tag, line: u64) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        if let Some(skipping) = &self.skipping {
            // In a raw text state the tokenizer gives only the matching end tag.
            if tag.kind == TagKind::EndTag && skipping == name {
                self.skipping = None;
            }
            return TokenSinkResult::Continue;
        }
        let raw_kind = (tag.kind == TagKind::StartTag && !tag.self_closing)
            .then(|| dropped_content(name))
            .flatten();
        if self.allow_html {
            // Everything stays; only the ids on the page are wanted.
            if tag.kind == TagKind::StartTag {
                self.collect_anchors(&tag);
            }
            return raw_kind.map_or(TokenSinkResult::Continue, TokenSinkResult::RawData);
        }
        let Some(element) = element(name) else {
            if tag.kind == TagKind::StartTag {
                self.removed
                    .push((line, Removed::Element(name.to_string())));
            }
            if let Some(kind) = raw_kind {
                self.skipping = Some(name.to_string());
                return TokenSinkResult::RawData(kind);
            }
            return TokenSinkResult::Continue;
        };
        match tag.kind {
            TagKind::StartTag => self.start_tag(element, &tag, line),
            TagKind::EndTag => {
                // An end tag closes a kept element opened before, here or in an earlier
                // node; one with nothing to close is dropped.
                if let Some(i) = self.open.iter().rposition(|&n| n == element.name) {
                    self.open.truncate(i);
                    self.out.push_str("</");
                    self.out.push_str(element.name);
                    self.out.push('>');
                }
            }
        }
        TokenSinkResult::Continue
    }

    fn start_tag(&mut self, element: &'static Element, tag: &Tag, line: u64) {
        self.out.push('<');
        self.out.push_str(element.name);
        for attr in &tag.attrs {
            let attribute: &str = &attr.name.local;
            let value: &str = &attr.value;
            let allowed = GLOBAL.contains(&attribute) || element.attributes.contains(&attribute);
            if !allowed {
                self.removed.push((
                    line,
                    Removed::Attribute {
                        element: element.name.to_string(),
                        attribute: attribute.to_string(),
                    },
                ));
                continue;
            }
            let value = if URL_ATTRIBUTES.contains(&attribute) {
                match crate::url::href(value) {
                    Some(url) => url,
                    None => {
                        self.removed.push((
                            line,
                            Removed::Url {
                                element: element.name.to_string(),
                                attribute: attribute.to_string(),
                                value: value.to_string(),
                            },
                        ));
                        continue;
                    }
                }
            } else {
                value
            };
            self.out.push(' ');
            self.out.push_str(attribute);
            self.out.push_str("=\"");
            escape(&mut self.out, value);
            self.out.push('"');
        }
        self.out.push('>');
        self.collect_anchors(tag);
        if !element.void {
            self.open.push(element.name);
        }
    }

    /// An `id` on any element, and `name` on `<a>`, is a link target. In the safe
    /// subset only kept elements get here, and both attributes are always kept.
    fn collect_anchors(&mut self, tag: &Tag) {
        for attr in &tag.attrs {
            let attribute: &str = &attr.name.local;
            let is_anchor = attribute == "id" || (attribute == "name" && &*tag.name == "a");
            if is_anchor && !attr.value.trim().is_empty() {
                self.anchors.push(attr.value.to_string());
            }
        }
    }
}

/// HTML-escapes text and attribute values (`&`, `<`, `>`, `"`).
fn escape(out: &mut String, text: &str) {
    // Writing to a String cannot fail.
    let _ = crate::escape::write_html(out, text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_end_where_browsers_end_them() {
        assert_eq!(strip_comments("a<!-- x -->b"), "ab");
        assert_eq!(strip_comments("a<!-->b<!--->c"), "abc");
        assert_eq!(strip_comments("a<!-- x --!>b"), "ab");
        assert_eq!(strip_comments("a<!-- x\ny -->b<!-- z -->c"), "abc");
        assert_eq!(strip_comments("a<!-- never closed"), "a");
        assert_eq!(strip_comments("no comment"), "no comment");
    }
}
