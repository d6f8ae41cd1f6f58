//! Views: the plain data each template sees. Building them here keeps templates free of
//! logic and gives custom themes a stable, documented shape (see the README).

use crate::diagnostic::Diagnostic;
use crate::link::{DocId, EdgeKind, Href, Site};
use crate::model::{Document, RelationKind};
use crate::parse::markdown::fill_placeholders;
use crate::paths::List;
use rustc_hash::FxHashSet;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct StatusView<'a> {
    pub name: &'a str,
    pub raw: &'a str,
    pub colour: &'a str,
    pub phase: Option<&'static str>,
    /// Root-relative URL of the status page.
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonRef<'a> {
    pub name: &'a str,
    pub url: String,
}

/// A document as shown in lists and relation panels. Views borrow from the site: a
/// document's card is made for every list and panel it is in, so copying its texts
/// each time would be most of what making one costs.
#[derive(Debug, Clone, Serialize)]
pub struct Card<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub kind: &'static str,
    pub url: &'a str,
    pub status: Option<StatusView<'a>>,
    pub owners: Vec<PersonRef<'a>>,
    pub team: Option<&'a str>,
    /// Root-relative URL of the team page.
    pub team_url: Option<String>,
    pub outcome: Option<&'static str>,
    pub summary: &'a str,
    /// The date lists sort and show by (decision date, shipped, updated, created).
    pub date: Option<String>,
    pub rice: Option<f64>,
    /// Days unchanged, when the document is stale (see `[history]`).
    pub stale_days: Option<i64>,
}

pub fn status_view<'a>(site: &'a Site, doc: &'a Document) -> Option<StatusView<'a>> {
    let s = doc.status.as_ref()?;
    let def = s
        .index
        .and_then(|i| site.config.statuses.of(doc.kind).get(i));
    Some(StatusView {
        name: &s.name,
        raw: &s.raw,
        colour: def.map_or("#6b7280", |d| &d.colour),
        phase: s.phase.map(|p| p.as_str()),
        url: site.graph.slugs.url(List::Status, &s.name),
    })
}

pub fn card(site: &Site, d: DocId) -> Card<'_> {
    let doc = &site.docs[d];
    Card {
        id: &doc.id,
        title: &doc.title,
        kind: doc.kind.as_str(),
        url: &doc.url,
        status: status_view(site, doc),
        owners: site.graph.owners[d]
            .iter()
            .map(|&p| person_ref(site, p))
            .collect(),
        team: doc.team.as_deref(),
        team_url: doc
            .team
            .as_deref()
            .map(|t| site.graph.slugs.url(List::Team, t)),
        outcome: doc.outcome.map(|o| o.as_str()),
        summary: &doc.body.summary,
        date: doc
            .dates
            .date
            .or(doc.dates.shipped)
            .or(doc.dates.updated)
            .or(doc.dates.created)
            .map(|d| d.to_string()),
        rice: doc.rice.map(|r| (r.score * 10.0).round() / 10.0),
        stale_days: super::timeline::stale_days(site, d),
    }
}

pub fn person_ref(site: &Site, p: usize) -> PersonRef<'_> {
    let person = &site.people.list[p];
    PersonRef {
        name: &person.name,
        url: crate::paths::list_url(List::Person, &person.key),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricView {
    pub name: String,
    pub baseline: Option<String>,
    pub target: String,
    pub actual: Option<String>,
    pub measured: Option<String>,
    pub verdict: Option<&'static str>,
    /// Where the actual was read (a dashboard link), when it is a safe link
    /// ([`crate::url::href`]); themes put this in `href`.
    pub source: Option<String>,
    /// `source` as written, whether or not it is a link, for showing as text.
    pub source_text: Option<String>,
}

/// A metric goal as pages and `/api/specs.json` show it.
pub fn metric_view(m: &crate::model::MetricGoal) -> MetricView {
    MetricView {
        name: m.name.clone(),
        baseline: m.baseline.as_ref().map(|q| q.to_string()),
        target: m
            .target
            .as_ref()
            .map_or_else(|| m.target_raw.clone(), |t| t.to_string()),
        actual: m.actual.as_ref().map(|q| q.to_string()),
        measured: m.measured.map(|d| d.to_string()),
        verdict: m.verdict.map(|v| v.as_str()),
        source: m
            .source
            .as_deref()
            .and_then(crate::url::href)
            .map(str::to_string),
        source_text: m.source.clone(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TocEntry<'a> {
    pub level: u8,
    pub text: &'a str,
    pub anchor: &'a str,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagLink {
    pub name: String,
    pub url: String,
}

/// A labelled group of documents (relations, backlinks), as card-list items
/// (`card_item.html`).
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub label: String,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HorizonView<'a> {
    pub title: &'a str,
    pub anchor: &'a str,
    pub when: &'static str,
    pub items: Vec<ItemView<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemView<'a> {
    pub text: &'a str,
    pub doc: Option<Card<'a>>,
    /// Why the item's place disagrees with its feature's status, if it does.
    pub drift: Option<&'static str>,
}

/// Everything a document page shows.
#[derive(Debug, Clone, Serialize)]
pub struct DocView<'a> {
    #[serde(flatten)]
    pub card: Card<'a>,
    pub source: &'a str,
    pub tags: Vec<TagLink>,
    pub dates: crate::model::Dates,
    pub review_due: Option<String>,
    pub rice: Option<crate::model::Rice>,
    pub metrics: Vec<MetricView>,
    pub body: String,
    pub toc: Vec<TocEntry<'a>>,
    pub relations: Vec<Group>,
    pub backlinks: Vec<Group>,
    /// The roadmaps listing the document, as card-list items (document pages only).
    pub roadmaps: Vec<String>,
    /// The supersede chain this decision is part of, oldest first (empty when alone).
    pub chain: Vec<Card<'a>>,
    pub superseded_by: Option<Card<'a>>,
    pub horizons: Vec<HorizonView<'a>>,
    pub edit_url: Option<String>,
    /// The git history; `None` without git.
    pub history: Option<super::timeline::HistoryView>,
    pub extra: std::collections::BTreeMap<String, String>,
}

fn relation_label(kind: RelationKind, outgoing: bool) -> &'static str {
    use RelationKind::*;
    match (kind, outgoing) {
        (Decision, true) => "Decisions",
        (Decision, false) => "Features shaped by this decision",
        (DependsOn, true) => "Depends on",
        (DependsOn, false) => "Needed by",
        (Link, _) => "Related",
        (Supersedes, true) => "Supersedes",
        (Supersedes, false) => "Superseded by",
        (SupersededBy, true) => "Superseded by",
        (SupersededBy, false) => "Supersedes",
        (Amends, true) => "Amends",
        (Amends, false) => "Amended by",
        (AmendedBy, true) => "Amended by",
        (AmendedBy, false) => "Amends",
        (Feature, true) => "Features",
        (Feature, false) => "Decisions",
        (RoadmapItem, true) => "Roadmap items",
        (RoadmapItem, false) => "On roadmaps",
    }
}

/// Builds the view of a document page. `root` is the page's relative path to the site
/// root, used to fill in the body's link placeholders; `items` renders documents as
/// card-list items for the page.
pub fn doc_view<'a>(
    site: &'a Site,
    d: DocId,
    root: &str,
    items: impl Fn(&[DocId]) -> Result<Vec<String>, Diagnostic>,
) -> Result<DocView<'a>, Diagnostic> {
    let doc = &site.docs[d];
    let (relations, backlinks) = related(site, d);
    let groups = |groups: Labelled<String>| -> Result<Vec<Group>, Diagnostic> {
        groups
            .into_iter()
            .map(|(label, docs)| {
                Ok(Group {
                    label,
                    items: items(&docs)?,
                })
            })
            .collect()
    };
    Ok(DocView {
        body: fill_links(site, d, &doc.body.html.unpack(), root),
        toc: doc
            .body
            .headings
            .iter()
            .filter(|h| (2..=3).contains(&h.level))
            .map(|h| TocEntry {
                level: h.level,
                text: &h.text,
                anchor: &h.anchor,
            })
            .collect(),
        relations: groups(relations)?,
        backlinks: groups(backlinks)?,
        roadmaps: items(&site.graph.roadmaps_of[d])?,
        ..doc_summary_view(site, d)
    })
}

/// Documents under labels, in the order first met.
type Labelled<L> = Vec<(L, Vec<DocId>)>;

/// The typed relations of `d` both ways, and the documents mentioning it grouped by kind.
fn related(site: &Site, d: DocId) -> (Labelled<String>, Labelled<String>) {
    let g = &site.graph;
    let relation = |e: &usize| match g.edges[*e].kind {
        EdgeKind::Relation(
            RelationKind::RoadmapItem | RelationKind::Supersedes | RelationKind::SupersededBy,
        ) => None,
        EdgeKind::Relation(k) => Some(k),
        _ => None,
    };
    let outgoing = g.outgoing[d]
        .iter()
        .filter_map(|e| Some((relation_label(relation(e)?, true), g.edges[*e].to)));
    let incoming = g.incoming[d]
        .iter()
        .filter_map(|e| Some((relation_label(relation(e)?, false), g.edges[*e].from)));
    let relations = group(outgoing.chain(incoming))
        .into_iter()
        .map(|(label, docs)| (label.to_string(), docs))
        .collect();
    let mut backlinks = group(g.incoming[d].iter().map(|&e| {
        let from = g.edges[e].from;
        (site.docs[from].kind, from)
    }));
    backlinks.sort_by_key(|(k, _)| *k);
    let backlinks = backlinks
        .into_iter()
        .map(|(k, docs)| (k.plural().to_string(), docs))
        .collect();
    (relations, backlinks)
}

/// Groups documents by label in the order labels are first met, each document once per
/// label. A set, not a scan of the group, keeps a document that thousands of others
/// link to linear.
fn group<L: PartialEq + Eq + std::hash::Hash + Copy>(
    pairs: impl Iterator<Item = (L, DocId)>,
) -> Labelled<L> {
    let mut groups: Labelled<L> = Vec::new();
    let mut seen: FxHashSet<(L, DocId)> = FxHashSet::default();
    for (label, d) in pairs {
        if !seen.insert((label, d)) {
            continue;
        }
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, docs)) => docs.push(d),
            None => groups.push((label, vec![d])),
        }
    }
    groups
}

/// A document's view without what only its own page shows (body, contents, relations
/// and backlinks), for list pages and summaries that show many documents.
pub fn doc_summary_view(site: &Site, d: DocId) -> DocView<'_> {
    let doc = &site.docs[d];
    let g = &site.graph;
    let metrics = doc.metrics.iter().map(metric_view).collect();
    let chain = supersede_chain(site, d);
    let horizons = doc
        .horizons
        .iter()
        .enumerate()
        .map(|(hi, h)| HorizonView {
            title: &h.title,
            anchor: &h.anchor,
            when: match h.when {
                crate::model::When::Past => "past",
                crate::model::When::Now => "now",
                crate::model::When::Next => "next",
                crate::model::When::Later => "later",
                crate::model::When::Other => "other",
            },
            items: h
                .items
                .iter()
                .enumerate()
                .map(|(ii, item)| {
                    let target = g
                        .roadmap_items
                        .get(d)
                        .and_then(|hs| hs.get(hi))
                        .and_then(|is| is.get(ii))
                        .copied()
                        .flatten();
                    let phase = target
                        .and_then(|t| site.docs[t].status.as_ref())
                        .and_then(|s| s.phase);
                    ItemView {
                        text: &item.text,
                        doc: target.map(|t| card(site, t)),
                        drift: crate::model::Drift::of(h.when, phase).map(|d| d.label()),
                    }
                })
                .collect(),
        })
        .collect();

    DocView {
        card: card(site, d),
        source: &doc.source,
        tags: doc
            .tags
            .iter()
            .map(|t| TagLink {
                name: t.clone(),
                url: site.graph.slugs.url(List::Tag, t),
            })
            .collect(),
        dates: doc.dates.clone(),
        review_due: doc.dates.review.map(|r| r.to_string()),
        rice: doc.rice,
        metrics,
        body: String::new(),
        toc: Vec::new(),
        relations: Vec::new(),
        backlinks: Vec::new(),
        roadmaps: Vec::new(),
        chain: if chain.len() > 1 {
            chain.iter().map(|&c| card(site, c)).collect()
        } else {
            Vec::new()
        },
        superseded_by: g.superseded_by[d].map(|s| card(site, s)),
        horizons,
        edit_url: super::timeline::Host::of(site).map(|h| h.edit(&doc.source)),
        history: super::timeline::history_view(site, d),
        extra: doc.extra.iter().cloned().collect(),
    }
}

/// The supersede chain through `d`, oldest first. Follows the first predecessor when
/// a decision replaced several.
pub fn supersede_chain(site: &Site, d: DocId) -> Vec<DocId> {
    let g = &site.graph;
    let mut start = d;
    let mut seen = vec![d];
    while let Some(&prev) = g.supersedes[start].first() {
        if seen.contains(&prev) {
            break;
        }
        seen.push(prev);
        start = prev;
    }
    let mut chain = vec![start];
    let mut cur = start;
    while let Some(next) = g.superseded_by[cur] {
        if chain.contains(&next) {
            break;
        }
        chain.push(next);
        cur = next;
    }
    chain
}

/// Replaces the body's link placeholders with relative URLs.
pub fn fill_links(site: &Site, d: DocId, html: &str, root: &str) -> String {
    let hrefs = &site.graph.hrefs[d];
    fill_placeholders(html, |index, out| {
        match hrefs.get(index) {
            Some(Href::Doc { doc, fragment }) => {
                // A link to a heading of this page stays a bare `#fragment`.
                if *doc != d || fragment.is_none() {
                    out.push_str(root);
                    out.push_str(&site.docs[*doc].url);
                }
                if let Some(f) = fragment {
                    out.push('#');
                    out.push_str(&escape_attr(f));
                }
            }
            Some(Href::Asset(url)) => {
                out.push_str(root);
                out.push_str(&escape_attr(url));
            }
            Some(Href::Broken(written)) => out.push_str(&escape_attr(written)),
            None => return false,
        }
        true
    })
}

use crate::escape::html as escape_attr;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_first_seen_order_and_each_document_once_per_label() {
        let pairs = [("b", 3), ("a", 1), ("b", 2), ("b", 3), ("a", 3), ("a", 1)];
        assert_eq!(
            group(pairs.into_iter()),
            vec![("b", vec![3, 2]), ("a", vec![1, 3])]
        );
    }
}
