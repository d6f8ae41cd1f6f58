//! What the server serves: the current site, its rendered pages and the last
//! diagnostics, swapped as one [`Snapshot`] after every rebuild. Requests read the
//! snapshot they started with, so a rebuild never shows a half-updated site. Pages are
//! rendered on first request and cached until the next swap.

use super::rebuild::Rebuilt;
use crate::diagnostic::{Diagnostic, Rule};
use crate::link::Site;
use crate::render::{Route, Session};
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use tokio::sync::broadcast;

/// A site that was good enough to publish, with its lazily rendered pages.
pub struct Published {
    /// The site and its theme, with what its pages share.
    session: Session,
    /// Output path (`features/pay-101/index.html`) → route; built on first request,
    /// and shared with the next site when that one keeps the same graph.
    routes: Arc<OnceLock<FxHashMap<String, Route>>>,
    pages: Mutex<FxHashMap<String, Arc<Vec<u8>>>>,
    /// The errors the site was built with: a later build is only held back for errors
    /// that are new.
    accepted: FxHashSet<(Rule, String, String)>,
}

/// What a page lookup found.
pub enum Page {
    Found {
        bytes: Arc<Vec<u8>>,
        html: bool,
    },
    /// The path names a folder: add the slash.
    Folder,
    NotFound,
    Failed(Diagnostic),
}

/// A problem's identity ([`Diagnostic::identity`]: without the line, so an edit above
/// an old error moves it without making it new), owned to outlive the build.
fn error_key(d: &Diagnostic) -> (Rule, String, String) {
    let (rule, file, message) = d.identity();
    (rule, file.to_owned(), message.to_owned())
}

impl Published {
    fn new(rebuilt: Rebuilt, before: Option<&Published>) -> Published {
        // An edit that keeps the graph usually keeps the routes (see `routes_alike`).
        let routes = match before {
            Some(b) if rebuilt.same_routes && Arc::ptr_eq(&b.site().graph, &rebuilt.site.graph) => {
                b.routes.clone()
            }
            _ => Arc::default(),
        };
        Published {
            routes,
            accepted: rebuilt.errors.iter().map(error_key).collect(),
            session: Session::new(rebuilt.site, rebuilt.renderer),
            pages: Mutex::new(FxHashMap::default()),
        }
    }

    /// The site being served.
    pub fn site(&self) -> &Site {
        self.session.site()
    }

    fn routes(&self) -> &FxHashMap<String, Route> {
        self.routes.get_or_init(|| {
            self.session
                .routes()
                .into_iter()
                .map(|r| (r.path(self.site()), r))
                .collect()
        })
    }

    /// The page at `path` (a site path without the leading `/`, already checked not to
    /// leave the site), rendered once and then cached.
    pub fn page(&self, path: &str) -> Page {
        let file = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        let Some(route) = self.route(&file) else {
            return if self.routes().contains_key(&format!("{path}/index.html")) {
                Page::Folder
            } else {
                Page::NotFound
            };
        };
        let route = &route;
        let html = route.is_html();
        if let Some(bytes) = self.cached(&file) {
            return Page::Found { bytes, html };
        }
        if let Route::Asset(source_path) = route
            && !inside(&self.site().source_root, source_path)
        {
            return Page::NotFound;
        }
        match self.session.render(route) {
            Ok(bytes) => {
                let bytes = Arc::new(bytes);
                if let Ok(mut pages) = self.pages.lock() {
                    pages.insert(file, bytes.clone());
                }
                Page::Found { bytes, html }
            }
            Err(d) => Page::Failed(d),
        }
    }

    fn route(&self, file: &str) -> Option<Route> {
        if let Some(route) = self.routes().get(file) {
            return Some(route.clone());
        }
        // The search index is built only when a browser first asks for one of its
        // files, never on a save.
        let name = file.strip_prefix("search/")?;
        if !self.site().config.search.enabled {
            return None;
        }
        self.session
            .search_index()
            .has(name)
            .then(|| Route::SearchFile(name.to_string()))
    }

    /// The site's 404 page.
    pub fn not_found(&self) -> Option<Arc<Vec<u8>>> {
        match self.page("404.html") {
            Page::Found { bytes, .. } => Some(bytes),
            _ => None,
        }
    }

    fn cached(&self, file: &str) -> Option<Arc<Vec<u8>>> {
        self.pages.lock().ok()?.get(file).cloned()
    }
}

/// Whether a file of SOURCE still resolves inside SOURCE: a symbolic link made after the
/// site was read must not expose files from elsewhere.
fn inside(root: &Path, source_path: &str) -> bool {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    root.join(source_path)
        .canonicalize()
        .is_ok_and(|p| p.starts_with(&canonical_root))
}

/// One consistent view: the published site and the diagnostics of the latest build.
pub struct Snapshot {
    pub published: Arc<Published>,
    /// The latest build when it was held back for new errors: pages the published
    /// site lacks (a spec added with an error) are previewed from it.
    pub held: Option<Arc<Published>>,
    /// Errors of the latest build, shown over every page until fixed.
    pub errors: Arc<Vec<Diagnostic>>,
}

/// Which build a page came from, so the overlay can say so truthfully.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// The latest build (with whatever errors it has).
    Latest,
    /// The published site, while the latest build is held back for new errors.
    BeforeErrors,
    /// The held-back latest build: the published site has no such page.
    Held,
}

impl Snapshot {
    /// The page at `path` (see [`Published::page`]): from the published site, or, when
    /// it has none and the latest build was held back, from that build.
    pub fn page(&self, path: &str) -> (Page, Version) {
        let page = self.published.page(path);
        if let (Page::NotFound, Some(held)) = (&page, &self.held) {
            match held.page(path) {
                Page::NotFound => {}
                found => return (found, Version::Held),
            }
        }
        (page, self.version())
    }

    /// Which build the published site is.
    pub fn version(&self) -> Version {
        if self.held.is_some() {
            Version::BeforeErrors
        } else {
            Version::Latest
        }
    }
}

/// What the browser is told after a rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Reload,
    /// Only stylesheets changed: swap them without reloading.
    Css,
}

impl Signal {
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Reload => "reload",
            Signal::Css => "css",
        }
    }
}

/// How a rebuild was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The new site is served.
    Published,
    /// The build brought new errors: the published site stays, with the errors shown,
    /// and the build previews only the pages the published site lacks.
    Held,
}

/// Shared between the HTTP handlers and the rebuild thread.
pub struct State {
    current: RwLock<Arc<Snapshot>>,
    pub signals: broadcast::Sender<Signal>,
}

impl State {
    pub fn new(first: Rebuilt) -> State {
        let errors = first.errors.clone();
        let (signals, _) = broadcast::channel(16);
        State {
            current: RwLock::new(Arc::new(Snapshot {
                published: Arc::new(Published::new(first, None)),
                held: None,
                errors: Arc::new(errors),
            })),
            signals,
        }
    }

    pub fn current(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Swaps in a rebuilt site, unless it has errors the served one did not have, and
    /// tells the browsers.
    pub fn publish(&self, rebuilt: Rebuilt, css_only: bool) -> Outcome {
        let old = self.current();
        let new_errors = rebuilt.errors.clone();
        let held = new_errors
            .iter()
            .any(|d| !old.published.accepted.contains(&error_key(d)));
        let latest = Arc::new(Published::new(rebuilt, Some(&old.published)));
        let (published, held_back) = if held {
            (old.published.clone(), Some(latest))
        } else {
            (latest, None)
        };
        let errors_changed = *old.errors != new_errors;
        let snapshot = Arc::new(Snapshot {
            published,
            held: held_back,
            errors: Arc::new(new_errors),
        });
        match self.current.write() {
            Ok(mut s) => *s = snapshot,
            Err(poisoned) => *poisoned.into_inner() = snapshot,
        }
        let signal = if css_only && !held && !errors_changed {
            Signal::Css
        } else {
            Signal::Reload
        };
        // No browser connected is fine.
        let _ = self.signals.send(signal);
        if held {
            Outcome::Held
        } else {
            Outcome::Published
        }
    }
}
