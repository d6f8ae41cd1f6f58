//! Configuration: the optional `specsite.toml` at the root of SOURCE, with defaults that
//! make a repo without one build as users expect.

use crate::diagnostic::{Diagnostic, Level, Pos, Rule};
use crate::text::LineIndex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The file name of the configuration at the root of SOURCE.
pub const CONFIG_FILE: &str = "specsite.toml";
/// The optional list of people at the root of SOURCE.
pub const PEOPLE_FILE: &str = "people.toml";

/// The kinds of document specsite knows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A product requirement document.
    Feature,
    /// A decision record (ADR).
    Decision,
    /// A roadmap of features by horizon.
    Roadmap,
    /// Any other markdown page.
    #[default]
    Page,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Feature, Kind::Decision, Kind::Roadmap, Kind::Page];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Feature => "feature",
            Kind::Decision => "decision",
            Kind::Roadmap => "roadmap",
            Kind::Page => "page",
        }
    }

    /// Accepts the kind names and the usual synonyms teams write in `kind:`.
    pub fn parse(raw: &str) -> Option<Kind> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "feature" | "prd" | "spec" | "features" => Some(Kind::Feature),
            "decision" | "adr" | "decisions" => Some(Kind::Decision),
            "roadmap" | "roadmaps" => Some(Kind::Roadmap),
            "page" | "doc" | "pages" => Some(Kind::Page),
            _ => None,
        }
    }

    /// The top folder of this kind's pages in the site, `None` for plain pages, which
    /// keep their source path.
    pub fn url_folder(self) -> Option<&'static str> {
        match self {
            Kind::Feature => Some("features"),
            Kind::Decision => Some("decisions"),
            Kind::Roadmap => Some("roadmaps"),
            Kind::Page => None,
        }
    }

    /// A plural label for headings.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Feature => "Features",
            Kind::Decision => "Decisions",
            Kind::Roadmap => "Roadmaps",
            Kind::Page => "Pages",
        }
    }
}

/// Where a status sits in a document's life. Rules and dashboards reason about phases,
/// so a team can name its statuses as it likes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Being written or discussed; not agreed.
    Draft,
    /// Agreed, not started.
    Planned,
    /// Being built.
    Active,
    /// Shipped or decided: outcomes apply.
    Done,
    /// Ended: sunset, rejected, deprecated, superseded.
    Closed,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Draft => "draft",
            Phase::Planned => "planned",
            Phase::Active => "active",
            Phase::Done => "done",
            Phase::Closed => "closed",
        }
    }
}

/// One status of a kind's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusDef {
    pub name: String,
    pub phase: Phase,
    /// The badge's colour (it goes into a `style` attribute): see [`is_colour`].
    #[serde(
        default = "default_colour",
        alias = "color",
        deserialize_with = "checked_colour"
    )]
    pub colour: String,
    /// Other spellings that mean this status (matched case-insensitively).
    #[serde(default)]
    pub aliases: Vec<String>,
}

fn default_colour() -> String {
    "#6b7280".into()
}

fn status(name: &str, phase: Phase, colour: &str, aliases: &[&str]) -> StatusDef {
    StatusDef {
        name: name.into(),
        phase,
        colour: colour.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
    }
}

/// The ordered status vocabularies, one per kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Statuses {
    pub feature: Vec<StatusDef>,
    pub decision: Vec<StatusDef>,
    pub roadmap: Vec<StatusDef>,
}

impl Default for Statuses {
    fn default() -> Self {
        use Phase::*;
        Statuses {
            feature: vec![
                status("draft", Draft, "#6b7280", &["idea", "proposed"]),
                status("review", Draft, "#b45309", &["in review", "in-review"]),
                status("approved", Planned, "#2563eb", &["accepted", "planned"]),
                status(
                    "in-progress",
                    Active,
                    "#7c3aed",
                    &["in progress", "building", "wip"],
                ),
                status(
                    "shipped",
                    Done,
                    "#15803d",
                    &["released", "done", "launched"],
                ),
                status("sunset", Closed, "#475569", &["retired", "deprecated"]),
                status("cancelled", Closed, "#b91c1c", &["canceled", "rejected"]),
            ],
            decision: vec![
                status("proposed", Draft, "#b45309", &["draft", "pending"]),
                status("accepted", Done, "#15803d", &["approved", "decided"]),
                status("rejected", Closed, "#b91c1c", &["declined"]),
                status("deprecated", Closed, "#475569", &[]),
                status("superseded", Closed, "#6b7280", &[]),
            ],
            roadmap: vec![
                status("draft", Draft, "#6b7280", &[]),
                status("active", Active, "#2563eb", &["current"]),
                status("archived", Closed, "#475569", &["done"]),
            ],
        }
    }
}

impl Statuses {
    /// The vocabulary of a kind; empty for plain pages, whose status is free text.
    pub fn of(&self, kind: Kind) -> &[StatusDef] {
        match kind {
            Kind::Feature => &self.feature,
            Kind::Decision => &self.decision,
            Kind::Roadmap => &self.roadmap,
            Kind::Page => &[],
        }
    }

    /// Finds the status a raw value names, by name or alias, ignoring case and the
    /// difference between spaces, `_` and `-`. An alias may hold `*` wildcards
    /// (`superseded by *`, `Implemented (*)`). Exact names and aliases win over
    /// patterns, so a broad pattern never hides a status named outright.
    pub fn lookup(&self, kind: Kind, raw: &str) -> Option<usize> {
        let wanted = normalise_status(raw);
        let vocab = self.of(kind);
        vocab
            .iter()
            .position(|s| {
                normalise_status(&s.name) == wanted
                    || s.aliases.iter().any(|a| normalise_status(a) == wanted)
            })
            .or_else(|| {
                vocab.iter().position(|s| {
                    s.aliases
                        .iter()
                        .any(|a| a.contains('*') && glob_match(&normalise_status(a), &wanted))
                })
            })
    }
}

/// A status as [`Statuses::lookup`] compares it.
pub fn normalise_status(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    // Runs of spaces, `_` and `-` count as one separator.
    for c in raw.trim().chars() {
        match c {
            '_' | '-' | ' ' | '\t' => {
                if !out.ends_with('-') {
                    out.push('-');
                }
            }
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Matches `text` against `pattern`, where `*` stands for any run of characters.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, rest) = match parts.split_first() {
        Some(p) => p,
        None => return text.is_empty(),
    };
    let Some(mut remaining) = text.strip_prefix(first) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return remaining.is_empty();
    };
    for part in middle {
        match remaining.find(part) {
            Some(i) => remaining = &remaining[i + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last)
}

/// Markdown rendering options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownOptions {
    /// Pass raw HTML in specs through as written. Off by default: specs are written by
    /// many hands and the site is often published where scripts matter, so raw HTML is
    /// cut down to a safe subset (`parse::sanitize`), with an `html-removed` warning for
    /// what goes. HTML comments are dropped either way.
    pub allow_html: bool,
    /// Curly quotes and dashes.
    pub smart_punctuation: bool,
    /// Highlight fenced code blocks.
    pub highlight: bool,
    /// Read `[[id]]` and `[[id|text]]` as links to documents. Turn off for repos whose
    /// prose uses double brackets for something else.
    pub wiki_links: bool,
    /// A body larger than this many bytes is not rendered as markdown but shown as
    /// escaped plain text (with a `document-too-large` warning), so that no single file
    /// can take more than a fraction of a second or hundreds of megabytes to build. A
    /// size, not a time, so output never depends on the machine.
    pub max_render_bytes: usize,
}

/// The default of `markdown.max_render_bytes`, set by the worst input per byte, not the
/// usual one (`scripts/limits.sh`, on a shared 2-core machine): a dense spec (a heading,
/// a list, a table and a code block every few lines) builds at some 5 MB a second, but
/// text where nearly every character is a node of its own (`a*a*a*…`, `<<<…`) at 2 MB a
/// second and 250 bytes of syntax tree per byte. At 1 MiB the worst takes about half a
/// second and 250 MB; a real spec is a few dozen kilobytes.
pub const DEFAULT_MAX_RENDER_BYTES: usize = 1024 * 1024;

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            allow_html: false,
            smart_punctuation: false,
            highlight: true,
            wiki_links: true,
            max_render_bytes: DEFAULT_MAX_RENDER_BYTES,
        }
    }
}

/// A rule's level as written in `[rules]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Error,
    Warning,
    Off,
}

/// The longest `review_days` accepted: a hundred years, well inside the dates
/// specsite can compute.
pub const MAX_REVIEW_DAYS: i64 = 36_525;

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The site's title, shown in the header.
    pub title: String,
    /// A line under the title on the home page.
    pub description: String,
    /// Where the site is published; used for absolute URLs (sitemap, feeds). An http
    /// or https URL, or a path.
    #[serde(deserialize_with = "checked_base_url")]
    pub base_url: String,
    /// The repository's web address, for "edit this page" links (http or https).
    #[serde(deserialize_with = "checked_repository")]
    pub repository: Option<String>,
    /// The branch edit links point at.
    pub branch: String,
    /// Days after shipping when a feature's metric goals are due.
    pub review_days: i64,
    /// The theme: `default` (built in) or the name of a folder under SOURCE/themes/;
    /// a name, never a path (see [`is_theme_name`]).
    #[serde(deserialize_with = "checked_theme")]
    pub theme: String,
    /// Paths (relative to SOURCE) that are never read. Folders end with `/`.
    pub ignore: Vec<String>,
    /// Folder → kind, or → a table with the kind, an id pattern and default field
    /// values. A document in a folder whose path contains one of these (at folder
    /// boundaries) gets that kind unless its metadata says otherwise; the longest match
    /// wins. Entries here are added to the defaults.
    pub folders: BTreeMap<String, FolderRule>,
    /// Field → the other names a repo writes it under (`owner = ["author",
    /// "decision-makers"]`). Added to the built-in aliases; matched case-insensitively
    /// and ignoring the difference between spaces, `_` and `-`.
    pub aliases: BTreeMap<String, Vec<String>>,
    /// The name of a YAML metadata file next to a document (`metadata.yml`), for repos
    /// with one folder per spec. Read for the folder's README.md or index.md, or for its
    /// only markdown file.
    pub sidecar: Option<String>,
    pub statuses: Statuses,
    pub markdown: MarkdownOptions,
    /// Rule id → level, overriding the defaults.
    pub rules: BTreeMap<String, RuleLevel>,
    /// Entries per page of a paginated index.
    pub page_size: usize,
    pub history: HistoryOptions,
    pub search: SearchOptions,
}

/// `[search]`: the site's full-text search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchOptions {
    /// Build the search index and show the search box. Off for a site searched some
    /// other way (or not at all): no `search/` folder, and builds skip the index's
    /// cost (at 10,000 documents, about a sixth of a build and a fifth of its files).
    pub enabled: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { enabled: true }
    }
}

/// `[history]`: what the git history of SOURCE is used for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HistoryOptions {
    /// Read the git history (dates, authors, status timelines). Off: front matter only.
    pub enabled: bool,
    /// A document is stale when it has not changed for this many days while in an
    /// active status.
    pub stale_days: i64,
    /// The statuses in which a document can go stale. Empty: every status whose phase
    /// is draft, planned or active.
    pub active: Vec<String>,
}

impl Default for HistoryOptions {
    fn default() -> Self {
        HistoryOptions {
            enabled: true,
            stale_days: 90,
            active: Vec::new(),
        }
    }
}

impl HistoryOptions {
    /// Whether a document in this status can go stale.
    pub fn is_active(
        &self,
        statuses: &Statuses,
        kind: Kind,
        name: &str,
        phase: Option<Phase>,
    ) -> bool {
        if self.active.is_empty() {
            return matches!(phase, Some(Phase::Draft | Phase::Planned | Phase::Active));
        }
        self.active.iter().any(|a| {
            normalise_status(a) == normalise_status(name)
                || statuses
                    .lookup(kind, a)
                    .is_some_and(|i| statuses.of(kind)[i].name == name)
        })
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Product specs".into(),
            description: String::new(),
            base_url: "/".into(),
            repository: None,
            branch: "main".into(),
            review_days: 90,
            theme: "default".into(),
            ignore: Vec::new(),
            folders: BTreeMap::new(),
            aliases: BTreeMap::new(),
            sidecar: None,
            statuses: Statuses::default(),
            markdown: MarkdownOptions::default(),
            rules: BTreeMap::new(),
            page_size: 100,
            history: HistoryOptions::default(),
            search: SearchOptions::default(),
        }
    }
}

/// What a folder says about the documents in it: `"feature"` alone, or a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FolderRule {
    Kind(Kind),
    Table(FolderTable),
}

/// `[folders."EIPS"]`: the kind, how ids are made from file names, and field values
/// documents get when their metadata has none.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FolderTable {
    pub kind: Option<Kind>,
    /// The id of a document whose metadata gives none, from its file name:
    /// `{number}` (the leading number, `adr-015-x.md` → 015), `{slug}` (the name
    /// without a leading number or date) and `{stem}` (the whole name), e.g.
    /// `"RFC-{number}"`.
    pub id: Option<String>,
    /// Field → value for documents that do not set the field (`status = "accepted"`).
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
}

impl FolderRule {
    pub fn kind(&self) -> Option<Kind> {
        match self {
            FolderRule::Kind(k) => Some(*k),
            FolderRule::Table(t) => t.kind,
        }
    }

    pub fn table(&self) -> Option<&FolderTable> {
        match self {
            FolderRule::Kind(_) => None,
            FolderRule::Table(t) => Some(t),
        }
    }
}

/// The folders that give a kind when the configuration says nothing.
pub const DEFAULT_FOLDERS: &[(&str, Kind)] = &[
    ("features", Kind::Feature),
    ("prds", Kind::Feature),
    ("specs", Kind::Feature),
    ("decisions", Kind::Decision),
    ("adr", Kind::Decision),
    ("adrs", Kind::Decision),
    ("docs/adr", Kind::Decision),
    ("doc/adr", Kind::Decision),
    ("roadmaps", Kind::Roadmap),
];

/// Separates a value check's message from its help in a deserialization error, which
/// carries one text; [`read_toml`] splits them again.
const HELP_SEPARATOR: &str = "\u{1f}help:";

/// A deserialization error with a help line, for [`read_toml`] to show.
fn invalid<E: serde::de::Error>(message: String, help: &str) -> E {
    E::custom(format!("{message}{HELP_SEPARATOR}{help}"))
}

/// Whether a theme name is a name: ASCII letters, digits, `-` and `_`, so that it can
/// only ever name a folder under SOURCE/themes/ (no `/`, `..` or absolute path).
pub fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn checked_theme<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let name = String::deserialize(d)?;
    if is_theme_name(&name) {
        return Ok(name);
    }
    Err(invalid(
        format!("theme '{name}' is not a theme name"),
        "a theme is named by its folder under themes/: letters, digits, `-` and `_` (theme = \"mine\" for themes/mine/templates/), never a path",
    ))
}

/// Checks a configured address of the site (`base_url`, `repository`, `--base-url`):
/// an http or https URL, or a path. Returns the message and help when it is not.
pub fn check_site_url(key: &str, url: &str) -> Result<(), (String, &'static str)> {
    if crate::url::has_scheme_in(url, crate::url::WEB_SCHEMES) {
        return Ok(());
    }
    Err((
        format!("`{key}` must be an http or https URL: '{url}'"),
        "write the address as https://… (pages link to it, so other schemes are refused)",
    ))
}

fn checked_base_url<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let url = String::deserialize(d)?;
    check_site_url("base_url", &url).map_err(|(m, h)| invalid(m, h))?;
    Ok(url)
}

fn checked_repository<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let url = String::deserialize(d)?;
    check_site_url("repository", &url).map_err(|(m, h)| invalid(m, h))?;
    Ok(Some(url))
}

/// The CSS named colours (CSS Color Module Level 4), lower case.
const COLOUR_NAMES: &[&str] = &[
    "aliceblue",
    "antiquewhite",
    "aqua",
    "aquamarine",
    "azure",
    "beige",
    "bisque",
    "black",
    "blanchedalmond",
    "blue",
    "blueviolet",
    "brown",
    "burlywood",
    "cadetblue",
    "chartreuse",
    "chocolate",
    "coral",
    "cornflowerblue",
    "cornsilk",
    "crimson",
    "cyan",
    "darkblue",
    "darkcyan",
    "darkgoldenrod",
    "darkgray",
    "darkgreen",
    "darkgrey",
    "darkkhaki",
    "darkmagenta",
    "darkolivegreen",
    "darkorange",
    "darkorchid",
    "darkred",
    "darksalmon",
    "darkseagreen",
    "darkslateblue",
    "darkslategray",
    "darkslategrey",
    "darkturquoise",
    "darkviolet",
    "deeppink",
    "deepskyblue",
    "dimgray",
    "dimgrey",
    "dodgerblue",
    "firebrick",
    "floralwhite",
    "forestgreen",
    "fuchsia",
    "gainsboro",
    "ghostwhite",
    "gold",
    "goldenrod",
    "gray",
    "green",
    "greenyellow",
    "grey",
    "honeydew",
    "hotpink",
    "indianred",
    "indigo",
    "ivory",
    "khaki",
    "lavender",
    "lavenderblush",
    "lawngreen",
    "lemonchiffon",
    "lightblue",
    "lightcoral",
    "lightcyan",
    "lightgoldenrodyellow",
    "lightgray",
    "lightgreen",
    "lightgrey",
    "lightpink",
    "lightsalmon",
    "lightseagreen",
    "lightskyblue",
    "lightslategray",
    "lightslategrey",
    "lightsteelblue",
    "lightyellow",
    "lime",
    "limegreen",
    "linen",
    "magenta",
    "maroon",
    "mediumaquamarine",
    "mediumblue",
    "mediumorchid",
    "mediumpurple",
    "mediumseagreen",
    "mediumslateblue",
    "mediumspringgreen",
    "mediumturquoise",
    "mediumvioletred",
    "midnightblue",
    "mintcream",
    "mistyrose",
    "moccasin",
    "navajowhite",
    "navy",
    "oldlace",
    "olive",
    "olivedrab",
    "orange",
    "orangered",
    "orchid",
    "palegoldenrod",
    "palegreen",
    "paleturquoise",
    "palevioletred",
    "papayawhip",
    "peachpuff",
    "peru",
    "pink",
    "plum",
    "powderblue",
    "purple",
    "rebeccapurple",
    "red",
    "rosybrown",
    "royalblue",
    "saddlebrown",
    "salmon",
    "sandybrown",
    "seagreen",
    "seashell",
    "sienna",
    "silver",
    "skyblue",
    "slateblue",
    "slategray",
    "slategrey",
    "snow",
    "springgreen",
    "steelblue",
    "tan",
    "teal",
    "thistle",
    "tomato",
    "transparent",
    "turquoise",
    "violet",
    "wheat",
    "white",
    "whitesmoke",
    "yellow",
    "yellowgreen",
];

/// Whether `text` is a colour a status badge may have: `#rgb` or `#rrggbb` in hex
/// digits, or a CSS named colour (any case). Nothing else reaches a `style` attribute.
pub fn is_colour(text: &str) -> bool {
    match text.strip_prefix('#') {
        Some(hex) => matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        None => COLOUR_NAMES.contains(&text.to_ascii_lowercase().as_str()),
    }
}

fn checked_colour<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let colour = String::deserialize(d)?;
    if is_colour(&colour) {
        return Ok(colour);
    }
    Err(invalid(
        format!("'{colour}' is not a colour"),
        "write #rgb or #rrggbb in hex (#15803d) or a CSS colour name (green)",
    ))
}

/// Deserializes a TOML file of the site's machinery (configuration, people), turning
/// a syntax or shape error into a `config` diagnostic at its line and column.
pub fn read_toml<T: serde::de::DeserializeOwned>(
    text: &str,
    file: &str,
    help: &str,
) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        let pos = e
            .span()
            .map(|s| LineIndex::new(text).pos(s.start))
            .unwrap_or_default();
        let (message, help) = e
            .message()
            .split_once(HELP_SEPARATOR)
            .unwrap_or((e.message(), help));
        Diagnostic::new(Rule::Config, file, message.trim().to_string())
            .at(pos)
            .help(help)
    })
}

impl Config {
    /// Reads the configuration: `explicit` when given (`--config`), else
    /// `SOURCE/specsite.toml`, else the defaults.
    pub fn load(source: &Path, explicit: Option<&Path>) -> Result<Config, Diagnostic> {
        let (path, shown) = match explicit {
            // A file outside SOURCE is named by its absolute path, which output keeps as
            // it is (SOURCE-relative paths get the SOURCE folder put in front).
            Some(p) => (
                p.to_path_buf(),
                std::path::absolute(p)
                    .unwrap_or_else(|_| p.to_path_buf())
                    .display()
                    .to_string(),
            ),
            None => (source.join(CONFIG_FILE), CONFIG_FILE.to_string()),
        };
        // SOURCE's own file must stay inside SOURCE (a link to /proc/self/environ would
        // print its first line in the parse error); a file named with --config is the
        // user's choice.
        let inside = explicit.is_none().then_some(source);
        let bytes =
            match crate::files::read_checked(&path, inside, crate::files::MAX_MACHINERY_BYTES) {
                Ok(b) => b,
                Err(crate::files::Refused::NotFound) if explicit.is_none() => {
                    return Ok(Config::default());
                }
                Err(refused) => return Err(refused.diagnostic(Rule::Config, &shown)),
            };
        let text = crate::files::utf8(bytes, &shown)?;
        Config::parse(&text, &shown)
    }

    /// Parses configuration text; `file` names it in diagnostics.
    pub fn parse(text: &str, file: &str) -> Result<Config, Diagnostic> {
        let mut config: Config =
            read_toml(text, file, "docs/configuration.md describes every key")?;
        config.normalise();
        for rule in config.rules.keys() {
            if let Err(unknown) = rule.parse::<Rule>() {
                return Err(Diagnostic::new(Rule::Config, file, unknown.to_string())
                    .at(Pos::new(line_of_key(text, rule), 1))
                    .help("`specsite check --help` lists the rule ids"));
            }
        }
        if !(0..=MAX_REVIEW_DAYS).contains(&config.review_days) {
            return Err(Diagnostic::new(
                Rule::Config,
                file,
                format!(
                    "`review_days` is {}, outside 0 to {MAX_REVIEW_DAYS} (a hundred years)",
                    config.review_days
                ),
            )
            .at(Pos::new(line_of_key(text, "review_days"), 1))
            .help("set the days after shipping when metric goals are due, for example `review_days = 90`"));
        }
        if config.markdown.max_render_bytes == 0 {
            return Err(Diagnostic::new(
                Rule::Config,
                file,
                "`max_render_bytes` must be at least 1",
            )
            .at(Pos::new(line_of_key(text, "max_render_bytes"), 1))
            .help(format!(
                "leave it out for the default, {DEFAULT_MAX_RENDER_BYTES} bytes, or set a larger size"
            )));
        }
        Ok(config)
    }

    fn normalise(&mut self) {
        if !self.base_url.ends_with('/') {
            self.base_url.push('/');
        }
        if let Some(repo) = &mut self.repository {
            while repo.ends_with('/') {
                repo.pop();
            }
        }
        if self.page_size == 0 {
            self.page_size = 100;
        }
    }

    /// The level a rule reports at, `None` when it is turned off.
    pub fn level_of(&self, rule: Rule) -> Option<Level> {
        match self.rules.get(rule.as_str()) {
            Some(RuleLevel::Error) => Some(Level::Error),
            Some(RuleLevel::Warning) => Some(Level::Warning),
            Some(RuleLevel::Off) => None,
            None => Some(rule.default_level()),
        }
    }

    /// Applies the configured levels: changes each diagnostic's level and drops those of
    /// rules turned off.
    pub fn apply_levels(&self, diags: &mut Vec<Diagnostic>) {
        diags.retain_mut(|d| match self.level_of(d.rule) {
            Some(level) => {
                d.level = level;
                true
            }
            None => false,
        });
    }

    /// The kind a document gets from its folder, `dir` being its folder relative to
    /// SOURCE with `/` separators.
    pub fn kind_of_folder(&self, dir: &str) -> Option<Kind> {
        let defaults = DEFAULT_FOLDERS.iter().map(|(f, k)| (*f, Some(*k)));
        let configured = self.folders.iter().map(|(f, r)| (f.as_str(), r.kind()));
        // Configured entries come after the defaults so that, at equal length, they win.
        longest_folder_match(
            dir,
            defaults
                .chain(configured)
                .filter_map(|(f, k)| Some((f, k?))),
        )
    }

    /// The configured table of the folder `dir` is in (longest match), for id patterns
    /// and default values.
    pub fn folder_table(&self, dir: &str) -> Option<&FolderTable> {
        let tables = self
            .folders
            .iter()
            .filter_map(|(f, r)| Some((f.as_str(), r.table()?)));
        longest_folder_match(dir, tables)
    }

    /// Whether SOURCE-relative `path` is excluded by `ignore`.
    pub fn is_ignored(&self, path: &str) -> bool {
        self.ignore.iter().any(|pattern| {
            let p = pattern.trim_start_matches("./");
            if let Some(dir) = p.strip_suffix('/') {
                path == dir || path.starts_with(p)
            } else {
                path == p || path.starts_with(&format!("{p}/"))
            }
        })
    }
}

/// The first line (from 1) of `text` that starts with `key`, quoted or not; 0 when none.
fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| l.trim_start().trim_start_matches('"').starts_with(key))
        .map(|i| i + 1)
        .unwrap_or(0)
}

/// The value of the longest folder pattern that `dir` contains at folder boundaries;
/// at equal length the later entry wins.
fn longest_folder_match<'a, T>(
    dir: &str,
    entries: impl Iterator<Item = (&'a str, T)>,
) -> Option<T> {
    let segments: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let mut best: Option<(usize, T)> = None;
    for (folder, value) in entries {
        // `"."` (or `""`) is the whole repo, the weakest match.
        let pattern: Vec<&str> = folder
            .split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .collect();
        if pattern.is_empty() {
            if best.is_none() {
                best = Some((0, value));
            }
            continue;
        }
        if pattern.len() > segments.len() {
            continue;
        }
        let matches = segments.windows(pattern.len()).any(|w| {
            w.iter()
                .zip(&pattern)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
        });
        if matches && best.as_ref().is_none_or(|(len, _)| pattern.len() >= *len) {
            best = Some((pattern.len(), value));
        }
    }
    best.map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_gives_defaults() {
        let c = Config::parse("", "specsite.toml").unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.review_days, 90);
    }

    #[test]
    fn unknown_key_is_reported_with_line_and_column() {
        let err = Config::parse("title = \"x\"\nreveiw_days = 3\n", "specsite.toml").unwrap_err();
        assert_eq!(err.rule, Rule::Config);
        assert_eq!((err.line, err.column), (2, 1));
        assert!(err.message.contains("reveiw_days"), "{}", err.message);
    }

    #[test]
    fn unknown_rule_is_reported() {
        let err = Config::parse("[rules]\nbroken-lnk = \"off\"\n", "specsite.toml").unwrap_err();
        assert!(err.message.contains("broken-lnk"));
        assert_eq!(err.line, 2);
    }

    #[test]
    fn render_limit_is_read_and_must_be_positive() {
        let c = Config::parse("[markdown]\nmax_render_bytes = 1000\n", "specsite.toml").unwrap();
        assert_eq!(c.markdown.max_render_bytes, 1000);
        let err = Config::parse("[markdown]\nmax_render_bytes = 0\n", "specsite.toml").unwrap_err();
        assert_eq!((err.rule, err.line), (Rule::Config, 2));
        let err =
            Config::parse("[markdown]\nmax_render_bytes = -1\n", "specsite.toml").unwrap_err();
        assert_eq!((err.rule, err.line, err.column), (Rule::Config, 2, 20));
    }

    #[test]
    fn folder_kinds_match_at_segment_boundaries_and_longest_wins() {
        let mut c = Config::default();
        assert_eq!(c.kind_of_folder("features"), Some(Kind::Feature));
        assert_eq!(c.kind_of_folder("prds/payments"), Some(Kind::Feature));
        assert_eq!(
            c.kind_of_folder("packages/core/docs/adr"),
            Some(Kind::Decision)
        );
        assert_eq!(c.kind_of_folder("myfeatures"), None);
        assert_eq!(c.kind_of_folder(""), None);
        c.folders
            .insert("features/archive".into(), FolderRule::Kind(Kind::Page));
        assert_eq!(c.kind_of_folder("features/archive/old"), Some(Kind::Page));
        c.folders
            .insert("EIPS".into(), FolderRule::Kind(Kind::Feature));
        assert_eq!(c.kind_of_folder("misc"), None);
        c.folders
            .insert(".".into(), FolderRule::Kind(Kind::Decision));
        assert_eq!(c.kind_of_folder(""), Some(Kind::Decision));
        assert_eq!(c.kind_of_folder("features"), Some(Kind::Feature));
        assert_eq!(c.kind_of_folder("EIPS"), Some(Kind::Feature));
    }

    #[test]
    fn status_lookup_ignores_case_separators_and_knows_aliases() {
        let s = Statuses::default();
        let names = |k, raw| s.lookup(k, raw).map(|i| s.of(k)[i].name.clone());
        assert_eq!(
            names(Kind::Feature, "In Progress").as_deref(),
            Some("in-progress")
        );
        assert_eq!(names(Kind::Feature, "SHIPPED").as_deref(), Some("shipped"));
        assert_eq!(names(Kind::Feature, "released").as_deref(), Some("shipped"));
        assert_eq!(
            names(Kind::Decision, "Accepted").as_deref(),
            Some("accepted")
        );
        assert_eq!(names(Kind::Decision, "shiped"), None);
    }

    #[test]
    fn status_aliases_may_be_patterns_and_exact_aliases_win() {
        let c = Config::parse(
            "[[statuses.decision]]\nname = \"accepted\"\nphase = \"done\"\naliases = [\"Implemented (*)\"]\n\n[[statuses.decision]]\nname = \"superseded\"\nphase = \"closed\"\naliases = [\"superseded by *\", \"*superseded\"]\n\n[[statuses.decision]]\nname = \"partly\"\nphase = \"active\"\naliases = [\"partly superseded\"]\n",
            "specsite.toml",
        )
        .unwrap();
        let s = &c.statuses;
        let name = |raw| {
            s.lookup(Kind::Decision, raw)
                .map(|i| s.decision[i].name.as_str())
        };
        assert_eq!(name("Superseded by [DNS](0015.md)"), Some("superseded"));
        assert_eq!(name("SUPERSEDED  BY 0004"), Some("superseded"));
        assert_eq!(name("implemented (in 1.2)"), Some("accepted"));
        assert_eq!(name("Partly superseded"), Some("partly"));
        assert_eq!(name("implemented"), None);
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b", "ab-c"));
        assert!(glob_match("*", ""));
    }

    #[test]
    fn folders_take_a_kind_or_a_table_with_id_pattern_and_defaults() {
        let c = Config::parse(
            "[folders]\n\"EIPS\" = \"feature\"\n\n[folders.text]\nkind = \"feature\"\nid = \"RFC-{number}\"\ndefaults = { status = \"accepted\" }\n",
            "specsite.toml",
        )
        .unwrap();
        assert_eq!(c.kind_of_folder("EIPS"), Some(Kind::Feature));
        assert_eq!(c.kind_of_folder("text/3392-x"), Some(Kind::Feature));
        let t = c.folder_table("text/3392-x").unwrap();
        assert_eq!(t.id.as_deref(), Some("RFC-{number}"));
        assert_eq!(t.defaults["status"], "accepted");
        assert!(c.folder_table("EIPS").is_none());
    }

    #[test]
    fn rule_levels_can_be_changed_and_turned_off() {
        let c = Config::parse(
            "[rules]\nunknown-owner = \"error\"\nbroken-link = \"off\"\n",
            "specsite.toml",
        )
        .unwrap();
        let mut d = vec![
            Diagnostic::new(Rule::UnknownOwner, "a.md", "x"),
            Diagnostic::new(Rule::BrokenLink, "a.md", "y"),
            Diagnostic::new(Rule::MissingMetrics, "a.md", "z"),
        ];
        c.apply_levels(&mut d);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].level, Level::Error);
        assert_eq!(d[1].level, Level::Warning);
    }

    #[test]
    fn ignore_matches_files_and_folders() {
        let c = Config {
            ignore: vec!["drafts/".into(), "notes.md".into()],
            ..Config::default()
        };
        assert!(c.is_ignored("drafts/a.md"));
        assert!(c.is_ignored("notes.md"));
        assert!(!c.is_ignored("drafts2/a.md"));
    }
}
