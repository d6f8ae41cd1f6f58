//! Stage 5, render: turns the linked site into pages. A [`Session`] is one site
//! rendered with one theme: [`Session::routes`] lists every page the site has and
//! [`Session::render`] renders one of them. `build` renders all routes in parallel and
//! streams them to a [`sink::Sink`] (the write stage's staging folder); `serve` renders a
//! route when a browser asks for it. Every page is built from the link stage's indexes,
//! so no page costs more than what it shows, and index pages paginate so none embeds
//! the whole site.
//!
//! Each page kind builds its template context in its own file under [`pages`]; files
//! that are not pages (the JSON API, the feed, the sitemap, search files, theme and
//! source files) are made in [`Session::file`]; the feed and the sitemap from the
//! theme's `feed.xml` and `sitemap.xml` templates, which a site can override. What the session computes once per site
//! and shares between pages (the ordered [`lists::Lists`], each document's rendered
//! card, the search index) lives in the session, built on first use, so the link
//! stage's [`Site`] knows nothing of rendering.

pub mod api;
pub mod cards;
pub mod feed;
pub mod lists;
mod pages;
pub mod people_api;
pub mod search;
pub mod sink;
pub mod theme;
pub mod timeline;
pub mod view;

use crate::config::Kind;
use crate::diagnostic::{Diagnostic, Rule};
use crate::link::{DocId, Site};
use crate::paths::{self, List, paged};
use lists::{Lists, pages};
use sink::Sink;
use std::sync::{Arc, OnceLock};

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
            Route::Asset(p) => crate::paths::asset_url(p),
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

/// One site rendered with one theme, and what its pages share: built once per site,
/// on first use. `build` and `check` make one per build; `serve` one per rebuild,
/// keeping the compiled theme ([`Renderer`]) while the templates stay the same.
pub struct Session {
    site: Site,
    renderer: Arc<Renderer>,
    lists: OnceLock<Lists>,
    cards: cards::CardCache,
    /// Built the first time a search file is asked for, so `serve` pays for it only
    /// when a browser searches.
    search: OnceLock<search::SearchIndex>,
}

impl Session {
    pub fn new(site: Site, renderer: Arc<Renderer>) -> Session {
        Session {
            cards: cards::CardCache::new(site.docs.len()),
            site,
            renderer,
            lists: OnceLock::new(),
            search: OnceLock::new(),
        }
    }

    /// The linked site being rendered.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The ordered lists that list pages page through.
    pub fn lists(&self) -> &Lists {
        self.lists.get_or_init(|| Lists::new(&self.site))
    }

    /// The site's search index, built on first use.
    pub fn search_index(&self) -> &search::SearchIndex {
        self.search_index_emitting(&|_, _| {}).0
    }

    /// The search index like [`Session::search_index`], with `emit` given every fragment
    /// file as it is made when this call builds the index (`build` writes them out then:
    /// each is made from text the index reads anyway). Returns whether it was built here
    /// (when not, no fragment file was given).
    fn search_index_emitting(
        &self,
        emit: search::FragmentFiles<'_>,
    ) -> (&search::SearchIndex, bool) {
        let mut built = false;
        let index = self.search.get_or_init(|| {
            built = true;
            search::build(&self.site, emit)
        });
        (index, built)
    }

    /// Every route of the site, in a stable order, except the search index's files: those
    /// come with the index ([`Session::build_search`], [`Session::search_index`]), so a driver that renders
    /// pages on demand (`serve`) can leave it for later.
    pub fn routes(&self) -> Vec<Route> {
        let site = &self.site;
        let lists = self.lists();
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
        for (p, owned) in lists.owned.iter().enumerate() {
            r.extend((1..=pages(owned.len(), size)).map(|page| Route::Person(p, page)));
        }
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
    pub fn build_search(&self, sink: &dyn Sink) -> (Vec<Route>, usize, Vec<Diagnostic>) {
        let site = &self.site;
        if !site.config.search.enabled {
            return (Vec::new(), 0, Vec::new());
        }
        let failed = std::sync::Mutex::new(Vec::new());
        let written = std::sync::atomic::AtomicUsize::new(0);
        let (index, built) = self.search_index_emitting(&|name, bytes| {
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

    /// Renders one route into `sink`. The site-wide JSON files are streamed to it: at
    /// 100,000 documents each is over a hundred megabytes.
    pub fn render_into(&self, route: &Route, sink: &dyn Sink) -> Result<(), Diagnostic> {
        let site = &self.site;
        let path = route.path(site);
        let written = match route {
            Route::SpecsJson => sink.put_with(&path, &mut |w| api::write_specs_json(site, w)),
            Route::PeopleJson => {
                sink.put_with(&path, &mut |w| people_api::write_people_json(site, w))
            }
            _ => sink.put(&path, &self.render(route)?),
        };
        written.map_err(|e| write_error(&path, &e))
    }

    /// Renders one route.
    pub fn render(&self, route: &Route) -> Result<Bytes, Diagnostic> {
        let path = route.path(&self.site);
        let mut page = pages::Page::new(self, &path);
        let template = match route {
            Route::Home => pages::home::fill(&mut page)?,
            Route::NotFound => pages::not_found::fill(&mut page),
            Route::Doc(d) => pages::document::fill(&mut page, *d)?,
            Route::KindIndex(kind, n) => pages::kind_index::fill(&mut page, *kind, *n)?,
            Route::Status(key, n) => pages::keyed::fill(&mut page, List::Status, key, *n)?,
            Route::Team(key, n) => pages::keyed::fill(&mut page, List::Team, key, *n)?,
            Route::Tag(key, n) => pages::keyed::fill(&mut page, List::Tag, key, *n)?,
            Route::People => pages::people::fill(&mut page),
            Route::Person(p, n) => pages::person::fill(&mut page, *p, *n)?,
            Route::Outcomes(n) => pages::outcomes::fill(&mut page, *n),
            Route::Backlog(n) => pages::backlog::fill(&mut page, *n),
            _ => return self.file(route),
        };
        self.renderer.page(template, &page.cx)
    }

    /// The files of the site that are not pages.
    fn file(&self, route: &Route) -> Result<Bytes, Diagnostic> {
        let site = &self.site;
        match route {
            Route::SpecsJson => Ok(api::specs_json(site)),
            Route::PeopleJson => Ok(people_api::people_json(site)),
            Route::Sitemap => {
                let mut cx = tera::Context::new();
                cx.insert("sitemap", &api::sitemap(site, &self.routes()));
                self.renderer.page("sitemap.xml", &cx)
            }
            Route::Feed => {
                let mut cx = tera::Context::new();
                cx.insert("feed", &feed::view(site));
                self.renderer.page("feed.xml", &cx)
            }
            Route::SearchFile(name) => self
                .search_index()
                .file(site, name)
                .map(std::borrow::Cow::into_owned)
                .ok_or_else(|| {
                    Diagnostic::new(Rule::Template, "", format!("no search file {name}"))
                }),
            Route::HighlightCss => Ok(crate::parse::highlight::Highlighter::css()
                .as_bytes()
                .to_vec()),
            Route::ThemeFile(name) => theme::STATIC_FILES
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, bytes)| bytes.to_vec())
                .ok_or_else(|| {
                    Diagnostic::new(Rule::Template, "", format!("no theme file {name}"))
                }),
            Route::Asset(p) => {
                let root = &site.source_root;
                crate::files::read_checked(
                    &root.join(p),
                    Some(root),
                    crate::files::MAX_SOURCE_BYTES,
                )
                .map_err(|refused| refused.diagnostic(Rule::ReadError, p))
            }
            page => Err(Diagnostic::new(
                Rule::Template,
                "",
                format!("{} is a page, not a file", page.path(site)),
            )),
        }
    }

    /// The cards of documents `ids` in `shape`, for a page whose root is `root`: each
    /// rendered once per session and copied (see [`cards`]).
    fn cards(
        &self,
        ids: &[DocId],
        shape: cards::Shape,
        root: &str,
    ) -> Result<Vec<String>, Diagnostic> {
        ids.iter()
            .map(|&d| {
                self.cards
                    .card_html(&self.site, d, shape, root, |card, root| {
                        let mut cx = tera::Context::new();
                        cx.insert("d", card);
                        cx.insert("root", root);
                        self.renderer.text(shape.template(), &cx)
                    })
            })
            .collect()
    }
}

/// A site's compiled theme.
pub struct Renderer {
    tera: tera::Tera,
    xml: tera::Tera,
}

impl Renderer {
    pub fn new(theme: theme::Theme) -> Self {
        Renderer {
            tera: theme.tera,
            xml: theme.xml,
        }
    }

    /// Renders `template` with `cx`.
    fn text(&self, template: &str, cx: &tera::Context) -> Result<String, Diagnostic> {
        let tera = if theme::is_xml(template) {
            &self.xml
        } else {
            &self.tera
        };
        tera.render(template, cx)
            .map_err(|e| theme::template_error(template, &e))
    }

    /// Renders `template` with `cx`, as a file's bytes.
    fn page(&self, template: &str, cx: &tera::Context) -> Result<Bytes, Diagnostic> {
        self.text(template, cx).map(String::into_bytes)
    }
}

/// The problem of an output file that could not be written.
fn write_error(path: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(Rule::OutputFolder, "", format!("cannot write {path}: {e}"))
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

/// A session rendering `site` with its theme, for the render stage's unit tests.
#[cfg(test)]
pub(crate) fn test_session(site: Site) -> Session {
    let theme = theme::Theme::load(&site.source_root, &site.config).expect("theme");
    Session::new(site, Arc::new(Renderer::new(theme)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(session: &Session, route: &Route) -> String {
        let bytes = session.render(route).expect("renders");
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
        let session = test_session(site);
        let site = session.site();
        let person_routes: Vec<Route> = session
            .routes()
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
            Route::Person(0, 3).path(site),
            "people/ana/page/3/index.html"
        );
        let first = page(&session, &Route::Person(0, 1));
        assert!(
            first.contains("Feature 1") && first.contains("Feature 2"),
            "{first}"
        );
        assert!(!first.contains("Feature 3") && !first.contains("Decision one"));
        assert!(first.contains("Page 1 of 3"), "{first}");
        let last = page(&session, &Route::Person(0, 3));
        assert!(
            last.contains("Decision one") && !last.contains("Feature 1"),
            "{last}"
        );
        assert!(last.contains("Decisions"), "groups keep their kind heading");
    }

    #[test]
    fn the_people_index_is_sorted_by_name() {
        let (_dir, site) = test_site(&[
            (
                "people.toml",
                "[zed]\nname = \"Zoe Young\"\n[ana]\nname = \"ana Lima\"\n[bo]\nname = \"Bo Ek\"\n",
            ),
            (
                "features/F-1.md",
                "---\nid: F-1\ntitle: One\nowner: zed\n---\nBody.\n",
            ),
        ]);
        let session = test_session(site);
        let html = page(&session, &Route::People);
        let at = |name: &str| html.find(name).unwrap_or_else(|| panic!("{name}: {html}"));
        assert!(at("ana Lima") < at("Bo Ek") && at("Bo Ek") < at("Zoe Young"));
    }
}
