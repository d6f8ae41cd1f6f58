//! Timeline views: a document's git history as templates and `/api/specs.json` see it
//! (the status timeline with days spent in each status, time in the current status, the
//! stale flag, links to the git host), and cycle times for team and owner pages.

use crate::config::{Config, Phase};
use crate::history::DocHistory;
use crate::link::{DocId, Site};
use jiff::civil::Date;
use serde::Serialize;

/// Links to a file and commits on the git host named by `repository`.
#[derive(Debug, Clone, Copy)]
pub struct Host<'a> {
    repo: &'a str,
    branch: &'a str,
    /// SOURCE's folder inside the repository.
    prefix: &'a str,
    /// GitLab puts its pages under `/-/`.
    dash: &'static str,
}

impl<'a> Host<'a> {
    /// The host of the site's repository, `None` when none is configured.
    pub fn of(site: &'a Site) -> Option<Host<'a>> {
        let repo = site.config.repository.as_deref()?;
        Some(Host::new(repo, &site.config.branch, &site.history.prefix))
    }

    /// `repo` is the repository's web address, `prefix` SOURCE's folder in it.
    pub fn new(repo: &'a str, branch: &'a str, prefix: &'a str) -> Host<'a> {
        Host {
            repo,
            branch,
            prefix,
            dash: if repo.contains("gitlab") { "/-" } else { "" },
        }
    }

    /// "Edit this page" for a SOURCE-relative path.
    pub fn edit(&self, source: &str) -> String {
        let (repo, dash, branch, prefix) = (self.repo, self.dash, self.branch, self.prefix);
        format!("{repo}{dash}/edit/{branch}/{prefix}{source}")
    }

    /// The list of commits that changed a SOURCE-relative path.
    pub fn history(&self, source: &str) -> String {
        let (repo, dash, branch, prefix) = (self.repo, self.dash, self.branch, self.prefix);
        format!("{repo}{dash}/commits/{branch}/{prefix}{source}")
    }

    pub fn commit(&self, id: &str) -> String {
        format!("{}{}/commit/{id}", self.repo, self.dash)
    }
}

/// A commit as pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct StampView {
    pub date: String,
    pub author: String,
    /// The abbreviated commit id.
    pub commit: String,
    pub commit_url: Option<String>,
}

/// One status of a document's timeline.
#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub status: String,
    pub raw: String,
    pub colour: String,
    pub phase: Option<&'static str>,
    pub date: String,
    pub commit: String,
    pub commit_url: Option<String>,
    /// Days until the next status, or until today for the last one.
    pub days: i64,
}

/// Everything a page shows of a document's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryView {
    pub created: StampView,
    pub updated: StampView,
    pub contributors: Vec<String>,
    pub revisions: usize,
    /// Statuses oldest first.
    pub timeline: Vec<StepView>,
    /// Days in the current status, when the timeline ends in it.
    pub in_status_days: Option<i64>,
    /// Days since the last change, when the document is stale (unchanged for
    /// `[history] stale_days` in an active status).
    pub stale_days: Option<i64>,
    /// Days from first approved to shipped.
    pub cycle_days: Option<i64>,
    pub history_url: Option<String>,
    /// Earlier paths of the file in the repository.
    pub renamed_from: Vec<String>,
}

fn days(from: Date, to: Date) -> i64 {
    (to - from).get_days().into()
}

/// Short commit ids, as git shows them.
fn short(id: &str) -> String {
    id.chars().take(7).collect()
}

fn stamp(s: &crate::history::Stamp, host: Option<Host<'_>>) -> StampView {
    StampView {
        date: s.date.to_string(),
        author: s.author.clone(),
        commit: short(&s.commit),
        commit_url: host.map(|h| h.commit(&s.commit)),
    }
}

/// Days from the first approved (planned or later, not yet done) status to the first
/// done status after it.
pub fn cycle_days(h: &DocHistory) -> Option<i64> {
    let start = h
        .steps
        .iter()
        .position(|s| matches!(s.phase, Some(Phase::Planned | Phase::Active)))?;
    let done = h.steps[start..]
        .iter()
        .find(|s| s.phase == Some(Phase::Done))?;
    Some(days(h.steps[start].date, done.date))
}

/// Days since a document last changed, when that makes it stale.
pub fn stale_days(site: &Site, d: DocId) -> Option<i64> {
    let doc = &site.docs[d];
    let h = site.history.docs.get(d)?.as_ref()?;
    let status = doc.status.as_ref()?;
    let options = &site.config.history;
    let active = options.is_active(&site.config.statuses, doc.kind, &status.name, status.phase);
    let idle = days(h.file.updated.date, site.today);
    (active && idle >= options.stale_days).then_some(idle)
}

fn colour_of(config: &Config, kind: crate::config::Kind, name: &str) -> String {
    config
        .statuses
        .of(kind)
        .iter()
        .find(|s| s.name == name)
        .map_or_else(|| "#6b7280".to_string(), |s| s.colour.clone())
}

/// The history view of a document, `None` without history.
pub fn history_view(site: &Site, d: DocId) -> Option<HistoryView> {
    let h = site.history.docs.get(d)?.as_ref()?;
    let doc = &site.docs[d];
    let host = Host::of(site);
    let timeline: Vec<StepView> = h
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let until = h.steps.get(i + 1).map_or(site.today, |n| n.date);
            StepView {
                status: s.name.clone(),
                raw: s.raw.clone(),
                colour: colour_of(&site.config, doc.kind, &s.name),
                phase: s.phase.map(Phase::as_str),
                date: s.date.to_string(),
                commit: short(&s.commit),
                commit_url: host.map(|h| h.commit(&s.commit)),
                days: days(s.date, until).max(0),
            }
        })
        .collect();
    let in_status_days = match (h.steps.last(), &doc.status) {
        (Some(last), Some(now)) if last.name == now.name => Some(days(last.date, site.today)),
        _ => None,
    };
    Some(HistoryView {
        created: stamp(&h.file.created, host),
        updated: stamp(&h.file.updated, host),
        contributors: h.file.contributors.clone(),
        revisions: h.file.revisions,
        timeline,
        in_status_days,
        stale_days: stale_days(site, d),
        cycle_days: cycle_days(h),
        history_url: host.map(|h| h.history(&doc.source)),
        renamed_from: h.file.renamed_from.clone(),
    })
}

/// Cycle times of a group of documents (a team's, an owner's).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct CycleView {
    /// Documents that went from approved to shipped.
    pub count: usize,
    pub median_days: Option<i64>,
    pub min_days: Option<i64>,
    pub max_days: Option<i64>,
    /// Documents stale now.
    pub stale: usize,
}

pub fn cycle_view(site: &Site, docs: &[DocId]) -> CycleView {
    let mut cycles: Vec<i64> = docs
        .iter()
        .filter_map(|&d| site.history.docs.get(d)?.as_ref().and_then(cycle_days))
        .collect();
    cycles.sort_unstable();
    CycleView {
        count: cycles.len(),
        median_days: (!cycles.is_empty()).then(|| cycles[(cycles.len() - 1) / 2]),
        min_days: cycles.first().copied(),
        max_days: cycles.last().copied(),
        stale: docs
            .iter()
            .filter(|&&d| stale_days(site, d).is_some())
            .count(),
    }
}

/// One status change in `/api/specs.json`.
#[derive(Debug, Clone, Serialize)]
pub struct StatusRecord {
    pub status: String,
    pub date: String,
    pub commit: String,
}

/// The `status_history` of a document, oldest first (empty without history).
pub fn status_records(site: &Site, d: DocId) -> Vec<StatusRecord> {
    site.history
        .docs
        .get(d)
        .and_then(Option::as_ref)
        .map(|h| {
            h.steps
                .iter()
                .map(|s| StatusRecord {
                    status: s.name.clone(),
                    date: s.date.to_string(),
                    commit: s.commit.clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_links_know_github_and_gitlab_and_the_source_folder() {
        let gh = Host::new("https://github.com/acme/specs", "main", "docs/");
        assert_eq!(
            gh.edit("features/a.md"),
            "https://github.com/acme/specs/edit/main/docs/features/a.md"
        );
        assert_eq!(
            gh.history("features/a.md"),
            "https://github.com/acme/specs/commits/main/docs/features/a.md"
        );
        assert_eq!(gh.commit("abc"), "https://github.com/acme/specs/commit/abc");
        let gl = Host::new("https://gitlab.com/acme/specs", "trunk", "");
        assert_eq!(
            gl.edit("a.md"),
            "https://gitlab.com/acme/specs/-/edit/trunk/a.md"
        );
        assert_eq!(
            gl.commit("abc"),
            "https://gitlab.com/acme/specs/-/commit/abc"
        );
    }

    #[test]
    fn cycle_time_runs_from_first_approval_to_first_done() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let step = |name: &str, phase: Phase, date: &str| crate::history::Step {
            name: name.into(),
            raw: name.into(),
            phase: Some(phase),
            date: d(date),
            commit: "c".into(),
        };
        let stamp = crate::history::Stamp {
            date: d("2026-01-01"),
            author: "A".into(),
            commit: "c".into(),
        };
        let mut h = DocHistory {
            file: crate::history::FileHistory {
                created: stamp.clone(),
                updated: stamp,
                contributors: vec![],
                revisions: 1,
                statuses: vec![],
                renamed_from: vec![],
            },
            steps: vec![
                step("draft", Phase::Draft, "2026-01-01"),
                step("approved", Phase::Planned, "2026-02-01"),
                step("in-progress", Phase::Active, "2026-02-10"),
                step("shipped", Phase::Done, "2026-03-03"),
            ],
        };
        assert_eq!(cycle_days(&h), Some(30));
        h.steps.truncate(3);
        assert_eq!(cycle_days(&h), None, "not shipped yet");
    }
}
