//! Diagnostics: every problem a build finds, with where it is, what is wrong and how to
//! fix it. Stages collect diagnostics instead of stopping, so one run reports everything.
//!
//! Each diagnostic carries a rule id (`broken-link`, `unknown-status`, …). The rule's
//! level (error, warning or off) comes from the configuration, so a team decides what
//! fails its CI; [`RULES`] lists every rule with its default level.

use serde::Serialize;

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
    rule(
        "control-character",
        W,
        "a metadata value held control characters (removed)",
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
    rule(
        "url-fallback",
        W,
        "an id, status, team, tag or person has no letters or digits for a URL (or names a file the site writes); its page gets a made-up one",
    ),
    rule(
        "url-collision",
        W,
        "two different statuses, teams, tags or people would share one page; the later one gets its own",
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
        "mermaid",
        W,
        "a Mermaid diagram cannot be drawn (or is too large) and is shown as code",
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
    rule(
        "html-removed",
        W,
        "raw HTML outside the safe subset was removed from a page",
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

#[cfg(test)]
mod tests {
    use super::*;

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
