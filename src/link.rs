//! Stage 4, link: joins the documents into one site. Resolves every id and path a
//! document points at (relations, body links, wiki links, roadmap items), completes
//! two-sided relations (supersede chains), and builds the indexes pages are rendered
//! from (by status, owner, team, tag) and the backlinks. Everything here is a hash
//! lookup or a sort: no pass compares every document with every other.

use crate::config::{Config, Kind, Phase};
use crate::diagnostic::{Diagnostic, Pos};
use crate::model::people::People;
use crate::model::{Document, RelationKind, When, closest};
use crate::parse::markdown::LinkTarget;
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
    pub graph: Graph,
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
    let mut declared_superseded_by: Vec<Option<(DocId, Pos)>> = vec![None; n];
    for (from, doc) in docs.iter().enumerate() {
        for rel in &doc.relations {
            let Some(to) = resolve_id(&g, &docs, &rel.target, rel.target_kind) else {
                diags.push(unknown_id(
                    &docs,
                    doc,
                    &rel.target,
                    rel.target_kind,
                    rel.pos,
                ));
                continue;
            };
            edges.push(Edge {
                from,
                to,
                kind: EdgeKind::Relation(rel.kind),
            });
            match rel.kind {
                RelationKind::SupersededBy => declared_superseded_by[from] = Some((to, rel.pos)),
                RelationKind::Supersedes => g.supersedes[from].push(to),
                _ => {}
            }
        }
        let hrefs: Vec<Href> = doc
            .body
            .links
            .iter()
            .map(|l| resolve_body_link(&g, &docs, doc, l, assets, &mut diags))
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

    complete_supersedes(&docs, &mut g, &declared_superseded_by, &mut diags);
    link_roadmaps(&docs, &mut g, &mut edges, &mut diags);

    edges.sort_by_key(|e| (e.from, e.to, e.kind));
    edges.dedup();
    for (i, e) in edges.iter().enumerate() {
        g.outgoing[e.from].push(i);
        g.incoming[e.to].push(i);
    }
    g.edges = edges;

    // People: the registry first, then everyone else named as an owner.
    for (d, doc) in docs.iter().enumerate() {
        for owner in &doc.owners {
            let known = people
                .find(&owner.text)
                .is_some_and(|i| people.list[i].listed);
            if people.has_registry && !known {
                diags.push(
                    Diagnostic::new(
                        "unknown-owner",
                        &doc.source,
                        format!("'{}' is not in people.toml", owner.text),
                    )
                    .at(owner.pos)
                    .span(owner.text.chars().count())
                    .help(
                        match closest(
                            &owner.text,
                            people
                                .list
                                .iter()
                                .filter(|p| p.listed)
                                .map(|p| p.key.as_str()),
                        ) {
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
            if !g.owners[d].contains(&p) {
                g.owners[d].push(p);
            }
        }
    }
    build_indexes(&docs, &people, &mut g);
    check_outcomes(&docs, &mut diags);

    let site = Site {
        config,
        source_root: source_root.to_path_buf(),
        today,
        docs,
        people,
        graph: g,
        history: Histories::default(),
    };
    (site, diags)
}

fn index_ids(docs: &[Arc<Document>], g: &mut Graph, diags: &mut Vec<Diagnostic>) {
    let mut urls: FxHashMap<&str, DocId> = FxHashMap::default();
    for (i, doc) in docs.iter().enumerate() {
        g.by_path.insert(doc.source.clone(), i);
        if let Some(&first) = urls.get(doc.url.as_str()) {
            let other = &docs[first];
            let same_id = other.id.eq_ignore_ascii_case(&doc.id) && other.kind == doc.kind;
            let message = if same_id {
                format!(
                    "the {} id '{}' is also used by {}",
                    doc.kind.as_str(),
                    doc.id,
                    other.source
                )
            } else {
                format!(
                    "'{}' and '{}' ({}) would both be published at /{}",
                    doc.id, other.id, other.source, doc.url
                )
            };
            diags.push(
                Diagnostic::new("duplicate-id", &doc.source, message)
                    .at(id_pos(doc))
                    .help("give one of them another `id:` (ids are unique per kind); this one is left out of the site"),
            );
            continue;
        }
        urls.insert(&doc.url, i);
        let key = doc.id.to_lowercase();
        g.by_kind_id.entry((doc.kind, key.clone())).or_insert(i);
        g.by_id.entry(key).or_default().push(i);
    }
}

/// Where a document's id is written (its first line when it comes from the file name).
fn id_pos(_doc: &Document) -> Pos {
    Pos::new(1, 1)
}

/// Whether a document is part of the published site (not shadowed by a duplicate id).
pub fn is_published(g: &Graph, doc: DocId, d: &Document) -> bool {
    g.by_kind_id.get(&(d.kind, d.id.to_lowercase())) == Some(&doc)
}

fn resolve_id(g: &Graph, docs: &[Arc<Document>], id: &str, kind: Option<Kind>) -> Option<DocId> {
    let key = id.trim().to_lowercase();
    if let Some(kind) = kind
        && let Some(&d) = g.by_kind_id.get(&(kind, key.clone()))
    {
        return Some(d);
    }
    match g.by_id.get(&key).map(Vec::as_slice) {
        Some([only]) => Some(*only),
        // Several kinds share the id: prefer the expected kind, else specs over pages.
        Some(many) => many
            .iter()
            .copied()
            .min_by_key(|&d| (Some(docs[d].kind) != kind, docs[d].kind)),
        None => None,
    }
}

fn unknown_id(
    docs: &[Arc<Document>],
    doc: &Document,
    target: &str,
    kind: Option<Kind>,
    pos: Pos,
) -> Diagnostic {
    let candidates = docs
        .iter()
        .filter(|d| kind.is_none_or(|k| d.kind == k))
        .map(|d| d.id.as_str());
    let help = match closest(target, candidates) {
        Some(c) => format!("did you mean '{c}'?"),
        None => match kind {
            Some(k) => format!("write the id of an existing {}", k.as_str()),
            None => "write the id of an existing document".into(),
        },
    };
    Diagnostic::new(
        "broken-link",
        &doc.source,
        format!("no document with id '{target}'"),
    )
    .at(pos)
    .span(target.chars().count())
    .help(help)
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

fn resolve_body_link(
    g: &Graph,
    docs: &[Arc<Document>],
    doc: &Document,
    link: &crate::parse::markdown::BodyLink,
    assets: &BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Href {
    let diag = |rule: &'static str, msg: String, help: String| {
        Diagnostic::new(rule, &doc.source, msg)
            .at(link.pos)
            .span(link.len)
            .help(help)
    };
    let (target, fragment, written) = match &link.target {
        LinkTarget::Wiki { id, fragment } => {
            let key = id.to_lowercase();
            match g.by_id.get(&key).map(Vec::as_slice) {
                Some([only]) => (*only, fragment, id.clone()),
                Some(many) => {
                    let kinds: Vec<&str> = many.iter().map(|&d| docs[d].kind.as_str()).collect();
                    diags.push(diag(
                        "ambiguous-link",
                        format!(
                            "[[{id}]] matches documents of several kinds ({})",
                            kinds.join(", ")
                        ),
                        "link the file instead: [text](path/to/file.md)".into(),
                    ));
                    (many[0], fragment, id.clone())
                }
                None => {
                    let help = match closest(id, docs.iter().map(|d| d.id.as_str())) {
                        Some(c) => format!("did you mean [[{c}]]?"),
                        None => "write the id of an existing document".into(),
                    };
                    diags.push(diag(
                        "broken-link",
                        format!("no document with id '{id}'"),
                        help,
                    ));
                    return Href::Broken(String::new());
                }
            }
        }
        LinkTarget::Path { path, fragment } => {
            let written = path.clone();
            let Some(joined) = join_path(&doc.source, path) else {
                diags.push(diag(
                    "broken-link",
                    format!("'{path}' points outside the repository"),
                    "link a file inside the repository".into(),
                ));
                return Href::Broken(path.clone());
            };
            let found = g.by_path.get(&joined).copied().or_else(|| {
                // A folder link goes to its README or index page.
                ["README.md", "readme.md", "index.md"].iter().find_map(|f| {
                    g.by_path
                        .get(format!("{joined}/{f}").trim_start_matches('/'))
                        .copied()
                })
            });
            match found {
                Some(d) => (d, fragment, written),
                None if assets.contains(&joined) => return Href::Asset(asset_url(&joined)),
                None => {
                    let file_name = joined.rsplit('/').next().unwrap_or(&joined);
                    let help = match closest(
                        file_name,
                        g.by_path.keys().map(|p| p.rsplit('/').next().unwrap_or(p)),
                    ) {
                        Some(c) => format!("did you mean '{c}'?"),
                        None => "check the path: it is relative to this file's folder".into(),
                    };
                    diags.push(diag(
                        "broken-link",
                        format!("'{path}' does not exist"),
                        help,
                    ));
                    return Href::Broken(path.clone());
                }
            }
        }
    };
    if let Some(f) = fragment
        && !docs[target].body.headings.iter().any(|h| &h.anchor == f)
    {
        let anchors = docs[target].body.headings.iter().map(|h| h.anchor.as_str());
        let help = match closest(f, anchors) {
            Some(c) => format!("did you mean '#{c}'?"),
            None => "link a heading that exists; anchors are the heading text in lowercase with spaces as '-'".into(),
        };
        diags.push(diag(
            "missing-anchor",
            format!("'{written}' has no heading '#{f}'"),
            help,
        ));
    }
    Href::Doc {
        doc: target,
        fragment: fragment.clone(),
    }
}

/// Completes supersede chains declared on one side, and reports chains whose sides
/// disagree or that loop.
fn complete_supersedes(
    docs: &[Arc<Document>],
    g: &mut Graph,
    declared: &[Option<(DocId, Pos)>],
    diags: &mut Vec<Diagnostic>,
) {
    for (d, decl) in declared.iter().enumerate() {
        if let Some((to, _)) = decl {
            g.superseded_by[d] = Some(*to);
        }
    }
    let supersedes = g.supersedes.clone();
    for (newer, olds) in supersedes.iter().enumerate() {
        for &old in olds {
            match g.superseded_by[old] {
                None => g.superseded_by[old] = Some(newer),
                Some(other) if other != newer => {
                    let pos = declared[old].map_or(Pos::new(1, 1), |(_, p)| p);
                    diags.push(
                        Diagnostic::new(
                            "supersede-mismatch",
                            &docs[old].source,
                            format!(
                                "'{}' says it is superseded by '{}', but '{}' says it supersedes it",
                                docs[old].id, docs[other].id, docs[newer].id
                            ),
                        )
                        .at(pos)
                        .help(format!(
                            "make the two sides agree: fix `superseded_by` here or `supersedes` in {}",
                            docs[newer].source
                        )),
                    );
                }
                Some(_) => {}
            }
        }
    }
    // Rebuild `supersedes` from the completed chain so both directions agree.
    for v in &mut g.supersedes {
        v.clear();
    }
    for (old, newer) in g.superseded_by.iter().enumerate() {
        if let Some(newer) = newer {
            g.supersedes[*newer].push(old);
        }
    }
    // Cycles: walk each chain once; a state per node keeps this linear.
    let mut state = vec![0u8; docs.len()]; // 0 new, 1 on the current walk, 2 done
    for start in 0..docs.len() {
        let mut path = Vec::new();
        let mut cur = Some(start);
        while let Some(c) = cur {
            match state[c] {
                2 => break,
                1 => {
                    let at = path.iter().position(|&p| p == c).unwrap_or(0);
                    let cycle: Vec<&str> = path[at..]
                        .iter()
                        .map(|&p: &usize| docs[p].id.as_str())
                        .collect();
                    let pos = declared[c].map_or(Pos::new(1, 1), |(_, p)| p);
                    diags.push(
                        Diagnostic::new(
                            "supersede-cycle",
                            &docs[c].source,
                            format!(
                                "the supersede chain loops: {} → {}",
                                cycle.join(" → "),
                                docs[c].id
                            ),
                        )
                        .at(pos)
                        .help("a decision cannot be superseded by itself or by one it supersedes"),
                    );
                    g.superseded_by[c] = None;
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
    for (d, newer) in g.superseded_by.iter().enumerate() {
        let doc = &docs[d];
        if newer.is_some()
            && doc.kind == Kind::Decision
            && !doc
                .status
                .as_ref()
                .is_some_and(|s| s.name.to_lowercase().contains("supersed"))
        {
            let pos = doc.status.as_ref().map_or(Pos::new(1, 1), |s| s.pos);
            diags.push(
                Diagnostic::new(
                    "superseded-status",
                    &doc.source,
                    format!(
                        "'{}' is superseded but its status is '{}'",
                        doc.id,
                        doc.status.as_ref().map_or("(none)", |s| s.raw.as_str())
                    ),
                )
                .at(pos)
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
                    let drift = match (h.when, phase) {
                        (When::Now, Some(Phase::Draft)) => Some("is still a draft"),
                        (When::Later | When::Next, Some(Phase::Done)) => {
                            Some("has already shipped")
                        }
                        _ => None,
                    };
                    if let Some(what) = drift {
                        diags.push(
                            Diagnostic::new(
                                "roadmap-drift",
                                &doc.source,
                                format!(
                                    "'{}' is under '{}' but {what} ({})",
                                    feature.id,
                                    h.title,
                                    feature.status.as_ref().map_or("", |s| s.name.as_str())
                                ),
                            )
                            .at(item.pos)
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
    let mut order: Vec<DocId> = (0..docs.len())
        .filter(|&d| is_published(g, d, &docs[d]))
        .collect();
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

/// Outcome rules that look at one feature at a time.
fn check_outcomes(docs: &[Arc<Document>], diags: &mut Vec<Diagnostic>) {
    use crate::model::metric::Verdict;
    for doc in docs.iter().filter(|d| d.kind == Kind::Feature) {
        let shipped = doc.status.as_ref().and_then(|s| s.phase) == Some(Phase::Done);
        if shipped && doc.metrics.is_empty() {
            let pos = doc.status.as_ref().map_or(Pos::new(1, 1), |s| s.pos);
            diags.push(
                Diagnostic::new(
                    "missing-metrics",
                    &doc.source,
                    format!("'{}' has shipped but has no metric goals", doc.id),
                )
                .at(pos)
                .help("add `metrics:` with the goal this feature was built to move"),
            );
        }
        for m in &doc.metrics {
            if m.actual.is_some() && m.measured.is_none() {
                diags.push(
                    Diagnostic::new(
                        "metric-unmeasured",
                        &doc.source,
                        format!(
                            "the metric '{}' has an actual value but no `measured` date",
                            m.name
                        ),
                    )
                    .at(m.pos)
                    .help("add `measured: YYYY-MM-DD` with the day the actual was read"),
                );
            }
            if m.verdict == Some(Verdict::Overdue) {
                diags.push(
                    Diagnostic::new(
                        "review-overdue",
                        &doc.source,
                        format!(
                            "the review of '{}' was due on {} and the metric '{}' has no actual",
                            doc.id,
                            doc.dates.review.map(|d| d.to_string()).unwrap_or_default(),
                            m.name
                        ),
                    )
                    .at(m.pos)
                    .help("measure it and add `actual:` and `measured:`"),
                );
            }
        }
    }
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
