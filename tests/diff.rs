//! `specsite diff`: real git repositories made in temp folders (a small site committed
//! on `main`, changed on a branch), compared by the real binary in each format, with
//! the work tree as HEAD, the site in a subfolder of the repository, and bad refs.

mod common;

use common::{bin, stderr, stdout};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn git(dir: &Path, args: &[&str]) -> String {
    common::git_as(dir, args, ("Ada", "ada@example.com"), None)
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn commit_all(dir: &Path, msg: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", msg]);
}

const CONFIG: &str = "title = \"Acme specs\"\nbase_url = \"https://specs.example.com/\"\n";
const PEOPLE: &str = "[maya]\nname = \"Maya Chen\"\n[omar]\nname = \"Omar Haddad\"\n";

fn pay_104(status: &str, owner: &str, extra_goal: &str) -> String {
    format!(
        "---\nid: PAY-104\ntitle: Reliable payment retries\nstatus: {status}\nowner: {owner}\n\
         metrics:\n  - name: Duplicate charges\n    baseline: 3.1\n    target: \"< 0.1\"\n{extra_goal}---\n\n\
         Retries as workflows.\n"
    )
}

fn gro_301(actual: &str) -> String {
    format!(
        "---\nid: GRO-301\ntitle: Onboarding checklist\nstatus: shipped\nowner: maya\nshipped: 2026-10-01\n\
         metrics:\n  - name: Activation rate\n    baseline: 31%\n    target: \">= 40%\"\n{actual}---\n\n\
         A checklist.\n"
    )
}

fn feature(id: &str, title: &str, status: &str) -> String {
    format!("---\nid: {id}\ntitle: {title}\nstatus: {status}\nowner: omar\n---\n\nText.\n")
}

fn adr(id: &str, status: &str, extra: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: Decision {id}\nstatus: {status}\ndate: 2026-01-10\n{extra}---\n\nWe decided.\n"
    )
}

fn roadmap(now: &[&str], next: &[&str]) -> String {
    let items = |ids: &[&str]| -> String {
        ids.iter()
            .map(|id| format!("- [{id}](../features/{}.md)\n", id.to_lowercase()))
            .collect()
    };
    format!(
        "---\nid: RM-2026\ntitle: Roadmap 2026\nstatus: active\n---\n\n## Now\n\n{}\n## Next\n\n{}",
        items(now),
        items(next)
    )
}

/// The site as it is on `main`, written under `dir/prefix`.
fn write_base(dir: &Path, prefix: &str) {
    let at = |rel: &str| format!("{prefix}{rel}");
    write(dir, &at("specsite.toml"), CONFIG);
    write(dir, &at("people.toml"), PEOPLE);
    write(
        dir,
        &at("features/pay-104.md"),
        &pay_104("review", "maya", ""),
    );
    write(dir, &at("features/gro-301.md"), &gro_301(""));
    write(
        dir,
        &at("features/gro-302.md"),
        &feature("GRO-302", "Annual upsell", "approved"),
    );
    write(
        dir,
        &at("features/pay-106.md"),
        &feature("PAY-106", "Card surcharging", "approved"),
    );
    write(
        dir,
        &at("decisions/0001-cron.md"),
        &adr("ADR-0001", "accepted", ""),
    );
    write(
        dir,
        &at("roadmaps/rm-2026.md"),
        &roadmap(&["PAY-104"], &["GRO-302"]),
    );
    // A problem on both sides: it moves down a line after the change, and is not new.
    write(
        dir,
        &at("guides/old.md"),
        "# Old guide\n\nSee [the old page](nowhere.md).\n",
    );
}

/// The change on the branch: every kind of change `diff` reports.
fn write_change(dir: &Path, prefix: &str) {
    let at = |rel: &str| format!("{prefix}{rel}");
    write(
        dir,
        &at("features/pay-104.md"),
        &pay_104(
            "approved",
            "[maya, omar]",
            "  - name: Stuck retries\n    target: \"<= 5\"\n",
        ),
    );
    write(
        dir,
        &at("features/gro-301.md"),
        &gro_301("    actual: 43%\n    measured: 2026-11-01\n"),
    );
    std::fs::remove_file(dir.join(at("features/pay-106.md"))).unwrap();
    write(
        dir,
        &at("features/pay-110.md"),
        &feature("PAY-110", "Stablecoin settlement", "draft"),
    );
    write(
        dir,
        &at("decisions/0001-cron.md"),
        &adr("ADR-0001", "superseded", "superseded_by: ADR-0002\n"),
    );
    write(
        dir,
        &at("decisions/0002-workflows.md"),
        &adr("ADR-0002", "accepted", "supersedes: ADR-0001\n"),
    );
    write(
        dir,
        &at("roadmaps/rm-2026.md"),
        &roadmap(&["PAY-104", "GRO-302"], &[]),
    );
    write(
        dir,
        &at("guides/old.md"),
        "# Old guide\n\nA new line.\n\nSee [the old page](nowhere.md) and [the new one](missing.md).\n",
    );
}

/// A repository with the site at `prefix` (`""` or `docs/specs/`), committed on
/// `main`, and the change committed on the branch `change`, which is checked out.
fn make_repo(prefix: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    write(
        dir.path(),
        "README.md",
        "Not part of the site when it is in a subfolder.\n",
    );
    write_base(dir.path(), prefix);
    commit_all(dir.path(), "The specs");
    git(dir.path(), &["checkout", "-q", "-b", "change"]);
    write_change(dir.path(), prefix);
    commit_all(dir.path(), "Approve PAY-104, record GRO-301's actuals");
    dir
}

fn diff(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .arg("diff")
        .args(args)
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    stdout(o)
}

#[test]
fn markdown_reports_every_kind_of_change_with_links_and_the_marker() {
    let repo = make_repo("");
    let md = ok(&diff(
        repo.path(),
        &["main", "change", "--format", "markdown"],
    ));
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(lines[0], "<!-- specsite-diff -->", "{md}");
    assert_eq!(lines[1], "## Spec changes");
    assert_eq!(
        lines[3],
        "Comparing main with change: 2 documents added, 1 document removed, 2 status changes, \
         1 owner change, 1 metric goal change, 1 actual recorded, 1 verdict changed, \
         1 decision superseded, 1 roadmap item moved, 1 new diagnostic.",
        "{md}"
    );
    let link = |id: &str, slug: &str| format!("[{id}](https://specs.example.com/{slug}/)");
    let pay = link("PAY-104", "features/pay-104");
    for expected in [
        "### Documents added".to_string(),
        format!(
            "- {} Decision ADR-0002 (decision)",
            link("ADR-0002", "decisions/adr-0002")
        ),
        format!(
            "- {} Stablecoin settlement (feature)",
            link("PAY-110", "features/pay-110")
        ),
        "### Documents removed".into(),
        // Removed documents have no page after the change: no link.
        "- PAY-106 Card surcharging (feature)".into(),
        "### Status changes".into(),
        format!("- {pay}: review → approved — Reliable payment retries"),
        format!(
            "- {}: accepted → superseded — Decision ADR-0001",
            link("ADR-0001", "decisions/adr-0001")
        ),
        "### Owners changed".into(),
        format!("- {pay}: maya → maya, omar — Reliable payment retries"),
        "### Metric goals added or changed".into(),
        format!("- {pay} · Stuck retries: added, target <= 5"),
        "### Actuals recorded".into(),
        format!(
            "- {} · Activation rate: actual 43% (measured 2026-11-01), met",
            link("GRO-301", "features/gro-301")
        ),
        "### Verdicts changed".into(),
        format!(
            "- {}: pending → met — Onboarding checklist",
            link("GRO-301", "features/gro-301")
        ),
        "### Decisions superseded".into(),
        format!(
            "- {} superseded by {}",
            link("ADR-0001", "decisions/adr-0001"),
            link("ADR-0002", "decisions/adr-0002")
        ),
        "### Roadmap items moved".into(),
        format!(
            "- {}: {} Next → Now",
            link("RM-2026", "roadmaps/rm-2026"),
            link("GRO-302", "features/gro-302")
        ),
        "### New diagnostics".into(),
    ] {
        assert!(
            lines.contains(&expected.as_str()),
            "no line {expected:?} in\n{md}"
        );
    }
    // The broken link that only moved a line is not new; the new one is.
    let new: Vec<&&str> = lines
        .iter()
        .filter(|l| l.contains("`broken-link`"))
        .collect();
    assert_eq!(new.len(), 1, "{md}");
    assert!(
        new[0].contains("guides/old.md:5") && new[0].contains("missing.md"),
        "{md}"
    );
    assert!(!md.contains("nowhere.md"), "{md}");
}

#[test]
fn without_an_absolute_base_url_ids_are_plain_and_the_option_sets_one() {
    let repo = make_repo("");
    // The same change with a site that has no base_url (both sides).
    for branch in ["main", "change"] {
        git(repo.path(), &["checkout", "-q", branch]);
        write(repo.path(), "specsite.toml", "title = \"Acme specs\"\n");
        commit_all(repo.path(), "No base_url");
    }
    let md = ok(&diff(
        repo.path(),
        &["main", "change", "--format", "markdown"],
    ));
    assert!(
        md.lines()
            .any(|l| l == "- PAY-104: review → approved — Reliable payment retries"),
        "{md}"
    );
    assert!(!md.contains("]("), "no links without base_url:\n{md}");
    let md = ok(&diff(
        repo.path(),
        &[
            "main",
            "change",
            "--format",
            "markdown",
            "--base-url",
            "https://preview.example.org/pr-7",
        ],
    ));
    assert!(
        md.contains(
            "- [PAY-104](https://preview.example.org/pr-7/features/pay-104/): review → approved"
        ),
        "{md}"
    );
}

#[test]
fn json_has_a_summary_and_a_list_per_kind_with_stable_fields() {
    let repo = make_repo("");
    let out = ok(&diff(repo.path(), &["main", "change", "--format", "json"]));
    let v: Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(v["base"], "main");
    assert_eq!(v["head"], "change");
    let summary = v["summary"].as_object().unwrap();
    let keys: Vec<&str> = summary.keys().map(String::as_str).collect();
    let mut expected = [
        "added",
        "removed",
        "status",
        "owners",
        "goals",
        "actuals",
        "verdicts",
        "superseded",
        "roadmap",
        "diagnostics",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    for key in expected {
        assert_eq!(
            summary[key].as_u64().unwrap() as usize,
            v[key]
                .as_array()
                .unwrap_or_else(|| panic!("{key} is a list"))
                .len(),
            "{key}"
        );
    }
    assert_eq!(summary["status"], 2);
    // Lists follow the documents' paths: decisions/ before features/.
    assert_eq!(v["status"][0]["id"], "ADR-0001");
    let status = &v["status"][1];
    assert_eq!(status["id"], "PAY-104");
    assert_eq!(status["kind"], "feature");
    assert_eq!(status["title"], "Reliable payment retries");
    assert_eq!(status["path"], "features/pay-104.md");
    assert_eq!(status["url"], "https://specs.example.com/features/pay-104/");
    assert_eq!(
        (status["before"].as_str(), status["after"].as_str()),
        (Some("review"), Some("approved"))
    );
    assert_eq!(v["removed"][0]["id"], "PAY-106");
    assert_eq!(v["removed"][0]["url"], Value::Null);
    assert_eq!(v["owners"][0]["after"], serde_json::json!(["maya", "omar"]));
    let goal = &v["goals"][0];
    assert_eq!(
        (goal["goal"].as_str(), goal["before"].is_null()),
        (Some("Stuck retries"), true)
    );
    assert_eq!(goal["after"]["target"], "<= 5");
    let actual = &v["actuals"][0];
    assert_eq!(actual["id"], "GRO-301");
    assert_eq!(
        (actual["after"].as_str(), actual["verdict"].as_str()),
        (Some("43%"), Some("met"))
    );
    assert_eq!(actual["measured"], "2026-11-01");
    assert_eq!(
        (
            v["verdicts"][0]["before"].as_str(),
            v["verdicts"][0]["after"].as_str()
        ),
        (Some("pending"), Some("met"))
    );
    assert_eq!(
        (
            v["superseded"][0]["id"].as_str(),
            v["superseded"][0]["by"]["id"].as_str()
        ),
        (Some("ADR-0001"), Some("ADR-0002"))
    );
    let moved = &v["roadmap"][0];
    assert_eq!(moved["roadmap"]["id"], "RM-2026");
    assert_eq!(
        (moved["item"].as_str(), moved["doc"]["id"].as_str()),
        (Some("GRO-302"), Some("GRO-302"))
    );
    assert_eq!(
        (moved["before"].as_str(), moved["after"].as_str()),
        (Some("Next"), Some("Now"))
    );
    let d = &v["diagnostics"][0];
    assert_eq!(
        (d["rule"].as_str(), d["file"].as_str(), d["line"].as_u64()),
        (Some("broken-link"), Some("guides/old.md"), Some(5))
    );
    // Byte-identical when run again.
    assert_eq!(
        out,
        ok(&diff(repo.path(), &["main", "change", "--format", "json"]))
    );
}

#[test]
fn human_is_plain_text_for_a_terminal() {
    let repo = make_repo("");
    let out = ok(&diff(repo.path(), &["main", "change"]));
    assert!(
        out.starts_with("Spec changes from main to change: 2 documents added"),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l == "  PAY-104: review → approved — Reliable payment retries"),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l == "  GRO-301: pending → met — Onboarding checklist"),
        "{out}"
    );
    assert!(!out.contains("](") && !out.contains("<!--"), "{out}");
}

#[test]
fn without_head_the_work_tree_is_compared_as_it_is() {
    let repo = make_repo("");
    // Uncommitted: PAY-104 moves on to in-progress, and a new, untracked feature.
    write(
        repo.path(),
        "features/pay-104.md",
        &pay_104(
            "in-progress",
            "[maya, omar]",
            "  - name: Stuck retries\n    target: \"<= 5\"\n",
        ),
    );
    write(
        repo.path(),
        "features/pay-111.md",
        &feature("PAY-111", "Payouts", "draft"),
    );
    let out = ok(&diff(repo.path(), &["change"]));
    assert!(
        out.starts_with(
            "Spec changes from change to the work tree: 1 document added, 1 status change\n"
        ),
        "{out}"
    );
    assert!(out.contains("  PAY-104: approved → in-progress"), "{out}");
    assert!(out.contains("  PAY-111 Payouts (feature)"), "{out}");
    let v: Value =
        serde_json::from_str(&ok(&diff(repo.path(), &["change", "--format", "json"]))).unwrap();
    assert_eq!(v["head"], Value::Null, "null: the work tree");
    // Against main, the work tree carries the branch's changes too.
    let v: Value =
        serde_json::from_str(&ok(&diff(repo.path(), &["main", "--format", "json"]))).unwrap();
    assert_eq!(v["status"][1]["id"], "PAY-104");
    assert_eq!(v["status"][1]["after"], "in-progress");
    assert_eq!(v["summary"]["added"], 3);
    // Comparing a ref with itself: nothing changed.
    let out = ok(&diff(repo.path(), &["main", "main"]));
    assert_eq!(
        out,
        "Spec changes from main to main: no changes to the specs\n"
    );
}

#[test]
fn a_site_in_a_subfolder_is_read_from_that_folder_of_each_ref() {
    let repo = make_repo("docs/specs/");
    // From the repository's top, naming the folder…
    let out = ok(&diff(
        repo.path(),
        &[
            "main",
            "change",
            "--source",
            "docs/specs",
            "--format",
            "json",
        ],
    ));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["status"], 2, "{out}");
    assert_eq!(
        v["status"][1]["path"], "features/pay-104.md",
        "paths stay relative to SOURCE"
    );
    assert_eq!(
        v["summary"]["added"], 2,
        "README.md outside SOURCE is no document: {out}"
    );
    // …and from inside it, with the default SOURCE.
    let inside = ok(&diff(
        &repo.path().join("docs/specs"),
        &["main", "change", "--format", "json"],
    ));
    assert_eq!(inside, out);
    // A ref from before the site existed: everything is added.
    git(repo.path(), &["checkout", "-q", "--orphan", "empty"]);
    git(repo.path(), &["rm", "-rq", "--cached", "."]);
    write(repo.path(), "other.txt", "x\n");
    git(repo.path(), &["add", "other.txt"]);
    git(repo.path(), &["commit", "-q", "-m", "Before the site"]);
    let v: Value = serde_json::from_str(&ok(&diff(
        repo.path(),
        &[
            "empty",
            "change",
            "--source",
            "docs/specs",
            "--format",
            "json",
        ],
    )))
    .unwrap();
    assert_eq!(v["summary"]["added"], 8);
    assert_eq!(v["summary"]["removed"], 0);
}

#[test]
fn the_repository_is_left_alone_and_no_hook_runs() {
    let repo = make_repo("");
    git(repo.path(), &["checkout", "-q", "main"]);
    write(
        repo.path(),
        "features/pay-104.md",
        &pay_104("approved", "maya", ""),
    );
    let status = git(repo.path(), &["status", "--porcelain"]);
    let worktrees = git(repo.path(), &["worktree", "list", "--porcelain"]);
    let index = std::fs::read(repo.path().join(".git/index")).unwrap();
    // Hooks a checkout or an index write would run (installed after the snapshots,
    // which run git themselves).
    let marker = repo.path().join("hook-ran");
    for hook in [
        "post-checkout",
        "post-index-change",
        "reference-transaction",
    ] {
        let path = repo.path().join(".git/hooks").join(hook);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            format!("#!/bin/sh\necho {hook} >> '{}'\n", marker.display()),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    let md = ok(&diff(
        repo.path(),
        &["main", "change", "--format", "markdown"],
    ));
    assert!(md.contains("review → approved"), "{md}");
    let ran = std::fs::read_to_string(&marker).unwrap_or_default();
    assert!(ran.is_empty(), "git hooks ran: {ran}");
    assert_eq!(
        std::fs::read(repo.path().join(".git/index")).unwrap(),
        index,
        "the index was touched"
    );
    assert_eq!(git(repo.path(), &["status", "--porcelain"]), status);
    assert_eq!(
        git(repo.path(), &["worktree", "list", "--porcelain"]),
        worktrees
    );
}

#[test]
fn bad_refs_and_folders_are_usage_errors() {
    let repo = make_repo("");
    let o = diff(repo.path(), &["no-such-branch"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown git ref 'no-such-branch'"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());
    let o = diff(repo.path(), &["main", "nope~3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown git ref 'nope~3'"),
        "{}",
        stderr(&o)
    );
    // A ref that git would read as an option is refused before git sees it.
    let o = diff(repo.path(), &["--", "--output=/tmp/specsite-diff-pwned"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("refs cannot start with '-'"),
        "{}",
        stderr(&o)
    );
    assert!(!Path::new("/tmp/specsite-diff-pwned").exists());
    // Not a repository.
    let plain = tempfile::tempdir().unwrap();
    write(plain.path(), "specsite.toml", CONFIG);
    let o = diff(plain.path(), &["main"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("must be inside a repository"),
        "{}",
        stderr(&o)
    );
    let o = diff(repo.path(), &["main", "--source", "no/such/folder"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not a folder"), "{}", stderr(&o));
}

#[test]
fn a_configuration_that_cannot_be_read_names_its_side() {
    let repo = make_repo("");
    write(
        repo.path(),
        "specsite.toml",
        "title = \"Acme\"\nno_such_key = 1\n",
    );
    let o = diff(repo.path(), &["main"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error: the work tree: specsite.toml:2"),
        "{}",
        stderr(&o)
    );
}
