//! Mermaid diagrams: a ```` ```mermaid ```` block is drawn at build time as an inline SVG
//! (by the pure-Rust `mermaid-svg` crate), made safe to inline and themed, and cached by
//! content; a diagram that cannot be drawn is shown as code with a `mermaid` warning.
//!
//! The renderer's output is built from author text, so it is never trusted: [`sanitize`]
//! re-writes it element by element from an allow-list (no scripts, event handlers,
//! `<foreignObject>`, animations or links; `href` only to `#ids`; no `url()` but to
//! `#ids`), prefixes every id with one made from the diagram's hash (several diagrams on
//! a page cannot collide), and moves the theme's colours, which the renderer writes as
//! `var(--mm-…)`, into `style` so the stylesheet's light and dark values apply. A
//! diagram has size limits ([`MAX_SOURCE_BYTES`], [`MAX_STATEMENTS`]) and a document a
//! budget ([`DOCUMENT_BUDGET`]): sizes, not times, so output never depends on load.
//! A panic in the renderer is caught and shown as a failure.

use crate::diagnostic::{Diagnostic, Pos, Rule};
use comrak::adapters::CodefenceRendererAdapter;
use comrak::nodes::{AstNode, NodeValue};
use rustc_hash::{FxHashMap, FxHasher};
use std::borrow::Cow::Borrowed;
use std::cell::Cell;
use std::collections::VecDeque;
use std::fmt::{self, Write as _};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// A diagram whose source is larger than this is shown as code.
pub const MAX_SOURCE_BYTES: usize = 16 * 1024;
/// A diagram with more statements than this (lines, plus every edge after the first on
/// one line: `A-->B-->C` is two) is shown as code. Layout grows faster than linearly with
/// the graph: at 200, the slowest kinds (class and ER diagrams, flowcharts with many
/// crossings) took 50–85 ms on a loaded 2-core machine, at 300 up to 320 ms.
pub const MAX_STATEMENTS: usize = 200;
/// How many statements one document may have drawn; diagrams past it are shown as code,
/// so no number of diagrams can make one file take more than about half a second. It is
/// spent whether or not a diagram comes from the cache, so output never depends on it.
pub const DOCUMENT_BUDGET: usize = 1000;
/// The process-wide cache keeps at most this many bytes of drawn diagrams…
const CACHE_MAX_BYTES: usize = 32 * 1024 * 1024;
/// …and at most this many diagrams; the oldest go first.
const CACHE_MAX_ENTRIES: usize = 4096;
/// At most this many `mermaid` warnings per document; the last one counts the rest.
const MAX_WARNINGS: usize = 5;
/// Changes whenever what this module makes of a source changes, so cached drawings are
/// keyed by it too.
const OPTIONS_VERSION: u32 = 1;

/// What drawing one diagram gave: the HTML to show (a figure with the SVG), or why it
/// could not be drawn.
type Drawn = Result<Arc<str>, Arc<str>>;

struct Entry {
    source: Box<str>,
    drawn: Drawn,
}

#[derive(Default)]
struct CacheInner {
    map: FxHashMap<u64, Arc<Entry>>,
    order: VecDeque<u64>,
    bytes: usize,
}

/// Drawn diagrams by a hash of their source (and [`OPTIONS_VERSION`]), bounded in
/// entries and bytes: `serve` and rebuilds never redraw an unchanged diagram.
#[derive(Default)]
pub struct DiagramCache {
    inner: Mutex<CacheInner>,
}

impl DiagramCache {
    /// The cache shared by every build in this process.
    pub fn global() -> &'static DiagramCache {
        static CACHE: OnceLock<DiagramCache> = OnceLock::new();
        CACHE.get_or_init(DiagramCache::default)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheInner> {
        // Every change under the lock leaves the maps whole, so a poisoned lock is usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The drawing of `source` (hashed `hash`), from the cache or made by `draw`.
    fn get_or_draw(&self, hash: u64, source: &str, draw: impl FnOnce() -> Drawn) -> Drawn {
        if let Some(e) = self.lock().map.get(&hash)
            && &*e.source == source
        {
            return e.drawn.clone();
        }
        // Drawn outside the lock: other threads keep drawing their own diagrams.
        let drawn = draw();
        let size = source.len() + drawn.as_ref().map_or_else(|e| e.len(), |s| s.len());
        let mut c = self.lock();
        if size <= CACHE_MAX_BYTES && !c.map.contains_key(&hash) {
            while c.map.len() >= CACHE_MAX_ENTRIES || c.bytes + size > CACHE_MAX_BYTES {
                let Some(old) = c.order.pop_front() else {
                    break;
                };
                if let Some(e) = c.map.remove(&old) {
                    c.bytes -=
                        e.source.len() + e.drawn.as_ref().map_or_else(|e| e.len(), |s| s.len());
                }
            }
            c.bytes += size;
            c.order.push_back(hash);
            c.map.insert(
                hash,
                Arc::new(Entry {
                    source: source.into(),
                    drawn: drawn.clone(),
                }),
            );
        }
        drawn
    }
}

fn source_hash(source: &str) -> u64 {
    // FxHasher has no random seed: the hash, and so the ids made from it, are the same
    // in every build.
    let mut h = FxHasher::default();
    OPTIONS_VERSION.hash(&mut h);
    source.hash(&mut h);
    h.finish()
}

/// The renderer's theme: every colour a role of the stylesheet (`--mm-*` in the default
/// theme's `style.css`, light and dark), so diagrams follow the reader's colour scheme.
fn theme() -> &'static mermaid_svg::Theme {
    static THEME: OnceLock<mermaid_svg::Theme> = OnceLock::new();
    THEME.get_or_init(|| mermaid_svg::Theme {
        fg: Borrowed("var(--mm-fg)"),
        fg_muted: Borrowed("var(--mm-muted)"),
        bg: Borrowed("var(--mm-bg)"),
        actor_fill: Borrowed("var(--mm-node)"),
        actor_stroke: Borrowed("var(--mm-node-line)"),
        lifeline: Borrowed("var(--mm-node-line)"),
        arrow_stroke: Borrowed("var(--mm-edge)"),
        note_fill: Borrowed("var(--mm-note)"),
        note_stroke: Borrowed("var(--mm-note-line)"),
        activation_fill: Borrowed("var(--mm-node)"),
        activation_stroke: Borrowed("var(--mm-node-line)"),
        frame_label_fill: Borrowed("var(--mm-node)"),
        flow_node_fill: Borrowed("var(--mm-node)"),
        flow_node_stroke: Borrowed("var(--mm-node-line)"),
        flow_edge_stroke: Borrowed("var(--mm-edge)"),
        flow_label_bg: Borrowed("var(--mm-label-bg)"),
        flow_cluster_fill: Borrowed("var(--mm-cluster)"),
        flow_cluster_stroke: Borrowed("var(--mm-cluster-line)"),
        pie_stroke: Some(Borrowed("var(--mm-bg)")),
        font_family: Borrowed("system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif"),
        ..mermaid_svg::Theme::default()
    })
}

/// The number of statements in `source`, as [`MAX_STATEMENTS`] counts them.
fn statements(source: &str) -> usize {
    source
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("%%"))
        .map(|l| 1 + l.matches("--").count().saturating_sub(1) + l.matches("==").count())
        .sum()
}

thread_local! {
    /// Set while this thread runs the renderer, so its panics are not printed.
    static IN_RENDERER: Cell<bool> = const { Cell::new(false) };
}

/// Installs (once) a panic hook that stays silent for panics inside the renderer, which
/// are caught and reported as a `mermaid` warning, and passes every other panic on.
fn silence_renderer_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_RENDERER.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs the renderer on `source`, turning a panic into an error.
fn run_renderer(source: &str) -> Result<String, String> {
    silence_renderer_panics();
    IN_RENDERER.with(|f| f.set(true));
    let result = std::panic::catch_unwind(|| mermaid_svg::render_with(source, theme()));
    IN_RENDERER.with(|f| f.set(false));
    match result {
        Ok(Ok(svg)) => Ok(svg),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("the renderer failed on this diagram (an internal error)".to_string()),
    }
}

/// The diagram's number of statements, or why it is too large to draw.
fn within_limits(source: &str) -> Result<usize, String> {
    if source.len() > MAX_SOURCE_BYTES {
        return Err(format!(
            "the diagram is {} bytes, over the limit of {MAX_SOURCE_BYTES}",
            source.len()
        ));
    }
    let n = statements(source);
    if n > MAX_STATEMENTS {
        return Err(format!(
            "the diagram has {n} statements (lines and edges), over the limit of {MAX_STATEMENTS}"
        ));
    }
    Ok(n)
}

/// Draws `source` into the figure HTML shown on the page, through `render`.
fn draw(source: &str, hash: u64, render: impl FnOnce(&str) -> Result<String, String>) -> Drawn {
    let svg = render(source)?;
    let prefix = id_prefix(hash);
    let label = text_alternative(source);
    let mut html = String::with_capacity(svg.len() + source.len() + 200);
    html.push_str("<figure class=\"mermaid\">");
    sanitize(&svg, &prefix, &label, &mut html).map_err(|e| Arc::<str>::from(e.as_str()))?;
    html.push_str("<details class=\"mermaid-source\"><summary>Diagram source</summary><pre><code class=\"language-mermaid\">");
    let _ = crate::escape::write_html(&mut html, source);
    html.push_str("</code></pre></details></figure>\n");
    Ok(html.into())
}

fn id_prefix(hash: u64) -> String {
    format!("mmd{hash:016x}-")
}

/// The diagram's kind and, where it has one, its title (else its first statement), for
/// `aria-label` and `<title>`: "Flowchart: Write spec --> Review".
fn text_alternative(source: &str) -> String {
    let mut lines = source
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("%%"));
    let mut title = None;
    // A front matter block (`---` … `---`) may carry `title:`.
    let mut header = lines.next().unwrap_or("");
    if header == "---" {
        for l in lines.by_ref() {
            if l == "---" {
                break;
            }
            if let Some(t) = l.strip_prefix("title:") {
                title = Some(t.trim().trim_matches('"').to_string());
            }
        }
        header = lines.next().unwrap_or("");
    }
    let keyword = header.split_whitespace().next().unwrap_or("");
    let kind = match keyword {
        "flowchart" | "graph" => "Flowchart",
        "sequenceDiagram" => "Sequence diagram",
        "stateDiagram" | "stateDiagram-v2" => "State diagram",
        "classDiagram" => "Class diagram",
        "erDiagram" => "Entity relationship diagram",
        "gantt" => "Gantt chart",
        "pie" => "Pie chart",
        "journey" => "User journey",
        "timeline" => "Timeline",
        "mindmap" => "Mind map",
        "gitGraph" => "Git graph",
        _ => "Diagram",
    };
    let rest: Vec<&str> = lines.collect();
    if title.is_none() {
        // `pie title X` and gantt's / journey's `title X`.
        title = header
            .split_once(" title ")
            .map(|(_, t)| t)
            .or_else(|| rest.iter().find_map(|l| l.strip_prefix("title ")))
            .or_else(|| rest.iter().find_map(|l| l.strip_prefix("accTitle:")))
            .map(|t| t.trim().to_string());
    }
    let detail = title.or_else(|| rest.first().map(|l| l.to_string()));
    let mut label = kind.to_string();
    if let Some(d) = detail.filter(|d| !d.is_empty()) {
        label.push_str(": ");
        label.push_str(&crate::text::truncate_words(&d, 120));
    }
    label
}

/// SVG elements kept (with their allowed attributes); anything else is dropped with its
/// content, except `<a>`, whose content is kept without the link.
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "marker",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "title",
    "desc",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "pattern",
    "symbol",
    "use",
    "filter",
    "feDropShadow",
    "feGaussianBlur",
    "feOffset",
    "feFlood",
    "feComposite",
    "feMerge",
    "feMergeNode",
    "feBlend",
];

/// Attributes kept; values are checked by [`safe_value`], `href` must name an `#id`.
const ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "width",
    "height",
    "d",
    "points",
    "transform",
    "viewBox",
    "preserveAspectRatio",
    "fill",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-opacity",
    "fill-opacity",
    "fill-rule",
    "clip-rule",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "baseline-shift",
    "text-decoration",
    "letter-spacing",
    "dx",
    "dy",
    "rotate",
    "refX",
    "refY",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "orient",
    "marker-start",
    "marker-mid",
    "marker-end",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "gradientTransform",
    "clip-path",
    "clipPathUnits",
    "patternUnits",
    "filter",
    "stdDeviation",
    "flood-color",
    "flood-opacity",
    "in",
    "in2",
    "result",
    "mode",
    "operator",
    "xmlns",
    "style",
    "href",
    "xlink:href",
    "visibility",
    "display",
];

/// Colour attributes that move into `style` when they name a theme variable
/// (presentation attributes do not take `var()` in every browser).
const COLOUR_ATTRIBUTES: &[&str] = &["fill", "stroke", "stop-color", "flood-color"];

/// Whether an attribute value (after id prefixing) is safe: no script URLs, no
/// references outside the page, nothing that could end the attribute.
fn safe_value(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if lower.contains("javascript:") || lower.contains("expression(") || lower.contains('\\') {
        return false;
    }
    lower
        .match_indices("url(")
        .all(|(i, _)| lower[i + 4..].trim_start().starts_with('#'))
        && !lower.contains("@import")
}

/// Re-writes the renderer's `svg` into `out` from the allow-lists: elements and
/// attributes outside them are dropped, ids are prefixed with `prefix`, theme colours
/// move into `style`, and the root `<svg>` gets `role="img"`, `aria-label` and a
/// `<title>` of `label`. Tags are balanced whatever the input.
fn sanitize(svg: &str, prefix: &str, label: &str, out: &mut String) -> Result<(), String> {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = svg;
    let mut seen_root = false;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if !open.is_empty() {
                write_text(out, rest);
            }
            break;
        };
        if !open.is_empty() {
            write_text(out, &rest[..lt]);
        }
        rest = &rest[lt..];
        // Comments, declarations, processing instructions, CDATA: dropped.
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.find("-->").map_or("", |i| &r[i + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            let end = if rest.starts_with("<![CDATA[") {
                "]]>"
            } else {
                ">"
            };
            rest = rest.find(end).map_or("", |i| &rest[i + end.len()..]);
            continue;
        }
        let tag = parse_tag(rest);
        rest = &rest[tag.len..];
        if tag.closing {
            if open.last() == Some(&tag.name) {
                open.pop();
                let _ = write!(out, "</{}>", tag.name);
                if open.is_empty() {
                    // Whatever follows the root element is not part of the picture.
                    break;
                }
            }
            continue;
        }
        if tag.name == "a" {
            // A `click` link: its content is kept, the link is not.
            continue;
        }
        if !ELEMENTS.contains(&tag.name) {
            if !tag.self_closing {
                rest = skip_element(rest, tag.name);
            }
            continue;
        }
        if open.is_empty() && tag.name != "svg" {
            return Err("the renderer's output is not an SVG".to_string());
        }
        let root = open.is_empty();
        seen_root = true;
        let _ = write!(out, "<{}", tag.name);
        let style = write_allowed_attributes(out, &tag.attributes, root, prefix);
        if root {
            out.push_str(" role=\"img\" aria-label=\"");
            let _ = crate::escape::write_html(out, label);
            out.push('"');
        }
        if !style.is_empty() {
            write_attribute(out, "style", &style);
        }
        if tag.self_closing {
            out.push_str("/>");
        } else {
            out.push('>');
            open.push(tag.name);
        }
        if root {
            out.push_str("<title>");
            let _ = crate::escape::write_html(out, label);
            out.push_str("</title>");
        }
        if open.is_empty() {
            // A self-closing root: an empty picture.
            break;
        }
    }
    if !seen_root {
        return Err("the renderer gave no SVG".to_string());
    }
    while let Some(name) = open.pop() {
        let _ = write!(out, "</{name}>");
    }
    Ok(())
}

/// Writes the allowed attributes of an element to `out` (ids prefixed, theme colours
/// and the root's size handled) and returns what goes into its `style`.
fn write_allowed_attributes(
    out: &mut String,
    attributes: &[(&str, &str)],
    root: bool,
    prefix: &str,
) -> String {
    let mut style = String::new();
    for (name, value) in attributes {
        let name = *name;
        // The root's size comes from its viewBox (below), not the renderer's
        // `width="100%"` and `max-width` style, so the stylesheet decides how it scales.
        if !ATTRIBUTES.contains(&name) || (root && matches!(name, "width" | "height" | "style")) {
            continue;
        }
        if root && name == "viewBox" {
            let size: Vec<&str> = value.split_whitespace().collect();
            if let [_, _, w, h] = size[..]
                && w.parse::<f64>().is_ok()
                && h.parse::<f64>().is_ok()
            {
                write_attribute(out, "width", w);
                write_attribute(out, "height", h);
            }
        }
        let Some(value) = prefixed_value(name, value, prefix) else {
            continue;
        };
        if !safe_value(&value) {
            continue;
        }
        if COLOUR_ATTRIBUTES.contains(&name) {
            // The few neutrals the renderer writes whatever the theme (marker
            // fills, pie outlines) follow the page too.
            let themed = match value.to_ascii_lowercase().as_str() {
                "#fff" | "#ffffff" | "white" => "var(--mm-bg)",
                "#000" | "#000000" | "black" | "#333" | "#333333" => "var(--mm-fg)",
                _ if value.starts_with("var(--mm-") => value.as_str(),
                _ => "",
            };
            if !themed.is_empty() {
                let _ = write!(style, "{name}:{themed};");
                continue;
            }
        }
        if name == "style" {
            style.push_str(&value);
            if !value.trim_end().ends_with(';') {
                style.push(';');
            }
            continue;
        }
        write_attribute(out, name, &value);
    }
    style
}

/// An attribute's value with the ids it names prefixed; None for an `href` that is not
/// a link inside the picture.
fn prefixed_value(name: &str, value: &str, prefix: &str) -> Option<String> {
    let value = prefix_ids(value, prefix);
    let value = if name == "id" {
        format!("{prefix}{value}")
    } else if matches!(name, "href" | "xlink:href") {
        match value.strip_prefix('#') {
            Some(id) if !id.is_empty() && !id.starts_with(prefix) => {
                format!("#{prefix}{id}")
            }
            Some(id) if !id.is_empty() => value.clone(),
            _ => return None,
        }
    } else {
        value
    };
    Some(value)
}

/// Text between tags, written as it came but for `<`, which cannot be in it, and `>`.
fn write_text(out: &mut String, text: &str) {
    out.push_str(&text.replace('>', "&gt;"));
}

fn write_attribute(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, " {name}=\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `url(#x)` → `url(#<prefix>x)`, so references follow the prefixed ids.
fn prefix_ids(value: &str, prefix: &str) -> String {
    if !value.contains("url(#") {
        return value.to_string();
    }
    value.replace("url(#", &format!("url(#{prefix}"))
}

/// One tag as written: `<name a="b" …>`, `</name>`, `<name …/>`.
struct Tag<'a> {
    name: &'a str,
    closing: bool,
    self_closing: bool,
    attributes: Vec<(&'a str, &'a str)>,
    /// Its length in bytes, from `<` to `>`.
    len: usize,
}

fn parse_tag(s: &str) -> Tag<'_> {
    let bytes = s.as_bytes();
    let mut i = 1;
    let closing = bytes.get(1) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' && bytes[i] != b'/'
    {
        i += 1;
    }
    let name = &s[name_start..i];
    let mut attributes = Vec::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i) {
            None => break,
            Some(b'>') => {
                i += 1;
                break;
            }
            Some(b'/') => {
                self_closing = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        let attr_start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        let attr = &s[attr_start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = "";
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let end = s[start..].find(q as char).map_or(s.len(), |e| start + e);
                    value = &s[start..end];
                    i = (end + 1).min(s.len());
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = &s[start..i];
                }
            }
        }
        if attr.is_empty() {
            // A stray character: step over it.
            i += 1;
        } else {
            attributes.push((attr, value));
        }
    }
    Tag {
        name,
        closing,
        self_closing,
        attributes,
        len: i.min(s.len()),
    }
}

/// The text after the element `name` whose start tag was just read, skipping its
/// content (nested elements of the same name included).
fn skip_element<'a>(mut rest: &'a str, name: &str) -> &'a str {
    let mut depth = 1usize;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt..];
        let tag = parse_tag(rest);
        rest = &rest[tag.len.max(1)..];
        if tag.name == name {
            if tag.closing {
                depth -= 1;
                if depth == 0 {
                    return rest;
                }
            } else if !tag.self_closing {
                depth += 1;
            }
        }
    }
    ""
}

/// comrak's renderer for ```` ```mermaid ```` blocks of one document: draws each through
/// the [`DiagramCache`] within the document's [`DOCUMENT_BUDGET`], and remembers the
/// blocks it showed as code (by the address of their text, which is the code block
/// node's own) with the reason, for [`DocDiagrams::diagnostics`].
pub struct DocDiagrams<'a> {
    cache: &'a DiagramCache,
    budget: AtomicUsize,
    failed: Mutex<FxHashMap<usize, Arc<str>>>,
    /// How often each diagram was drawn on this page, so a repeat gets other ids.
    seen: Mutex<FxHashMap<u64, usize>>,
}

impl<'a> DocDiagrams<'a> {
    pub fn new(cache: &'a DiagramCache) -> Self {
        DocDiagrams {
            cache,
            budget: AtomicUsize::new(DOCUMENT_BUDGET),
            failed: Mutex::default(),
            seen: Mutex::default(),
        }
    }

    /// The HTML for one diagram, or why it is shown as code.
    fn figure(&self, code: &str, render: impl FnOnce(&str) -> Result<String, String>) -> Drawn {
        let statements = within_limits(code)?;
        self.budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(statements)
            })
            .map_err(|_| {
                Arc::<str>::from(format!(
                    "the document's diagrams have more than {DOCUMENT_BUDGET} statements in all; this one is shown as code"
                ))
            })?;
        let hash = source_hash(code);
        let html = self
            .cache
            .get_or_draw(hash, code, || draw(code, hash, render))?;
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let n = seen.entry(hash).or_insert(0);
        *n += 1;
        if *n == 1 {
            return Ok(html);
        }
        let prefix = id_prefix(hash);
        Ok(html
            .replace(&prefix, &format!("{}{}-", prefix, *n - 1))
            .into())
    }

    /// One `mermaid` warning per diagram shown as code (a few at most), at its fence.
    pub fn diagnostics<'n>(
        &self,
        root: &'n AstNode<'n>,
        at: &dyn Fn(comrak::nodes::LineColumn) -> Pos,
        file: &str,
    ) -> Vec<Diagnostic> {
        let failed = self.failed.lock().unwrap_or_else(|p| p.into_inner());
        if failed.is_empty() {
            return Vec::new();
        }
        let mut diags: Vec<Diagnostic> = Vec::new();
        let mut more = 0usize;
        for node in root.descendants() {
            let d = node.data();
            let NodeValue::CodeBlock(cb) = &d.value else {
                continue;
            };
            let Some(why) = failed.get(&(cb.literal.as_ptr() as usize)) else {
                continue;
            };
            if diags.len() == MAX_WARNINGS {
                more += 1;
                continue;
            }
            diags.push(
                Diagnostic::new(
                    Rule::Mermaid,
                    file,
                    format!("this Mermaid diagram cannot be drawn, so its source is shown as code: {why}"),
                )
                .at(at(d.sourcepos.start))
                .span(3)
                .help("fix the diagram (the Mermaid syntax reference lists what each kind accepts), split it into smaller diagrams, or change the fence to ```text to show it as code"),
            );
        }
        if more > 0
            && let Some(last) = diags.last_mut()
        {
            last.message
                .push_str(&format!(" (and {more} more diagrams after this one)"));
        }
        diags
    }

    fn write_with(
        &self,
        output: &mut dyn fmt::Write,
        code: &str,
        render: impl FnOnce(&str) -> Result<String, String>,
    ) -> fmt::Result {
        match self.figure(code, render) {
            Ok(html) => output.write_str(&html),
            Err(why) => {
                self.failed
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(code.as_ptr() as usize, why);
                output.write_str("<pre><code class=\"language-mermaid\">")?;
                crate::escape::write_html(output, code)?;
                output.write_str("</code></pre>\n")
            }
        }
    }
}

impl CodefenceRendererAdapter for DocDiagrams<'_> {
    fn write(
        &self,
        output: &mut dyn fmt::Write,
        _lang: &str,
        _meta: &str,
        code: &str,
        _sourcepos: Option<comrak::nodes::Sourcepos>,
    ) -> fmt::Result {
        self.write_with(output, code, run_renderer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_page(sources: &[&str]) -> String {
        let cache = DiagramCache::default();
        let doc = DocDiagrams::new(&cache);
        let mut out = String::new();
        for s in sources {
            doc.write_with(&mut out, s, run_renderer).unwrap();
        }
        out
    }

    #[test]
    fn a_second_render_of_the_same_source_comes_from_the_cache() {
        let cache = DiagramCache::default();
        let calls = AtomicUsize::new(0);
        let counting = |s: &str| {
            calls.fetch_add(1, Ordering::Relaxed);
            run_renderer(s)
        };
        let source = "flowchart LR\n  A --> B\n";
        let mut first = String::new();
        DocDiagrams::new(&cache)
            .write_with(&mut first, source, counting)
            .unwrap();
        let mut second = String::new();
        DocDiagrams::new(&cache)
            .write_with(&mut second, source, counting)
            .unwrap();
        assert_eq!(
            calls.load(Ordering::Relaxed),
            1,
            "the second build must not redraw"
        );
        assert_eq!(first, second);
        assert!(first.contains("<svg"), "{first}");
        // Another source is drawn.
        DocDiagrams::new(&cache)
            .write_with(&mut second, "flowchart LR\n  A --> C\n", counting)
            .unwrap();
        assert_eq!(calls.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn the_cache_stays_within_its_bounds() {
        let cache = DiagramCache::default();
        for i in 0..CACHE_MAX_ENTRIES + 10 {
            let s = format!("pie\n \"a{i}\" : 1\n");
            let _ = cache.get_or_draw(source_hash(&s), &s, || Ok(Arc::from("x")));
        }
        let c = cache.lock();
        assert_eq!(c.map.len(), CACHE_MAX_ENTRIES);
        assert_eq!(c.order.len(), CACHE_MAX_ENTRIES);
        assert!(c.bytes <= CACHE_MAX_BYTES);
    }

    #[test]
    fn hostile_labels_and_links_do_not_survive() {
        let html = render_page(&[
            "flowchart TD\n  A[\"<script>alert(1)</script>\"] --> B[\"x\\\" onload=\\\"alert(2)\"]\n  click A \"javascript:alert(3)\"\n  click B \"https://evil.example/\"\n  B --> C[\"<img src=x onerror=alert(4)>\"]\n",
        ]);
        assert!(html.contains("<svg"), "{html}");
        let picture = &html[..html.find("<details").unwrap()];
        for bad in ["javascript:", "evil.example"] {
            assert!(!picture.contains(bad), "{bad}: {html}");
        }
        // Every tag is an allowed element, with no event handler among its attributes;
        // the labels' `onload=` and `<script>` are text.
        for tag in picture.split('<').skip(1) {
            let tag = &tag[..tag.find('>').unwrap()];
            let name = tag
                .trim_start_matches('/')
                .split([' ', '/'])
                .next()
                .unwrap();
            assert!(
                name == "figure" || ELEMENTS.contains(&name),
                "<{tag}> in {html}"
            );
            let names: String = tag.split('"').step_by(2).collect();
            assert!(!names.contains(" on"), "<{tag}>");
        }
        assert!(picture.contains("onload=\\&quot;alert(2)</text>"), "{html}");
        // The source below the picture is escaped text.
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn the_sanitizer_keeps_allowed_svg_and_drops_the_rest() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 10 10" onload="x()"><defs><marker id="m"><path d="M0 0"/></marker></defs><script>alert(1)</script><foreignObject><div>hi</div></foreignObject><path d="M1 1" fill="var(--mm-node)" stroke="#333" marker-end="url(#m)" style="fill:url(http://x/y)"/><use href="http://x/#a"/><use xlink:href="#m"/><text x="1">a &amp; b</text><animate attributeName="href" values="javascript:alert(1)"/></div></svg><p>after</p>"##;
        let mut out = String::new();
        sanitize(svg, "p-", "Flowchart: x", &mut out).unwrap();
        assert_eq!(
            out,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10" role="img" aria-label="Flowchart: x"><title>Flowchart: x</title><defs><marker id="p-m"><path d="M0 0"/></marker></defs><path d="M1 1" marker-end="url(#p-m)" style="fill:var(--mm-node);stroke:var(--mm-fg);"/><use/><use xlink:href="#p-m"/><text x="1">a &amp; b</text></svg>"##
        );
        let mut unclosed = String::new();
        sanitize("<svg><g><text>x", "p-", "D", &mut unclosed).unwrap();
        assert!(unclosed.ends_with("x</text></g></svg>"), "{unclosed}");
        assert!(sanitize("<div>x</div>", "p-", "D", &mut String::new()).is_err());
    }

    #[test]
    fn ids_are_unique_per_diagram_and_per_repeat() {
        let a = "flowchart LR\n  A --> B\n";
        let b = "flowchart LR\n  A --> C\n";
        let html = render_page(&[a, b, a]);
        let ids: Vec<&str> = html
            .split(" id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        assert!(!ids.is_empty(), "{html}");
        let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
        // Every reference names an id of the page.
        for r in html.split("url(#").skip(1) {
            let id = &r[..r.find(')').unwrap()];
            assert!(unique.contains(id), "{id}");
        }
    }

    #[test]
    fn oversized_and_broken_diagrams_fall_back_with_a_reason() {
        let big = format!(
            "flowchart TD\n{}",
            (0..MAX_STATEMENTS + 1)
                .map(|i| format!("  N{i} --> N{}\n", i + 1))
                .collect::<String>()
        );
        let chained = format!("flowchart TD\n  A{}\n", "-->A".repeat(MAX_STATEMENTS + 1));
        for (source, reason) in [
            (big.as_str(), "statements"),
            (chained.as_str(), "statements"),
            ("flowchart TD\n  A --> \n  --> -->\n", "parse error"),
            ("notadiagram\n", "unknown diagram type"),
        ] {
            let cache = DiagramCache::default();
            let doc = DocDiagrams::new(&cache);
            let mut out = String::new();
            doc.write_with(&mut out, source, run_renderer).unwrap();
            assert!(
                out.starts_with("<pre><code class=\"language-mermaid\">"),
                "{out}"
            );
            let failed = doc.failed.lock().unwrap();
            let why = failed.get(&(source.as_ptr() as usize)).unwrap();
            assert!(why.contains(reason), "{why}");
        }
        let huge = "x".repeat(MAX_SOURCE_BYTES + 1);
        assert!(within_limits(&huge).unwrap_err().contains("bytes"));
    }

    #[test]
    fn diagrams_past_the_document_budget_are_shown_as_code() {
        let cache = DiagramCache::default();
        let doc = DocDiagrams::new(&cache);
        let per = MAX_STATEMENTS;
        let sources: Vec<String> = (0..DOCUMENT_BUDGET / per + 1)
            .map(|d| {
                let edges: String = (1..per).map(|i| format!("  D{d}N{i} --> X\n")).collect();
                format!("flowchart TD\n{edges}")
            })
            .collect();
        let drawn = |_: &str| Ok("<svg></svg>".to_string());
        let mut out = String::new();
        for s in &sources {
            doc.write_with(&mut out, s, drawn).unwrap();
        }
        assert_eq!(out.matches("<svg").count(), DOCUMENT_BUDGET / per, "{out}");
        let failed = doc.failed.lock().unwrap();
        let last = sources.last().unwrap();
        assert!(failed[&(last.as_ptr() as usize)].contains("statements in all"));
    }

    #[test]
    fn a_renderer_panic_is_a_failure_not_a_crash() {
        let cache = DiagramCache::default();
        let doc = DocDiagrams::new(&cache);
        let mut out = String::new();
        doc.write_with(&mut out, "pie\n", |_| {
            silence_renderer_panics();
            IN_RENDERER.with(|f| f.set(true));
            let r = std::panic::catch_unwind(|| -> Result<String, String> { panic!("boom") });
            IN_RENDERER.with(|f| f.set(false));
            r.unwrap_or_else(|_| Err("caught".into()))
        })
        .unwrap();
        assert!(out.contains("language-mermaid"), "{out}");
    }

    #[test]
    fn text_alternatives_name_the_kind_and_title() {
        assert_eq!(
            text_alternative("pie title Tickets by area\n \"a\" : 1\n"),
            "Pie chart: Tickets by area"
        );
        assert_eq!(
            text_alternative("gantt\n  title Rollout\n  dateFormat YYYY-MM-DD\n"),
            "Gantt chart: Rollout"
        );
        assert_eq!(
            text_alternative("---\ntitle: Flow\n---\nflowchart LR\n A --> B\n"),
            "Flowchart: Flow"
        );
        assert_eq!(
            text_alternative("sequenceDiagram\n  A->>B: hi\n"),
            "Sequence diagram: A->>B: hi"
        );
    }
}
