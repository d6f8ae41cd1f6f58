//! Diagnostics: every problem a build finds, with where it is, what is wrong and how to
//! fix it. Stages collect diagnostics instead of stopping, so one run reports everything.
//!
//! Each diagnostic carries a rule id (`broken-link`, `unknown-status`, …). The rule's
//! level (error, warning or off) comes from the configuration, so a team decides what
//! fails its CI; [`RULES`] lists every rule with its default level.

use rayon::prelude::*;
use serde::Serialize;
use std::fmt::Write as _;

/// How serious a diagnostic is. Errors fail `build` and `check`; warnings fail only
/// `check --strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// A rule a diagnostic belongs to, with its default level.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    pub default: Option<Level>,
    pub summary: &'static str,
}

const fn rule(id: &'static str, default: Option<Level>, summary: &'static str) -> Rule {
    Rule {
        id,
        default,
        summary,
    }
}

const E: Option<Level> = Some(Level::Error);
const W: Option<Level> = Some(Level::Warning);

/// Every rule specsite knows, in the order the README documents them.
pub const RULES: &[Rule] = &[
    rule("config", E, "specsite.toml or people.toml cannot be read"),
    rule("read-error", E, "a file cannot be read"),
    rule("not-utf8", E, "a file is not valid UTF-8"),
    rule("front-matter", E, "front matter is malformed or not closed"),
    rule(
        "invalid-field",
        E,
        "a front matter field has the wrong type or value",
    ),
    rule("invalid-date", E, "a date is not a real YYYY-MM-DD date"),
    rule(
        "unknown-field",
        W,
        "a front matter field specsite does not know",
    ),
    rule(
        "invalid-metadata",
        W,
        "metadata read from a body, a file name or a sidecar file cannot be used",
    ),
    rule("unknown-kind", E, "`kind:` names no known document kind"),
    rule(
        "unknown-status",
        E,
        "a status is not in the kind's vocabulary",
    ),
    rule(
        "unmapped-status",
        W,
        "a status maps to nothing in the kind's vocabulary (add an alias)",
    ),
    rule("duplicate-id", E, "two documents of one kind share an id"),
    rule(
        "duplicate-number",
        W,
        "two file names give the same id; the later one keeps its whole name",
    ),
    rule("metric-target", E, "a metric goal cannot be read"),
    rule("metric-unit", E, "a metric's values disagree on their unit"),
    rule("broken-link", E, "a link or relation points at nothing"),
    rule(
        "ambiguous-link",
        E,
        "a wiki link or `links:` id matches documents of several kinds",
    ),
    rule(
        "missing-anchor",
        E,
        "a link's #fragment names no heading in the target",
    ),
    rule(
        "anchor-case",
        W,
        "a link's #fragment matches a heading only when case is ignored",
    ),
    rule(
        "unpublished-link",
        W,
        "a link points at a file that is not published",
    ),
    rule(
        "supersede-mismatch",
        E,
        "two decisions disagree about a supersede link",
    ),
    rule(
        "supersede-cycle",
        E,
        "a chain of supersedes loops back on itself",
    ),
    rule(
        "superseded-status",
        W,
        "a superseded decision's status is not superseded",
    ),
    rule("unknown-owner", W, "an owner is not listed in people.toml"),
    rule(
        "missing-metrics",
        W,
        "a shipped feature has no metric goals",
    ),
    rule(
        "metric-unmeasured",
        W,
        "a metric has an actual value but no measured date",
    ),
    rule(
        "review-overdue",
        W,
        "a shipped feature's review date passed with no actual",
    ),
    rule(
        "roadmap-drift",
        W,
        "a roadmap item's section disagrees with its feature's status",
    ),
    rule(
        "highlight",
        W,
        "a code block was too large or too slow to highlight",
    ),
    rule(
        "document-too-large",
        W,
        "a body is over the render limit and is shown as plain text",
    ),
    rule(
        "unsafe-url",
        W,
        "a field meant as a link is not an http, https, mailto or relative URL",
    ),
    rule("output-folder", E, "the output folder is unsafe to write"),
    rule("template", E, "a template failed to render"),
];

/// Looks a rule up by id.
pub fn find_rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub level: Level,
    /// Path relative to SOURCE, with `/` separators; empty for problems of the whole site.
    pub file: String,
    /// 1-based; 0 when the problem has no line (a whole file).
    pub line: u32,
    /// 1-based, in characters; 0 when unknown.
    pub column: u32,
    pub message: String,
    pub help: Option<String>,
    /// How many characters the caret underlines (at least one).
    #[serde(skip)]
    pub span: u32,
}

impl Diagnostic {
    /// A diagnostic at the rule's default level (the configuration may change it later).
    pub fn new(rule: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        let level = find_rule(rule)
            .and_then(|r| r.default)
            .unwrap_or(Level::Error);
        Diagnostic {
            rule,
            level,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
            span: 1,
        }
    }

    pub fn at(mut self, pos: Pos) -> Self {
        self.line = pos.line;
        self.column = pos.col;
        self
    }

    pub fn span(mut self, chars: usize) -> Self {
        self.span = u32::try_from(chars.max(1)).unwrap_or(u32::MAX);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// What stays the same when an edit above a problem moves it: rule, file and
    /// message, not line. A problem with the same identity before and after a change is
    /// not new (`diff` compares by it).
    pub fn identity(&self) -> (&'static str, &str, &str) {
        (self.rule, &self.file, &self.message)
    }

    fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (&self.file, self.line, self.column, self.rule, &self.message)
    }
}

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub fn new(line: usize, col: usize) -> Self {
        Pos {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            col: u32::try_from(col).unwrap_or(u32::MAX),
        }
    }

    /// Moves a position found inside an embedded text (front matter, body) to file
    /// coordinates, given the line the embedded text starts on.
    pub fn offset_lines(self, first_line: u32) -> Self {
        Pos {
            line: self.line.saturating_add(first_line.saturating_sub(1)),
            col: self.col,
        }
    }
}

/// Sorts diagnostics by file, line and column and removes exact repeats, so output is
/// stable whatever order parallel stages produced them in.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
}

/// Counts of errors and warnings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

pub fn tally(diags: &[Diagnostic]) -> Tally {
    let errors = diags.iter().filter(|d| d.level == Level::Error).count();
    Tally {
        errors,
        warnings: diags.len() - errors,
    }
}

/// Output formats of `check` and `build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-like, with the source line and a caret.
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands, which annotate pull requests.
    Github,
}

/// Writes diagnostics in `format`. `text_of` returns the text of a source file (for
/// the human format's excerpts). Diagnostics come sorted by file: each run of them in
/// one file reads it once, and runs are written in parallel, since a large repository
/// can have tens of thousands of warnings.
pub fn render(
    diags: &[Diagnostic],
    format: Format,
    text_of: &(dyn Fn(&str) -> Option<String> + Sync),
) -> String {
    let parts: Vec<String> = diags
        .par_chunk_by(|a, b| a.file == b.file)
        .map(|group| {
            let mut out = String::new();
            let wants_text =
                format == Format::Human && group.iter().any(|d| d.line > 0 && !d.file.is_empty());
            let text = wants_text.then(|| text_of(&group[0].file)).flatten();
            let line_of = |line: u32| text.as_deref().and_then(|t| crate::text::nth_line(t, line));
            for d in group {
                match format {
                    Format::Human => render_human(&mut out, d, &line_of),
                    Format::Json => {
                        out.push_str(&serde_json::to_string(d).unwrap_or_default());
                        out.push('\n');
                    }
                    Format::Github => render_github(&mut out, d),
                }
            }
            out
        })
        .collect();
    parts.concat()
}

fn render_human<'t>(out: &mut String, d: &Diagnostic, line_of: &dyn Fn(u32) -> Option<&'t str>) {
    let _ = writeln!(out, "{}[{}]: {}", d.level.as_str(), d.rule, d.message);
    if d.file.is_empty() {
        if let Some(help) = &d.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        out.push('\n');
        return;
    }
    let gutter = d.line.max(1).to_string().len();
    let pad = " ".repeat(gutter);
    match (d.line, d.column) {
        (0, _) => {
            let _ = writeln!(out, "{pad}--> {}", d.file);
        }
        (line, 0) => {
            let _ = writeln!(out, "{pad}--> {}:{line}", d.file);
        }
        (line, col) => {
            let _ = writeln!(out, "{pad}--> {}:{line}:{col}", d.file);
        }
    }
    if d.line > 0
        && let Some(text) = line_of(d.line)
    {
        let shown: String = text.chars().take(200).collect();
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{} | {}", d.line, shown.replace('\t', " "));
        if d.column > 0 {
            let indent = " ".repeat((d.column as usize - 1).min(200));
            let carets = "^".repeat((d.span as usize).clamp(1, 200));
            let _ = writeln!(out, "{pad} | {indent}{carets}");
        }
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{pad} = help: {help}");
    }
    out.push('\n');
}

/// GitHub's workflow commands need `%`, CR and LF escaped in the message, and also `,` and
/// `:` in properties.
fn github_escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

fn render_github(out: &mut String, d: &Diagnostic) {
    let command = match d.level {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    let mut props = Vec::new();
    if !d.file.is_empty() {
        props.push(format!("file={}", github_escape(&d.file, true)));
    }
    if d.line > 0 {
        props.push(format!("line={}", d.line));
    }
    if d.column > 0 {
        props.push(format!("col={}", d.column));
    }
    props.push(format!("title={}", github_escape(d.rule, true)));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let _ = writeln!(
        out,
        "::{command} {}::{}",
        props.join(","),
        github_escape(&message, false)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Diagnostic {
        Diagnostic::new(
            "broken-link",
            "features/a.md",
            "no document with id 'PRD-9'",
        )
        .at(Pos::new(12, 5))
        .span(5)
        .help("did you mean 'PRD-1'?")
    }

    #[test]
    fn human_format_shows_location_excerpt_caret_and_help() {
        let text = render(&[sample()], Format::Human, &|file| {
            assert_eq!(file, "features/a.md");
            Some(format!("{}See [[PRD-9]] for more\n", "\n".repeat(11)))
        });
        assert!(text.starts_with("error[broken-link]: no document with id 'PRD-9'\n"));
        assert!(text.contains("  --> features/a.md:12:5\n"), "{text}");
        assert!(text.contains("12 | See [[PRD-9]] for more\n"), "{text}");
        assert!(text.contains("   |     ^^^^^\n"), "{text}");
        assert!(text.contains("= help: did you mean 'PRD-1'?"), "{text}");
    }

    #[test]
    fn json_format_is_one_object_per_line_with_stable_fields() {
        let text = render(&[sample(), sample()], Format::Json, &|_| None);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(v["rule"], "broken-link");
        assert_eq!(v["level"], "error");
        assert_eq!(v["line"], 12);
        assert_eq!(v["column"], 5);
        assert_eq!(v["help"], "did you mean 'PRD-1'?");
        let order: Vec<usize> = ["rule", "level", "file", "line", "column", "message", "help"]
            .iter()
            .map(|k| lines[0].find(&format!("\"{k}\":")).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{}", lines[0]);
    }

    #[test]
    fn github_format_escapes_properties_and_message() {
        let d = Diagnostic::new("broken-link", "a,b:c.md", "50% off\nnext").at(Pos::new(3, 1));
        let text = render(&[d], Format::Github, &|_| None);
        assert_eq!(
            text,
            "::error file=a%2Cb%3Ac.md,line=3,col=1,title=broken-link::50%25 off%0Anext\n"
        );
    }

    #[test]
    fn sorting_orders_by_file_then_line_and_drops_repeats() {
        let a = Diagnostic::new("broken-link", "b.md", "x").at(Pos::new(2, 1));
        let b = Diagnostic::new("broken-link", "a.md", "x").at(Pos::new(9, 1));
        let c = Diagnostic::new("broken-link", "a.md", "x").at(Pos::new(3, 1));
        let mut v = vec![a.clone(), b.clone(), c.clone(), a.clone()];
        sort(&mut v);
        assert_eq!(v, vec![c, b, a]);
    }

    #[test]
    fn every_rule_id_is_unique() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }
}
