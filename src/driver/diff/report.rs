//! Writes a [`Changes`] list in `diff`'s three formats. Markdown and human text are
//! made from the same lines ([`sections`]): a line is a run of fragments (a document,
//! text, a rule id), which markdown writes with links and escapes and the terminal
//! writes plain. JSON is the change list itself, serialised.

use super::compare::{ActualChange, Changes, DocRef, GoalChange, GoalTerms, RoadmapMove};
use crate::model::metric::Verdict;
use serde::Serialize;
use std::fmt::Write as _;

/// `diff`'s output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Plain text for a terminal.
    Human,
    /// One JSON object with a summary and a list per kind of change.
    Json,
    /// A pull-request comment, starting with the marker line a CI job finds it by.
    Markdown,
}

/// The first line of the markdown report, so a CI job can find its own comment on a
/// pull request and update it instead of adding another.
pub const MARKER: &str = "<!-- specsite-diff -->";

/// What was compared: the base ref and the head ref (`None`: the work tree).
pub struct Sides<'a> {
    pub base: &'a str,
    pub head: Option<&'a str>,
}

impl Sides<'_> {
    fn head_name(&self) -> &str {
        self.head.unwrap_or("the work tree")
    }
}

/// Each kind of change: its key (the JSON field), section title, and the noun for
/// counts in the singular and plural.
const KINDS: [(&str, &str, &str, &str); 10] = [
    (
        "added",
        "Documents added",
        "document added",
        "documents added",
    ),
    (
        "removed",
        "Documents removed",
        "document removed",
        "documents removed",
    ),
    (
        "status",
        "Status changes",
        "status change",
        "status changes",
    ),
    ("owners", "Owners changed", "owner change", "owner changes"),
    (
        "goals",
        "Metric goals added or changed",
        "metric goal change",
        "metric goal changes",
    ),
    (
        "actuals",
        "Actuals recorded",
        "actual recorded",
        "actuals recorded",
    ),
    (
        "verdicts",
        "Verdicts changed",
        "verdict changed",
        "verdicts changed",
    ),
    (
        "superseded",
        "Decisions superseded",
        "decision superseded",
        "decisions superseded",
    ),
    (
        "roadmap",
        "Roadmap items moved",
        "roadmap item moved",
        "roadmap items moved",
    ),
    (
        "diagnostics",
        "New diagnostics",
        "new diagnostic",
        "new diagnostics",
    ),
];

/// A piece of a line.
enum Frag<'a> {
    /// A document: linked to its page in markdown when it has an absolute URL.
    Doc(&'a DocRef),
    Text(String),
    /// A rule id or level, set apart.
    Code(&'a str),
}

type Line<'a> = Vec<Frag<'a>>;

fn text(s: impl Into<String>) -> Frag<'static> {
    Frag::Text(s.into())
}

/// `none` for a missing value, so an arrow always has two sides.
fn or_none(v: Option<&str>) -> String {
    v.unwrap_or("none").to_string()
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

fn goal_terms(t: &GoalTerms) -> String {
    match &t.baseline {
        Some(b) => format!("target {} (baseline {b})", t.target),
        None => format!("target {}", t.target),
    }
}

fn verdict(v: Option<Verdict>) -> &'static str {
    v.map_or("no verdict", Verdict::as_str)
}

/// The sentence on counts: "1 document added, 2 status changes".
fn counts(changes: &Changes) -> String {
    let parts: Vec<String> = changes
        .counts()
        .iter()
        .zip(KINDS)
        .filter(|((_, n), _)| *n > 0)
        .map(|((_, n), (_, _, one, many))| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
    if parts.is_empty() {
        "no changes to the specs".into()
    } else {
        parts.join(", ")
    }
}

/// The lines of each kind of change, in [`KINDS`] order.
fn sections(c: &Changes) -> [Vec<Line<'_>>; 10] {
    let titled = |d: &DocRef| text(format!(" — {}", d.title));
    [
        c.added.iter().map(document_line).collect(),
        c.removed.iter().map(document_line).collect(),
        c.status
            .iter()
            .map(|s| {
                let arrow = format!(
                    ": {} → {}",
                    or_none(s.before.as_deref()),
                    or_none(s.after.as_deref())
                );
                vec![Frag::Doc(&s.doc), text(arrow), titled(&s.doc)]
            })
            .collect(),
        c.owners
            .iter()
            .map(|o| {
                let arrow = format!(": {} → {}", list(&o.before), list(&o.after));
                vec![Frag::Doc(&o.doc), text(arrow), titled(&o.doc)]
            })
            .collect(),
        c.goals.iter().map(goal_line).collect(),
        c.actuals.iter().map(actual_line).collect(),
        c.verdicts
            .iter()
            .map(|v| {
                let arrow = format!(": {} → {}", v.before, v.after);
                vec![Frag::Doc(&v.doc), text(arrow), titled(&v.doc)]
            })
            .collect(),
        c.superseded
            .iter()
            .map(|s| vec![Frag::Doc(&s.doc), text(" superseded by "), Frag::Doc(&s.by)])
            .collect(),
        c.roadmap.iter().map(roadmap_line).collect(),
        c.diagnostics
            .iter()
            .map(|d| {
                let at = match d.line {
                    0 => d.file.clone(),
                    line => format!("{}:{line}", d.file),
                };
                vec![
                    Frag::Code(d.level.as_str()),
                    text(" "),
                    Frag::Code(d.rule.as_str()),
                    text(format!(" {at}: {}", d.message)),
                ]
            })
            .collect(),
    ]
}

/// An added or removed document: its link, title and kind.
fn document_line(d: &DocRef) -> Line<'_> {
    vec![
        Frag::Doc(d),
        text(format!(" {} ({})", d.title, d.kind.as_str())),
    ]
}

/// A metric goal added, removed or given other terms.
fn goal_line(g: &GoalChange) -> Line<'_> {
    let what = match (&g.before, &g.after) {
        (None, Some(a)) => format!("added, {}", goal_terms(a)),
        (Some(b), None) => format!("removed (was {})", goal_terms(b)),
        (Some(b), Some(a)) => format!("{} → {}", goal_terms(b), goal_terms(a)),
        (None, None) => String::new(),
    };
    vec![Frag::Doc(&g.doc), text(format!(" · {}: {what}", g.goal))]
}

/// A metric's new actual value, with when it was measured and the verdict it gives.
fn actual_line(a: &ActualChange) -> Line<'_> {
    let value = match (&a.before, &a.after) {
        (None, Some(v)) => v.clone(),
        (b, v) => format!("{} → {}", or_none(b.as_deref()), or_none(v.as_deref())),
    };
    let measured = a
        .measured
        .map(|d| format!(" (measured {d})"))
        .unwrap_or_default();
    vec![
        Frag::Doc(&a.doc),
        text(format!(
            " · {}: actual {value}{measured}, {}",
            a.goal,
            verdict(a.verdict)
        )),
    ]
}

/// An item put on, taken off or moved between horizons of a roadmap.
fn roadmap_line(m: &RoadmapMove) -> Line<'_> {
    let item = match &m.doc {
        Some(d) => Frag::Doc(d),
        None => text(m.item.clone()),
    };
    let moved = match (&m.before, &m.after) {
        (None, Some(a)) => format!(" added under {a}"),
        (Some(b), None) => format!(" taken off (was under {b})"),
        (b, a) => format!(" {} → {}", or_none(b.as_deref()), or_none(a.as_deref())),
    };
    vec![Frag::Doc(&m.roadmap), text(": "), item, text(moved)]
}

/// Control characters (a terminal's escape sequences) never reach the output.
fn plain(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Text safe inline in GitHub-flavoured markdown: what would start emphasis, a link,
/// a table cell or strikethrough is backslash-escaped, and a `<` that could open HTML
/// (a tag, a comment) is written as `&lt;`; a target like `< 0.1` stays as it is.
fn md(s: &str) -> String {
    let text = plain(s);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' if chars
                .peek()
                .is_none_or(|n| n.is_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("&lt;");
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A URL safe inside `(…)` of a markdown link.
fn md_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        match b {
            b'(' | b')' | b'<' | b'>' | b' ' | b'"' | b'\\' | b'`' | 0..=0x1f | 0x7f => {
                let _ = write!(out, "%{b:02X}");
            }
            _ => out.push(char::from(b)),
        }
    }
    out
}

/// The pull-request comment.
pub fn markdown(sides: &Sides<'_>, changes: &Changes) -> String {
    let mut out = format!("{MARKER}\n## Spec changes\n\n");
    let _ = writeln!(
        out,
        "Comparing {} with {}: {}.",
        md(sides.base),
        md(sides.head_name()),
        counts(changes)
    );
    for ((_, title, _, _), lines) in KINDS.iter().zip(sections(changes)) {
        if lines.is_empty() {
            continue;
        }
        let _ = write!(out, "\n### {title}\n\n");
        for line in lines {
            out.push_str("- ");
            for frag in line {
                match frag {
                    Frag::Doc(d) => match d.url.as_deref() {
                        Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                            let _ = write!(out, "[{}]({})", md(&d.id), md_url(url));
                        }
                        _ => out.push_str(&md(&d.id)),
                    },
                    Frag::Text(t) => out.push_str(&md(&t)),
                    Frag::Code(c) => {
                        let _ = write!(out, "`{c}`");
                    }
                }
            }
            out.push('\n');
        }
    }
    out
}

/// Plain text for a terminal.
pub fn human(sides: &Sides<'_>, changes: &Changes) -> String {
    let mut out = format!(
        "Spec changes from {} to {}: {}\n",
        plain(sides.base),
        plain(sides.head_name()),
        counts(changes)
    );
    for ((_, title, _, _), lines) in KINDS.iter().zip(sections(changes)) {
        if lines.is_empty() {
            continue;
        }
        let _ = write!(out, "\n{title}\n");
        for line in lines {
            out.push_str("  ");
            for frag in line {
                match frag {
                    Frag::Doc(d) => out.push_str(&plain(&d.id)),
                    Frag::Text(t) => out.push_str(&plain(&t)),
                    Frag::Code(c) => out.push_str(c),
                }
            }
            out.push('\n');
        }
    }
    out
}

/// The JSON report: `base`, `head` (`null`: the work tree), `summary` (a count per
/// kind of change) and one list per kind, under the same keys.
pub fn json(sides: &Sides<'_>, changes: &Changes) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        base: &'a str,
        head: Option<&'a str>,
        #[serde(serialize_with = "in_order")]
        summary: [(&'static str, usize); 10],
        #[serde(flatten)]
        changes: &'a Changes,
    }
    fn in_order<S: serde::Serializer>(
        counts: &[(&'static str, usize); 10],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_map(counts.iter().copied())
    }
    let report = Report {
        base: sides.base,
        head: sides.head,
        summary: changes.counts(),
        changes,
    };
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::{md, md_url, plain};

    #[test]
    fn markdown_text_cannot_open_html_links_or_emphasis() {
        assert_eq!(md("<script>x</script>"), "&lt;script>x&lt;/script>");
        assert_eq!(md("<!-- specsite-diff -->"), "&lt;\\!-- specsite-diff -->");
        assert_eq!(md("< 0.1 and <= 5"), "< 0.1 and <= 5");
        assert_eq!(
            md("[x](javascript:y) *a* _b_ `c` |d| ~e~"),
            "\\[x\\](javascript:y) \\*a\\* \\_b\\_ \\`c\\` \\|d\\| \\~e\\~"
        );
        assert_eq!(md("two\nlines\u{1b}[31m"), "two lines \\[31m");
        assert_eq!(plain("a\u{7}b"), "a b");
        assert_eq!(
            md_url("https://x.example/a b/(c)/"),
            "https://x.example/a%20b/%28c%29/"
        );
    }
}
