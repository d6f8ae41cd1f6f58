//! The comparison behind `specsite diff`: a pure function from two linked sites (and
//! the diagnostics found loading them) to the list of what changed. Documents are
//! matched by kind and id; a document whose id is shadowed by a duplicate is matched
//! by its path instead. Nothing here reads files or runs git.

use crate::config::Kind;
use crate::diagnostic::Diagnostic;
use crate::link::{DocId, Site};
use crate::model::Document;
use crate::model::metric::Verdict;
use jiff::civil::Date;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

/// One side of the comparison: a linked site and the diagnostics found loading it.
pub struct Side {
    pub site: Site,
    pub diagnostics: Vec<Diagnostic>,
}

/// A document as the report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocRef {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    /// The source file, relative to SOURCE.
    pub path: String,
    /// The page after the change: absolute when `base_url` is an absolute URL, else
    /// relative to the site's root; `None` for a removed document (no page after it).
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    #[serde(flatten)]
    pub doc: DocRef,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnersChange {
    #[serde(flatten)]
    pub doc: DocRef,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

/// What a metric goal asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoalTerms {
    /// The target as written (`>= 40%`).
    pub target: String,
    pub baseline: Option<String>,
}

/// A goal added (`before` is `None`), removed (`after` is `None`) or whose target or
/// baseline changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoalChange {
    #[serde(flatten)]
    pub doc: DocRef,
    pub goal: String,
    pub before: Option<GoalTerms>,
    pub after: Option<GoalTerms>,
}

/// A goal's actual recorded or changed, with its verdict after the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActualChange {
    #[serde(flatten)]
    pub doc: DocRef,
    pub goal: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub measured: Option<Date>,
    pub verdict: Option<Verdict>,
}

/// A feature's outcome (its goals' verdicts rolled up) that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerdictChange {
    #[serde(flatten)]
    pub doc: DocRef,
    pub before: Verdict,
    pub after: Verdict,
}

/// A decision that is superseded after the change and was not (or by another) before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Superseded {
    #[serde(flatten)]
    pub doc: DocRef,
    pub by: DocRef,
}

/// A roadmap item whose horizon changed; `before` is `None` for an item added to the
/// roadmap, `after` for one taken off it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoadmapMove {
    pub roadmap: DocRef,
    /// The linked document's id, or the item's text when it links none.
    pub item: String,
    /// The linked document, when the item links one.
    pub doc: Option<DocRef>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Everything a change does to the specs, each list in the order of the documents
/// after the change (removed ones in their order before it).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Changes {
    pub added: Vec<DocRef>,
    pub removed: Vec<DocRef>,
    pub status: Vec<StatusChange>,
    pub owners: Vec<OwnersChange>,
    pub goals: Vec<GoalChange>,
    pub actuals: Vec<ActualChange>,
    pub verdicts: Vec<VerdictChange>,
    pub superseded: Vec<Superseded>,
    pub roadmap: Vec<RoadmapMove>,
    /// Problems found after the change and not before (by rule, file and message).
    pub diagnostics: Vec<Diagnostic>,
}

impl Changes {
    /// How many changes of each kind, keyed like the fields, in report order.
    pub fn counts(&self) -> [(&'static str, usize); 10] {
        [
            ("added", self.added.len()),
            ("removed", self.removed.len()),
            ("status", self.status.len()),
            ("owners", self.owners.len()),
            ("goals", self.goals.len()),
            ("actuals", self.actuals.len()),
            ("verdicts", self.verdicts.len()),
            ("superseded", self.superseded.len()),
            ("roadmap", self.roadmap.len()),
            ("diagnostics", self.diagnostics.len()),
        ]
    }

    pub fn is_empty(&self) -> bool {
        self.counts().iter().all(|(_, n)| *n == 0)
    }
}

/// How documents are matched across the two sides.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Id(Kind, String),
    /// A document shadowed by a duplicate id.
    Path(String),
}

fn key(site: &Site, d: DocId) -> Key {
    let doc = &site.docs[d];
    if site.graph.published.get(d).copied().unwrap_or(false) {
        Key::Id(doc.kind, doc.id.to_lowercase())
    } else {
        Key::Path(doc.source.clone())
    }
}

fn doc_ref(site: &Site, d: DocId, linked: bool) -> DocRef {
    let doc = &site.docs[d];
    DocRef {
        id: doc.id.clone(),
        kind: doc.kind,
        title: doc.title.clone(),
        path: doc.source.clone(),
        url: linked.then(|| page_url(site, doc)),
    }
}

/// A page's address: absolute from `base_url` when that is an absolute URL (the
/// default `/` is not), else relative to the site's root.
fn page_url(site: &Site, doc: &Document) -> String {
    let base = &site.config.base_url;
    if base.starts_with("https://") || base.starts_with("http://") {
        format!("{base}{}", doc.url)
    } else {
        doc.url.clone()
    }
}

/// Compares the site before a change (`base`) with the site after it (`head`).
pub fn compare(base: &Side, head: &Side) -> Changes {
    let (b, h) = (&base.site, &head.site);
    let base_index: FxHashMap<Key, DocId> = (0..b.docs.len()).map(|d| (key(b, d), d)).collect();
    let head_index: FxHashMap<Key, DocId> = (0..h.docs.len()).map(|d| (key(h, d), d)).collect();
    let mut matched = vec![false; b.docs.len()];
    let mut changes = Changes::default();
    let here = |d: DocId| doc_ref(h, d, true);
    for hd in 0..h.docs.len() {
        let Some(&bd) = base_index.get(&key(h, hd)) else {
            changes.added.push(here(hd));
            continue;
        };
        matched[bd] = true;
        let (before, after) = (&b.docs[bd], &h.docs[hd]);
        let status_of = |d: &Document| d.status.as_ref().map(|s| s.name.clone());
        if status_of(before) != status_of(after) {
            changes.status.push(StatusChange {
                doc: here(hd),
                before: status_of(before),
                after: status_of(after),
            });
        }
        let owners_of = |d: &Document| d.owners.iter().map(|o| o.text.clone()).collect();
        let (owners_before, owners_after): (Vec<String>, Vec<String>) =
            (owners_of(before), owners_of(after));
        if owners_before != owners_after {
            changes.owners.push(OwnersChange {
                doc: here(hd),
                before: owners_before,
                after: owners_after,
            });
        }
        compare_goals(before, after, || here(hd), &mut changes);
        if let (Some(was), Some(is)) = (before.outcome, after.outcome)
            && was != is
        {
            changes.verdicts.push(VerdictChange {
                doc: here(hd),
                before: was,
                after: is,
            });
        }
        if let Some(by) = h.graph.superseded_by.get(hd).copied().flatten() {
            let was = b.graph.superseded_by.get(bd).copied().flatten();
            if was.is_none_or(|w| key(b, w) != key(h, by)) {
                changes.superseded.push(Superseded {
                    doc: here(hd),
                    by: here(by),
                });
            }
        }
        compare_roadmap((b, bd), (h, hd), &head_index, &mut changes.roadmap);
    }
    changes.removed = (0..b.docs.len())
        .filter(|&d| !matched[d])
        .map(|d| doc_ref(b, d, false))
        .collect();
    let known: FxHashSet<_> = base.diagnostics.iter().map(Diagnostic::identity).collect();
    changes.diagnostics = head
        .diagnostics
        .iter()
        .filter(|d| !known.contains(&d.identity()))
        .cloned()
        .collect();
    changes
}

fn terms(goal: &crate::model::MetricGoal) -> GoalTerms {
    GoalTerms {
        target: goal.target_raw.clone(),
        baseline: goal.baseline.as_ref().map(ToString::to_string),
    }
}

/// Goals are matched by name; a name written twice is matched by its first goal.
fn compare_goals(
    before: &Document,
    after: &Document,
    doc: impl Fn() -> DocRef,
    changes: &mut Changes,
) {
    let mut earlier: FxHashMap<&str, &crate::model::MetricGoal> = FxHashMap::default();
    for g in before.metrics.iter().rev() {
        earlier.insert(g.name.as_str(), g);
    }
    let mut seen = FxHashSet::default();
    for goal in &after.metrics {
        if !seen.insert(goal.name.as_str()) {
            continue;
        }
        let Some(was) = earlier.get(goal.name.as_str()) else {
            changes.goals.push(GoalChange {
                doc: doc(),
                goal: goal.name.clone(),
                before: None,
                after: Some(terms(goal)),
            });
            continue;
        };
        if terms(was) != terms(goal) {
            changes.goals.push(GoalChange {
                doc: doc(),
                goal: goal.name.clone(),
                before: Some(terms(was)),
                after: Some(terms(goal)),
            });
        }
        let actual =
            |g: &crate::model::MetricGoal| g.actual_written.as_ref().map(|a| a.text.clone());
        if actual(was) != actual(goal) {
            changes.actuals.push(ActualChange {
                doc: doc(),
                goal: goal.name.clone(),
                before: actual(was),
                after: actual(goal),
                measured: goal.measured,
                verdict: goal.verdict,
            });
        }
    }
    let mut gone = FxHashSet::default();
    for was in &before.metrics {
        if !seen.contains(was.name.as_str()) && gone.insert(was.name.as_str()) {
            changes.goals.push(GoalChange {
                doc: doc(),
                goal: was.name.clone(),
                before: Some(terms(was)),
                after: None,
            });
        }
    }
}

/// An item of a roadmap: what it is matched by, how it is shown, the horizon it sits
/// under and the document it links.
struct Place<'a> {
    key: ItemKey,
    shown: String,
    horizon: &'a str,
    target: Option<DocId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ItemKey {
    Doc(Key),
    Text(String),
}

/// A roadmap's items by what they link (or their text), each with the horizon it sits
/// under (the first, when an item is listed twice).
fn roadmap_places(site: &Site, d: DocId) -> Vec<Place<'_>> {
    let doc = &site.docs[d];
    let links = site.graph.roadmap_items.get(d);
    let mut places = Vec::new();
    let mut seen = FxHashSet::default();
    for (hi, horizon) in doc.horizons.iter().enumerate() {
        for (ii, item) in horizon.items.iter().enumerate() {
            let target = links
                .and_then(|l| l.get(hi))
                .and_then(|l| l.get(ii))
                .copied()
                .flatten();
            let (key, shown) = match target {
                Some(t) => (ItemKey::Doc(key(site, t)), site.docs[t].id.clone()),
                None => {
                    let text = item.text.trim().to_string();
                    (ItemKey::Text(text.clone()), text)
                }
            };
            if seen.insert(key.clone()) {
                places.push(Place {
                    key,
                    shown,
                    horizon: horizon.title.as_str(),
                    target,
                });
            }
        }
    }
    places
}

/// The moves of one roadmap's items. `head_index` finds, for an item taken off the
/// roadmap, its document after the change (to link it while it still exists).
fn compare_roadmap(
    (b, bd): (&Site, DocId),
    (h, hd): (&Site, DocId),
    head_index: &FxHashMap<Key, DocId>,
    moves: &mut Vec<RoadmapMove>,
) {
    if b.docs[bd].horizons.is_empty() && h.docs[hd].horizons.is_empty() {
        return;
    }
    let before = roadmap_places(b, bd);
    let after = roadmap_places(h, hd);
    let was: FxHashMap<&ItemKey, &str> = before.iter().map(|p| (&p.key, p.horizon)).collect();
    let now: FxHashSet<&ItemKey> = after.iter().map(|p| &p.key).collect();
    for place in &after {
        let before = was.get(&place.key).copied();
        if before != Some(place.horizon) {
            moves.push(RoadmapMove {
                roadmap: doc_ref(h, hd, true),
                item: place.shown.clone(),
                doc: place.target.map(|t| doc_ref(h, t, true)),
                before: before.map(str::to_string),
                after: Some(place.horizon.to_string()),
            });
        }
    }
    for place in before.iter().filter(|p| !now.contains(&p.key)) {
        let doc = place.target.map(|t| match head_index.get(&key(b, t)) {
            Some(&now) => doc_ref(h, now, true),
            None => doc_ref(b, t, false),
        });
        moves.push(RoadmapMove {
            roadmap: doc_ref(h, hd, true),
            item: place.shown.clone(),
            doc,
            before: Some(place.horizon.to_string()),
            after: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::driver::build;
    use crate::load::SourceFile;
    use crate::parse::Parser;
    use std::sync::Arc;

    /// A linked site made from `(path, text)` files, as `load_site` would make it.
    fn side(files: &[(&str, &str)]) -> Side {
        let config = Arc::new(Config {
            base_url: "https://specs.example.com/".into(),
            ..Config::default()
        });
        let opts = build::Options::new(".");
        let parser = Parser::new(&config);
        let cx = crate::model::Context::new(&config, "2026-11-22".parse().unwrap());
        let mut files = files.to_vec();
        files.sort();
        let mut diagnostics = Vec::new();
        let docs = files
            .iter()
            .map(|(path, text)| {
                let file = SourceFile {
                    path: (*path).into(),
                    text: (*text).into(),
                    ..Default::default()
                };
                let (doc, d) = crate::model::document(parser.parse(&file), &cx);
                diagnostics.extend(d);
                Arc::new(doc)
            })
            .collect();
        let site = build::link_site(
            &opts,
            config,
            docs,
            None,
            &Default::default(),
            &mut diagnostics,
        );
        Side { site, diagnostics }
    }

    fn feature(id: &str, status: &str, extra: &str) -> String {
        format!("---\nid: {id}\ntitle: {id} title\nstatus: {status}\n{extra}---\n\nBody.\n")
    }

    fn ids<'a>(docs: impl IntoIterator<Item = &'a DocRef>) -> Vec<&'a str> {
        docs.into_iter().map(|d| d.id.as_str()).collect()
    }

    #[test]
    fn documents_are_matched_by_id_even_when_their_file_moves() {
        let base = side(&[
            (
                "features/a.md",
                &feature("PAY-1", "review", "owner: maya\n"),
            ),
            ("features/gone.md", &feature("PAY-2", "draft", "")),
        ]);
        let head = side(&[
            (
                "features/payments/renamed.md",
                &feature("PAY-1", "approved", "owner: [maya, omar]\n"),
            ),
            ("features/new.md", &feature("PAY-3", "draft", "")),
        ]);
        let c = compare(&base, &head);
        assert_eq!(ids(&c.added), ["PAY-3"]);
        assert_eq!(ids(&c.removed), ["PAY-2"]);
        assert_eq!(c.removed[0].url, None, "a removed document has no page");
        assert_eq!(
            c.added[0].url.as_deref(),
            Some("https://specs.example.com/features/pay-3/")
        );
        assert_eq!(c.status.len(), 1);
        let s = &c.status[0];
        assert_eq!(
            (s.doc.id.as_str(), s.doc.path.as_str()),
            ("PAY-1", "features/payments/renamed.md")
        );
        assert_eq!(
            (s.before.as_deref(), s.after.as_deref()),
            (Some("review"), Some("approved"))
        );
        assert_eq!(c.owners[0].before, ["maya"]);
        assert_eq!(c.owners[0].after, ["maya", "omar"]);
        assert!(
            compare(&head, &head).is_empty(),
            "a site compared with itself"
        );
    }

    #[test]
    fn goals_actuals_and_verdicts() {
        let goal = |target: &str, actual: &str| {
            format!(
                "shipped: 2026-10-01\nmetrics:\n  - name: Activation\n    baseline: 31%\n    target: \"{target}\"\n{actual}"
            )
        };
        let base = side(&[(
            "features/g.md",
            &feature(
                "GRO-1",
                "shipped",
                &format!(
                    "{}  - name: Churn\n    target: \"< 2%\"\n",
                    goal(">= 40%", "")
                ),
            ),
        )]);
        let head = side(&[(
            "features/g.md",
            &feature(
                "GRO-1",
                "shipped",
                &format!(
                    "{}  - name: Revenue\n    target: \">= $10\"\n",
                    goal(">= 45%", "    actual: 47%\n    measured: 2026-09-01\n")
                ),
            ),
        )]);
        let c = compare(&base, &head);
        let goals: Vec<_> = c
            .goals
            .iter()
            .map(|g| (g.goal.as_str(), g.before.is_some(), g.after.is_some()))
            .collect();
        assert_eq!(
            goals,
            [
                ("Activation", true, true),
                ("Revenue", false, true),
                ("Churn", true, false)
            ]
        );
        assert_eq!(c.goals[0].before.as_ref().unwrap().target, ">= 40%");
        assert_eq!(c.goals[0].after.as_ref().unwrap().target, ">= 45%");
        assert_eq!(
            c.goals[0].after.as_ref().unwrap().baseline.as_deref(),
            Some("31%")
        );
        assert_eq!(c.actuals.len(), 1);
        let a = &c.actuals[0];
        assert_eq!(
            (a.before.as_deref(), a.after.as_deref()),
            (None, Some("47%"))
        );
        assert_eq!(a.verdict, Some(Verdict::Met));
        assert_eq!(a.measured, "2026-09-01".parse().ok());
    }

    #[test]
    fn a_verdict_change_is_reported_from_the_outcome() {
        let goal = |actual: &str| {
            format!(
                "shipped: 2026-10-01\nmetrics:\n  - name: Activation\n    target: \">= 40%\"\n{actual}"
            )
        };
        let base = side(&[("features/g.md", &feature("GRO-1", "shipped", &goal("")))]);
        let head = side(&[(
            "features/g.md",
            &feature(
                "GRO-1",
                "shipped",
                &goal("    actual: 42%\n    measured: 2026-09-01\n"),
            ),
        )]);
        let c = compare(&base, &head);
        let v: Vec<_> = c
            .verdicts
            .iter()
            .map(|v| (v.doc.id.as_str(), v.before, v.after))
            .collect();
        assert_eq!(v, [("GRO-1", Verdict::Pending, Verdict::Met)]);
    }

    #[test]
    fn decisions_newly_superseded() {
        let adr = |id: &str, status: &str, extra: &str| {
            format!("---\nid: {id}\ntitle: {id}\nstatus: {status}\n{extra}---\n\nText.\n")
        };
        let base = side(&[("decisions/0001.md", &adr("ADR-1", "accepted", ""))]);
        let head = side(&[
            (
                "decisions/0001.md",
                &adr("ADR-1", "superseded", "superseded_by: ADR-2\n"),
            ),
            (
                "decisions/0002.md",
                &adr("ADR-2", "accepted", "supersedes: ADR-1\n"),
            ),
        ]);
        let c = compare(&base, &head);
        let s: Vec<_> = c
            .superseded
            .iter()
            .map(|s| (s.doc.id.as_str(), s.by.id.as_str()))
            .collect();
        assert_eq!(s, [("ADR-1", "ADR-2")]);
        assert!(
            compare(&head, &head).superseded.is_empty(),
            "only new supersessions"
        );
    }

    #[test]
    fn roadmap_items_moved_added_and_taken_off() {
        let roadmap = |now: &str, next: &str| {
            format!("---\nid: RM-1\ntitle: Roadmap\n---\n\n## Now\n\n{now}\n## Next\n\n{next}")
        };
        let item = |id: &str| format!("- [{id}](../features/{id}.md)\n");
        let features = [
            ("features/A-1.md", feature("A-1", "in-progress", "")),
            ("features/A-2.md", feature("A-2", "approved", "")),
            ("features/A-3.md", feature("A-3", "approved", "")),
        ];
        let with = |rm: String| {
            let mut files: Vec<(&str, &str)> =
                features.iter().map(|(p, t)| (*p, t.as_str())).collect();
            let rm: &'static str = Box::leak(rm.into_boxed_str());
            files.push(("roadmaps/rm.md", rm));
            side(&files)
        };
        let base = with(roadmap(
            &item("A-1"),
            &format!("{}{}- Pricing study\n", item("A-2"), item("A-3")),
        ));
        let head = with(roadmap(
            &format!("{}{}", item("A-1"), item("A-2")),
            "- Pricing study\n",
        ));
        let c = compare(&base, &head);
        let moves: Vec<_> = c
            .roadmap
            .iter()
            .map(|m| {
                (
                    m.item.as_str(),
                    m.before.as_deref(),
                    m.after.as_deref(),
                    m.doc.is_some(),
                )
            })
            .collect();
        assert_eq!(
            moves,
            [
                ("A-2", Some("Next"), Some("Now"), true),
                ("A-3", Some("Next"), None, true)
            ]
        );
        assert_eq!(c.roadmap[0].roadmap.id, "RM-1");
    }

    #[test]
    fn only_new_diagnostics_count_and_a_moved_line_is_not_new() {
        let base = side(&[(
            "features/a.md",
            "---\nid: A-1\nstatus: draft\n---\n\nSee [x](missing.md).\n",
        )]);
        let head = side(&[(
            "features/a.md",
            "---\nid: A-1\nstatus: draft\n---\n\nA new first line.\n\nSee [x](missing.md) and [y](other.md).\n",
        )]);
        assert_eq!(head.diagnostics.len(), 2, "{:?}", head.diagnostics);
        let c = compare(&base, &head);
        assert_eq!(c.diagnostics.len(), 1, "{:?}", c.diagnostics);
        assert!(
            c.diagnostics[0].message.contains("other.md"),
            "{:?}",
            c.diagnostics
        );
    }
}
