//! Render stage, pages: each page kind builds its template's context in a file of its
//! own here (`home.rs` for `/`, `document.rs` for a document's page, …), from the
//! session's site and shared lists. Adding a page kind means adding a `Route`, a file
//! here and its line in [`super::Session::render`].

pub(super) mod backlog;
pub(super) mod document;
pub(super) mod home;
pub(super) mod keyed;
pub(super) mod kind_index;
pub(super) mod not_found;
pub(super) mod outcomes;
pub(super) mod people;
pub(super) mod person;

use super::{Session, cards, lists::pages, root_of};
use crate::diagnostic::Diagnostic;
use crate::link::{DocId, Site};
use crate::paths::paged;
use serde::Serialize;

/// A page's template.
pub(super) type Template = &'static str;

/// One page being rendered: the session it belongs to, its root (the relative path to
/// the site root) and the context its template gets.
pub(super) struct Page<'s> {
    pub session: &'s Session,
    pub site: &'s Site,
    pub root: String,
    pub cx: tera::Context,
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

impl<'s> Page<'s> {
    /// A page at output path `path`, with what every template gets: `site`, `root`
    /// and `path`.
    pub fn new(session: &'s Session, path: &str) -> Page<'s> {
        let site = session.site();
        let root = root_of(path);
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
        cx.insert("path", path);
        Page {
            session,
            site,
            root,
            cx,
        }
    }

    /// Documents a list page shows per page.
    pub fn size(&self) -> usize {
        self.site.config.page_size
    }

    /// The card-table rows of documents `ids`.
    pub fn card_rows(&self, ids: &[DocId]) -> Result<Vec<String>, Diagnostic> {
        self.session.cards(ids, cards::Shape::Row, &self.root)
    }

    /// The card-list items of documents `ids`.
    pub fn card_items(&self, ids: &[DocId]) -> Result<Vec<String>, Diagnostic> {
        self.session.cards(ids, cards::Shape::Item, &self.root)
    }

    /// Adds `value` to the template's context as `key`.
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.cx.insert(key, value);
    }

    /// Adds the pager of page `page` of a list of `total` documents at `base`, and
    /// returns that page's share of `docs`.
    pub fn paginate<'d>(&mut self, base: &str, docs: &'d [DocId], page: usize) -> &'d [DocId] {
        let size = self.size();
        self.insert("pager", &pager(base, page, docs.len(), size));
        slice(docs, page, size)
    }
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
