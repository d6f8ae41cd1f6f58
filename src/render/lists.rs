//! Render stage, lists: the ordered document lists that list pages page through
//! (status, team, tag and person pages, the decision log, the backlog, the outcomes
//! list) and the verdict counts scoreboards show. A [`crate::render::Session`] builds
//! them once per site, the first time a page needs them, so rendering all pages of a
//! list costs one pass over the site, not one pass per page.

use crate::config::{Kind, Phase};
use crate::link::{DocId, Site};
use crate::model::metric::Verdict;
use crate::paths::List;
use serde::Serialize;
use std::collections::BTreeMap;

/// How many pages a list of `n` documents takes at `size` a page (at least one).
pub(crate) fn pages(n: usize, size: usize) -> usize {
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
            .then_with(|| crate::text::natural_cmp(&y.id, &x.id))
    });
    v
}

/// Whether swapping document `a` for `b` in a site that keeps its graph (see
/// [`crate::link::links_alike`]) leaves [`crate::render::Session::routes`] as it was. Everything it reads
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
    pub(crate) fn new(site: &Site) -> Self {
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
