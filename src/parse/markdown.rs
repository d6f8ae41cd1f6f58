//! Markdown: renders a document's body with comrak (GFM) and, in the same pass, collects
//! what later stages need from it: headings (for the table of contents and anchor
//! checks), links to other files and wiki links (left as placeholders that the render
//! stage fills in once the link stage has resolved them), the `##` sections with their
//! list items and table rows (roadmaps), and a plain-text summary.

use super::highlight::{DocHighlighter, Highlighter};
use super::mermaid::{DiagramCache, DocDiagrams};
use super::packed::PackedHtml;
use crate::config::MarkdownOptions;
use crate::diagnostic::{Diagnostic, Pos, Rule};
use crate::escape::write_html as write_escaped;
use comrak::adapters::{HeadingAdapter, HeadingMeta};
use comrak::nodes::{AstNode, NodeLink, NodeValue};
use comrak::{Anchorizer, Arena, Options};
use std::fmt;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};

/// At most this many `highlight` warnings per document; the last one counts the rest.
const MAX_HIGHLIGHT_WARNINGS: usize = 5;

/// The scheme of the placeholder URLs left in body HTML for the render stage. They are
/// filled in only where the HTML writer put them, as the URL of a link or image tag
/// (`<a href="specsite-link:3"`), which an author's text cannot produce: text and code
/// have their `<` escaped, and the scheme written in raw HTML or as another link's URL
/// is altered while parsing (see [`fill_placeholders`]).
pub const PLACEHOLDER: &str = "specsite-link:";

/// The tag openings a placeholder follows, as comrak writes them.
const PLACED_AFTER: [&str; 2] = ["<a href=\"", "<img src=\""];

/// What the scheme becomes where an author wrote it: in raw HTML a character reference
/// (shown and followed alike), in another link's URL a percent escape.
const AUTHORS_IN_HTML: &str = "specsite-link&#58;";
const AUTHORS_IN_URL: &str = "specsite-link%3A";

/// What a body link points at, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A relative path to a file (a spec, an image), with an optional `#fragment`. An
    /// empty path is the document itself (`[see](#goals)`).
    Path {
        path: String,
        fragment: Option<String>,
    },
    /// A wiki link `[[id]]` / `[[id#heading|text]]`.
    Wiki {
        id: String,
        fragment: Option<String>,
    },
}

/// A link found in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLink {
    pub target: LinkTarget,
    /// File position of the link.
    pub pos: Pos,
    /// The link's length in characters on its line, for the caret.
    pub len: usize,
    pub is_image: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub anchor: String,
    pub pos: Pos,
}

/// A `##` section: a roadmap horizon, or any section of a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub anchor: String,
    pub pos: Pos,
    pub items: Vec<SectionItem>,
}

/// A top-level list item or table row in a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionItem {
    pub text: String,
    /// The first link of the item, as an index into [`Body::links`].
    pub link: Option<usize>,
    pub pos: Pos,
}

/// A rendered body and what was found in it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body {
    /// HTML with `specsite-link:N` placeholders for [`Body::links`], compressed.
    pub html: PackedHtml,
    /// The title the body gives: the text of a leading `# Title`, which is taken out of
    /// the body (the page shows the title itself), or, without one, of the first `#`
    /// heading or a heading of any level that opens the body (left in place). Inline
    /// code keeps its backticks, as a front matter title would write it.
    pub h1: Option<String>,
    pub headings: Vec<Heading>,
    pub links: Vec<BodyLink>,
    pub sections: Vec<Section>,
    /// The first paragraph as plain text, shortened.
    pub summary: String,
    /// Metadata written in the body (a list under the title, a `## Status` section),
    /// for the model stage to merge with the front matter.
    pub meta: super::meta::Map,
    /// Ids and `<a name>`s written in raw HTML and kept on the page: link targets
    /// besides the heading anchors.
    pub html_anchors: Vec<String>,
    /// The anchor GitHub gives the leading `# Title` (links to it are fine; the page
    /// shows the title itself, so it is not among `headings`).
    pub title_anchor: Option<String>,
}

/// How a `#fragment` matches the anchors of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnchorMatch<'a> {
    Found,
    /// Only when case is ignored (GitHub's anchors are lowercase): the anchor meant.
    OtherCase(&'a str),
    Missing,
}

impl Body {
    /// Every place a `#fragment` can name in this body: its title, its headings, and the
    /// anchors written in raw HTML.
    pub fn anchors(&self) -> impl Iterator<Item = &str> {
        self.title_anchor
            .iter()
            .map(String::as_str)
            .chain(self.headings.iter().map(|h| h.anchor.as_str()))
            .chain(self.html_anchors.iter().map(String::as_str))
    }

    /// Whether `fragment` names a place in this body.
    pub fn find_anchor(&self, fragment: &str) -> AnchorMatch<'_> {
        let anchors = || self.anchors();
        if anchors().any(|a| a == fragment) {
            return AnchorMatch::Found;
        }
        anchors()
            .find(|a| {
                a.eq_ignore_ascii_case(fragment) || a.to_lowercase() == fragment.to_lowercase()
            })
            .map_or(AnchorMatch::Missing, AnchorMatch::OtherCase)
    }
}

/// comrak's options for the configured markdown features.
pub fn comrak_options(md: &MarkdownOptions) -> Options<'static> {
    let mut o = Options::default();
    o.extension.strikethrough = true;
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.extension.wikilinks_title_after_pipe = md.wiki_links;
    o.extension.header_id_prefix = Some(String::new());
    o.parse.smart = md.smart_punctuation;
    o.render.r#unsafe = md.allow_html;
    // Raw HTML reaches the page only through `sanitize::clean`, which turns it into
    // `Raw` nodes; anything it misses is shown as text rather than passed through.
    o.render.escape = !md.allow_html;
    o.render.tasklist_classes = true;
    o
}

/// Renders `text` (a body that starts on file line `first_line`).
pub fn render(
    text: &str,
    first_line: u32,
    options: &Options<'_>,
    highlighter: Option<&Highlighter>,
    file: &str,
) -> (Body, Vec<Diagnostic>) {
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, text, options);
    // comrak counts columns in bytes; diagnostics count characters.
    let lines = crate::text::LineIndex::new(text);
    let at = |sp: comrak::nodes::LineColumn| {
        lines
            .pos_at_byte_col(sp.line, sp.column)
            .offset_lines(first_line)
    };
    let span_len = |sp: comrak::nodes::Sourcepos| {
        if sp.start.line == sp.end.line {
            lines.chars_between(sp.start.line, sp.start.column, sp.end.column)
        } else {
            1
        }
    };
    let mut body = Body::default();
    if options.extension.wikilinks_title_after_pipe {
        unwiki(&arena, root, text, options);
    }

    // Heading anchors are made once, in document order, the title's first: GitHub
    // numbers duplicates counting every heading, the title too.
    let mut anchorizer = Anchorizer::new();
    if let Some(first) = root.first_child()
        && matches!(first.data().value, NodeValue::Heading(h) if h.level == 1)
    {
        body.title_anchor = Some(anchorizer.anchorize(&plain_text(first)));
        body.h1 = Some(title_text(first));
        first.detach();
    } else {
        body.h1 = fallback_title(root).map(title_text);
    }
    // Before link URLs become placeholders: metadata keeps the targets as written.
    body.meta = super::bodymeta::read(root, &at);

    let (top_level, has_raw_html) =
        collect_headings_and_links(root, &mut body, &mut anchorizer, &at, &span_len);

    collect_sections(root, &mut body, &at, &top_level);
    body.summary = root
        .children()
        .find(|n| matches!(n.data().value, NodeValue::Paragraph))
        .map(|p| crate::text::truncate_words(&plain_text(p), 240))
        .unwrap_or_default();

    // Only bodies with raw HTML pay for it.
    let raw_html = if has_raw_html {
        super::sanitize::clean(root, options.render.r#unsafe, &at, file)
    } else {
        super::sanitize::Cleaned::default()
    };
    body.html_anchors = raw_html.anchors;

    let doc_highlighter = highlighter.map(DocHighlighter::new);
    let heading_ids = HeadingIds {
        headings: &body.headings,
        next: AtomicUsize::new(0),
    };
    let mut plugins = comrak::options::Plugins::default();
    plugins.render.heading_adapter = Some(&heading_ids);
    if let Some(h) = &doc_highlighter {
        plugins.render.codefence_syntax_highlighter = Some(h);
    }
    let diagrams = DocDiagrams::new(DiagramCache::global());
    plugins
        .render
        .codefence_renderers
        .insert("mermaid".to_string(), &diagrams);
    let mut html = String::with_capacity(text.len() * 2);
    // Writing to a String cannot fail.
    let _ = comrak::format_html_with_plugins(root, options, &mut html, &plugins);
    drop(plugins);
    html.push_str(&raw_html.closing);
    body.html = PackedHtml::pack(&html);

    let mut diags = highlight_warnings(root, doc_highlighter, &at, file);
    diags.extend(raw_html.diags);
    diags.extend(diagrams.diagnostics(root, &at, file));
    (body, diags)
}

/// One `highlight` warning per code block left plain (too large, or past the
/// document's highlighting budget), up to [`MAX_HIGHLIGHT_WARNINGS`].
fn highlight_warnings<'a>(
    root: &'a AstNode<'a>,
    doc_highlighter: Option<DocHighlighter<'_>>,
    at: &dyn Fn(comrak::nodes::LineColumn) -> Pos,
    file: &str,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if let Some(h) = doc_highlighter.filter(DocHighlighter::any_skipped) {
        let mut more = 0usize;
        for node in root.descendants() {
            let d = node.data();
            let NodeValue::CodeBlock(cb) = &d.value else {
                continue;
            };
            if !h.was_skipped(&cb.literal) {
                continue;
            }
            // One warning per block, up to a few: a document past the highlighting
            // budget may have thousands of blocks.
            if diags.len() == MAX_HIGHLIGHT_WARNINGS {
                more += 1;
                continue;
            }
            diags.push(
                Diagnostic::new(
                    Rule::Highlight,
                    file,
                    "this code block is too large to highlight, or past the document's highlighting budget; it is shown plain",
                )
                .at(at(d.sourcepos.start))
                .span(3)
                .help("split the block (or the document), or drop its language tag to silence this"),
            );
        }
        if more > 0
            && let Some(last) = diags.last_mut()
        {
            last.message.push_str(&format!(
                " (and so are {more} more code blocks after this one)"
            ));
        }
    }
    diags
}

/// Walks the tree once, in document order: records the headings (with their anchors)
/// and the links in `body`, and turns local links into placeholders the link stage
/// fills in. Returns the indexes of the top-level headings and whether there is raw HTML.
fn collect_headings_and_links<'a>(
    root: &'a AstNode<'a>,
    body: &mut Body,
    anchorizer: &mut Anchorizer,
    at: &dyn Fn(comrak::nodes::LineColumn) -> Pos,
    span_len: &dyn Fn(comrak::nodes::Sourcepos) -> usize,
) -> (Vec<usize>, bool) {
    // The HTML writer takes the heading anchors from `body.headings` (`HeadingIds`), so
    // the ids on the page are these.
    // Indexes into `body.headings` of the headings that are children of the root, the
    // ones that open sections.
    let mut top_level = Vec::new();
    let mut has_raw_html = false;
    for node in root.descendants() {
        // Read through a shared borrow (cloning a node's value would copy every text
        // and code block of the body); rewrite links after it ends.
        let d = node.data();
        let sourcepos = d.sourcepos;
        let rewrite = match &d.value {
            NodeValue::Heading(h) => {
                let text = plain_text(node);
                if node.parent().is_some_and(|p| p.same_node(root)) {
                    top_level.push(body.headings.len());
                }
                body.headings.push(Heading {
                    level: h.level,
                    anchor: anchorizer.anchorize(&text),
                    text,
                    pos: at(sourcepos.start),
                });
                None
            }
            NodeValue::Link(link) | NodeValue::Image(link) => match local_target(&link.url) {
                Some(target) => {
                    body.links.push(BodyLink {
                        target,
                        pos: at(sourcepos.start),
                        len: span_len(sourcepos),
                        is_image: matches!(d.value, NodeValue::Image(_)),
                    });
                    Some(Rewrite::Url(placeholder(body.links.len() - 1)))
                }
                // An external URL the author wrote in the placeholder's scheme.
                None => link
                    .url
                    .contains(PLACEHOLDER)
                    .then(|| Rewrite::Url(link.url.replace(PLACEHOLDER, AUTHORS_IN_URL))),
            },
            NodeValue::HtmlInline(html)
            | NodeValue::HtmlBlock(comrak::nodes::NodeHtmlBlock { literal: html, .. })
                if html.contains(PLACEHOLDER) =>
            {
                Some(Rewrite::RawHtml)
            }
            NodeValue::WikiLink(wiki) => {
                let (id, fragment) = split_fragment(wiki.url.trim());
                body.links.push(BodyLink {
                    target: LinkTarget::Wiki {
                        id: id.to_string(),
                        fragment,
                    },
                    pos: at(sourcepos.start),
                    len: span_len(sourcepos),
                    is_image: false,
                });
                Some(Rewrite::Link(placeholder(body.links.len() - 1)))
            }
            NodeValue::HtmlBlock(_) | NodeValue::HtmlInline(_) => {
                has_raw_html = true;
                None
            }
            _ => None,
        };
        drop(d);
        match rewrite {
            Some(Rewrite::Url(url)) => set_url(node, url),
            Some(Rewrite::Link(url)) => {
                node.data_mut().value = NodeValue::Link(Box::new(NodeLink {
                    url,
                    title: String::new(),
                }));
            }
            Some(Rewrite::RawHtml) => match &mut node.data_mut().value {
                NodeValue::HtmlInline(html)
                | NodeValue::HtmlBlock(comrak::nodes::NodeHtmlBlock { literal: html, .. }) => {
                    *html = html.replace(PLACEHOLDER, AUTHORS_IN_HTML);
                }
                _ => {}
            },
            None => {}
        }
    }
    (top_level, has_raw_html)
}

/// A body over the render limit (`markdown.max_render_bytes`): not parsed as markdown,
/// shown as escaped text in a `<pre>`, with a `document-too-large` warning on the file's
/// first line. Nothing is read from it (no headings, links or body metadata); the front
/// matter is read as usual, so the document keeps its place in the site.
pub fn too_large(text: &str, limit: usize, file: &str) -> (Body, Diagnostic) {
    let mut html = String::with_capacity(text.len() + text.len() / 8 + 32);
    html.push_str("<pre class=\"too-large\">");
    // Writing to a String cannot fail.
    let _ = write_escaped(&mut html, text);
    html.push_str("</pre>\n");
    let size = |bytes: usize| {
        const MIB: usize = 1024 * 1024;
        if bytes < MIB {
            format!("{bytes} bytes")
        } else {
            format!("{bytes} bytes ({:.1} MiB)", bytes as f64 / MIB as f64)
        }
    };
    let diag = Diagnostic::new(
        Rule::DocumentTooLarge,
        file,
        format!(
            "the body is {}, over the render limit of {}; it is shown as plain text, without markdown, links or a table of contents",
            size(text.len()),
            size(limit),
        ),
    )
    .at(Pos::new(1, 1))
    .help(
        "split the spec into smaller documents, or raise `max_render_bytes` under [markdown] in specsite.toml",
    );
    (
        Body {
            html: PackedHtml::pack(&html),
            ..Body::default()
        },
        diag,
    )
}

/// Undoes what comrak's wiki links take from ordinary markdown: `[[1]](https://…)` is a
/// link whose text is `[1]`, and `[[X]]` where `[X]: url` is defined is a reference
/// link in brackets. Wiki links are only what is left.
fn unwiki<'a>(arena: &'a Arena<'a>, root: &'a AstNode<'a>, text: &str, options: &Options<'_>) {
    let mut wikis: Vec<&'a AstNode<'a>> = root
        .descendants()
        .filter(|n| matches!(n.data().value, NodeValue::WikiLink(_)))
        .collect();
    if wikis.is_empty() {
        return;
    }
    wikis.reverse();
    let refs = reference_definitions(text);
    let new =
        |value: NodeValue, sourcepos: comrak::nodes::Sourcepos| new_node(arena, value, sourcepos);
    while let Some(wiki) = wikis.pop() {
        let (url, sourcepos) = {
            let d = wiki.data();
            let NodeValue::WikiLink(w) = &d.value else {
                continue;
            };
            (w.url.clone(), d.sourcepos)
        };
        let label = plain_text(wiki);
        // `(url)` right after the brackets: an inline link.
        let Parenthesis {
            written,
            mut taken,
            mut closed,
        } = parenthesis_after(wiki);
        // GFM's autolinks run on past the `)` (`[[3]](https://a)[[4]](https://b)` makes
        // one URL of `https://a)[[4]](https://b`): what follows the `)` is read again.
        let mut reread = None;
        if let Some((last, _)) = closed
            && matches!(last.data().value, NodeValue::Link(_))
        {
            let piece = plain_text(last);
            let close = piece.len() - (written.len() - (written.find(')').unwrap_or(0) + 1));
            let mut rest = piece.get(close..).unwrap_or("").to_string();
            if let Some(next) = last.next_sibling()
                && let NodeValue::Text(t) = &next.data().value
            {
                rest.push_str(t);
                taken.push(next);
            }
            taken.push(last);
            reread = Some(rest);
            closed = Some((last, 0));
        }
        if let Some((last, used)) = closed
            && (reread.is_some() || matches!(last.data().value, NodeValue::Text(_)))
        {
            let inside = &written[1..written.find(')').unwrap_or(1)];
            let target = inside.split_whitespace().next().unwrap_or("");
            let link = new(
                NodeValue::Link(Box::new(NodeLink {
                    url: target.trim_matches(['<', '>']).to_string(),
                    title: String::new(),
                })),
                sourcepos,
            );
            link.append(new(NodeValue::Text(format!("[{label}]").into()), sourcepos));
            wiki.insert_before(link);
            wiki.detach();
            if let Some(rest) = reread {
                // Read as inline markdown, placed where the brackets were.
                splice_inline_markdown(arena, options, &rest, link, sourcepos, &mut wikis);
                for n in taken {
                    n.detach();
                }
                continue;
            }
            for n in taken {
                n.detach();
            }
            let rest = match &mut last.data_mut().value {
                NodeValue::Text(t) => {
                    let rest = t[used..].to_string();
                    *t = rest.clone().into();
                    rest
                }
                _ => String::new(),
            };
            if rest.is_empty() {
                last.detach();
            }
            continue;
        }
        if let Some(target) = refs.get(&normalise_label(&url)) {
            bracketed_reference_link(arena, wiki, label, target, sourcepos);
        }
    }
}

/// A new node in `arena`, placed at `sourcepos`.
fn new_node<'a>(
    arena: &'a Arena<'a>,
    value: NodeValue,
    sourcepos: comrak::nodes::Sourcepos,
) -> &'a AstNode<'a> {
    arena.alloc(AstNode::new(std::cell::RefCell::new(
        comrak::nodes::Ast::new_with_sourcepos(value, sourcepos),
    )))
}

/// What follows a wiki link's brackets when it opens with `(`, read up to the `)`.
struct Parenthesis<'a> {
    /// The text read, from the `(` to the end of the node holding the `)`.
    written: String,
    /// The nodes wholly inside the parenthesis.
    taken: Vec<&'a AstNode<'a>>,
    /// The node holding the `)`, and how many of its bytes the parenthesis uses.
    closed: Option<(&'a AstNode<'a>, usize)>,
}

/// The `(url)` written right after `wiki`'s brackets. comrak may have split the
/// parenthesis into several nodes (an autolinked URL among them).
fn parenthesis_after<'a>(wiki: &'a AstNode<'a>) -> Parenthesis<'a> {
    let mut written = String::new();
    let mut taken = Vec::new();
    let mut closed = None;
    let mut next = wiki.next_sibling();
    while let Some(n) = next {
        let piece = match &n.data().value {
            NodeValue::Text(t) => t.to_string(),
            NodeValue::Link(_) => plain_text(n),
            _ => break,
        };
        if written.is_empty() && !piece.starts_with('(') {
            break;
        }
        let before = written.len();
        written.push_str(&piece);
        if let Some(close) = written.find(')') {
            closed = Some((n, close + 1 - before));
            break;
        }
        taken.push(n);
        next = n.next_sibling();
    }
    Parenthesis {
        written,
        taken,
        closed,
    }
}

/// Parses `rest` (what followed a link's `)`) as inline markdown and places it after
/// `link`; wiki links in it are pushed on `wikis` to be undone in their turn.
fn splice_inline_markdown<'a>(
    arena: &'a Arena<'a>,
    options: &Options<'_>,
    rest: &str,
    link: &'a AstNode<'a>,
    sourcepos: comrak::nodes::Sourcepos,
    wikis: &mut Vec<&'a AstNode<'a>>,
) {
    let new =
        |value: NodeValue, sourcepos: comrak::nodes::Sourcepos| new_node(arena, value, sourcepos);
    let doc = comrak::parse_document(arena, rest, options);
    let mut inlines: Vec<&AstNode<'_>> = doc
        .first_child()
        .map(|p| p.children().collect())
        .unwrap_or_default();
    // A paragraph loses the spaces at its ends; the line had them.
    let lead = &rest[..rest.len() - rest.trim_start().len()];
    let trail = &rest[rest.trim_end().len()..];
    if !lead.is_empty() {
        inlines.insert(0, new(NodeValue::Text(lead.to_string().into()), sourcepos));
    }
    if !trail.is_empty() && !rest.trim().is_empty() {
        inlines.push(new(NodeValue::Text(trail.to_string().into()), sourcepos));
    }
    let mut after: &AstNode<'_> = link;
    for n in inlines {
        for d in n.descendants() {
            d.data_mut().sourcepos = sourcepos;
            if matches!(d.data().value, NodeValue::WikiLink(_)) {
                wikis.push(d);
            }
        }
        after.insert_after(n);
        after = n;
    }
}

/// Replaces `wiki` by `[`, a link to the reference definition's `target` and `]`:
/// `[[X]]` with `[X]: url` defined is a reference link in brackets.
fn bracketed_reference_link<'a>(
    arena: &'a Arena<'a>,
    wiki: &'a AstNode<'a>,
    label: String,
    target: &str,
    sourcepos: comrak::nodes::Sourcepos,
) {
    let new =
        |value: NodeValue, sourcepos: comrak::nodes::Sourcepos| new_node(arena, value, sourcepos);
    let link = new(
        NodeValue::Link(Box::new(NodeLink {
            url: target.to_string(),
            title: String::new(),
        })),
        sourcepos,
    );
    link.append(new(NodeValue::Text(label.into()), sourcepos));
    wiki.insert_before(new(NodeValue::Text("[".into()), sourcepos));
    wiki.insert_before(link);
    wiki.insert_before(new(NodeValue::Text("]".into()), sourcepos));
    wiki.detach();
}

/// Link reference definitions (`[label]: url`) of a text, by normalised label.
fn reference_definitions(text: &str) -> rustc_hash::FxHashMap<String, String> {
    let mut refs = rustc_hash::FxHashMap::default();
    for line in text.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let Some(rest) = line.trim_start_matches(' ').strip_prefix('[') else {
            continue;
        };
        let Some((label, after)) = rest.split_once("]:") else {
            continue;
        };
        let url = after.split_whitespace().next().unwrap_or("");
        if indent <= 3 && !label.is_empty() && !url.is_empty() && !label.contains(['[', ']']) {
            refs.entry(normalise_label(label))
                .or_insert_with(|| url.trim_matches(['<', '>']).to_string());
        }
    }
    refs
}

/// A link label as CommonMark matches them: case and runs of spaces ignored.
fn normalise_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A change to a link node, made once the node is no longer borrowed.
enum Rewrite {
    /// A local link's URL becomes a placeholder.
    Url(String),
    /// A wiki link becomes a link to a placeholder.
    Link(String),
    /// Raw HTML that spells the placeholder's scheme gets it altered.
    RawHtml,
}

/// comrak's heading writer: gives the headings, met in document order, the anchors
/// already in [`Body::headings`] (one anchorizer for the page, the table of contents
/// and the anchor checks), with a `#` link for readers to copy.
struct HeadingIds<'a> {
    headings: &'a [Heading],
    /// The heading being written next.
    next: AtomicUsize,
}

impl HeadingIds<'_> {
    fn anchor(&self, index: usize) -> &str {
        self.headings.get(index).map_or("", |h| h.anchor.as_str())
    }
}

impl HeadingAdapter for HeadingIds<'_> {
    fn enter(
        &self,
        output: &mut dyn fmt::Write,
        heading: &HeadingMeta,
        _sourcepos: Option<comrak::nodes::Sourcepos>,
    ) -> fmt::Result {
        let index = self.next.fetch_add(1, Ordering::Relaxed);
        write!(output, "<h{} id=\"{}\">", heading.level, self.anchor(index))
    }

    fn exit(&self, output: &mut dyn fmt::Write, heading: &HeadingMeta) -> fmt::Result {
        // Headings do not nest, so the heading closing is the last one opened.
        let index = self.next.load(Ordering::Relaxed).saturating_sub(1);
        write!(
            output,
            "<a href=\"#{}\" aria-label=\"Link to heading &#39;",
            self.anchor(index)
        )?;
        write_escaped(output, &heading.content)?;
        write!(output, "&#39;\" class=\"anchor\"></a></h{}>", heading.level)
    }
}

fn placeholder(index: usize) -> String {
    format!("{PLACEHOLDER}{index}")
}

/// Copies body HTML, calling `fill` for each link placeholder with its index (into
/// [`Body::links`]) and the output to write the URL to. Only the placeholders the HTML
/// writer put in a link or image tag are filled; the scheme anywhere else (in code, in
/// text) is the author's and is copied as it is, as is a placeholder `fill` returns
/// `false` for.
pub fn fill_placeholders(html: &str, mut fill: impl FnMut(usize, &mut String) -> bool) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(i) = rest.find(PLACEHOLDER) {
        let (before, at) = rest.split_at(i);
        out.push_str(before);
        let after = &at[PLACEHOLDER.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let placed = PLACED_AFTER.iter().any(|tag| before.ends_with(tag))
            && after[digits..].starts_with('"');
        let filled = placed
            && after[..digits]
                .parse()
                .is_ok_and(|index| fill(index, &mut out));
        if !filled {
            out.push_str(&at[..PLACEHOLDER.len() + digits]);
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

fn set_url(node: &AstNode<'_>, url: String) {
    if let NodeValue::Link(l) | NodeValue::Image(l) = &mut node.data_mut().value {
        l.url = url;
    }
}

/// The local target of a link URL, `None` for external links. A same-page fragment
/// (`#goals`) is a path link with an empty path, so its anchor is checked too.
pub(crate) fn local_target(url: &str) -> Option<LinkTarget> {
    let url = url.trim();
    if url.is_empty() || url == "#" || url.starts_with("//") || has_scheme(url) {
        return None;
    }
    let (path, fragment) = split_fragment(url);
    let path = path.split('?').next().unwrap_or("");
    Some(LinkTarget::Path {
        path: percent_decode(path),
        fragment,
    })
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

fn split_fragment(s: &str) -> (&str, Option<String>) {
    match s.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f)).filter(|f| !f.is_empty())),
        None => (s, None),
    }
}

/// Decodes `%XX` escapes; invalid ones are kept as written.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The text of a node and its descendants, as a reader sees it.
pub fn plain_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for n in node.descendants() {
        match &n.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// A heading's text for a title: like [`plain_text`], but inline code keeps its
/// backticks (`` Use `go install` ``), so the title still says it is code.
fn title_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for n in node.descendants() {
        match &n.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => {
                // A fence longer than any run of backticks inside (CommonMark's rule).
                let longest = c
                    .literal
                    .split(|ch| ch != '`')
                    .map(str::len)
                    .max()
                    .unwrap_or(0);
                let fence = "`".repeat(longest + 1);
                let pad = if c.literal.starts_with('`') || c.literal.ends_with('`') {
                    " "
                } else {
                    ""
                };
                let _ = write!(out, "{fence}{pad}{}{pad}{fence}", c.literal);
            }
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The heading that titles a body without a leading `# Title`: its first `#` heading,
/// else a heading of any level that is its first block.
fn fallback_title<'a>(root: &'a AstNode<'a>) -> Option<&'a AstNode<'a>> {
    let heading_level = |n: &'a AstNode<'a>| match n.data().value {
        NodeValue::Heading(h) => Some(h.level),
        _ => None,
    };
    root.children()
        .find(|n| heading_level(n) == Some(1))
        .or_else(|| root.first_child().filter(|n| heading_level(n).is_some()))
}

fn link_index<'a>(node: &'a AstNode<'a>) -> Option<usize> {
    node.descendants().find_map(|n| match &n.data().value {
        NodeValue::Link(l) => l.url.strip_prefix(PLACEHOLDER)?.parse().ok(),
        _ => None,
    })
}

/// The `##` sections (and `#` ones after the first) with their top-level list items
/// and table rows; `top_level` indexes the root's headings in [`Body::headings`].
fn collect_sections<'a>(
    root: &'a AstNode<'a>,
    body: &mut Body,
    at: &dyn Fn(comrak::nodes::LineColumn) -> Pos,
    top_level: &[usize],
) {
    let mut top_level = top_level.iter();
    for child in root.children() {
        let d = child.data();
        match &d.value {
            NodeValue::Heading(h) => {
                let Some(heading) = top_level.next().and_then(|&i| body.headings.get(i)) else {
                    continue;
                };
                if h.level <= 2 {
                    body.sections.push(Section {
                        title: heading.text.clone(),
                        anchor: heading.anchor.clone(),
                        pos: heading.pos,
                        items: Vec::new(),
                    });
                }
            }
            NodeValue::List(_) => {
                let Some(section) = body.sections.last_mut() else {
                    continue;
                };
                for item in child.children() {
                    let pos = at(item.data().sourcepos.start);
                    section.items.push(SectionItem {
                        text: first_block_text(item),
                        link: link_index(item),
                        pos,
                    });
                }
            }
            NodeValue::Table(_) => {
                let Some(section) = body.sections.last_mut() else {
                    continue;
                };
                for row in child.children() {
                    if matches!(row.data().value, NodeValue::TableRow(true)) {
                        continue;
                    }
                    let pos = at(row.data().sourcepos.start);
                    let text = row.children().next().map(plain_text).unwrap_or_default();
                    section.items.push(SectionItem {
                        text,
                        link: link_index(row),
                        pos,
                    });
                }
            }
            _ => {}
        }
    }
}

/// The text of a list item's first block (not of its nested lists).
fn first_block_text<'a>(item: &'a AstNode<'a>) -> String {
    item.children().next().map(plain_text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> Body {
        let o = comrak_options(&MarkdownOptions::default());
        render(text, 1, &o, None, "a.md").0
    }

    #[test]
    fn unhighlighted_blocks_are_warned_at_their_line_a_few_at_most() {
        let long_line = "x".repeat(super::super::highlight::MAX_LINE_BYTES + 1);
        let text: String = (0..7)
            .map(|_| format!("```rust\n{long_line}\n```\n\n"))
            .collect();
        let o = comrak_options(&MarkdownOptions::default());
        let (_, diags) = render(&text, 10, &o, Some(&Highlighter::default()), "a.md");
        let lines: Vec<u32> = diags.iter().map(|d| d.line).collect();
        assert_eq!(lines, [10, 14, 18, 22, 26]);
        assert!(
            diags[4].message.contains("and so are 2 more"),
            "{}",
            diags[4].message
        );
    }

    #[test]
    fn leading_h1_is_taken_out_and_kept_as_title() {
        let b = md("# The title\n\nFirst para.\n\n## Goals\n");
        assert_eq!(b.h1.as_deref(), Some("The title"));
        assert!(!b.html.unpack().contains("The title"));
        assert_eq!(b.summary, "First para.");
    }

    #[test]
    fn headings_get_unique_github_style_anchors() {
        let b = md("## Rollout plan\n\n## Rollout plan\n\n### What's next?\n");
        let html = b.html.unpack();
        let anchors: Vec<&str> = b.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(anchors, ["rollout-plan", "rollout-plan-1", "whats-next"]);
        assert!(html.contains("id=\"rollout-plan-1\""), "{}", html);
    }

    #[test]
    fn page_ids_headings_and_sections_share_one_set_of_anchors() {
        let b = md("> ## Goals\n\n## Goals\n\n## Goals & \"more\"\n");
        let html = b.html.unpack();
        let anchors: Vec<&str> = b.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(anchors[..2], ["goals", "goals-1"]);
        for a in &anchors {
            assert!(html.contains(&format!("<h2 id=\"{a}\">")), "{a}: {}", html);
            assert!(html.contains(&format!("<a href=\"#{a}\"")), "{a}: {}", html);
        }
        // The quoted heading is not a section; the section after it keeps the page's id.
        assert_eq!(b.sections[0].anchor, "goals-1");
        assert_eq!(b.sections[1].anchor, anchors[2]);
        assert!(
            html.contains("aria-label=\"Link to heading &#39;Goals &amp; &quot;more&quot;&#39;\""),
            "{}",
            html
        );
    }

    #[test]
    fn only_the_placeholders_of_links_are_filled() {
        let text = "[real](b.md) and `specsite-link:0` and specsite-link:0 in text.\n\n\
            ```html\n<a href=\"specsite-link:0\">x</a>\n```\n\n\
            [external](specsite-link:0) ![pic](specsite-link:0)\n\n\
            <a href=\"specsite-link:0\">raw</a>\n";
        let fill = |html: &str| {
            fill_placeholders(html, |i, out| {
                out.push_str(&format!("FILLED{i}"));
                true
            })
        };
        let mut md_options = MarkdownOptions::default();
        for allow_html in [false, true] {
            md_options.allow_html = allow_html;
            let o = comrak_options(&md_options);
            for highlighter in [None, Some(&Highlighter::default())] {
                let (b, _) = render(text, 1, &o, highlighter, "a.md");
                assert_eq!(b.links.len(), 1);
                let html = fill(&b.html.unpack());
                assert_eq!(html.matches("FILLED").count(), 1, "{html}");
                assert!(html.contains("<a href=\"FILLED0\">real</a>"), "{html}");
                // The author's own text keeps its spelling.
                assert!(html.contains("<code>specsite-link:0</code>"), "{html}");
                assert!(html.contains(" specsite-link:0 in text"), "{html}");
                assert!(
                    html.contains("specsite-link:0&quot;") || html.contains("specsite-link:0\""),
                    "{html}"
                );
            }
        }
        // A placeholder `fill` does not know is kept as written.
        assert_eq!(
            fill_placeholders("<a href=\"specsite-link:7\">", |_, _| false),
            "<a href=\"specsite-link:7\">"
        );
    }

    #[test]
    fn local_links_become_placeholders_and_external_links_stay() {
        let b = md("See [a](../adr/0001-x.md#context), [web](https://x.org), [top](#goals).\n");
        let html = b.html.unpack();
        assert_eq!(b.links.len(), 2);
        assert_eq!(
            b.links[1].target,
            LinkTarget::Path {
                path: String::new(),
                fragment: Some("goals".into())
            },
            "same-page anchors are checked like any other"
        );
        assert_eq!(
            b.links[0].target,
            LinkTarget::Path {
                path: "../adr/0001-x.md".into(),
                fragment: Some("context".into())
            }
        );
        assert_eq!(b.links[0].pos, Pos::new(1, 5));
        assert!(html.contains("href=\"specsite-link:0\""), "{}", html);
        assert!(html.contains("href=\"https://x.org\""));
    }

    #[test]
    fn bracketed_links_are_not_wiki_links() {
        // (markdown, wiki link ids left, html that must be there)
        let cases: &[(&str, &[&str], &str)] = &[
            (
                "See [[1]](https://x.org/a) here.\n",
                &[],
                "<a href=\"https://x.org/a\">[1]</a> here.",
            ),
            (
                "See [[1]](https://x.org/a).\n",
                &[],
                "<a href=\"https://x.org/a\">[1]</a>.",
            ),
            (
                "See [[RFC]].\n\n[RFC]: https://x.org/rfc\n",
                &[],
                "[<a href=\"https://x.org/rfc\">RFC</a>]",
            ),
            ("See [[ADR-7]] and [[1]](b.md).\n", &["ADR-7"], "[1]</a>"),
            (
                "a[[3]](https://m.org/p.html)[[4]](https://g.com/r/1) x [[5]](https://h.org/)\n",
                &[],
                "a<a href=\"https://m.org/p.html\">[3]</a><a href=\"https://g.com/r/1\">[4]</a> x <a href=\"https://h.org/\">[5]</a>",
            ),
        ];
        for &(text, ids, html) in cases {
            let b = md(text);
            let wikis: Vec<&str> = b
                .links
                .iter()
                .filter_map(|l| match &l.target {
                    LinkTarget::Wiki { id, .. } => Some(id.as_str()),
                    LinkTarget::Path { .. } => None,
                })
                .collect();
            assert_eq!(wikis, ids, "{text}");
            assert!(
                b.html.unpack().contains(html),
                "{text}: {}",
                b.html.unpack()
            );
        }
        // A local target in brackets is a local link like any other.
        let b = md("See [[1]](b.md).\n");
        assert!(matches!(&b.links[0].target, LinkTarget::Path { path, .. } if path == "b.md"));
    }

    #[test]
    fn anchors_count_the_title_and_match_case_loosely() {
        let b = md("# Overview\n\n## Overview\n\n## Next Steps\n");
        assert_eq!(b.title_anchor.as_deref(), Some("overview"));
        let anchors: Vec<&str> = b.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(anchors, ["overview-1", "next-steps"]);
        assert_eq!(b.find_anchor("overview"), AnchorMatch::Found);
        assert_eq!(b.find_anchor("overview-1"), AnchorMatch::Found);
        assert_eq!(
            b.find_anchor("Next-Steps"),
            AnchorMatch::OtherCase("next-steps")
        );
        assert_eq!(b.find_anchor("nope"), AnchorMatch::Missing);
    }

    #[test]
    fn wiki_links_are_collected_with_text() {
        let b = md("Text [[PAY-101]] and [[ADR-7#context|the decision]].\n");
        let html = b.html.unpack();
        assert_eq!(b.links.len(), 2);
        assert_eq!(
            b.links[1].target,
            LinkTarget::Wiki {
                id: "ADR-7".into(),
                fragment: Some("context".into())
            }
        );
        assert!(html.contains(">the decision</a>"), "{}", html);
    }

    #[test]
    fn link_columns_and_spans_count_characters_not_bytes() {
        let b = md(
            "Zoë’s spec: [[PAY-101]] and ü [x](b.md)\n\n| Ñame | [[ADR-1]] |\n|---|---|\n| ä | [[ADR-2]] |\n",
        );
        assert_eq!(b.links[0].pos, Pos::new(1, 13));
        assert_eq!(b.links[0].len, "[[PAY-101]]".len());
        assert_eq!(b.links[1].pos, Pos::new(1, 31));
        assert_eq!(b.links[1].len, "[x](b.md)".len());
        let row = b
            .links
            .iter()
            .find(|l| matches!(&l.target, LinkTarget::Wiki { id, .. } if id == "ADR-2"))
            .unwrap();
        assert_eq!(row.pos, Pos::new(5, 7));
    }

    #[test]
    fn positions_are_offset_by_the_front_matter() {
        let o = comrak_options(&MarkdownOptions::default());
        let (b, _) = render("\n## A\n\n[x](b.md)\n", 10, &o, None, "a.md");
        assert_eq!(b.headings[0].pos, Pos::new(11, 1));
        assert_eq!(b.links[0].pos, Pos::new(13, 1));
    }

    #[test]
    fn sections_collect_list_items_and_table_rows() {
        let b = md(
            "## Now\n\n- [A](a.md) first\n- Plain item\n\n## 2026 Q3\n\n| Item | Owner |\n|---|---|\n| [B](b.md) | x |\n",
        );
        assert_eq!(b.sections.len(), 2);
        assert_eq!(b.sections[0].title, "Now");
        assert_eq!(b.sections[0].items.len(), 2);
        assert_eq!(b.sections[0].items[0].link, Some(0));
        assert_eq!(b.sections[0].items[1].link, None);
        assert_eq!(b.sections[0].items[1].text, "Plain item");
        assert_eq!(b.sections[1].items.len(), 1);
        assert_eq!(b.sections[1].items[0].link, Some(1));
    }

    #[test]
    fn raw_html_is_sanitized_by_default() {
        let b = md("<script>alert(1)</script>\n\nHi <b onclick=\"x()\">x</b>\n");
        let html = b.html.unpack();
        assert!(
            !html.contains("<script") && !html.contains("alert"),
            "{}",
            html
        );
        assert!(!html.contains("onclick"), "{}", html);
        assert!(html.contains("Hi <b>x</b>"), "{}", html);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b.md"), "a b.md");
        assert_eq!(percent_decode("%2e%2e/x"), "../x");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
