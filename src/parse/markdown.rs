//! Markdown: renders a document's body with comrak (GFM) and, in the same pass, collects
//! what later stages need from it: headings (for the table of contents and anchor
//! checks), links to other files and wiki links (left as placeholders that the render
//! stage fills in once the link stage has resolved them), the `##` sections with their
//! list items and table rows (roadmaps), and a plain-text summary.

use super::highlight::{DocHighlighter, Highlighter, write_escaped};
use super::packed::PackedHtml;
use crate::config::MarkdownOptions;
use crate::diagnostic::{Diagnostic, Pos};
use comrak::adapters::{HeadingAdapter, HeadingMeta};
use comrak::nodes::{AstNode, NodeLink, NodeValue};
use comrak::{Anchorizer, Arena, Options};
use std::fmt;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};

/// At most this many `highlight` warnings per document; the last one counts the rest.
const MAX_HIGHLIGHT_WARNINGS: usize = 5;

/// The scheme of the placeholder URLs left in body HTML for the render stage.
pub const PLACEHOLDER: &str = "specsite-link:";

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
    // Raw HTML is shown as text rather than dropped, so authors see what they wrote.
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

    if let Some(first) = root.first_child()
        && matches!(first.data().value, NodeValue::Heading(h) if h.level == 1)
    {
        body.h1 = Some(title_text(first));
        first.detach();
    } else {
        body.h1 = fallback_title(root).map(title_text);
    }
    // Before link URLs become placeholders: metadata keeps the targets as written.
    body.meta = super::bodymeta::read(root, &at);

    // Heading anchors are made here, once, in document order; the HTML writer takes
    // them from `body.headings` (`HeadingIds`), so the ids on the page are these.
    let mut anchorizer = Anchorizer::new();
    // Indexes into `body.headings` of the headings that are children of the root, the
    // ones that open sections.
    let mut top_level = Vec::new();
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
            NodeValue::Link(link) | NodeValue::Image(link) => {
                local_target(&link.url).map(|target| {
                    body.links.push(BodyLink {
                        target,
                        pos: at(sourcepos.start),
                        len: span_len(sourcepos),
                        is_image: matches!(d.value, NodeValue::Image(_)),
                    });
                    Rewrite::Url(placeholder(body.links.len() - 1))
                })
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
            None => {}
        }
    }

    collect_sections(root, &mut body, &at, &top_level);
    body.summary = root
        .children()
        .find(|n| matches!(n.data().value, NodeValue::Paragraph))
        .map(|p| crate::text::truncate_words(&plain_text(p), 240))
        .unwrap_or_default();

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
    let mut html = String::with_capacity(text.len() * 2);
    // Writing to a String cannot fail.
    let _ = comrak::format_html_with_plugins(root, options, &mut html, &plugins);
    drop(plugins);
    body.html = PackedHtml::pack(&html);

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
                    "highlight",
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
    (body, diags)
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
        "document-too-large",
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

/// A change to a link node, made once the node is no longer borrowed.
enum Rewrite {
    /// A local link's URL becomes a placeholder.
    Url(String),
    /// A wiki link becomes a link to a placeholder.
    Link(String),
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
    fn raw_html_is_escaped_by_default() {
        let b = md("<script>alert(1)</script>\n\nHi <b>x</b>\n");
        let html = b.html.unpack();
        assert!(!html.contains("<script>"), "{}", html);
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b.md"), "a b.md");
        assert_eq!(percent_decode("%2e%2e/x"), "../x");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
