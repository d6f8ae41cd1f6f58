//! The home page: the dashboard of outcomes. Features by status and by outcome, reviews
//! due soon and overdue, what changed recently, and each roadmap's progress.

use super::{Page, Template};
use crate::config::{Kind, Phase};
use crate::diagnostic::Diagnostic;
use crate::link::{DocId, Site};
use crate::model::metric::Verdict;
use crate::paths::List;
use crate::render::lists::{Scoreboard, goal_scoreboard};
use crate::render::view::{Card, card};
use serde::Serialize;

/// How many documents each of the home page's lists shows.
const SHOWN: usize = 10;

/// How far ahead "reviews due" looks.
const DUE_WITHIN_DAYS: i64 = 30;

pub(in crate::render) fn fill(page: &mut Page) -> Result<Template, Diagnostic> {
    let site = page.site;
    let features: &[DocId] = site
        .graph
        .by_kind
        .get(&Kind::Feature)
        .map_or(&[], Vec::as_slice);
    let mut features_by_outcome = Scoreboard::default();
    for &d in features {
        if let Some(o) = site.docs[d].outcome {
            features_by_outcome.add(o);
        }
    }
    let overdue = by_review_date(site, features, |d| {
        site.docs[d].outcome == Some(Verdict::Overdue)
    });
    let horizon = site
        .today
        .checked_add(jiff::Span::new().days(DUE_WITHIN_DAYS))
        .unwrap_or(site.today);
    // Reviews due soon and not yet measured, soonest first.
    let due = by_review_date(site, features, |d| {
        let doc = &site.docs[d];
        doc.outcome == Some(Verdict::Pending)
            && doc
                .dates
                .review
                .is_some_and(|r| r >= site.today && r <= horizon)
    });
    page.insert("title", &site.config.title);
    page.insert("by_status", &status_counts(site));
    page.insert("feature_count", &features.len());
    page.insert(
        "decision_count",
        &site.graph.by_kind.get(&Kind::Decision).map_or(0, Vec::len),
    );
    page.insert("goals", &goal_scoreboard(site));
    page.insert("outcomes", &features_by_outcome);
    page.insert("overdue_count", &overdue.len());
    page.insert("roadmaps", &roadmap_summaries(site));
    let recent = page.card_rows(&recently_changed(site))?;
    let due = page.card_items(&due[..due.len().min(SHOWN)])?;
    let overdue = page.card_items(&overdue[..overdue.len().min(SHOWN)])?;
    page.insert("recent", &recent);
    page.insert("due", &due);
    page.insert("overdue", &overdue);
    Ok("home.html")
}

/// The features that `keep` keeps, by review date (soonest first).
fn by_review_date(site: &Site, features: &[DocId], keep: impl Fn(DocId) -> bool) -> Vec<DocId> {
    let mut v: Vec<DocId> = features.iter().copied().filter(|&d| keep(d)).collect();
    v.sort_by_key(|&d| site.docs[d].dates.review);
    v
}

#[derive(Serialize)]
struct StatusCount {
    name: String,
    colour: String,
    url: String,
    count: usize,
}

/// Features per status of the feature vocabulary, in its order.
fn status_counts(site: &Site) -> Vec<StatusCount> {
    site.config
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
        .collect()
}

/// The published documents (not plain pages) changed most recently, newest first.
fn recently_changed(site: &Site) -> Vec<DocId> {
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
    recent.truncate(SHOWN);
    recent
}

#[derive(Serialize)]
struct RoadmapSummary<'a> {
    card: Card<'a>,
    items: usize,
    shipped: usize,
    active: usize,
    drift: usize,
}

/// Each roadmap's progress: its items, how many shipped and are in progress, and how
/// many drifted from their horizon.
fn roadmap_summaries(site: &Site) -> Vec<RoadmapSummary<'_>> {
    let phase = |d: &Option<DocId>| d.and_then(|d| site.docs[d].status.as_ref()?.phase);
    site.graph
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
            let count = |p: Phase| items.iter().filter(|d| phase(d) == Some(p)).count();
            RoadmapSummary {
                card: card(site, r),
                items: items.len(),
                shipped: count(Phase::Done),
                active: count(Phase::Active),
                drift,
            }
        })
        .collect()
}
