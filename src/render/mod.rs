//! Stage 5, render: turns the linked site into pages. [`routes`] lists every page the
//! site has; [`Renderer::render`] renders one of them. `build` renders all routes in
//! parallel and streams them to the write stage; `serve` renders a route when it is
//! asked for. Every page is built from the link stage's indexes, so no page costs more
//! than what it shows, and index pages paginate so none embeds the whole site.

pub mod api;
pub mod cards;
pub mod feed;
pub mod people_api;
pub mod search;
pub mod theme;
pub mod timeline;
pub mod view;

use crate::config::{Kind, Phase};
use crate::diagnostic::Diagnostic;
use crate::link::{DocId, Site};
use crate::model::metric::Verdict;
use crate::paths::{self, List, paged};
use serde::Serialize;
use std::collections::BTreeMap;
use view::{Card, card, doc_view, person_ref};

/// A page of the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Route {
    Home,
    Doc(DocId),
    /// A paginated list of one kind (`/features/`, `/decisions/`, `/roadmaps/`).
    KindIndex(Kind, usize),
    People,
    /// A person's page: paginated, what they own grouped by kind.
    Person(usize, usize),
    /// Paginated, by status slug.
    Status(String, usize),
    Team(String, usize),
    Tag(String, usize),
    Outcomes(usize),
    Backlog(usize),
    NotFound,
    SpecsJson,
    /// `/api/people.json`.
    PeopleJson,
    Sitemap,
    /// The Atom feed, `/feed.xml`.
    Feed,
    /// A file of the search index (`search/…`), built on first use; see [`search`].
    SearchFile(String),
    /// A file of the theme (`assets/…`).
    ThemeFile(String),
    HighlightCss,
    /// A file of SOURCE that a page links or embeds (source path).
    Asset(String),
}

/// Rendered bytes of a route.
pub type Bytes = Vec<u8>;

impl Route {
    /// The path of the route's file in the output, relative to the site root.
    pub fn path(&self, site: &Site) -> String {
        let dir = |u: String| paths::page_file(&u);
        match self {
            Route::Home => paths::page_file(""),
            Route::Doc(d) => paths::page_file(&site.docs[*d].url),
            Route::KindIndex(k, p) => dir(paged(&paths::kind_index(*k), *p)),
            Route::People => paths::page_file(paths::PEOPLE),
            Route::Person(p, page) => dir(paged(
                &paths::list_url(List::Person, &site.people.list[*p].key),
                *page,
            )),
            Route::Status(s, p) => dir(paged(&paths::list_url(List::Status, s), *p)),
            Route::Team(t, p) => dir(paged(&paths::list_url(List::Team, t), *p)),
            Route::Tag(t, p) => dir(paged(&paths::list_url(List::Tag, t), *p)),
            Route::Outcomes(p) => dir(paged(paths::OUTCOMES, *p)),
            Route::Backlog(p) => dir(paged(paths::BACKLOG, *p)),
            Route::NotFound => "404.html".into(),
            Route::SpecsJson => "api/specs.json".into(),
            Route::PeopleJson => "api/people.json".into(),
            Route::Sitemap => "sitemap.xml".into(),
            Route::Feed => "feed.xml".into(),
            Route::SearchFile(name) => format!("search/{name}"),
            Route::ThemeFile(name) => format!("assets/{name}"),
            Route::HighlightCss => "assets/highlight.css".into(),
            Route::Asset(p) => crate::link::asset_url(p),
        }
    }

    /// Whether the route is an HTML page (listed in the sitemap, gets the live-reload
    /// script in `serve`).
    pub fn is_html(&self) -> bool {
        !matches!(
            self,
            Route::SpecsJson
                | Route::PeopleJson
                | Route::Sitemap
                | Route::Feed
                | Route::SearchFile(_)
                | Route::ThemeFile(_)
                | Route::HighlightCss
                | Route::Asset(_)
        )
    }
}

fn pages(n: usize, size: usize) -> usize {
    n.div_ceil(size.max(1)).max(1)
}

/// Documents on a status page: every kind's documents with that status, specs first.
fn status_docs(site: &Site) -> BTreeMap<String, (String, Vec<DocId>)> {
    by_slug(
        site.graph
            .by_status
            .iter()
            .map(|((_, name), docs)| (name, docs)),
        |name| site.graph.slugs.get(List::Status, name),
    )
}

/// Groups an index keyed by display name by the slugs the link stage decided, so "Data"
/// and "data" share a page.
fn by_slug<'a>(
    index: impl Iterator<Item = (&'a String, &'a Vec<DocId>)>,
    slug_of: impl Fn(&str) -> Option<&'a str>,
) -> BTreeMap<String, (String, Vec<DocId>)> {
    let mut out: BTreeMap<String, (String, Vec<DocId>)> = BTreeMap::new();
    for (name, docs) in index {
        let Some(s) = slug_of(name) else { continue };
        let e = out
            .entry(s.to_string())
            .or_insert_with(|| (name.clone(), Vec::new()));
        e.1.extend(docs);
    }
    out
}

fn backlog(site: &Site) -> Vec<DocId> {
    let mut v: Vec<DocId> = site
        .graph
        .by_kind
        .get(&Kind::Feature)
        .into_iter()
        .flatten()
        .copied()
        .filter(|&d| {
            let phase = site.docs[d].status.as_ref().and_then(|s| s.phase);
            matches!(
                phase,
                None | Some(Phase::Draft | Phase::Planned | Phase::Active)
            )
        })
        .collect();
    // Highest RICE first; unscored last, in id order (the sort is stable). A total
    // order, so no score can break the sort (the model leaves non-finite ones unscored).
    v.sort_by(|&a, &b| {
        let score = |d: DocId| site.docs[d].rice.map(|r| r.score);
        match (score(b), score(a)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (x, y) => x.is_some().cmp(&y.is_some()),
        }
    });
    v
}

fn features_with_goals(site: &Site) -> Vec<DocId> {
    site.graph
        .by_kind
        .get(&Kind::Feature)
        .into_iter()
        .flatten()
        .copied()
        .filter(|&d| !site.docs[d].metrics.is_empty())
        .collect()
}

fn decision_log(site: &Site) -> Vec<DocId> {
    let mut v: Vec<DocId> = site
        .graph
        .by_kind
        .get(&Kind::Decision)
        .cloned()
        .unwrap_or_default();
    // Newest first; undated decisions after dated ones, newest id first.
    v.sort_by(|&a, &b| {
        let (x, y) = (&site.docs[a], &site.docs[b]);
        let date = |d: &crate::model::Document| d.dates.date.or(d.dates.created);
        date(y)
            .cmp(&date(x))
            .then_with(|| crate::link::natural_cmp(&y.id, &x.id))
    });
    v
}

/// Whether swapping document `a` for `b` in a site that keeps its graph (see
/// [`crate::link::links_alike`]) leaves [`routes`] as it was. Everything `routes` reads
/// comes from the graph, except which features have metric goals (the outcomes list's
/// page count). Keep in step with `routes`.
pub fn routes_alike(a: &crate::model::Document, b: &crate::model::Document) -> bool {
    a.metrics.is_empty() == b.metrics.is_empty()
}

/// The ordered document lists that list pages page through, built once per site (the
/// first time a page needs them) rather than once per page, so rendering all pages of
/// a list costs one pass over the site, not one pass per page.
#[derive(Debug, Clone, Default)]
pub struct Lists {
    /// Status slug → (display name, documents of every kind with that status).
    pub status: BTreeMap<String, (String, Vec<DocId>)>,
    /// Team slug → (display name, documents).
    pub teams: BTreeMap<String, (String, Vec<DocId>)>,
    /// Tag slug → (display name, documents).
    pub tags: BTreeMap<String, (String, Vec<DocId>)>,
    /// Decisions, newest first.
    pub decisions: Vec<DocId>,
    /// Open features, highest RICE first.
    pub backlog: Vec<DocId>,
    /// Features with metric goals.
    pub outcomes: Vec<DocId>,
    /// Every metric goal's verdict, counted.
    pub goals: Scoreboard,
    /// Per person: what they own, grouped by kind, in site order within a kind.
    pub owned: Vec<Vec<DocId>>,
}

impl Lists {
    fn new(site: &Site) -> Self {
        Lists {
            status: status_docs(site),
            teams: by_slug(site.graph.by_team.iter(), |t| {
                site.graph.slugs.get(List::Team, t)
            }),
            tags: by_slug(site.graph.by_tag.iter(), |t| {
                site.graph.slugs.get(List::Tag, t)
            }),
            decisions: decision_log(site),
            backlog: backlog(site),
            outcomes: features_with_goals(site),
            goals: goal_scoreboard(site),
            owned: site
                .graph
                .owned
                .iter()
                .map(|owned| {
                    let mut v = owned.clone();
                    // Stable: site order stays within a kind.
                    v.sort_by_key(|&d| Kind::ALL.iter().position(|&k| k == site.docs[d].kind));
                    v
                })
                .collect(),
        }
    }
}

/// The site's lists, built on first use.
pub fn lists(site: &Site) -> &Lists {
    site.lists.get_or_init(|| Lists::new(site))
}

/// Every route of the site, in a stable order, except the search index's files: those
/// come with the index ([`build_search`], [`search::index`]), so a driver that renders
/// pages on demand (`serve`) can leave it for later.
pub fn routes(site: &Site) -> Vec<Route> {
    let size = site.config.page_size;
    let mut r = vec![
        Route::Home,
        Route::NotFound,
        Route::SpecsJson,
        Route::PeopleJson,
        Route::Sitemap,
        Route::Feed,
        Route::HighlightCss,
    ];
    r.extend(
        theme::STATIC_FILES
            .iter()
            .filter(|(name, _)| site.config.search.enabled || *name != theme::SEARCH_SCRIPT)
            .map(|(name, _)| Route::ThemeFile((*name).to_string())),
    );
    for (d, doc) in site.docs.iter().enumerate() {
        if crate::link::is_published(&site.graph, d, doc) {
            r.push(Route::Doc(d));
        }
    }
    for kind in [Kind::Feature, Kind::Decision, Kind::Roadmap] {
        let n = site.graph.by_kind.get(&kind).map_or(0, Vec::len);
        r.extend((1..=pages(n, size)).map(|p| Route::KindIndex(kind, p)));
    }
    r.push(Route::People);
    for (p, owned) in lists(site).owned.iter().enumerate() {
        r.extend((1..=pages(owned.len(), size)).map(|page| Route::Person(p, page)));
    }
    let lists = lists(site);
    for (s, (_, docs)) in &lists.status {
        r.extend((1..=pages(docs.len(), size)).map(|p| Route::Status(s.clone(), p)));
    }
    for (s, (_, docs)) in &lists.teams {
        r.extend((1..=pages(docs.len(), size)).map(|p| Route::Team(s.clone(), p)));
    }
    for (s, (_, docs)) in &lists.tags {
        r.extend((1..=pages(docs.len(), size)).map(|p| Route::Tag(s.clone(), p)));
    }
    r.extend((1..=pages(lists.outcomes.len(), size)).map(Route::Outcomes));
    r.extend((1..=pages(lists.backlog.len(), size)).map(Route::Backlog));
    r.extend(site.graph.assets.iter().cloned().map(Route::Asset));
    r
}

/// Builds the search index (when search is on), writing its fragment files to `sink`
/// as they are made: they are most of its files, and are made from the text indexing
/// reads anyway. Returns the routes of its files still to render, how many fragment
/// files were written, and what failed.
pub fn build_search(
    site: &Site,
    sink: &dyn crate::write::Sink,
) -> (Vec<Route>, usize, Vec<Diagnostic>) {
    if !site.config.search.enabled {
        return (Vec::new(), 0, Vec::new());
    }
    let failed = std::sync::Mutex::new(Vec::new());
    let written = std::sync::atomic::AtomicUsize::new(0);
    let (index, built) = search::index_emitting(site, &|name, bytes| {
        let path = Route::SearchFile(name.to_string()).path(site);
        match sink.put(&path, &bytes) {
            Ok(()) => {
                written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Err(e) => failed
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(write_error(&path, &e)),
        }
    });
    let rest = if built {
        index.names_but_fragments().map(Route::SearchFile).collect()
    } else {
        index.names().map(Route::SearchFile).collect()
    };
    let failed = failed.into_inner().unwrap_or_else(|p| p.into_inner());
    (rest, written.into_inner(), failed)
}

/// The problem of an output file that could not be written.
fn write_error(path: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new("output-folder", "", format!("cannot write {path}: {e}"))
}

/// The relative path from a page to the site root (`../../` for `a/b/index.html`).
pub fn root_of(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".into()
    } else {
        "../".repeat(depth)
    }
}

#[derive(Debug, Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    repository: Option<&'a str>,
    today: String,
    /// Whether the site has a search index (`[search] enabled`): the theme shows the
    /// search box only then.
    search: bool,
}

#[derive(Debug, Serialize)]
struct Pager {
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
    total: usize,
}

fn pager(base: &str, page: usize, total: usize, size: usize) -> Pager {
    let n = pages(total, size);
    Pager {
        page,
        pages: n,
        prev: (page > 1).then(|| paged(base, page - 1)),
        next: (page < n).then(|| paged(base, page + 1)),
        total,
    }
}

fn slice(docs: &[DocId], page: usize, size: usize) -> &[DocId] {
    let start = (page.saturating_sub(1))
        .saturating_mul(size)
        .min(docs.len());
    let end = start.saturating_add(size).min(docs.len());
    &docs[start..end]
}

/// Counts of verdicts, for scoreboards.
#[derive(Debug, Default, Serialize, serde::Deserialize, Clone, Copy, PartialEq, Eq)]
pub struct Scoreboard {
    pub met: usize,
    pub missed: usize,
    pub pending: usize,
    pub overdue: usize,
}

impl Scoreboard {
    pub fn add(&mut self, v: Verdict) {
        match v {
            Verdict::Met => self.met += 1,
            Verdict::Missed => self.missed += 1,
            Verdict::Pending => self.pending += 1,
            Verdict::Overdue => self.overdue += 1,
        }
    }
}

/// Renders routes with the site's theme.
pub struct Renderer {
    tera: tera::Tera,
    /// Tells renderers apart, for the cache of rendered cards a site keeps.
    id: u64,
}

impl Renderer {
    pub fn new(theme: theme::Theme) -> Self {
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Renderer {
            tera: theme.tera,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// The cards of documents `ids` in `shape`, for a page whose root is `root`.
    fn cards(
        &self,
        site: &Site,
        ids: &[DocId],
        shape: cards::Shape,
        root: &str,
    ) -> Result<Vec<String>, Diagnostic> {
        ids.iter()
            .map(|&d| {
                cards::card_html(site, self.id, d, shape, root, |card, root| {
                    let mut cx = tera::Context::new();
                    cx.insert("d", card);
                    cx.insert("root", root);
                    self.tera
                        .render(shape.template(), &cx)
                        .map_err(|e| theme::template_error(shape.template(), &e))
                })
            })
            .collect()
    }

    /// The card-table rows of documents `ids`.
    fn card_rows(&self, site: &Site, ids: &[DocId], root: &str) -> Result<Vec<String>, Diagnostic> {
        self.cards(site, ids, cards::Shape::Row, root)
    }

    /// The card-list items of documents `ids`.
    fn card_items(
        &self,
        site: &Site,
        ids: &[DocId],
        root: &str,
    ) -> Result<Vec<String>, Diagnostic> {
        self.cards(site, ids, cards::Shape::Item, root)
    }

    /// Renders one route into `sink`. The site-wide JSON files are streamed to it: at
    /// 100,000 documents each is over a hundred megabytes.
    pub fn render_into(
        &self,
        site: &Site,
        route: &Route,
        sink: &dyn crate::write::Sink,
    ) -> Result<(), Diagnostic> {
        let path = route.path(site);
        let written = match route {
            Route::SpecsJson => sink.put_with(&path, &mut |w| api::write_specs_json(site, w)),
            Route::PeopleJson => {
                sink.put_with(&path, &mut |w| people_api::write_people_json(site, w))
            }
            _ => sink.put(&path, &self.render(site, route)?),
        };
        written.map_err(|e| write_error(&path, &e))
    }

    /// Renders one route.
    pub fn render(&self, site: &Site, route: &Route) -> Result<Bytes, Diagnostic> {
        let path = route.path(site);
        let root = root_of(&path);
        let size = site.config.page_size;
        let mut cx = tera::Context::new();
        cx.insert(
            "site",
            &SiteInfo {
                title: &site.config.title,
                description: &site.config.description,
                base_url: &site.config.base_url,
                repository: site.config.repository.as_deref(),
                today: site.today.to_string(),
                search: site.config.search.enabled,
            },
        );
        cx.insert("root", &root);
        cx.insert("path", &path);
        let card_views =
            |ids: &[DocId]| -> Vec<Card> { ids.iter().map(|&d| card(site, d)).collect() };
        let template = match route {
            Route::SpecsJson => return Ok(api::specs_json(site)),
            Route::PeopleJson => return Ok(people_api::people_json(site)),
            Route::Sitemap => return Ok(api::sitemap(site, &routes(site))),
            Route::Feed => return Ok(feed::atom(site)),
            Route::SearchFile(name) => {
                return search::index(site)
                    .file(site, name)
                    .map(std::borrow::Cow::into_owned)
                    .ok_or_else(|| {
                        Diagnostic::new("template", "", format!("no search file {name}"))
                    });
            }
            Route::HighlightCss => {
                return Ok(crate::parse::highlight::Highlighter::css()
                    .as_bytes()
                    .to_vec());
            }
            Route::ThemeFile(name) => {
                return theme::STATIC_FILES
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, bytes)| bytes.to_vec())
                    .ok_or_else(|| {
                        Diagnostic::new("template", "", format!("no theme file {name}"))
                    });
            }
            Route::Asset(p) => {
                let root = site_source_root(site);
                return crate::load::read_checked(
                    &root.join(p),
                    Some(&root),
                    crate::load::MAX_SOURCE_BYTES,
                )
                .map_err(|refused| refused.diagnostic("read-error", p));
            }
            Route::Home => {
                let [recent, due, overdue] = home_context(site, &mut cx);
                cx.insert("recent", &self.card_rows(site, &recent, &root)?);
                cx.insert("due", &self.card_items(site, &due, &root)?);
                cx.insert("overdue", &self.card_items(site, &overdue, &root)?);
                "home.html"
            }
            Route::NotFound => {
                // 404 is served from any depth, so its links are absolute from base_url.
                cx.insert("root", &site.config.base_url);
                "404.html"
            }
            Route::Doc(d) => {
                let doc = &site.docs[*d];
                cx.insert("title", &doc.title);
                let items = |ids: &[DocId]| self.card_items(site, ids, &root);
                cx.insert("page", &doc_view(site, *d, &root, items)?);
                match doc.kind {
                    Kind::Feature => "feature.html",
                    Kind::Decision => "decision.html",
                    Kind::Roadmap => "roadmap.html",
                    Kind::Page => "page.html",
                }
            }
            Route::KindIndex(kind, page) => {
                let all: &[DocId] = if *kind == Kind::Decision {
                    &lists(site).decisions
                } else {
                    site.graph.by_kind.get(kind).map_or(&[], Vec::as_slice)
                };
                let base = paths::kind_index(*kind);
                let shown = slice(all, *page, size);
                cx.insert("title", kind.plural());
                cx.insert("kind", kind.as_str());
                cx.insert("pager", &pager(&base, *page, all.len(), size));
                if *kind == Kind::Decision {
                    let chains: Vec<Option<Card>> = shown
                        .iter()
                        .map(|&d| site.graph.superseded_by[d].map(|s| card(site, s)))
                        .collect();
                    cx.insert("docs", &card_views(shown));
                    cx.insert("superseded_by", &chains);
                    "decisions.html"
                } else {
                    cx.insert("rows", &self.card_rows(site, shown, &root)?);
                    "list.html"
                }
            }
            Route::Status(s, page) | Route::Team(s, page) | Route::Tag(s, page) => {
                let lists = lists(site);
                let (label, index, list) = match route {
                    Route::Status(..) => ("Status", &lists.status, List::Status),
                    Route::Team(..) => ("Team", &lists.teams, List::Team),
                    _ => ("Tag", &lists.tags, List::Tag),
                };
                let base = paths::list_url(list, s);
                let (name, docs) = index
                    .get(s)
                    .map_or(("", &[][..]), |(n, d)| (n.as_str(), d.as_slice()));
                if matches!(route, Route::Team(..)) {
                    cx.insert("cycle", &timeline::cycle_view(site, docs));
                }
                cx.insert("title", &format!("{label}: {name}"));
                cx.insert("heading", &name);
                cx.insert("label", label);
                cx.insert(
                    "rows",
                    &self.card_rows(site, slice(docs, *page, size), &root)?,
                );
                cx.insert("pager", &pager(&base, *page, docs.len(), size));
                "list.html"
            }
            Route::People => {
                #[derive(Serialize)]
                struct Row<'a> {
                    person: view::PersonRef<'a>,
                    role: Option<String>,
                    team: Option<String>,
                    owns: usize,
                    record: Scoreboard,
                }
                let rows: Vec<Row> = site
                    .people
                    .list
                    .iter()
                    .enumerate()
                    .map(|(p, person)| Row {
                        person: person_ref(site, p),
                        role: person.role.clone(),
                        team: person.team.clone(),
                        owns: site.graph.owned[p].len(),
                        record: record(site, &site.graph.owned[p]),
                    })
                    .collect();
                cx.insert("title", "People");
                cx.insert("people", &rows);
                "people.html"
            }
            Route::Person(p, page) => {
                let person = &site.people.list[*p];
                let owned = &site.graph.owned[*p];
                let sorted = &lists(site).owned[*p];
                /// The documents of one kind, as card rows.
                #[derive(Serialize)]
                struct RowGroup {
                    label: &'static str,
                    rows: Vec<String>,
                }
                let shown = slice(sorted, *page, size);
                let mut groups: Vec<RowGroup> = Vec::new();
                for (d, row) in shown.iter().zip(self.card_rows(site, shown, &root)?) {
                    let label = site.docs[*d].kind.plural();
                    match groups.last_mut() {
                        Some(g) if g.label == label => g.rows.push(row),
                        _ => groups.push(RowGroup {
                            label,
                            rows: vec![row],
                        }),
                    }
                }
                cx.insert("title", &person.name);
                cx.insert("person", person);
                cx.insert("groups", &groups);
                cx.insert(
                    "pager",
                    &pager(
                        &paths::list_url(List::Person, &person.key),
                        *page,
                        sorted.len(),
                        size,
                    ),
                );
                cx.insert("record", &record(site, owned));
                cx.insert("cycle", &timeline::cycle_view(site, owned));
                "person.html"
            }
            Route::Outcomes(page) => {
                let all = &lists(site).outcomes;
                let shown: Vec<view::DocView> = slice(all, *page, size)
                    .iter()
                    .map(|&d| view::doc_summary_view(site, d))
                    .collect();
                cx.insert("title", "Outcomes");
                cx.insert("features", &shown);
                cx.insert("pager", &pager(paths::OUTCOMES, *page, all.len(), size));
                cx.insert("scoreboard", &lists(site).goals);
                "outcomes.html"
            }
            Route::Backlog(page) => {
                let all = &lists(site).backlog;
                cx.insert("title", "Backlog");
                cx.insert("docs", &card_views(slice(all, *page, size)));
                cx.insert("pager", &pager(paths::BACKLOG, *page, all.len(), size));
                "backlog.html"
            }
        };
        self.tera
            .render(template, &cx)
            .map(String::into_bytes)
            .map_err(|e| theme::template_error(template, &e))
    }
}

fn site_source_root(site: &Site) -> std::path::PathBuf {
    site.source_root.clone()
}

/// A person's outcome record: their features' outcomes.
pub fn record(site: &Site, owned: &[DocId]) -> Scoreboard {
    let mut s = Scoreboard::default();
    for &d in owned {
        if let Some(o) = site.docs[d].outcome {
            s.add(o);
        }
    }
    s
}

/// Every metric goal's verdict, counted.
pub fn goal_scoreboard(site: &Site) -> Scoreboard {
    let mut s = Scoreboard::default();
    for &d in site.graph.by_kind.get(&Kind::Feature).into_iter().flatten() {
        for m in &site.docs[d].metrics {
            if let Some(v) = m.verdict {
                s.add(v);
            }
        }
    }
    s
}

/// Fills the home page's context; returns the documents whose cards the renderer
/// adds: the recently changed, the reviews due soon and the overdue ones.
fn home_context(site: &Site, cx: &mut tera::Context) -> [Vec<DocId>; 3] {
    #[derive(Serialize)]
    struct StatusCount {
        name: String,
        colour: String,
        url: String,
        count: usize,
    }
    let features = site
        .graph
        .by_kind
        .get(&Kind::Feature)
        .cloned()
        .unwrap_or_default();
    let by_status: Vec<StatusCount> = site
        .config
        .statuses
        .feature
        .iter()
        .map(|s| StatusCount {
            name: s.name.clone(),
            colour: s.colour.clone(),
            url: site.graph.slugs.url(List::Status, &s.name),
            count: site
                .graph
                .by_status
                .get(&(Kind::Feature, s.name.clone()))
                .map_or(0, Vec::len),
        })
        .collect();
    let mut features_by_outcome = Scoreboard::default();
    for &d in &features {
        if let Some(o) = site.docs[d].outcome {
            features_by_outcome.add(o);
        }
    }
    // Reviews due in the next 30 days (and not yet measured), soonest first.
    let horizon = site
        .today
        .checked_add(jiff::Span::new().days(30))
        .unwrap_or(site.today);
    let mut due: Vec<DocId> = features
        .iter()
        .copied()
        .filter(|&d| {
            let doc = &site.docs[d];
            doc.outcome == Some(Verdict::Pending)
                && doc
                    .dates
                    .review
                    .is_some_and(|r| r >= site.today && r <= horizon)
        })
        .collect();
    due.sort_by_key(|&d| site.docs[d].dates.review);
    let mut overdue: Vec<DocId> = features
        .iter()
        .copied()
        .filter(|&d| site.docs[d].outcome == Some(Verdict::Overdue))
        .collect();
    overdue.sort_by_key(|&d| site.docs[d].dates.review);
    let mut recent: Vec<DocId> = (0..site.docs.len())
        .filter(|&d| {
            crate::link::is_published(&site.graph, d, &site.docs[d])
                && site.docs[d].kind != Kind::Page
        })
        .filter(|&d| site.docs[d].dates.latest().is_some())
        .collect();
    // Newest first; ties by path so the order is stable.
    recent.sort_by(|&a, &b| {
        site.docs[b]
            .dates
            .latest()
            .cmp(&site.docs[a].dates.latest())
            .then_with(|| site.docs[a].source.cmp(&site.docs[b].source))
    });
    recent.truncate(10);
    #[derive(Serialize)]
    struct RoadmapSummary<'a> {
        card: Card<'a>,
        items: usize,
        shipped: usize,
        active: usize,
        drift: usize,
    }
    let roadmaps: Vec<RoadmapSummary> = site
        .graph
        .by_kind
        .get(&Kind::Roadmap)
        .into_iter()
        .flatten()
        .map(|&r| {
            let items: Vec<Option<DocId>> = site.graph.roadmap_items[r]
                .iter()
                .flatten()
                .copied()
                .collect();
            let phase = |d: &Option<DocId>| d.and_then(|d| site.docs[d].status.as_ref()?.phase);
            // Counted from the graph: building the roadmap's whole view for one number
            // would make every item's card.
            let drift = site.docs[r]
                .horizons
                .iter()
                .zip(&site.graph.roadmap_items[r])
                .map(|(h, targets)| {
                    targets
                        .iter()
                        .filter(|t| crate::model::Drift::of(h.when, phase(t)).is_some())
                        .count()
                })
                .sum();
            RoadmapSummary {
                card: card(site, r),
                items: items.len(),
                shipped: items
                    .iter()
                    .filter(|d| phase(d) == Some(Phase::Done))
                    .count(),
                active: items
                    .iter()
                    .filter(|d| phase(d) == Some(Phase::Active))
                    .count(),
                drift,
            }
        })
        .collect();
    cx.insert("title", &site.config.title);
    cx.insert("by_status", &by_status);
    cx.insert("feature_count", &features.len());
    cx.insert(
        "decision_count",
        &site.graph.by_kind.get(&Kind::Decision).map_or(0, Vec::len),
    );
    cx.insert("goals", &goal_scoreboard(site));
    cx.insert("outcomes", &features_by_outcome);
    cx.insert("overdue_count", &overdue.len());
    cx.insert("roadmaps", &roadmaps);
    due.truncate(10);
    overdue.truncate(10);
    [recent, due, overdue]
}

/// A site built from files written to a temporary folder, with "today" fixed at
/// 2026-03-01, for the render stage's unit tests.
#[cfg(test)]
pub(crate) fn test_site(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let mut opts = crate::driver::build::Options::new(dir.path());
    opts.today = jiff::civil::date(2026, 3, 1);
    let config = crate::driver::build::load_config(&opts).expect("config");
    let (site, _) = crate::driver::build::load_site(&opts, std::sync::Arc::new(config));
    (dir, site)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(site: &Site, route: &Route) -> String {
        let theme = theme::Theme::load(&site.source_root, &site.config).expect("theme");
        let bytes = Renderer::new(theme).render(site, route).expect("renders");
        String::from_utf8(bytes).expect("utf-8")
    }

    #[test]
    fn person_pages_paginate_grouped_by_kind() {
        let features: Vec<(String, String)> = (1..=4)
            .map(|i| {
                (
                    format!("features/F-{i}.md"),
                    format!("---\nid: F-{i}\ntitle: Feature {i}\nowner: ana\n---\nBody.\n"),
                )
            })
            .collect();
        let mut files = vec![
            ("specsite.toml", "page_size = 2\n"),
            ("people.toml", "[ana]\nname = \"Ana Lima\"\n"),
            (
                "decisions/ADR-0001-x.md",
                "---\nid: ADR-0001\ntitle: Decision one\nowner: ana\n---\nBody.\n",
            ),
        ];
        files.extend(features.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        let (_dir, site) = test_site(&files);
        let person_routes: Vec<Route> = routes(&site)
            .into_iter()
            .filter(|r| matches!(r, Route::Person(..)))
            .collect();
        assert_eq!(
            person_routes,
            vec![
                Route::Person(0, 1),
                Route::Person(0, 2),
                Route::Person(0, 3)
            ]
        );
        assert_eq!(
            Route::Person(0, 3).path(&site),
            "people/ana/page/3/index.html"
        );
        let first = page(&site, &Route::Person(0, 1));
        assert!(
            first.contains("Feature 1") && first.contains("Feature 2"),
            "{first}"
        );
        assert!(!first.contains("Feature 3") && !first.contains("Decision one"));
        assert!(first.contains("Page 1 of 3"), "{first}");
        let last = page(&site, &Route::Person(0, 3));
        assert!(
            last.contains("Decision one") && !last.contains("Feature 1"),
            "{last}"
        );
        assert!(last.contains("Decisions"), "groups keep their kind heading");
    }
}
