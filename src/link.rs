//! Stage 4, link: joins the documents into one site. Resolves every id and path a
//! document points at (relations, body links, wiki links, roadmap items), completes
//! two-sided relations (supersede chains), and builds the indexes pages are rendered
//! from (by status, owner, team, tag) and the backlinks. Everything here is a hash
//! lookup or a sort: no pass compares every document with every other.

use crate::config::{Config, Kind};
use crate::diagnostic::{Diagnostic, Pos, Rule};
use crate::model::people::People;
use crate::model::suggest::Suggester;
use crate::model::{Document, Drift, RelationKind};
use crate::parse::markdown::LinkTarget;
use crate::paths::List;
use jiff::civil::Date;
use rustc_hash::{FxHashMap, FxHashSet};
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

/// Each status, team and tag as written → the slug of its page.
#[derive(Debug, Clone, Default)]
pub struct Slugs {
    pub status: FxHashMap<String, String>,
    pub team: FxHashMap<String, String>,
    pub tag: FxHashMap<String, String>,
}

impl Slugs {
    /// The decided slug of a key of `list` (not `List::Person`: that is `Person::key`).
    pub fn get(&self, list: List, raw: &str) -> Option<&str> {
        let map = match list {
            List::Status => &self.status,
            List::Team => &self.team,
            List::Tag => &self.tag,
            List::Person => return None,
        };
        map.get(raw).map(String::as_str)
    }

    /// The URL of a key's page. A key no published document has (a status of an
    /// unpublished document) has no page; it gets the slug it would want.
    pub fn url(&self, list: List, raw: &str) -> String {
        match self.get(list, raw) {
            Some(slug) => crate::paths::list_url(list, slug),
            None => crate::paths::list_url(list, &crate::paths::key_slug(raw).0),
        }
    }
}

/// The site path a linked file is copied to.
pub fn asset_url(source_path: &str) -> String {
    format!("files/{source_path}")
}

/// Compares ids so that `ADR-2` sorts before `ADR-10`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (&a[..da], &b[..db]);
                let na = trim_zeros(na);
                let nb = trim_zeros(nb);
                let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if ord != Ordering::Equal {
                    return ord;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                let ord = x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase());
                if ord != Ordering::Equal {
                    return ord;
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let n = digits.iter().take_while(|&&c| c == b'0').count();
    &digits[n.min(digits.len().saturating_sub(1))..]
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
    for (from, doc) in docs.iter().enumerate() {
        memo.suggest.next_file();
        for rel in &doc.relations {
            let found = match &rel.path {
                Some(p) => find_relation_path(&g, p, &rel.target),
                None => resolve_id(&g, &docs, &rel.target, rel.target_kind),
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
                    None => {
                        unknown_id(&mut memo, &docs, doc, &rel.target, rel.target_kind, rel.pos)
                    }
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
                diags.push(ambiguous(&docs, doc, &written, many, rel.pos, span, help));
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
        let hrefs: Vec<Href> = doc
            .body
            .links
            .iter()
            .map(|l| {
                let cx = LinkContext {
                    g: &g,
                    docs: &docs,
                    from,
                    assets,
                    config: &config,
                    source_root,
                };
                resolve_body_link(&cx, &mut memo, l, &mut diags)
            })
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

    edges.sort_by_key(|e| (e.from, e.to, e.kind));
    edges.dedup();
    for (i, e) in edges.iter().enumerate() {
        g.outgoing[e.from].push(i);
        g.incoming[e.to].push(i);
    }
    g.edges = edges;

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

/// Whether two versions of a document give the same link stage output (graph and
/// diagnostics): they differ only in fields [`link`] never reads (title, body HTML,
/// dates, metric goals and other page content). With `placed` false, positions are
/// ignored too: the graph never holds one, so the same links written on other lines
/// give the same graph (only diagnostics would move). `serve` then keeps the graph and
/// swaps the document in.
pub fn links_alike(a: &Document, b: &Document, placed: bool) -> bool {
    link_shape(a, placed) == link_shape(b, placed)
}

/// A copy of what the link stage reads of a document, everything else emptied. The
/// destructuring is exhaustive on purpose: a new `Document` field does not compile until
/// it is sorted into "read by link" or not.
fn link_shape(doc: &Document, placed: bool) -> Document {
    use crate::model::{Relation, RoadmapItem, Status, Written};
    use crate::parse::markdown::{Body, BodyLink, Heading};
    let at = |p: Pos| if placed { p } else { Pos::default() };
    let Document {
        source,
        kind,
        id,
        id_pos,
        url,
        title: _,
        status,
        owners,
        team,
        team_pos,
        tags,
        tag_pos,
        dates: _,
        rice: _,
        relations,
        metrics: _,
        outcome: _,
        horizons,
        extra: _,
        body,
    } = doc;
    let Body {
        html: _,
        h1: _,
        headings,
        links,
        sections: _,
        summary: _,
        meta: _,
        html_anchors,
        title_anchor,
    } = body;
    Document {
        source: source.clone(),
        kind: *kind,
        id: id.clone(),
        // Whether the id was written (or comes from the file name) matters.
        id_pos: id_pos.map(at),
        url: url.clone(),
        title: String::new(),
        status: status.as_ref().map(|s| Status {
            pos: at(s.pos),
            ..s.clone()
        }),
        owners: owners
            .iter()
            .map(|w| Written {
                text: w.text.clone(),
                pos: at(w.pos),
            })
            .collect(),
        team: team.clone(),
        team_pos: at(*team_pos),
        tags: tags.clone(),
        tag_pos: tag_pos.iter().map(|&p| at(p)).collect(),
        dates: Default::default(),
        rice: None,
        relations: relations
            .iter()
            .map(|r| Relation {
                pos: at(r.pos),
                ..r.clone()
            })
            .collect(),
        metrics: Vec::new(),
        outcome: None,
        horizons: horizons
            .iter()
            .map(|h| crate::model::Horizon {
                items: h
                    .items
                    .iter()
                    .map(|i| RoadmapItem {
                        text: i.text.clone(),
                        link: i.link,
                        pos: at(i.pos),
                    })
                    .collect(),
                ..h.clone()
            })
            .collect(),
        extra: Vec::new(),
        body: Body {
            html: Default::default(),
            h1: None,
            title_anchor: title_anchor.clone(),
            // Only anchors are linked to.
            headings: headings
                .iter()
                .map(|h| Heading {
                    level: 0,
                    text: String::new(),
                    anchor: h.anchor.clone(),
                    pos: Pos::default(),
                })
                .collect(),
            links: links
                .iter()
                .map(|l| BodyLink {
                    pos: at(l.pos),
                    len: if placed { l.len } else { 0 },
                    ..l.clone()
                })
                .collect(),
            sections: Vec::new(),
            summary: String::new(),
            meta: Default::default(),
            html_anchors: html_anchors.clone(),
        },
    }
}

/// The document at a SOURCE-relative path; a folder means its README or index page.
/// The document a relation written as a path names. A path from the repository's root
/// (`/specs/area/583-name`) may include folders above SOURCE: its leading folders are
/// dropped until what is left names a document.
fn find_relation_path(g: &Graph, joined: &str, written: &str) -> Option<DocId> {
    find_path(g, joined).or_else(|| {
        if !written.starts_with('/') {
            return None;
        }
        let mut rest = joined;
        while let Some((_, shorter)) = rest.split_once('/') {
            rest = shorter;
            if let Some(d) = find_path(g, rest) {
                return Some(d);
            }
        }
        None
    })
}

fn find_path(g: &Graph, joined: &str) -> Option<DocId> {
    g.by_path.get(joined).copied().or_else(|| {
        ["README.md", "readme.md", "index.md"].iter().find_map(|f| {
            g.by_path
                .get(format!("{joined}/{f}").trim_start_matches('/'))
                .copied()
        })
    })
}

/// Ids made from file names can collide (two `2071-*.md` files, or one slug in two
/// packages). The later document keeps its whole file name as id (or its path when
/// that collides too), so both are published; the collision is reported.
fn separate_file_ids(docs: &mut [Arc<Document>], diags: &mut Vec<Diagnostic>) {
    let mut taken: FxHashMap<(Kind, String), usize> = FxHashMap::default();
    for (i, doc) in docs.iter().enumerate() {
        if doc.id_pos.is_some() {
            taken.entry((doc.kind, doc.id.to_lowercase())).or_insert(i);
        }
    }
    for i in 0..docs.len() {
        let key = (docs[i].kind, docs[i].id.to_lowercase());
        match taken.get(&key) {
            None => {
                taken.insert(key, i);
            }
            Some(&first) if first != i && docs[i].id_pos.is_none() => {
                let other = docs[first].source.clone();
                let doc = Arc::make_mut(&mut docs[i]);
                let without_ext = doc
                    .source
                    .rsplit_once('.')
                    .map_or(doc.source.as_str(), |(p, _)| p);
                let stem = without_ext.rsplit('/').next().unwrap_or(without_ext);
                let new_id = if taken.contains_key(&(doc.kind, stem.to_lowercase())) {
                    without_ext.to_string()
                } else {
                    stem.to_string()
                };
                diags.push(
                    Diagnostic::new(
                        Rule::DuplicateNumber,
                        &doc.source,
                        format!(
                            "the file name gives the {} id '{}', which {other} has too; this one is published as '{new_id}'",
                            doc.kind.as_str(),
                            doc.id
                        ),
                    )
                    .at(Pos::new(1, 1))
                    .help("renumber one of the files, or give one an `id:` in its metadata"),
                );
                doc.id = new_id;
                doc.url = crate::paths::doc_url(doc.kind, &doc.id, &doc.source).0;
                taken.insert((doc.kind, doc.id.to_lowercase()), i);
            }
            Some(_) => {}
        }
    }
}

fn index_ids(docs: &[Arc<Document>], g: &mut Graph, diags: &mut Vec<Diagnostic>) {
    let mut urls: FxHashMap<&str, DocId> = FxHashMap::default();
    for (i, doc) in docs.iter().enumerate() {
        g.by_path.insert(doc.source.clone(), i);
        if let Some(&first) = urls.get(doc.url.as_str()) {
            diags.extend(duplicate_id(&docs[first], doc));
            continue;
        }
        urls.insert(&doc.url, i);
        let key = doc.id.to_lowercase();
        g.by_kind_id.entry((doc.kind, key.clone())).or_insert(i);
        g.by_id.entry(key).or_default().push(i);
    }
    g.published = vec![false; docs.len()];
    for &d in g.by_kind_id.values() {
        g.published[d] = true;
    }
}

/// Two diagnostics for two documents that would be published at one URL: one at the
/// `id:` of each, so both files show the problem. `first` keeps the URL.
fn duplicate_id(first: &Document, later: &Document) -> [Diagnostic; 2] {
    let same_id = first.id.eq_ignore_ascii_case(&later.id) && first.kind == later.kind;
    let about = |doc: &Document, other: &Document| {
        if same_id {
            format!(
                "the {} id '{}' is also used by {}",
                doc.kind.as_str(),
                doc.id,
                written_at(other)
            )
        } else {
            format!(
                "'{}' and '{}' ({}) would both be published at /{}",
                doc.id,
                other.id,
                written_at(other),
                doc.url
            )
        }
    };
    let at_id = |doc: &Document, message: String, help: &str| {
        let d = Diagnostic::new(Rule::DuplicateId, &doc.source, message).help(help);
        match doc.id_pos {
            Some(pos) => d.at(pos).span(doc.id.chars().count()),
            None => d,
        }
    };
    [
        at_id(
            first,
            about(first, later),
            "give one of them another `id:` (ids are unique per kind); this one is published",
        ),
        at_id(
            later,
            about(later, first),
            "give one of them another `id:` (ids are unique per kind); this one is left out of the site",
        ),
    ]
}

/// `file:line:column` of a document's id (`file` alone when the id is its file name),
/// for messages that point at a second place.
fn written_at(doc: &Document) -> String {
    match doc.id_pos {
        Some(p) => format!("{}:{}:{}", doc.source, p.line, p.col),
        None => doc.source.clone(),
    }
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

fn resolve_id(g: &Graph, docs: &[Arc<Document>], id: &str, kind: Option<Kind>) -> Option<DocId> {
    let key = id.trim().to_lowercase();
    let many = g.by_id.get(&key)?;
    // `by_id` lists documents in the order `by_kind_id` took them, so the first of the
    // kind is the one `by_kind_id` holds (found without building its tuple key).
    if let Some(kind) = kind
        && let Some(&d) = many.iter().find(|&&d| docs[d].kind == kind)
    {
        return Some(d);
    }
    match many.as_slice() {
        [only] => Some(*only),
        // Several kinds share the id: prefer the expected kind, else specs over pages.
        many => many
            .iter()
            .copied()
            .min_by_key(|&d| (Some(docs[d].kind) != kind, docs[d].kind)),
    }
}

fn unknown_id(
    memo: &mut Memo<'_>,
    docs: &[Arc<Document>],
    doc: &Document,
    target: &str,
    kind: Option<Kind>,
    pos: Pos,
) -> Diagnostic {
    let candidates = || {
        docs.iter()
            .filter(move |d| kind.is_none_or(|k| d.kind == k))
            .map(|d| d.id.as_str())
    };
    let help = match memo.suggest.suggest(Pool::Ids(kind), target, candidates) {
        Some(c) => format!("did you mean '{c}'?"),
        None => match kind {
            Some(k) => format!("write the id of an existing {}", k.as_str()),
            None => "write the id of an existing document".into(),
        },
    };
    let expected = kind.map_or("document", Kind::as_str);
    Diagnostic::new(
        Rule::BrokenLink,
        &doc.source,
        format!("no {expected} with id '{target}'"),
    )
    .at(pos)
    .span(target.chars().count())
    .help(help)
}

/// An id that documents of several kinds share, written where only one can be meant.
fn ambiguous(
    docs: &[Arc<Document>],
    doc: &Document,
    written: &str,
    many: &[DocId],
    pos: Pos,
    span: usize,
    help: &str,
) -> Diagnostic {
    let found: Vec<String> = many
        .iter()
        .map(|&d| format!("a {} ({})", docs[d].kind.as_str(), docs[d].source))
        .collect();
    // A body link suggests markdown links; a front matter field, paths.
    let in_body = written.starts_with("[[");
    let links: Vec<String> = many
        .iter()
        .map(|&d| {
            let path = relative_path(&doc.source, &docs[d].source);
            if in_body {
                format!("[{}]({path})", docs[d].id)
            } else {
                path
            }
        })
        .collect();
    Diagnostic::new(
        Rule::AmbiguousLink,
        &doc.source,
        format!("{written} matches {}", found.join(" and ")),
    )
    .at(pos)
    .span(span)
    .help(format!("{help}: {}", links.join(" or ")))
}

/// The path of `to` relative to the folder of `from` (both SOURCE-relative), as a
/// markdown link in `from` would write it.
pub fn relative_path(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts[..to_parts.len() - 1])
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<&str> = vec![".."; from_dirs.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

/// Joins a relative link to the folder of the document it is in. `None` when the path
/// climbs out of SOURCE.
pub fn join_path(doc_path: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = if link.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = doc_path.split('/').collect();
        p.pop();
        p
    };
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The candidate lists "did you mean" suggestions are drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Pool {
    /// The ids of documents of a kind (of every kind with `None`).
    Ids(Option<Kind>),
    /// The file names of documents.
    Files,
    /// The heading anchors of a document.
    Anchors(DocId),
}

/// What checking links works out once and reuses: suggestions (see [`Suggester`]) and
/// the anchor set of each document linked with a fragment, so that a file of thousands
/// of fragment links into a document of thousands of headings costs a lookup per link.
#[derive(Default)]
struct Memo<'d> {
    suggest: Suggester<Pool>,
    anchors: FxHashMap<DocId, FxHashSet<&'d str>>,
}

impl<'d> Memo<'d> {
    fn has_anchor(&mut self, docs: &'d [Arc<Document>], doc: DocId, anchor: &str) -> bool {
        self.anchors
            .entry(doc)
            .or_insert_with(|| {
                // A link to the title's anchor is fine (GitHub makes one).
                docs[doc].body.anchors().collect()
            })
            .contains(anchor)
    }
}

/// What resolving a body link needs to know besides the link.
struct LinkContext<'a, 'd> {
    g: &'a Graph,
    docs: &'d [Arc<Document>],
    /// The document the link is in.
    from: DocId,
    assets: &'a BTreeSet<String>,
    config: &'a Config,
    source_root: &'a std::path::Path,
}

/// How a body link was written, for messages (formatted only when one is needed).
enum Shown<'a> {
    Wiki(&'a str),
    Path(&'a str),
    ThisPage,
}

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Shown::Wiki(id) => write!(f, "[[{id}]]"),
            Shown::Path(path) => write!(f, "'{path}'"),
            Shown::ThisPage => f.write_str("this page"),
        }
    }
}

fn resolve_body_link<'d>(
    cx: &LinkContext<'_, 'd>,
    memo: &mut Memo<'d>,
    link: &crate::parse::markdown::BodyLink,
    diags: &mut Vec<Diagnostic>,
) -> Href {
    let (g, docs) = (cx.g, cx.docs);
    let doc = &docs[cx.from];
    let diag = |rule: Rule, msg: String, help: String| {
        Diagnostic::new(rule, &doc.source, msg)
            .at(link.pos)
            .span(link.len)
            .help(help)
    };
    let (target, fragment, written) = match &link.target {
        LinkTarget::Wiki { id, fragment } => {
            let key = id.to_lowercase();
            match g.by_id.get(&key).map(Vec::as_slice) {
                Some([only]) => (*only, fragment, Shown::Wiki(id)),
                Some(many) => {
                    diags.push(ambiguous(
                        docs,
                        doc,
                        &format!("[[{id}]]"),
                        many,
                        link.pos,
                        link.len,
                        "link the file instead",
                    ));
                    (many[0], fragment, Shown::Wiki(id))
                }
                None => {
                    let help = match memo
                        .suggest
                        .suggest(Pool::Ids(None), id, || docs.iter().map(|d| d.id.as_str()))
                    {
                        Some(c) => format!("did you mean [[{c}]]?"),
                        None => "write the id of an existing document".into(),
                    };
                    diags.push(diag(
                        Rule::BrokenLink,
                        format!("no document with id '{id}'"),
                        help,
                    ));
                    return Href::Broken(String::new());
                }
            }
        }
        LinkTarget::Path { path, fragment } if path.is_empty() => {
            (cx.from, fragment, Shown::ThisPage)
        }
        LinkTarget::Path { path, fragment } => {
            let Some(joined) = join_path(&doc.source, path) else {
                diags.push(diag(
                    Rule::BrokenLink,
                    format!("'{path}' points outside the repository"),
                    "link a file inside the repository".into(),
                ));
                return Href::Broken(path.clone());
            };
            match find_path(g, &joined) {
                Some(d) if !is_published(g, d, &docs[d]) => {
                    diags.push(diag(
                        Rule::UnpublishedLink,
                        format!(
                            "'{path}' is left out of the site: its {} id '{}' is a duplicate",
                            docs[d].kind.as_str(),
                            docs[d].id
                        ),
                        "give that file its own `id:`, or link the document that uses the id"
                            .into(),
                    ));
                    return Href::Broken(path.clone());
                }
                Some(d) => (d, fragment, Shown::Path(path)),
                None if cx.assets.contains(&joined) => return Href::Asset(asset_url(&joined)),
                None if cx.source_root.join(&joined).is_file() => {
                    let why = if cx.config.is_ignored(&joined) {
                        "it matches `ignore` in specsite.toml"
                    } else {
                        "specsite does not publish hidden files or the templates/, themes/ and static/ folders"
                    };
                    diags.push(diag(
                        Rule::UnpublishedLink,
                        format!("'{path}' exists but is not published: {why}"),
                        "link a published document, or stop ignoring the file".into(),
                    ));
                    return Href::Broken(path.clone());
                }
                None => {
                    let file_name = joined.rsplit('/').next().unwrap_or(&joined);
                    let help = match memo.suggest.suggest(Pool::Files, file_name, || {
                        g.by_path.keys().map(|p| p.rsplit('/').next().unwrap_or(p))
                    }) {
                        Some(c) => format!("did you mean '{c}'?"),
                        None => "check the path: it is relative to this file's folder".into(),
                    };
                    diags.push(diag(
                        Rule::BrokenLink,
                        format!("'{path}' does not exist"),
                        help,
                    ));
                    return Href::Broken(path.clone());
                }
            }
        }
    };
    if let Some(f) = fragment
        && !memo.has_anchor(docs, target, f)
    {
        use crate::parse::markdown::AnchorMatch;
        // Only a miss looks further: GitHub's anchors are lowercase, and a link that
        // differs in case alone works on some hosts.
        if let AnchorMatch::OtherCase(a) = docs[target].body.find_anchor(f) {
            diags.push(diag(
                Rule::AnchorCase,
                format!("{written} has no heading '#{f}', only '#{a}'"),
                format!("write '#{a}': anchors are lowercase, and some hosts match them exactly"),
            ));
        } else {
            let anchors = || docs[target].body.headings.iter().map(|h| h.anchor.as_str());
            let help = match memo.suggest.suggest(Pool::Anchors(target), f, anchors) {
                Some(c) => format!("did you mean '#{c}'?"),
                None => "link a heading that exists; anchors are the heading text in lowercase with spaces as '-'".into(),
            };
            diags.push(diag(
                Rule::MissingAnchor,
                format!("{written} has no heading '#{f}'"),
                help,
            ));
        }
    }
    Href::Doc {
        doc: target,
        fragment: fragment.clone(),
    }
}

/// The supersede relations as each document declares them, with where.
struct Declared {
    /// Per document: its `superseded_by` values.
    superseded_by: Vec<Vec<(DocId, Pos)>>,
    /// Per document: its `supersedes` values.
    supersedes: Vec<Vec<(DocId, Pos)>>,
}

/// `file:line:column` of a position in a document, for messages that point at a
/// second place.
fn place(doc: &Document, pos: Pos) -> String {
    format!("{}:{}:{}", doc.source, pos.line, pos.col)
}

/// Completes supersede chains declared on one side (silently: one side is enough),
/// reports each disagreement between the two sides where it is written, and breaks and
/// reports loops.
fn complete_supersedes(
    docs: &[Arc<Document>],
    g: &mut Graph,
    declared: &Declared,
    diags: &mut Vec<Diagnostic>,
) {
    let n = docs.len();
    // `written` is the id written at `pos`, which the caret underlines.
    let mismatch = |at: DocId, pos: Pos, written: DocId, message: String, help: String| {
        Diagnostic::new(Rule::SupersedeMismatch, &docs[at].source, message)
            .at(pos)
            .span(docs[written].id.chars().count())
            .help(help)
    };
    // Per older decision: the newer ones whose `supersedes` lists it, in site order.
    let mut claims: Vec<Vec<(DocId, Pos)>> = vec![Vec::new(); n];
    for (newer, olds) in declared.supersedes.iter().enumerate() {
        for &(old, pos) in olds {
            if !claims[old].iter().any(|&(c, _)| c == newer) {
                claims[old].push((newer, pos));
            }
        }
    }
    // Where each completed edge (older → newer) is written, for loop reports.
    let mut written: Vec<Option<(DocId, Pos)>> = vec![None; n];
    for old in 0..n {
        let id = |d: DocId| docs[d].id.as_str();
        if let Some(&(newer, pos)) = declared.superseded_by[old].first() {
            g.superseded_by[old] = Some(newer);
            written[old] = Some((old, pos));
            for &(other, other_pos) in &declared.superseded_by[old][1..] {
                if other != newer {
                    diags.push(mismatch(
                        old,
                        other_pos,
                        other,
                        format!(
                            "'{}' says it is superseded by both '{}' and '{}'",
                            id(old),
                            id(newer),
                            id(other)
                        ),
                        format!("a {} is superseded by one other: keep one `superseded_by`, and chain the rest", docs[old].kind.as_str()),
                    ));
                }
            }
            // The newer side lists what it supersedes, and this one is not among them.
            let listed = &declared.supersedes[newer];
            if let Some(&(_, listed_pos)) = listed.first()
                && !listed.iter().any(|&(o, _)| o == old)
            {
                let ids: Vec<&str> = listed.iter().map(|&(o, _)| id(o)).collect();
                diags.push(mismatch(
                    old,
                    pos,
                    newer,
                    disagreement(id(old), id(newer), id(newer), &ids.join("', '")),
                    format!(
                        "make the two sides agree: add '{}' to `supersedes` at {}, or fix `superseded_by` here",
                        id(old),
                        place(&docs[newer], listed_pos)
                    ),
                ));
            }
            for &(claimer, claim_pos) in &claims[old] {
                if claimer != newer {
                    diags.push(mismatch(
                        old,
                        pos,
                        newer,
                        disagreement(id(old), id(newer), id(claimer), id(old)),
                        format!(
                            "make the two sides agree: fix `superseded_by` here, or `supersedes` at {}",
                            place(&docs[claimer], claim_pos)
                        ),
                    ));
                }
            }
        } else if let Some(&(newer, pos)) = claims[old].first() {
            g.superseded_by[old] = Some(newer);
            written[old] = Some((newer, pos));
            for &(other, other_pos) in &claims[old][1..] {
                diags.push(mismatch(
                    other,
                    other_pos,
                    old,
                    format!(
                        "'{}' says it supersedes '{}', but so does '{}'",
                        id(other),
                        id(old),
                        id(newer)
                    ),
                    format!(
                        "a {} is superseded by one other: drop '{}' here or at {}, or chain them",
                        docs[old].kind.as_str(),
                        id(old),
                        place(&docs[newer], pos)
                    ),
                ));
            }
        }
    }
    // Loops: walk each chain once; a state per node keeps this linear. The edge that
    // closes a loop is reported where it is written, and dropped.
    let mut state = vec![0u8; n]; // 0 new, 1 on the current walk, 2 done
    for start in 0..n {
        let mut path = Vec::new();
        let mut cur = Some(start);
        while let Some(c) = cur {
            match state[c] {
                2 => break,
                1 => {
                    let at = path.iter().position(|&p| p == c).unwrap_or(0);
                    let mut cycle: Vec<&str> = path[at..]
                        .iter()
                        .map(|&p: &usize| docs[p].id.as_str())
                        .collect();
                    cycle.push(docs[c].id.as_str());
                    let last = *path.last().unwrap_or(&c);
                    let (file, pos) = written[last].unwrap_or((last, Pos::default()));
                    // `superseded_by: c` in `last`, or `supersedes: last` in `c`.
                    let shown = if file == last { c } else { last };
                    diags.push(
                        Diagnostic::new(
                            Rule::SupersedeCycle,
                            &docs[file].source,
                            format!(
                                "the supersede chain loops: {} (each superseded by the next)",
                                cycle.join(" → ")
                            ),
                        )
                        .at(pos)
                        .span(docs[shown].id.chars().count())
                        .help(format!("a {} cannot be superseded by itself or by one it supersedes: remove this link", docs[file].kind.as_str())),
                    );
                    g.superseded_by[last] = None;
                    break;
                }
                _ => {
                    state[c] = 1;
                    path.push(c);
                    cur = g.superseded_by[c];
                }
            }
        }
        for p in path {
            state[p] = 2;
        }
    }
    // `supersedes` is the completed chain read the other way, so both directions agree.
    for v in &mut g.supersedes {
        v.clear();
    }
    for (old, newer) in g.superseded_by.iter().enumerate() {
        if let Some(newer) = newer {
            g.supersedes[*newer].push(old);
        }
    }
    for (d, newer) in g.superseded_by.iter().enumerate() {
        let doc = &docs[d];
        if newer.is_some()
            && doc.kind == Kind::Decision
            && !doc
                .status
                .as_ref()
                .is_some_and(|s| s.name.to_lowercase().contains("supersed"))
        {
            let (pos, span) = doc.status_place();
            diags.push(
                Diagnostic::new(
                    Rule::SupersededStatus,
                    &doc.source,
                    format!(
                        "'{}' is superseded but its status is '{}'",
                        doc.id,
                        doc.status.as_ref().map_or("(none)", |s| s.raw.as_str())
                    ),
                )
                .at(pos)
                .span(span)
                .help("set `status: superseded`"),
            );
        }
    }
}

fn link_roadmaps(
    docs: &[Arc<Document>],
    g: &mut Graph,
    edges: &mut Vec<Edge>,
    diags: &mut Vec<Diagnostic>,
) {
    g.roadmap_items = vec![Vec::new(); docs.len()];
    for (r, doc) in docs.iter().enumerate() {
        if doc.kind != Kind::Roadmap {
            continue;
        }
        let mut horizons = Vec::with_capacity(doc.horizons.len());
        for h in &doc.horizons {
            let mut items = Vec::with_capacity(h.items.len());
            for item in &h.items {
                let target = item.link.and_then(|l| match g.hrefs[r].get(l) {
                    Some(Href::Doc { doc, .. }) => Some(*doc),
                    _ => None,
                });
                if let Some(f) = target {
                    if !g.roadmaps_of[f].contains(&r) {
                        g.roadmaps_of[f].push(r);
                    }
                    edges.push(Edge {
                        from: r,
                        to: f,
                        kind: EdgeKind::Relation(RelationKind::RoadmapItem),
                    });
                    let feature = &docs[f];
                    let phase = feature.status.as_ref().and_then(|s| s.phase);
                    let drift = Drift::of(h.when, phase).map(|d| match d {
                        Drift::StillDraft => "is still a draft",
                        Drift::AlreadyShipped => "has already shipped",
                    });
                    // The caret goes under the item's link to the feature.
                    let item_place = item
                        .link
                        .and_then(|l| doc.body.links.get(l))
                        .map_or((item.pos, 1), |l| (l.pos, l.len));
                    if let Some(what) = drift {
                        diags.push(
                            Diagnostic::new(
                                Rule::RoadmapDrift,
                                &doc.source,
                                format!(
                                    "'{}' is under '{}' but {what} ({})",
                                    feature.id,
                                    h.title,
                                    feature.status.as_ref().map_or("", |s| s.name.as_str())
                                ),
                            )
                            .at(item_place.0)
                            .span(item_place.1)
                            .help("move the item to the horizon that matches its status, or update the feature's status"),
                        );
                    }
                }
                items.push(target);
            }
            horizons.push(items);
        }
        g.roadmap_items[r] = horizons;
    }
}

fn site_order(docs: &[Arc<Document>], a: DocId, b: DocId) -> Ordering {
    let (x, y) = (&docs[a], &docs[b]);
    x.kind
        .cmp(&y.kind)
        .then_with(|| natural_cmp(&x.id, &y.id))
        .then_with(|| x.source.cmp(&y.source))
}

fn build_indexes(docs: &[Arc<Document>], people: &People, g: &mut Graph) {
    let mut order: Vec<DocId> = g.published_ids().collect();
    order.sort_by(|&a, &b| site_order(docs, a, b));
    g.owned = vec![Vec::new(); people.list.len()];
    for &d in &order {
        let doc = &docs[d];
        g.by_kind.entry(doc.kind).or_default().push(d);
        if let Some(s) = &doc.status {
            g.by_status
                .entry((doc.kind, s.name.clone()))
                .or_default()
                .push(d);
        }
        if let Some(t) = &doc.team {
            g.by_team.entry(t.clone()).or_default().push(d);
        }
        for t in &doc.tags {
            g.by_tag.entry(t.clone()).or_default().push(d);
        }
        for &p in &g.owners[d] {
            g.owned[p].push(d);
        }
    }
}

/// Where a list key is written, for messages about its page.
#[derive(Debug, Clone)]
struct KeyPlace {
    file: String,
    pos: Pos,
    span: usize,
}

/// Keys of one list that name one page: the ways one key is written.
struct KeyGroup {
    /// As first written (the page's heading).
    shown: String,
    /// Every way it is written.
    written: Vec<String>,
    /// Where it is first written; `None` for a status only the configuration names.
    place: Option<KeyPlace>,
}

/// Groups keys (in the order met) by [`crate::paths::key_identity`].
#[derive(Default)]
struct KeyGroups {
    groups: Vec<KeyGroup>,
    by_identity: FxHashMap<String, usize>,
}

impl KeyGroups {
    fn add(&mut self, raw: &str, place: impl FnOnce() -> Option<KeyPlace>) {
        let identity = crate::paths::key_identity(raw);
        match self.by_identity.get(&identity) {
            Some(&i) => {
                let g = &mut self.groups[i];
                if !g.written.iter().any(|w| w == raw) {
                    g.written.push(raw.to_string());
                }
            }
            None => {
                self.by_identity.insert(identity, self.groups.len());
                self.groups.push(KeyGroup {
                    shown: raw.to_string(),
                    written: vec![raw.to_string()],
                    place: place(),
                });
            }
        }
    }

    /// Decides each group's slug, reports fallbacks and collisions where the key is
    /// first written, and returns every way of writing a key → its slug.
    fn decide(self, list: List, diags: &mut Vec<Diagnostic>) -> FxHashMap<String, String> {
        let decided = crate::paths::decide(self.groups.iter().map(|g| g.shown.as_str()));
        let shown: Vec<(&str, Option<&KeyPlace>)> = self
            .groups
            .iter()
            .map(|g| (g.shown.as_str(), g.place.as_ref()))
            .collect();
        for (i, d) in decided.iter().enumerate() {
            diags.extend(slug_diagnostic(list, &shown, i, d));
        }
        let mut out = FxHashMap::default();
        for (g, d) in self.groups.into_iter().zip(decided) {
            for w in g.written {
                out.insert(w, d.slug.clone());
            }
        }
        out
    }
}

/// What to say about key `i` of a list (`keys` as shown, with where they are first
/// written) when its slug is not simply its text: a fallback, or a collision.
fn slug_diagnostic(
    list: List,
    keys: &[(&str, Option<&KeyPlace>)],
    i: usize,
    d: &crate::paths::Decided,
) -> Option<Diagnostic> {
    let (raw, place) = keys[i];
    let noun = list.noun();
    let url = crate::paths::list_url(list, &d.slug);
    let (rule, message, help) = if let Some((first, wanted)) = &d.collided {
        let (other, other_place) = keys[*first];
        let at = other_place.map_or_else(
            || crate::config::CONFIG_FILE.to_string(),
            |p| format!("{}:{}:{}", p.file, p.pos.line, p.pos.col),
        );
        (
            Rule::UrlCollision,
            format!(
                "the {noun} '{raw}' and the {noun} '{other}' ({at}) would share the page /{}; this one's page is /{url}",
                crate::paths::list_url(list, wanted)
            ),
            match list {
                List::Person => "they are two people: give one of them another id (ids that differ only in case or punctuation share a URL)".to_string(),
                _ => format!("if they are one {noun}, write them the same way; if not, rename one so their URLs differ"),
            },
        )
    } else if let Some(why) = d.fallback {
        let what = match list {
            List::Person => "their id in people.toml or their name".to_string(),
            _ => format!("the {noun}"),
        };
        (
            Rule::UrlFallback,
            format!("the {noun} '{raw}' {}; its page is /{url}", why.reason()),
            format!(
                "to choose the URL, write {what} with letters or digits; until then the page keeps this one"
            ),
        )
    } else {
        return None;
    };
    let d = Diagnostic::new(
        rule,
        place.map_or(crate::config::CONFIG_FILE, |p| p.file.as_str()),
        message,
    )
    .help(help);
    Some(match place {
        Some(p) if p.pos.line > 0 => d.at(p.pos).span(p.span),
        _ => d,
    })
}

/// Decides the slug of every status, team, tag and person page once, for the whole
/// site (see [`crate::paths::decide`]): keys written alike share a page, different keys
/// never do. People's slugs become their `key`.
fn decide_slugs(
    docs: &[Arc<Document>],
    config: &Config,
    people: &mut People,
    first_written: &[Option<KeyPlace>],
    g: &mut Graph,
    diags: &mut Vec<Diagnostic>,
) {
    let at = |d: DocId, pos: Pos, raw: &str| KeyPlace {
        file: docs[d].source.clone(),
        pos,
        span: raw.chars().count(),
    };
    let mut status = KeyGroups::default();
    for ((_, name), ds) in &g.by_status {
        status.add(name, || {
            let d = *ds.first()?;
            let s = docs[d].status.as_ref()?;
            Some(at(d, s.pos, &s.raw))
        });
    }
    // Statuses no published document has yet still get a page address (the home page
    // links them).
    for kind in Kind::ALL {
        for s in config.statuses.of(kind) {
            status.add(&s.name, || None);
        }
    }
    let mut team = KeyGroups::default();
    for (name, ds) in &g.by_team {
        team.add(name, || {
            let d = *ds.first()?;
            Some(at(d, docs[d].team_pos, name))
        });
    }
    let mut tag = KeyGroups::default();
    for (name, ds) in &g.by_tag {
        tag.add(name, || {
            let d = *ds.first()?;
            let i = docs[d].tags.iter().position(|t| t == name)?;
            Some(at(d, *docs[d].tag_pos.get(i)?, name))
        });
    }
    g.slugs = Slugs {
        status: status.decide(List::Status, diags),
        team: team.decide(List::Team, diags),
        tag: tag.decide(List::Tag, diags),
    };

    // People are each their own key: two entries of people.toml that differ only in
    // case are two people, with two pages.
    let places: Vec<Option<KeyPlace>> = people
        .list
        .iter()
        .zip(&people.keys)
        .enumerate()
        .map(|(p, (person, (written, pos)))| {
            if person.listed {
                Some(KeyPlace {
                    file: crate::config::PEOPLE_FILE.to_string(),
                    pos: *pos,
                    span: written.chars().count(),
                })
            } else {
                first_written.get(p).cloned().flatten()
            }
        })
        .collect();
    let decided = crate::paths::decide(people.keys.iter().map(|(w, _)| w.as_str()));
    let shown: Vec<(&str, Option<&KeyPlace>)> = people
        .keys
        .iter()
        .zip(&places)
        .map(|((w, _), place)| (w.as_str(), place.as_ref()))
        .collect();
    for (i, d) in decided.iter().enumerate() {
        diags.extend(slug_diagnostic(List::Person, &shown, i, d));
    }
    for (person, d) in people.list.iter_mut().zip(decided) {
        person.key = d.slug;
    }
}

/// The message of a supersede chain whose two sides name different documents.
fn disagreement(old: &str, newer: &str, claimer: &str, claimed: &str) -> String {
    format!(
        "'{old}' says it is superseded by '{newer}', but '{claimer}' says it supersedes '{claimed}'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut v = vec!["ADR-10", "ADR-2", "adr-1", "ADR-002", "B"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["adr-1", "ADR-2", "ADR-002", "ADR-10", "B"]);
    }

    #[test]
    fn relative_paths_between_sources() {
        assert_eq!(relative_path("features/a.md", "features/b.md"), "b.md");
        assert_eq!(
            relative_path("features/a.md", "decisions/x.md"),
            "../decisions/x.md"
        );
        assert_eq!(relative_path("a.md", "docs/adr/x.md"), "docs/adr/x.md");
        assert_eq!(relative_path("docs/adr/x.md", "b.md"), "../../b.md");
        for (from, to) in [("features/a.md", "decisions/x.md"), ("a/b/c.md", "a/d.md")] {
            assert_eq!(
                join_path(from, &relative_path(from, to)).as_deref(),
                Some(to)
            );
        }
    }

    #[test]
    fn joining_paths() {
        assert_eq!(
            join_path("features/a.md", "b.md").as_deref(),
            Some("features/b.md")
        );
        assert_eq!(
            join_path("features/a.md", "../adr/1.md").as_deref(),
            Some("adr/1.md")
        );
        assert_eq!(
            join_path("features/a.md", "./x/./y.png").as_deref(),
            Some("features/x/y.png")
        );
        assert_eq!(join_path("features/a.md", "../../etc/passwd"), None);
        assert_eq!(join_path("a/b.md", "/c.md").as_deref(), Some("c.md"));
    }
}
