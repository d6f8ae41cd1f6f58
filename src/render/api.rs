//! Machine-readable outputs: `/api/specs.json` (every document, with a stable shape for
//! dashboards and bots) and the data of `/sitemap.xml`, which the
//! `sitemap.xml` template writes.

use super::Route;
use crate::link::{EdgeKind, Site};
use crate::model::RelationKind;
use serde::Serialize;
use std::collections::BTreeMap;

/// One document in `/api/specs.json`. Field names and order are part of the public
/// interface (documented in the README): add fields at the end, never rename.
#[derive(Debug, Serialize)]
pub struct SpecRecord<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub title: &'a str,
    pub status: Option<&'a str>,
    pub status_raw: Option<&'a str>,
    pub owner: Vec<&'a str>,
    pub team: Option<&'a str>,
    pub tags: &'a [String],
    /// Path from the site root, with a leading `/`.
    pub url: String,
    /// Path of the markdown file relative to SOURCE.
    pub source: &'a str,
    pub dates: &'a crate::model::Dates,
    /// Relation name → ids of the documents it points at (resolved, both sides of
    /// two-sided relations completed).
    pub relations: BTreeMap<&'static str, Vec<&'a str>>,
    pub metrics: Vec<super::view::MetricView>,
    pub outcome: Option<&'static str>,
    /// Every status the document has had, from its git history, oldest first.
    pub status_history: Vec<super::timeline::StatusRecord>,
    /// Created and updated commits and authors, contributors and revisions; `null`
    /// without git. The dates themselves are in `dates` (front matter wins).
    pub history: Option<HistoryRecord<'a>>,
}

/// The git facts of a document in `/api/specs.json`.
#[derive(Debug, Serialize)]
pub struct HistoryRecord<'a> {
    /// The commit that added the file (under any earlier name) and its author.
    pub created_commit: &'a str,
    pub created_by: &'a str,
    /// The last commit that changed the file and its author.
    pub updated_commit: &'a str,
    pub updated_by: &'a str,
    pub contributors: &'a [String],
    pub revisions: usize,
}

#[derive(Serialize)]
struct Specs<'a> {
    generator: &'static str,
    base_url: &'a str,
    count: usize,
    documents: Records<'a>,
}

/// The published documents' records, made one at a time as they are serialised: at
/// 100,000 documents, holding every record first would cost hundreds of megabytes.
struct Records<'a> {
    site: &'a Site,
    published: Vec<usize>,
}

impl Serialize for Records<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.published.iter().map(|&d| spec_record(self.site, d)))
    }
}

/// The record of document `d`.
fn spec_record(site: &Site, d: usize) -> SpecRecord<'_> {
    let g = &site.graph;
    let doc = &site.docs[d];
    let mut relations: BTreeMap<&'static str, Vec<&str>> = BTreeMap::new();
    for &e in &g.outgoing[d] {
        let edge = g.edges[e];
        if let EdgeKind::Relation(k) = edge.kind
            && !matches!(k, RelationKind::Supersedes | RelationKind::SupersededBy)
        {
            relations
                .entry(k.as_str())
                .or_default()
                .push(&site.docs[edge.to].id);
        }
    }
    if let Some(s) = g.superseded_by[d] {
        relations.insert("superseded_by", vec![&site.docs[s].id]);
    }
    for (name, linked) in [
        ("supersedes", &g.supersedes[d]),
        ("roadmaps", &g.roadmaps_of[d]),
    ] {
        if !linked.is_empty() {
            relations.insert(
                name,
                linked.iter().map(|&s| site.docs[s].id.as_str()).collect(),
            );
        }
    }
    SpecRecord {
        id: &doc.id,
        kind: doc.kind.as_str(),
        title: &doc.title,
        status: doc.status.as_ref().map(|s| s.name.as_str()),
        status_raw: doc.status.as_ref().map(|s| s.raw.as_str()),
        owner: g.owners[d]
            .iter()
            .map(|&p| site.people.list[p].name.as_str())
            .collect(),
        team: doc.team.as_deref(),
        tags: &doc.tags,
        url: format!("/{}", doc.url),
        source: &doc.source,
        dates: &doc.dates,
        relations,
        metrics: doc.metrics.iter().map(super::view::metric_view).collect(),
        outcome: doc.outcome.map(|o| o.as_str()),
        status_history: super::timeline::status_records(site, d),
        history: site
            .history
            .docs
            .get(d)
            .and_then(Option::as_ref)
            .map(|h| HistoryRecord {
                created_commit: &h.file.created.commit,
                created_by: &h.file.created.author,
                updated_commit: &h.file.updated.commit,
                updated_by: &h.file.updated.author,
                contributors: &h.file.contributors,
                revisions: h.file.revisions,
            }),
    }
}

/// `/api/specs.json` in memory.
pub fn specs_json(site: &Site) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_specs_json(site, &mut out);
    out
}

/// Writes `/api/specs.json` to `w` as it is serialised (see [`Records`]).
pub fn write_specs_json(site: &Site, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let published: Vec<usize> = site.graph.published_ids().collect();
    let specs = Specs {
        generator: concat!("specsite ", env!("CARGO_PKG_VERSION")),
        base_url: &site.config.base_url,
        count: published.len(),
        documents: Records { site, published },
    };
    write_json(w, &specs)
}

/// Pretty-printed JSON and a final newline.
pub(crate) fn write_json(
    w: &mut dyn std::io::Write,
    value: &impl Serialize,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value)?;
    w.write_all(b"\n")
}

/// The sitemap as data for the `sitemap.xml` template (a site overrides it with its
/// own `templates/sitemap.xml`). Text is left raw: the template engine escapes every value
/// for XML (see [`super::theme`]).
#[derive(Debug, Serialize)]
pub struct SitemapView {
    /// Every HTML page but the 404 page, sorted by `loc`.
    pub urls: Vec<SitemapUrl>,
}

/// One page in the sitemap.
#[derive(Debug, Serialize)]
pub struct SitemapUrl {
    /// The page's absolute URL, without a trailing `index.html`.
    pub loc: String,
    /// A document page's `updated` date (`YYYY-MM-DD`); `None` for other pages. The
    /// default template leaves it out; an override may print it.
    pub lastmod: Option<String>,
}

/// The sitemap's data: the HTML pages among `routes`.
pub fn sitemap(site: &Site, routes: &[Route]) -> SitemapView {
    let mut urls: Vec<SitemapUrl> = routes
        .iter()
        .filter(|r| r.is_html() && **r != Route::NotFound)
        .map(|r| {
            let path = r.path(site);
            let path = path.strip_suffix("index.html").unwrap_or(&path);
            let lastmod = match r {
                Route::Doc(d) => site.docs[*d].dates.updated.map(|d| d.to_string()),
                _ => None,
            };
            SitemapUrl {
                loc: format!("{}{path}", site.config.base_url),
                lastmod,
            }
        })
        .collect();
    urls.sort_by(|a, b| a.loc.cmp(&b.loc));
    SitemapView { urls }
}
