//! Stage 3, model: reads each parsed file into a typed [`Document`]: its kind, id,
//! status, owners, dates, relations, metric goals with their verdicts, and roadmap
//! sections. Documents are independent of each other here; everything that needs the
//! whole site (resolving ids, backlinks, indexes) is the link stage's job.

pub mod fields;
pub mod metric;
pub mod people;
pub mod sources;
pub mod suggest;

use crate::config::{Config, Kind, Phase};
use crate::diagnostic::{Diagnostic, Pos, Rule};
use crate::parse::ParsedFile;
use crate::parse::markdown::Body;
use crate::parse::meta::Origin;
use fields::Fields;
use jiff::civil::Date;
use metric::{Quantity, Target, Verdict};
use serde::Serialize;
pub use suggest::closest;

/// A document of the site: one markdown file, read and typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Relative to SOURCE, with `/` separators.
    pub source: String,
    pub kind: Kind,
    pub id: String,
    /// Where `id:` is written; `None` when the id comes from the file name (then the
    /// link stage may fall back to the whole file name when two names give one id).
    pub id_pos: Option<Pos>,
    /// The page's URL relative to the site root, ending in `/` (`features/pay-101/`).
    pub url: String,
    pub title: String,
    pub status: Option<Status>,
    /// Owners as written (ids of people.toml or free-form names), resolved to people by
    /// the link stage.
    pub owners: Vec<Written>,
    pub team: Option<String>,
    /// Where `team` is written (for the link stage's messages about its page).
    pub team_pos: Pos,
    pub tags: Vec<String>,
    /// Where each tag is written, aligned with `tags`.
    pub tag_pos: Vec<Pos>,
    pub dates: Dates,
    pub rice: Option<Rice>,
    pub relations: Vec<Relation>,
    pub metrics: Vec<MetricGoal>,
    /// The feature's outcome: its goals' verdicts rolled up; `None` without goals.
    pub outcome: Option<Verdict>,
    /// Roadmap horizons; empty for other kinds.
    pub horizons: Vec<Horizon>,
    /// Fields the model does not use, kept for templates (`page.extra.x`).
    pub extra: Vec<(String, String)>,
    pub body: Body,
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Written {
    pub text: String,
    #[serde(skip)]
    pub pos: Pos,
}

/// A document's status: the vocabulary entry it names, and the text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Index into the kind's vocabulary; `None` when the value is not in it (reported)
    /// or the kind has no vocabulary.
    pub index: Option<usize>,
    /// The canonical name (the vocabulary's) or, when unknown, the raw text.
    pub name: String,
    pub raw: String,
    pub phase: Option<Phase>,
    pub pos: Pos,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Dates {
    pub created: Option<Date>,
    pub updated: Option<Date>,
    /// A decision's date.
    pub date: Option<Date>,
    /// A feature's planned ship date.
    pub target: Option<Date>,
    pub shipped: Option<Date>,
    /// When the metric goals are due: `review:` or shipped + the review period.
    pub review: Option<Date>,
}

impl Dates {
    /// The most recent date the document carries, for "recently changed".
    pub fn latest(&self) -> Option<Date> {
        [self.updated, self.shipped, self.date, self.created]
            .into_iter()
            .flatten()
            .max()
    }
}

/// RICE prioritisation: reach × impact × confidence ÷ effort.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rice {
    pub reach: f64,
    pub impact: f64,
    pub confidence: f64,
    pub effort: f64,
    pub score: f64,
}

/// The typed relations a document declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// A feature's decisions.
    Decision,
    DependsOn,
    /// Related, untyped.
    Link,
    Supersedes,
    SupersededBy,
    Amends,
    AmendedBy,
    /// A decision's features.
    Feature,
    /// An item of a roadmap.
    RoadmapItem,
}

impl RelationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::Decision => "decision",
            RelationKind::DependsOn => "depends_on",
            RelationKind::Link => "link",
            RelationKind::Supersedes => "supersedes",
            RelationKind::SupersededBy => "superseded_by",
            RelationKind::Amends => "amends",
            RelationKind::AmendedBy => "amended_by",
            RelationKind::Feature => "feature",
            RelationKind::RoadmapItem => "roadmap_item",
        }
    }

    /// The front matter fields that declare each relation, and the kind of document
    /// the target is looked up in first (`None`: any kind).
    pub const FIELDS: &'static [(&'static str, RelationKind, Option<Kind>)] = &[
        ("decisions", RelationKind::Decision, Some(Kind::Decision)),
        ("depends_on", RelationKind::DependsOn, Some(Kind::Feature)),
        ("requires", RelationKind::DependsOn, None),
        ("links", RelationKind::Link, None),
        ("related", RelationKind::Link, None),
        ("supersedes", RelationKind::Supersedes, Some(Kind::Decision)),
        (
            "superseded_by",
            RelationKind::SupersededBy,
            Some(Kind::Decision),
        ),
        ("amends", RelationKind::Amends, Some(Kind::Decision)),
        ("amended_by", RelationKind::AmendedBy, Some(Kind::Decision)),
        ("features", RelationKind::Feature, Some(Kind::Feature)),
    ];
}

/// A relation as declared: the target id as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub kind: RelationKind,
    pub target: String,
    /// The SOURCE-relative file the relation links, when it was written as a link to a
    /// markdown file (`Superseded by [X](0015-x.md)`) rather than an id.
    pub path: Option<String>,
    /// Where the target kind is looked up first.
    pub target_kind: Option<Kind>,
    pub pos: Pos,
}

/// A metric goal of a feature, with its verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricGoal {
    pub name: String,
    pub baseline: Option<Quantity>,
    /// `None` when the target could not be read (reported).
    pub target: Option<Target>,
    pub target_raw: String,
    pub actual: Option<Quantity>,
    pub measured: Option<Date>,
    pub source: Option<String>,
    pub verdict: Option<Verdict>,
    /// Where the goal's name is written (the goal itself when it has none).
    pub pos: Pos,
    /// `actual:` as written.
    pub actual_written: Option<Written>,
}

/// A section of a roadmap and its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Horizon {
    pub title: String,
    pub anchor: String,
    pub when: When,
    pub items: Vec<RoadmapItem>,
}

/// Which part of time a roadmap section stands for, so drift can be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum When {
    Past,
    Now,
    Next,
    Later,
    /// A section that is not a horizon (Themes, Risks…).
    Other,
}

/// How a roadmap item's place disagrees with its feature's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drift {
    /// Under "now", but the feature is still a draft.
    StillDraft,
    /// Under "next" or "later", but the feature has shipped.
    AlreadyShipped,
}

impl Drift {
    /// The drift of an item under `when` whose feature is in `phase`, if any.
    pub fn of(when: When, phase: Option<crate::config::Phase>) -> Option<Drift> {
        use crate::config::Phase;
        match (when, phase) {
            (When::Now, Some(Phase::Draft)) => Some(Drift::StillDraft),
            (When::Next | When::Later, Some(Phase::Done)) => Some(Drift::AlreadyShipped),
            _ => None,
        }
    }

    /// What pages show ("still a draft").
    pub fn label(self) -> &'static str {
        match self {
            Drift::StillDraft => "still a draft",
            Drift::AlreadyShipped => "already shipped",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoadmapItem {
    pub text: String,
    /// The body link the item points at (index into `body.links`).
    pub link: Option<usize>,
    pub pos: Pos,
}

/// The fields each kind reads; others get an `unknown-field` warning.
const COMMON_FIELDS: &[&str] = &[
    "id",
    "title",
    "kind",
    "status",
    "owner",
    "team",
    "tags",
    "created",
    "updated",
    "description",
    "summary",
    "links",
    "related",
    "aliases",
    "draft",
    "weight",
];
const FEATURE_FIELDS: &[&str] = &[
    "target",
    "shipped",
    "review",
    "rice",
    "decisions",
    "depends_on",
    "requires",
    "metrics",
];
const DECISION_FIELDS: &[&str] = &[
    "date",
    "consulted",
    "informed",
    "supersedes",
    "superseded_by",
    "amends",
    "amended_by",
    "features",
];
const ROADMAP_FIELDS: &[&str] = &["horizon", "period"];

/// Everything the model stage needs besides the file.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub config: &'a Config,
    pub today: Date,
    /// The configuration's field aliases, made once for every document.
    aliases: sources::Aliases,
}

impl<'a> Context<'a> {
    pub fn new(config: &'a Config, today: Date) -> Self {
        let fields: Vec<&str> = COMMON_FIELDS
            .iter()
            .chain(FEATURE_FIELDS)
            .chain(DECISION_FIELDS)
            .chain(ROADMAP_FIELDS)
            .copied()
            .collect();
        Context {
            config,
            today,
            aliases: sources::Aliases::new(config, &fields),
        }
    }
}

/// Reads one parsed file into a document.
pub fn document(parsed: ParsedFile, cx: &Context<'_>) -> (Document, Vec<Diagnostic>) {
    let ParsedFile {
        path,
        front,
        sidecar,
        mut body,
        mut diagnostics,
        ..
    } = parsed;
    let body_meta = std::mem::take(&mut body.meta);
    let dir = crate::load::parent(&path);
    let file_name = sources::FileName::of(&path);
    let stem = file_name.stem;
    let folder_kind = cx.config.kind_of_folder(dir);
    let table = cx.config.folder_table(dir);
    let merged = merged_metadata(
        [front, sidecar, body_meta],
        &path,
        &mut diagnostics,
        &file_name,
        table,
        folder_kind,
        &cx.aliases,
    );
    let mut f = Fields::new(&merged.map, &path);
    let kind = match f.text("kind") {
        Some(w) => Kind::parse(&w.text).unwrap_or_else(|| {
            f.report(
                Diagnostic::new(
                    Rule::UnknownKind,
                    &path,
                    format!("unknown kind '{}'", w.text),
                )
                .at(w.pos)
                .span(w.text.chars().count())
                .help("use one of: feature, decision, roadmap, page"),
            );
            folder_kind.unwrap_or_default()
        }),
        None => folder_kind.unwrap_or_default(),
    };

    let id_from_file = f.origin("id").is_none_or(|o| o == Origin::FileName);
    let (id, id_pos) = f.text("id").map_or_else(
        || (stem.to_string(), None),
        |w| (w.text, (!id_from_file).then_some(w.pos)),
    );
    let title = title(&mut f, body.h1.as_deref(), &id, stem);
    let (url, fallback) = crate::paths::doc_url(kind, &id, &path);
    report_url_fallback(&mut f, fallback, kind, &path, (&id, id_pos), &url);

    let status = status(&mut f, cx.config, kind, &path);

    let owners = f.people("owner");
    let (team, team_pos) = f
        .text("team")
        .map_or((None, Pos::default()), |w| (Some(w.text), w.pos));
    let (tags, tag_pos): (Vec<String>, Vec<Pos>) =
        f.list("tags").into_iter().map(|w| (w.text, w.pos)).unzip();

    let dates = dates(&mut f, cx.config.review_days);

    let rice = f.rice("rice");
    let relations = relations(&mut f, &path);

    let metrics = f.metrics("metrics", dates.review, cx.today);
    let outcome = metric::roll_up(metrics.iter().filter_map(|m| m.verdict));

    let horizons = take_horizons(&mut body, kind, cx.today);

    let mut extra = f.finish(&known_fields(kind), kind);
    extra.extend(merged.kept);
    diagnostics.extend(f.into_diagnostics());

    let doc = Document {
        source: path,
        kind,
        id,
        id_pos,
        url,
        title,
        status,
        owners,
        team,
        team_pos,
        tags,
        tag_pos,
        dates,
        rice,
        relations,
        metrics,
        outcome,
        horizons,
        extra,
        body,
    };
    outcome_rules(&doc, &mut diagnostics);
    (doc, diagnostics)
}

/// The title written, else the body's first heading, without the id's number; the
/// file name made readable when neither gives one.
fn title(f: &mut Fields<'_>, h1: Option<&str>, id: &str, stem: &str) -> String {
    f.text("title")
        .map(|w| w.text)
        .or_else(|| h1.map(str::to_string))
        .map(|t| without_id_number(&t, id).to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| humanise(stem))
}

/// Says why the page is not published at the URL its id asks for, and how to choose one.
fn report_url_fallback(
    f: &mut Fields<'_>,
    fallback: Option<crate::paths::Fallback>,
    kind: Kind,
    path: &str,
    (id, id_pos): (&str, Option<Pos>),
    url: &str,
) {
    if let Some(why) = fallback {
        let what = match kind.url_folder() {
            Some(_) => format!("the id '{id}'"),
            None => format!("the path '{path}'"),
        };
        let d = Diagnostic::new(
            Rule::UrlFallback,
            path,
            format!("{what} {}; the page is published at /{url}", why.reason()),
        )
        .help(match why {
            crate::paths::Fallback::NoLetters => "to choose the URL, give it an id with letters or digits (or rename the file); until then the page keeps this one",
            crate::paths::Fallback::FileName => "to choose the URL, give it another id (or rename the file); until then the page keeps this one",
        });
        f.report(match id_pos {
            Some(pos) => d.at(pos).span(id.chars().count()),
            None => d.at(Pos::new(1, 1)),
        });
    }
}

/// A roadmap's horizons, read from its sections. The sections are dropped for every
/// kind: they matter only as horizons, and kept they would be held for the whole
/// build for nothing.
fn take_horizons(body: &mut Body, kind: Kind, today: Date) -> Vec<Horizon> {
    let horizons = if kind == Kind::Roadmap {
        horizons(body, today)
    } else {
        Vec::new()
    };
    body.sections = Vec::new();
    horizons
}

/// The file's metadata merged into one map, earlier sources winning: front matter,
/// sidecar, metadata in the body, then the file name and the folder's defaults.
fn merged_metadata(
    [mut front, mut sidecar, mut body_meta]: [crate::parse::meta::Map; 3],
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
    file_name: &sources::FileName<'_>,
    table: Option<&crate::config::FolderTable>,
    folder_kind: Option<Kind>,
    aliases: &sources::Aliases,
) -> sources::Merged {
    for map in [&mut front, &mut body_meta, &mut sidecar] {
        sources::strip_controls(map, path, diagnostics);
    }
    // The kind decides which date the file name's date fills.
    let kind_hint = front
        .get_any(&["kind"])
        .and_then(|e| e.value.scalar())
        .and_then(Kind::parse)
        .or(folder_kind);
    let date_field = if kind_hint == Some(Kind::Decision) {
        "date"
    } else {
        "created"
    };
    sources::merge(
        vec![
            front,
            sidecar,
            body_meta,
            sources::file_name_map(file_name, table, date_field),
            sources::defaults_map(table),
        ],
        aliases,
    )
}

/// The `status` field, looked up in the kind's vocabulary; reported when the
/// vocabulary does not know it.
fn status(f: &mut Fields<'_>, config: &Config, kind: Kind, path: &str) -> Option<Status> {
    f.text("status").map(|w| {
        let vocab = config.statuses.of(kind);
        let index = config.statuses.lookup(kind, &w.text);
        if index.is_none() && !vocab.is_empty() {
            let from_data = f.origin("status").is_none_or(|o| o.is_data());
            f.report(status_diagnostic(path, kind, vocab, &w, from_data));
        }
        let def = index.and_then(|i| vocab.get(i));
        Status {
            index,
            name: def.map_or_else(|| w.text.clone(), |d| d.name.clone()),
            raw: w.text,
            phase: def.map(|d| d.phase),
            pos: w.pos,
        }
    })
}

/// The dates written; `review` falls `review_days` after `shipped` when not written.
fn dates(f: &mut Fields<'_>, review_days: i64) -> Dates {
    let mut dates = Dates {
        created: f.date("created"),
        updated: f.date("updated"),
        date: f.date("date"),
        target: f.date("target"),
        shipped: f.date("shipped"),
        review: f.date("review"),
    };
    if dates.review.is_none()
        && let Some(shipped) = dates.shipped
    {
        // Checked: the configuration bounds `review_days`, but a date near the end of
        // the calendar plus any period can still leave it.
        dates.review = jiff::Span::new()
            .try_days(review_days)
            .and_then(|period| shipped.checked_add(period))
            .ok();
    }
    dates
}

/// The links to other documents written in the relation fields.
fn relations(f: &mut Fields<'_>, path: &str) -> Vec<Relation> {
    let mut relations = Vec::new();
    for (field, rel, target_kind) in RelationKind::FIELDS {
        for w in f.targets(field) {
            let written = w.text.split('#').next().unwrap_or("");
            // A markdown file, or a spec's folder (`/specs/area/583-name`).
            let is_path = crate::load::is_markdown(written)
                || (written.contains('/') && !written.contains("://"));
            relations.push(Relation {
                kind: *rel,
                path: is_path
                    .then(|| crate::paths::join_path(path, written.trim_end_matches('/')))
                    .flatten(),
                target: w.text,
                target_kind: *target_kind,
                pos: w.pos,
            });
        }
    }
    relations
}

/// The fields a document of `kind` may have; others are kept for templates.
fn known_fields(kind: Kind) -> Vec<&'static str> {
    COMMON_FIELDS
        .iter()
        .chain(match kind {
            Kind::Feature => FEATURE_FIELDS,
            Kind::Decision => DECISION_FIELDS,
            Kind::Roadmap => ROADMAP_FIELDS,
            Kind::Page => &[],
        })
        .copied()
        .collect()
}

impl Document {
    /// Where the status is written and how long it is; the file as a whole when there
    /// is none.
    pub fn status_place(&self) -> (Pos, usize) {
        self.status
            .as_ref()
            .map_or((Pos::default(), 1), |s| (s.pos, s.raw.chars().count()))
    }
}

/// Outcome rules that look at one feature at a time. They depend on the document
/// alone, so they run here, per file, and `serve` keeps their results with the document
/// instead of recomputing thousands of them on every save.
fn outcome_rules(doc: &Document, diags: &mut Vec<Diagnostic>) {
    if doc.kind != Kind::Feature {
        return;
    }
    let shipped = doc.status.as_ref().and_then(|s| s.phase) == Some(Phase::Done);
    if shipped && doc.metrics.is_empty() {
        let (pos, span) = doc.status_place();
        diags.push(
            Diagnostic::new(
                Rule::MissingMetrics,
                &doc.source,
                format!("'{}' has shipped but has no metric goals", doc.id),
            )
            .at(pos)
            .span(span)
            .help("add `metrics:` with the goal this feature was built to move"),
        );
    }
    for m in &doc.metrics {
        if m.actual.is_some() && m.measured.is_none() {
            diags.push(
                Diagnostic::new(
                    Rule::MetricUnmeasured,
                    &doc.source,
                    format!(
                        "the metric '{}' has an actual value but no `measured` date",
                        m.name
                    ),
                )
                .at(m.actual_written.as_ref().map_or(m.pos, |w| w.pos))
                .span(
                    m.actual_written
                        .as_ref()
                        .map_or(1, |w| w.text.chars().count()),
                )
                .help("add `measured: YYYY-MM-DD` with the day the actual was read"),
            );
        }
        if m.verdict == Some(Verdict::Overdue) {
            diags.push(
                Diagnostic::new(
                    Rule::ReviewOverdue,
                    &doc.source,
                    format!(
                        "the review of '{}' was due on {} and the metric '{}' has no actual",
                        doc.id,
                        doc.dates.review.map(|d| d.to_string()).unwrap_or_default(),
                        m.name
                    ),
                )
                .at(m.pos)
                .span(m.name.chars().count())
                .help("measure it and add `actual:` and `measured:`"),
            );
        }
    }
}

/// The diagnostic for a status outside the kind's vocabulary: a likely typo of a known
/// status in front matter (`unknown-status`, an error) or a value the vocabulary does
/// not map (`unmapped-status`, a warning: the document is listed under the text as
/// written). A typo in prose (a `## Status` section) is `unmapped-status` too, so a
/// repo adopted as it is still builds.
fn status_diagnostic(
    path: &str,
    kind: Kind,
    vocab: &[crate::config::StatusDef],
    w: &Written,
    from_data: bool,
) -> Diagnostic {
    let names: Vec<&str> = vocab.iter().map(|s| s.name.as_str()).collect();
    let (rule, message, help) = match closest(&w.text, names.iter().copied()) {
        Some(c) => (
            if from_data {
                Rule::UnknownStatus
            } else {
                Rule::UnmappedStatus
            },
            format!("unknown {} status '{}'", kind.as_str(), w.text),
            format!(
                "did you mean '{c}'? The {} statuses are: {}",
                kind.as_str(),
                names.join(", ")
            ),
        ),
        None => (
            Rule::UnmappedStatus,
            format!(
                "the {} status '{}' maps to none of: {}",
                kind.as_str(),
                w.text,
                names.join(", ")
            ),
            format!(
                "add it (or a pattern such as \"{} *\") to the `aliases` of a status under [[statuses.{}]] in specsite.toml",
                w.text
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_lowercase(),
                kind.as_str()
            ),
        ),
    };
    Diagnostic::new(rule, path, message)
        .at(w.pos)
        .span(w.text.chars().count())
        .help(help)
}

/// A title without a leading number that repeats the id's (`0009. Translations` for
/// id 0009, `39. Domain policy` for id 0039, `ADR-7: Logging` for id adr-007): the page
/// shows the id beside the title already.
fn without_id_number<'t>(title: &'t str, id: &str) -> &'t str {
    let number = |s: &str| -> Option<u64> {
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    let Some(id_number) = number(id) else {
        return title;
    };
    // An optional word before the number (`ADR`, `RFC-`, `#`), as ids write it.
    let start = title.find(|c: char| c.is_ascii_digit()).filter(|&i| {
        let prefix = &title[..i];
        prefix.len() <= 5
            && prefix
                .chars()
                .all(|c| c.is_ascii_alphabetic() || matches!(c, '-' | ' ' | '#' | '_'))
    });
    let Some(start) = start else {
        return title;
    };
    let end = title[start..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(title.len(), |e| start + e);
    let rest = &title[end..];
    // The number must end at a punctuation separator (`. `, `: `, ` - `), not run into
    // a word (`3D printing`, `2024 roadmap`) or a version (`2.0 plans`).
    let after_spaces = rest.trim_start_matches(' ');
    let separated = after_spaces.starts_with([':', ')', '-', '–', '—'])
        || (after_spaces.starts_with('.')
            && !after_spaces[1..].starts_with(|c: char| c.is_ascii_digit()));
    if !separated || number(&title[start..end]) != Some(id_number) {
        return title;
    }
    rest.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '.' | ':' | ')' | '-' | '–' | '—')
    })
}

/// "0003-use-postgres" → "0003 use postgres".
fn humanise(stem: &str) -> String {
    let s = stem.replace(['-', '_'], " ");
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => "Untitled".into(),
    }
}

fn horizons(body: &Body, today: Date) -> Vec<Horizon> {
    body.sections
        .iter()
        .map(|s| Horizon {
            title: s.title.clone(),
            anchor: s.anchor.clone(),
            when: when_of(&s.title, today),
            items: s
                .items
                .iter()
                .map(|i| RoadmapItem {
                    text: i.text.clone(),
                    link: i.link,
                    pos: i.pos,
                })
                .collect(),
        })
        .collect()
}

/// Reads a section title as a horizon: Now / Next / Later, or a quarter or half-year
/// placed relative to today.
pub fn when_of(title: &str, today: Date) -> When {
    let lower = title.trim().to_lowercase();
    let word = lower.split_whitespace().next().unwrap_or("");
    match word.trim_matches(|c: char| !c.is_alphanumeric()) {
        "now" | "current" => return When::Now,
        "next" => return When::Next,
        "later" | "future" | "someday" => return When::Later,
        "done" | "shipped" | "past" => return When::Past,
        _ => {}
    }
    // "2026 Q3", "Q3 2026", "2026-Q3", "2026 H2".
    let tokens: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .filter(|t| !t.is_empty())
        .collect();
    let year = tokens
        .iter()
        .find_map(|t| t.parse::<i16>().ok().filter(|y| (1990..=2200).contains(y)));
    let part = tokens.iter().find_map(|t| {
        let (kind, n) = t.split_at_checked(1)?;
        let n: i8 = n.parse().ok()?;
        match (kind, n) {
            ("q", 1..=4) => Some((3 * (n - 1) + 1, 3 * n)),
            ("h", 1..=2) => Some((6 * (n - 1) + 1, 6 * n)),
            _ => None,
        }
    });
    let Some(year) = year else {
        return When::Other;
    };
    let (first, last) = part.unwrap_or((1, 12));
    let (y, m) = (today.year(), today.month());
    if (year, last) < (y, m) {
        When::Past
    } else if (year, first) <= (y, m) {
        When::Now
    } else if (i32::from(year) * 12 + i32::from(first)) - (i32::from(y) * 12 + i32::from(m)) <= 6 {
        // Starts within half a year.
        When::Next
    } else {
        When::Later
    }
}

#[cfg(test)]
mod tests;
