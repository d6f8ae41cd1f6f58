//! Git history: real repositories made in temp folders with the `git` command line
//! (commits with set dates and authors, renames, status edits, a shallow clone, an
//! uncommitted file, a plain folder), built with the real binary.

mod common;

use common::{bin, read, stderr};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str], author: (&str, &str), date: &str) {
    common::git_as(dir, args, author, Some(date));
}

const ADA: (&str, &str) = ("Ada Lovelace", "ada@example.com");
const GRACE: (&str, &str) = ("Grace Hopper", "grace@example.com");

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn feature(status: &str, extra: &str) -> String {
    format!(
        "---\nid: PAY-1\ntitle: Payouts\nstatus: {status}\nteam: Payments\nowner: Ada\n{extra}---\n\nBody text.\n"
    )
}

fn commit_all(dir: &Path, msg: &str, who: (&str, &str), date: &str) {
    git(dir, &["add", "-A"], who, date);
    git(dir, &["commit", "-q", "-m", msg], who, date);
}

/// A repository with one feature whose status moves draft → review → approved →
/// shipped across a rename, plus a decision that never changes status.
fn make_repo(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"], ADA, "2026-01-01");
    write(
        dir,
        "specsite.toml",
        "repository = \"https://github.com/acme/specs\"\n[history]\nstale_days = 30\n",
    );
    write(dir, "features/payouts.md", &feature("draft", ""));
    write(
        dir,
        "decisions/0001-queue.md",
        "---\nid: ADR-1\nstatus: proposed\n---\n\nUse a queue.\n",
    );
    commit_all(dir, "Add payouts", ADA, "2026-01-10");
    write(dir, "features/payouts.md", &feature("Review", ""));
    commit_all(dir, "Review payouts", GRACE, "2026-02-02");
    // An edit that does not touch the status.
    write(
        dir,
        "features/payouts.md",
        &feature("Review", "tags: [money]\n"),
    );
    commit_all(dir, "Tag payouts", GRACE, "2026-02-05");
    git(
        dir,
        &[
            "mv",
            "features/payouts.md",
            "features/pay-1-instant-payouts.md",
        ],
        ADA,
        "2026-02-10",
    );
    commit_all(dir, "Rename payouts", ADA, "2026-02-10");
    write(
        dir,
        "features/pay-1-instant-payouts.md",
        &feature("approved", "tags: [money]\n"),
    );
    commit_all(dir, "Approve payouts", ADA, "2026-02-20");
    write(
        dir,
        "features/pay-1-instant-payouts.md",
        &feature("shipped", "tags: [money]\n"),
    );
    commit_all(dir, "Ship payouts", GRACE, "2026-05-10");
}

fn build(source: &Path, out: &Path) -> (Value, String) {
    let o = bin()
        .args([
            "build",
            source.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    let json: Value = serde_json::from_str(&read(out, "api/specs.json")).unwrap();
    (json, stderr(&o))
}

fn doc<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in specs.json"))
}

fn rev(dir: &Path, what: &str) -> String {
    let o = Command::new("git")
        .current_dir(dir)
        .args(["rev-parse", what])
        .output()
        .unwrap();
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

#[test]
fn dates_authors_and_status_timeline_follow_renames() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    make_repo(&repo);
    let out = tmp.path().join("site");
    let (json, err) = build(&repo, &out);
    assert!(!err.contains("info:"), "no fallback note expected: {err}");

    let pay = doc(&json, "PAY-1");
    assert_eq!(pay["source"], "features/pay-1-instant-payouts.md");
    assert_eq!(
        pay["dates"]["created"], "2026-01-10",
        "created before the rename"
    );
    assert_eq!(pay["dates"]["updated"], "2026-05-10");
    let h = &pay["history"];
    assert_eq!(h["created_by"], "Ada Lovelace");
    assert_eq!(h["updated_by"], "Grace Hopper");
    assert_eq!(h["revisions"], 6);
    assert_eq!(
        h["contributors"],
        serde_json::json!(["Ada Lovelace", "Grace Hopper"])
    );
    let steps: Vec<(String, String)> = pay["status_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["status"].as_str().unwrap().to_string(),
                s["date"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("draft", "2026-01-10"),
        ("review", "2026-02-02"),
        ("approved", "2026-02-20"),
        ("shipped", "2026-05-10"),
    ];
    assert_eq!(
        steps,
        expected.map(|(s, d)| (s.to_string(), d.to_string())),
        "oldest first, 'Review' read as 'review', the tag edit and the rename are no steps"
    );
    assert_eq!(pay["status_history"][3]["commit"], rev(&repo, "HEAD"));
    assert_eq!(pay["status_history"][0]["commit"], rev(&repo, "HEAD~5"));

    // The page: timeline with dates, days per status, cycle time, links to the host.
    let page = read(&out, "features/pay-1/index.html");
    for want in [
        "<time datetime=\"2026-02-02\">2026-02-02</time>",
        "23 days",
        "Cycle time (approved → shipped): 79 days",
        "https://github.com/acme/specs/edit/main/features/pay-1-instant-payouts.md",
        "https://github.com/acme/specs/commits/main/features/pay-1-instant-payouts.md",
        &format!(
            "https://github.com/acme/specs/commit/{}",
            rev(&repo, "HEAD")
        ),
        "features/payouts.md",
    ] {
        assert!(page.contains(want), "page lacks {want}");
    }

    // The feed has each status change on the day of its commit.
    let feed = read(&out, "feed.xml");
    assert!(
        feed.contains("features/pay-1/#status-approved-2026-02-20"),
        "{feed}"
    );
    assert!(feed.contains("Now shipped: PAY-1 Payouts"), "{feed}");

    // The decision has sat in `proposed` since January: stale (30 days) as of the
    // fixed build date, shown on its page and on its card; its time in status counts.
    let adr = doc(&json, "ADR-1");
    assert_eq!(adr["status_history"].as_array().unwrap().len(), 1);
    let adr_page = read(&out, "decisions/adr-1/index.html");
    assert!(adr_page.contains("Stale: unchanged for"), "{adr_page}");
    assert!(adr_page.contains("in proposed for"), "time in status");
    assert!(read(&out, "decisions/index.html").contains("class=\"stale\""));
    // Shipped features are not stale; the team page shows the cycle time.
    assert!(!page.contains("Stale:"));
    let team = read(&out, "teams/payments/index.html");
    assert!(team.contains("Median cycle time"), "{team}");
    assert!(team.contains("<dd>79 d</dd>"), "{team}");
}

#[test]
fn status_in_a_body_section_is_followed_too() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"], ADA, "2026-01-01");
    let adr = |status: &str, context: &str| {
        format!("# 2. Use a cache\n\n## Status\n\n{status}\n\n## Context\n\n{context}\n")
    };
    write(
        &repo,
        "decisions/0002-use-a-cache.md",
        &adr("Proposed", "Slow."),
    );
    commit_all(&repo, "Propose a cache", ADA, "2026-03-01");
    write(
        &repo,
        "decisions/0002-use-a-cache.md",
        &adr("Proposed", "Very slow."),
    );
    commit_all(&repo, "Explain", GRACE, "2026-03-04");
    // The changed line is only the status value: no line names the field.
    write(
        &repo,
        "decisions/0002-use-a-cache.md",
        &adr("Accepted", "Very slow."),
    );
    commit_all(&repo, "Accept the cache", GRACE, "2026-03-09");
    let (json, _) = build(&repo, &tmp.path().join("site"));
    let d = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["source"] == "decisions/0002-use-a-cache.md")
        .unwrap();
    let steps: Vec<(&str, &str)> = d["status_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["status"].as_str().unwrap(), s["date"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [("proposed", "2026-03-01"), ("accepted", "2026-03-09")]
    );
    assert_eq!(d["history"]["revisions"], 3);
}

#[test]
fn front_matter_dates_win_and_uncommitted_files_are_noted_once() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    make_repo(&repo);
    write(
        &repo,
        "features/pay-1-instant-payouts.md",
        &feature("shipped", "tags: [money]\ncreated: 2025-12-24\n"),
    );
    write(
        &repo,
        "features/new-a.md",
        "---\nid: NEW-A\nstatus: draft\n---\n",
    );
    write(
        &repo,
        "features/new-b.md",
        "---\nid: NEW-B\nstatus: draft\ncreated: 2026-03-01\n---\n",
    );
    let (json, err) = build(&repo, &tmp.path().join("site"));
    let pay = doc(&json, "PAY-1");
    assert_eq!(pay["dates"]["created"], "2025-12-24", "front matter wins");
    assert_eq!(pay["dates"]["updated"], "2026-05-10", "git fills the rest");
    let a = doc(&json, "NEW-A");
    assert!(a["history"].is_null());
    assert_eq!(a["status_history"], serde_json::json!([]));
    assert!(a["dates"]["created"].is_null());
    assert_eq!(doc(&json, "NEW-B")["dates"]["created"], "2026-03-01");
    assert_eq!(
        err.matches("info:").count(),
        1,
        "one note, not one per file: {err}"
    );
    assert!(err.contains("2 documents are not committed yet"), "{err}");
}

#[test]
fn shallow_clone_and_plain_folder_fall_back_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    make_repo(&repo);
    let url = format!("file://{}", repo.display());
    let shallow = tmp.path().join("shallow");
    git(
        tmp.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            shallow.to_str().unwrap(),
        ],
        ADA,
        "2026-06-01",
    );
    let (json, err) = build(&shallow, &tmp.path().join("site1"));
    let pay = doc(&json, "PAY-1");
    assert!(pay["history"].is_null(), "a shallow history is not trusted");
    assert_eq!(pay["status_history"], serde_json::json!([]));
    assert_eq!(err.matches("info:").count(), 1, "{err}");
    assert!(err.contains("shallow clone"), "{err}");

    let plain = tmp.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    write(
        &plain,
        "features/a.md",
        &feature("draft", "created: 2026-01-02\n"),
    );
    write(&plain, "features/b.md", "---\nid: B\nstatus: draft\n---\n");
    // Keep git from finding the temp folder's parents' repositories.
    let o = bin()
        .env("GIT_CEILING_DIRECTORIES", tmp.path())
        .args([
            "build",
            plain.to_str().unwrap(),
            "--out",
            tmp.path().join("site2").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert_eq!(err.matches("info:").count(), 1, "{err}");
    assert!(err.contains("not in a git repository"), "{err}");
    let json: Value =
        serde_json::from_str(&read(&tmp.path().join("site2"), "api/specs.json")).unwrap();
    assert_eq!(doc(&json, "PAY-1")["dates"]["created"], "2026-01-02");
    assert!(doc(&json, "B")["history"].is_null());
}

#[test]
fn history_can_be_turned_off() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    make_repo(&repo);
    write(&repo, "specsite.toml", "[history]\nenabled = false\n");
    let (json, err) = build(&repo, &tmp.path().join("site"));
    assert!(doc(&json, "PAY-1")["history"].is_null());
    assert!(
        !err.contains("info:"),
        "turned off on purpose: no note: {err}"
    );
}
