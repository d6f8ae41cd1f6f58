//! Diagnostics: every problem a build finds, with where it is, what is wrong and how to
//! fix it. Stages collect diagnostics instead of stopping, so one run reports everything.
//!
//! Each diagnostic carries a rule id (`broken-link`, `unknown-status`, …). The rule's
//! level (error, warning or off) comes from the configuration, so a team decides what
//! fails its CI; [`Rule::ALL`] lists every rule with its default level.

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

/// Declares [`Rule`] from one table: variant, id, default level and description.
macro_rules! rules {
    ($($variant:ident = $id:literal, $level:ident, $summary:literal;)*) => {
        /// A rule a diagnostic belongs to. Its id (`broken-link`) is what users write under
        /// `[rules]` in specsite.toml and see in output.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Rule {
            $($variant,)*
        }

        impl Rule {
            /// Every rule specsite knows, in the order the README documents them.
            pub const ALL: &[Rule] = &[$(Rule::$variant,)*];

            /// The kebab-case id users write in configuration and see in output.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Rule::$variant => $id,)*
                }
            }

            /// The level the rule reports at unless the configuration changes it.
            pub const fn default_level(self) -> Level {
                match self {
                    $(Rule::$variant => Level::$level,)*
                }
            }

            /// What the rule finds, in one line.
            pub const fn summary(self) -> &'static str {
                match self {
                    $(Rule::$variant => $summary,)*
                }
            }
        }
    };
}

rules! {
    Config = "config", Error, "specsite.toml or people.toml cannot be read";
    ReadError = "read-error", Error, "a file cannot be read";
    NotUtf8 = "not-utf8", Error, "a file is not valid UTF-8";
    FrontMatter = "front-matter", Error, "front matter is malformed or not closed";
    InvalidField = "invalid-field", Error, "a front matter field has the wrong type or value";
    InvalidDate = "invalid-date", Error, "a date is not a real YYYY-MM-DD date";
    UnknownField = "unknown-field", Warning, "a front matter field specsite does not know";
    InvalidMetadata = "invalid-metadata", Warning, "metadata read from a body, a file name or a sidecar file cannot be used";
    ControlCharacter = "control-character", Warning, "a metadata value held control characters (removed)";
    UnknownKind = "unknown-kind", Error, "`kind:` names no known document kind";
    UnknownStatus = "unknown-status", Error, "a status is not in the kind's vocabulary";
    UnmappedStatus = "unmapped-status", Warning, "a status maps to nothing in the kind's vocabulary (add an alias)";
    DuplicateId = "duplicate-id", Error, "two documents of one kind share an id";
    DuplicateNumber = "duplicate-number", Warning, "two file names give the same id; the later one keeps its whole name";
    UrlFallback = "url-fallback", Warning, "an id, status, team, tag or person has no letters or digits for a URL (or names a file the site writes); its page gets a made-up one";
    UrlCollision = "url-collision", Warning, "two different statuses, teams, tags or people would share one page; the later one gets its own";
    MetricTarget = "metric-target", Error, "a metric goal cannot be read";
    MetricUnit = "metric-unit", Error, "a metric's values disagree on their unit";
    BrokenLink = "broken-link", Error, "a link or relation points at nothing";
    AmbiguousLink = "ambiguous-link", Error, "a wiki link or `links:` id matches documents of several kinds";
    MissingAnchor = "missing-anchor", Error, "a link's #fragment names no heading in the target";
    AnchorCase = "anchor-case", Warning, "a link's #fragment matches a heading only when case is ignored";
    UnpublishedLink = "unpublished-link", Warning, "a link points at a file that is not published";
    SupersedeMismatch = "supersede-mismatch", Error, "two decisions disagree about a supersede link";
    SupersedeCycle = "supersede-cycle", Error, "a chain of supersedes loops back on itself";
    SupersededStatus = "superseded-status", Warning, "a superseded decision's status is not superseded";
    UnknownOwner = "unknown-owner", Warning, "an owner is not listed in people.toml";
    MissingMetrics = "missing-metrics", Warning, "a shipped feature has no metric goals";
    MetricUnmeasured = "metric-unmeasured", Warning, "a metric has an actual value but no measured date";
    ReviewOverdue = "review-overdue", Warning, "a shipped feature's review date passed with no actual";
    RoadmapDrift = "roadmap-drift", Warning, "a roadmap item's section disagrees with its feature's status";
    Highlight = "highlight", Warning, "a code block was too large or too slow to highlight";
    Mermaid = "mermaid", Warning, "a Mermaid diagram cannot be drawn (or is too large) and is shown as code";
    DocumentTooLarge = "document-too-large", Warning, "a body is over the render limit and is shown as plain text";
    UnsafeUrl = "unsafe-url", Warning, "a field meant as a link is not an http, https, mailto or relative URL";
    HtmlRemoved = "html-removed", Warning, "raw HTML outside the safe subset was removed from a page";
    OutputFolder = "output-folder", Error, "the output folder is unsafe to write";
    Template = "template", Error, "a template failed to render";
}

/// An id that names no rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule(pub String);

impl std::fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown rule '{}'", self.0)
    }
}

impl std::error::Error for UnknownRule {}

impl std::str::FromStr for Rule {
    type Err = UnknownRule;

    /// Looks a rule up by the id users write (`broken-link`).
    fn from_str(id: &str) -> Result<Rule, UnknownRule> {
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == id)
            .ok_or_else(|| UnknownRule(id.to_string()))
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Rules order by id, as the id strings did, so sorted output does not depend on the
/// order of the table.
impl Ord for Rule {
    fn cmp(&self, other: &Rule) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Rule {
    fn partial_cmp(&self, other: &Rule) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Serialised as its id, so JSON output reads `"rule": "broken-link"`.
impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub rule: Rule,
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
    pub fn new(rule: Rule, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            level: rule.default_level(),
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
    pub fn identity(&self) -> (Rule, &str, &str) {
        (self.rule, &self.file, &self.message)
    }

    fn sort_key(&self) -> (&str, u32, u32, Rule, &str) {
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
        let a = Diagnostic::new(Rule::BrokenLink, "b.md", "x").at(Pos::new(2, 1));
        let b = Diagnostic::new(Rule::BrokenLink, "a.md", "x").at(Pos::new(9, 1));
        let c = Diagnostic::new(Rule::BrokenLink, "a.md", "x").at(Pos::new(3, 1));
        let mut v = vec![a.clone(), b.clone(), c.clone(), a.clone()];
        sort(&mut v);
        assert_eq!(v, vec![c, b, a]);
    }

    #[test]
    fn every_rule_id_is_unique() {
        let mut ids: Vec<&str> = Rule::ALL.iter().map(|r| r.as_str()).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }

    #[test]
    fn every_rule_is_found_by_its_id_and_serialises_as_it() {
        for &rule in Rule::ALL {
            assert_eq!(rule.as_str().parse::<Rule>(), Ok(rule));
            let json = serde_json::to_string(&rule).unwrap();
            assert_eq!(json, format!("\"{}\"", rule.as_str()));
        }
        assert_eq!(
            "no-such-rule".parse::<Rule>(),
            Err(UnknownRule("no-such-rule".to_string()))
        );
    }
}
