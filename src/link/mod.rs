//! Stage 4, link: joins the documents into one site. Resolves every id and path a
//! document points at (relations, body links, wiki links, roadmap items), completes
//! two-sided relations (supersede chains), and builds the indexes pages are rendered
//! from (by status, owner, team, tag) and the backlinks. Everything here is a hash
//! lookup or a sort: no pass compares every document with every other.

mod alike;
mod body;
mod ids;
mod indexes;
mod roadmaps;
mod supersede;

pub use alike::links_alike;
use body::*;
use ids::*;
pub use indexes::Slugs;
use indexes::*;
use roadmaps::*;
use supersede::*;

use crate::config::{Config, Kind};
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::people::People;
use crate::model::suggest::Suggester;
use crate::model::{Document, RelationKind};
use crate::text::natural_cmp;
use jiff::civil::Date;
use rustc_hash::FxHashMap;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Index of a document in [`Site::docs`].
pub type DocId = usize;

/// The whole site, ready to render: documents, people and the graph between them.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Arc<Config>,
    /// SOURCE, for copying linked files.
    pub source_root: std::path::PathBuf,
    pub today: Date,
    /// Sorted by source path.
    pub docs: Vec<Arc<Document>>,
    pub people: People,
    /// Shared, so that `serve` can keep it when an edit changes nothing it is built
    /// from (see [`links_alike`]).
    pub graph: Arc<Graph>,
    pub history: Histories,
}

impl Site {
    /// The same site with `docs` in place of its documents: for `serve`, when every
    /// edited document links exactly as its last version did (see [`links_alike`]),
    /// so the graph, people and history stand as they are.
    pub fn with_docs(&self, docs: Vec<Arc<Document>>) -> Site {
        Site {
            config: self.config.clone(),
            source_root: self.source_root.clone(),
            today: self.today,
            docs,
            people: self.people.clone(),
            graph: self.graph.clone(),
            history: self.history.clone(),
        }
    }
}

/// The git history of the site's documents.
#[derive(Debug, Clone, Default)]
pub struct Histories {
    /// Per document (aligned with [`Site::docs`]); `None` without history.
    pub docs: Vec<Option<crate::history::DocHistory>>,
    /// SOURCE's folder inside the repository, for links to the git host.
    pub prefix: String,
    /// Why history is missing or partial, said once per build.
    pub note: Option<String>,
}

/// Where a body link goes once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Href {
    Doc {
        doc: DocId,
        fragment: Option<String>,
    },
    /// A file copied into the site, at this site path.
    Asset(String),
    /// Not resolved (reported); the link keeps what the author wrote.
    Broken(String),
}

/// How one document refers to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    Relation(RelationKind),
    /// A link in the body (markdown or wiki link).
    Mention,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub from: DocId,
    pub to: DocId,
    pub kind: EdgeKind,
}

/// Everything derived from the documents as a whole.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Lowercased id → documents with that id, per kind.
    pub by_kind_id: FxHashMap<(Kind, String), DocId>,
    /// Lowercased id → documents of any kind (for wiki links).
    pub by_id: FxHashMap<String, Vec<DocId>>,
    pub by_path: FxHashMap<String, DocId>,
    /// Per document: whether it is published (not shadowed by a duplicate id).
    pub published: Vec<bool>,
    /// Resolved relations and mentions, sorted and without repeats.
    pub edges: Vec<Edge>,
    /// Per document: indices into `edges` of the edges pointing at it.
    pub incoming: Vec<Vec<usize>>,
    /// Per document: indices into `edges` of the edges leaving it.
    pub outgoing: Vec<Vec<usize>>,
    /// Per document, per body link: where it goes.
    pub hrefs: Vec<Vec<Href>>,
    /// Per document: indices into `Site::people` of its owners.
    pub owners: Vec<Vec<usize>>,
    /// Per person: the documents they own, in site order.
    pub owned: Vec<Vec<DocId>>,
    /// Per kind and status name: documents, in site order.
    pub by_status: BTreeMap<(Kind, String), Vec<DocId>>,
    pub by_team: BTreeMap<String, Vec<DocId>>,
    pub by_tag: BTreeMap<String, Vec<DocId>>,
    /// The slug of every status, team and tag page, decided once here (people's are
    /// `Person::key`): render reads them and never makes a slug of its own.
    pub slugs: Slugs,
    /// Per kind: documents in site order (kind, then natural id order).
    pub by_kind: BTreeMap<Kind, Vec<DocId>>,
    /// The completed supersede chain: per decision, what replaced it.
    pub superseded_by: Vec<Option<DocId>>,
    /// Per decision: what it replaced.
    pub supersedes: Vec<Vec<DocId>>,
    /// Per feature: the roadmaps listing it.
    pub roadmaps_of: Vec<Vec<DocId>>,
    /// Per roadmap, per horizon, per item: the document it links.
    pub roadmap_items: Vec<Vec<Vec<Option<DocId>>>>,
    /// Files that pages link or embed, to copy (source paths).
    pub assets: BTreeSet<String>,
}

/// Links the documents. `docs` must be sorted by source path; `assets` are the other
/// files of SOURCE.
pub fn link(
    source_root: &std::path::Path,
    config: Arc<Config>,
    docs: Vec<Arc<Document>>,
    mut people: People,
    assets: &BTreeSet<String>,
    today: Date,
) -> (Site, Vec<Diagnostic>) {
    let n = docs.len();
    let mut diags = Vec::new();
    let mut docs = docs;
    separate_file_ids(&mut docs, &mut diags);
    let mut g = Graph {
        incoming: vec![Vec::new(); n],
        outgoing: vec![Vec::new(); n],
        owners: vec![Vec::new(); n],
        superseded_by: vec![None; n],
        supersedes: vec![Vec::new(); n],
        roadmaps_of: vec![Vec::new(); n],
        ..Graph::default()
    };
    index_ids(&docs, &mut g, &mut diags);

    let mut edges = Vec::new();
    let mut declared = Declared {
        superseded_by: vec![Vec::new(); n],
        supersedes: vec![Vec::new(); n],
    };
    let mut memo = Memo::default();
    for from in 0..docs.len() {
        memo.suggest.next_file();
        let cx = LinkContext {
            g: &g,
            docs: &docs,
            from,
            assets,
            config: &config,
            source_root,
        };
        resolve_relations(&cx, &mut memo, &mut edges, &mut declared, &mut diags);
        let hrefs = resolve_body_links(&cx, &mut memo, &mut edges, &mut diags);
        g.hrefs.push(hrefs);
    }
    for hrefs in &g.hrefs {
        for h in hrefs {
            if let Href::Asset(url) = h {
                g.assets
                    .insert(url.trim_start_matches("files/").to_string());
            }
        }
    }

    complete_supersedes(&docs, &mut g, &declared, &mut diags);
    link_roadmaps(&docs, &mut g, &mut edges, &mut diags);
    index_edges(&mut g, edges);

    let first_written = resolve_owners(&docs, &mut people, &mut g, &mut diags);
    build_indexes(&docs, &people, &mut g);
    decide_slugs(
        &docs,
        &config,
        &mut people,
        &first_written,
        &mut g,
        &mut diags,
    );

    let site = Site {
        config,
        source_root: source_root.to_path_buf(),
        today,
        docs,
        people,
        graph: Arc::new(g),
        history: Histories::default(),
    };
    (site, diags)
}

/// Sorts the edges, drops repeats, and lists each document's incoming and outgoing.
fn index_edges(g: &mut Graph, mut edges: Vec<Edge>) {
    edges.sort_by_key(|e| (e.from, e.to, e.kind));
    edges.dedup();
    for (i, e) in edges.iter().enumerate() {
        g.outgoing[e.from].push(i);
        g.incoming[e.to].push(i);
    }
    g.edges = edges;
}

/// Resolves the relations written in document `cx.from`'s metadata into edges, keeping
/// where each supersede link was written; reports those that name nothing.
fn resolve_relations(
    cx: &LinkContext<'_, '_>,
    memo: &mut Memo<'_>,
    edges: &mut Vec<Edge>,
    declared: &mut Declared,
    diags: &mut Vec<Diagnostic>,
) {
    let (g, docs, from, source_root) = (cx.g, cx.docs, cx.from, cx.source_root);
    let doc = &docs[from];
    for rel in &doc.relations {
        let found = match &rel.path {
            Some(p) => find_relation_path(g, p, &rel.target),
            None => resolve_id(g, docs, &rel.target, rel.target_kind),
        };
        let Some(to) = found else {
            diags.push(match &rel.path {
                Some(p) if source_root.join(p).is_file() => Diagnostic::new(
                    Rule::UnpublishedLink,
                    &doc.source,
                    format!("'{}' exists but is not published", rel.target),
                )
                .at(rel.pos)
                .span(rel.target.chars().count())
                .help("link a published document, or stop ignoring the file"),
                Some(_) => Diagnostic::new(
                    Rule::BrokenLink,
                    &doc.source,
                    format!("'{}' does not exist", rel.target),
                )
                .at(rel.pos)
                .span(rel.target.chars().count())
                .help("check the path: it is relative to this file's folder"),
                None => unknown_id(memo, docs, doc, &rel.target, rel.target_kind, rel.pos),
            });
            continue;
        };
        // A field that takes any kind (`links:`) names an id several kinds share.
        if rel.path.is_none()
            && rel.target_kind.is_none()
            && let Some(many @ [_, _, ..]) = g
                .by_id
                .get(&rel.target.trim().to_lowercase())
                .map(Vec::as_slice)
        {
            let help = "use a field that names the kind, or write the file's path";
            let written = format!("'{}'", rel.target);
            let span = rel.target.chars().count();
            diags.push(ambiguous(docs, doc, &written, many, rel.pos, span, help));
        }
        edges.push(Edge {
            from,
            to,
            kind: EdgeKind::Relation(rel.kind),
        });
        match rel.kind {
            RelationKind::SupersededBy => declared.superseded_by[from].push((to, rel.pos)),
            RelationKind::Supersedes => declared.supersedes[from].push((to, rel.pos)),
            _ => {}
        }
    }
}

/// Resolves the links in document `cx.from`'s body, adding an edge for each link to
/// another document.
fn resolve_body_links<'d>(
    cx: &LinkContext<'_, 'd>,
    memo: &mut Memo<'d>,
    edges: &mut Vec<Edge>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Href> {
    let from = cx.from;
    let hrefs: Vec<Href> = cx.docs[from]
        .body
        .links
        .iter()
        .map(|l| resolve_body_link(cx, memo, l, diags))
        .collect();
    for h in &hrefs {
        match h {
            Href::Doc { doc: to, .. } if *to != from => edges.push(Edge {
                from,
                to: *to,
                kind: EdgeKind::Mention,
            }),
            _ => {}
        }
    }
    hrefs
}

/// Resolves each document's owners to people, reporting owners missing from
/// people.toml; returns where each person not in it was first written (for messages
/// about their page).
fn resolve_owners(
    docs: &[Arc<Document>],
    people: &mut People,
    g: &mut Graph,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Option<KeyPlace>> {
    let mut suggest = Suggester::default();
    // People: the registry first, then everyone else named as an owner, remembered
    // where first written (for messages about their page).
    let mut first_written: Vec<Option<KeyPlace>> = vec![None; people.list.len()];
    for (d, doc) in docs.iter().enumerate() {
        suggest.next_file();
        for owner in &doc.owners {
            let known = people
                .find(&owner.text)
                .is_some_and(|i| people.list[i].listed);
            if people.has_registry && !known {
                diags.push(
                    Diagnostic::new(
                        Rule::UnknownOwner,
                        &doc.source,
                        format!("'{}' is not in people.toml", owner.text),
                    )
                    .at(owner.pos)
                    .span(owner.text.chars().count())
                    .help(
                        match suggest.suggest((), &owner.text, || {
                            people
                                .list
                                .iter()
                                .filter(|p| p.listed)
                                .map(|p| p.key.as_str())
                        }) {
                            Some(c) => format!("did you mean '{c}'? Or add them to people.toml"),
                            None => {
                                "add them to people.toml, or write the id of someone listed there"
                                    .into()
                            }
                        },
                    ),
                );
            }
            let p = people.resolve(&owner.text);
            if p == first_written.len() {
                first_written.push(Some(KeyPlace {
                    file: doc.source.clone(),
                    pos: owner.pos,
                    span: owner.text.chars().count(),
                }));
            }
            if !g.owners[d].contains(&p) {
                g.owners[d].push(p);
            }
        }
    }
    first_written
}

impl Graph {
    /// The published documents, in path order.
    pub fn published_ids(&self) -> impl Iterator<Item = DocId> + '_ {
        (0..self.published.len()).filter(|&d| self.published[d])
    }
}

/// Whether a document is part of the published site (not shadowed by a duplicate id).
pub fn is_published(g: &Graph, doc: DocId, _: &Document) -> bool {
    // Precomputed: pages, indexes and link checks ask this for every document.
    g.published.get(doc).copied().unwrap_or(false)
}

fn site_order(docs: &[Arc<Document>], a: DocId, b: DocId) -> Ordering {
    let (x, y) = (&docs[a], &docs[b]);
    x.kind
        .cmp(&y.kind)
        .then_with(|| natural_cmp(&x.id, &y.id))
        .then_with(|| x.source.cmp(&y.source))
}
