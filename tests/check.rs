//! `specsite check` end to end on fixture repos: every link form, anchors, backlinks,
//! two-sided supersede chains, every consistency rule at its line and column, the three
//! output formats, exit codes and configurable rule levels.
//!
//! `tests/fixtures/check/links` is a repo without mistakes; `tests/fixtures/check/mistakes`
//! holds one or more of each. Its full human output is compared with
//! `tests/fixtures/check/mistakes.stderr`; run with `SPECSITE_BLESS=1` to rewrite it.

mod common;
use common::*;
use serde_json::Value;
use std::process::Output;

const LINKS: &str = "tests/fixtures/check/links";
const MISTAKES: &str = "tests/fixtures/check/mistakes";

/// Runs specsite from the repository root (so human and GitHub paths are stable).
fn run_in_repo(args: &[&str]) -> Output {
    bin()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("specsite runs")
}

fn json_lines(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Builds a fixture into a temp folder and returns it with the output path.
fn build(fixture: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let o = run(&[
        "build",
        repo_path(fixture).to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    (dir, out)
}

#[test]
fn a_repo_without_mistakes_passes_strict_silently() {
    let o = run_in_repo(&["check", LINKS, "--strict"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), format!("Checked {LINKS}\n"));
    let o = run_in_repo(&["check", LINKS, "--strict", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "", "no diagnostics, no lines");
}

#[test]
fn every_link_form_resolves_to_the_target_page() {
    let (_dir, out) = build(LINKS);
    let pay1 = read(&out, "features/pay-1/index.html");
    // A relative .md link with a #fragment.
    assert!(
        pay1.contains("<a href=\"../../features/pay-2/#rollout\">the rollout</a>"),
        "{pay1}"
    );
    // [[id]] and [[id|shown text]], resolved across kinds.
    assert!(pay1.contains("<a href=\"../../features/pay-2/\">PAY-2</a>"));
    assert!(pay1.contains("<a href=\"../../decisions/adr-2/\">the retry decision</a>"));
    // A heading of the same page stays a bare fragment.
    assert!(pay1.contains("<a href=\"#goals\">our goals</a>"));
    // Relation fields: decisions and depends_on.
    let related = pay1.split("class=\"related\"").nth(1).unwrap();
    assert!(related.contains("<h2>Decisions</h2>") && related.contains("decisions/adr-1/"));
    assert!(related.contains("<h2>Depends on</h2>") && related.contains("features/pay-2/"));
    // A wiki link with a fragment.
    let pay2 = read(&out, "features/pay-2/index.html");
    assert!(pay2.contains("href=\"../../decisions/adr-3/#context\""));
    // Roadmap items: a list item and a table row.
    let rm = read(&out, "roadmaps/rm-1/index.html");
    assert!(rm.contains("features/pay-2/"), "{rm}");
    assert!(rm.contains("features/pay-3/"), "{rm}");
    let pay3 = read(&out, "features/pay-3/index.html");
    assert!(
        pay3.contains("<h2>On roadmaps</h2>"),
        "a feature lists its roadmaps"
    );
    // amends, declared on one side, shows on both.
    let adr3 = read(&out, "decisions/adr-3/index.html");
    assert!(adr3.contains("<h2>Amended by</h2>"), "{adr3}");
}

#[test]
fn backlinks_are_grouped_by_the_kind_of_the_referring_document() {
    let (_dir, out) = build(LINKS);
    let pay2 = read(&out, "features/pay-2/index.html");
    let backlinks = pay2
        .split("<section class=\"backlinks\"><h2>Referenced by</h2>")
        .nth(1)
        .expect("a Referenced by section")
        .split("</section>")
        .next()
        .unwrap();
    let groups: Vec<&str> = backlinks
        .split("<h3>")
        .skip(1)
        .map(|g| g.split("</h3>").next().unwrap())
        .collect();
    assert_eq!(groups, ["Features", "Decisions", "Roadmaps"], "{backlinks}");
    let group = |name: &str| {
        backlinks
            .split(&format!("<h3>{name}</h3>"))
            .nth(1)
            .unwrap()
            .split("<h3>")
            .next()
            .unwrap()
            .to_string()
    };
    assert!(group("Features").contains("features/pay-1/"));
    assert!(group("Decisions").contains("decisions/adr-1/"));
    assert!(group("Roadmaps").contains("roadmaps/rm-1/"));
}

#[test]
fn supersede_chains_are_completed_from_either_side() {
    let (_dir, out) = build(LINKS);
    // Declared only by the newer decision (ADR-5 supersedes ADR-4).
    let adr4 = read(&out, "decisions/adr-4/index.html");
    assert!(
        adr4.contains("Superseded by <a href=\"../../decisions/adr-5/\">"),
        "{adr4}"
    );
    // Declared only by the older one (ADR-2 superseded_by ADR-3).
    let adr3 = read(&out, "decisions/adr-3/index.html");
    let chain = adr3.split("<h2>Supersede chain</h2>").nth(1).unwrap();
    assert!(chain.find("ADR-2").unwrap() < chain.find("ADR-3").unwrap());
    // Declared on both sides, in agreement: no diagnostic (checked by the strict run).
    let api: Value = serde_json::from_str(&read(&out, "api/specs.json")).unwrap();
    let rel = |id: &str, key: &str| {
        api["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()["relations"][key]
            .clone()
    };
    assert_eq!(rel("ADR-4", "superseded_by"), serde_json::json!(["ADR-5"]));
    assert_eq!(rel("ADR-3", "supersedes"), serde_json::json!(["ADR-2"]));
    assert_eq!(rel("ADR-6", "superseded_by"), serde_json::json!(["ADR-7"]));
}

/// Every diagnostic of the mistakes fixture: rule, level, file, line, column.
const EXPECTED: &[(&str, &str, &str, u64, u64)] = &[
    ("superseded-status", "warning", "decisions/adr-1.md", 4, 9),
    ("supersede-mismatch", "error", "decisions/adr-1.md", 5, 16),
    ("supersede-mismatch", "error", "decisions/adr-11.md", 5, 14),
    ("supersede-mismatch", "error", "decisions/adr-12.md", 5, 24),
    ("supersede-cycle", "error", "decisions/adr-13.md", 5, 13),
    ("supersede-cycle", "error", "decisions/adr-4.md", 5, 13),
    ("supersede-mismatch", "error", "decisions/adr-6.md", 5, 16),
    ("unknown-owner", "warning", "features/fea-1.md", 5, 8),
    ("broken-link", "error", "features/fea-1.md", 6, 14),
    ("broken-link", "error", "features/fea-1.md", 11, 14),
    ("broken-link", "error", "features/fea-1.md", 11, 29),
    ("ambiguous-link", "error", "features/fea-1.md", 12, 5),
    ("missing-anchor", "error", "features/fea-1.md", 12, 14),
    ("missing-anchor", "error", "features/fea-1.md", 12, 30),
    ("unpublished-link", "warning", "features/fea-1.md", 12, 51),
    ("unpublished-link", "warning", "features/fea-1.md", 13, 6),
    ("missing-anchor", "error", "features/fea-1.md", 13, 33),
    ("duplicate-id", "error", "features/fea-2.md", 2, 5),
    ("missing-metrics", "warning", "features/fea-3.md", 4, 9),
    ("unpublished-link", "warning", "features/fea-3.md", 7, 11),
    ("metric-unmeasured", "warning", "features/fea-4.md", 11, 13),
    ("review-overdue", "warning", "features/fea-4.md", 12, 11),
    ("unknown-status", "error", "features/fea-5.md", 4, 9),
    ("ambiguous-link", "error", "features/fea-5.md", 6, 9),
    ("duplicate-id", "error", "features/fea-dup.md", 3, 5),
    ("roadmap-drift", "warning", "roadmaps/rm-1.md", 8, 3),
];

#[test]
fn every_rule_is_reported_at_its_line_and_column_sorted_by_file() {
    let o = run_in_repo(&["check", MISTAKES, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "errors exit 1");
    let diags = json_lines(&o);
    let got: Vec<(String, String, String, u64, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["level"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, String, String, u64, u64)> = EXPECTED
        .iter()
        .map(|&(r, l, f, line, col)| (r.into(), l.into(), f.into(), line, col))
        .collect();
    assert_eq!(got, want, "all problems, in file and line order");
}

#[test]
fn messages_and_help_name_the_fix() {
    let o = run_in_repo(&["check", MISTAKES, "--format", "json"]);
    let diags = json_lines(&o);
    let at = |file: &str, line: u64, col: u64| {
        diags
            .iter()
            .find(|d| d["file"] == file && d["line"] == line && d["column"] == col)
            .unwrap_or_else(|| panic!("nothing at {file}:{line}:{col}"))
    };
    let d = at("features/fea-1.md", 11, 14);
    assert_eq!(d["message"], "no document with id 'FEA-99'");
    assert_eq!(d["help"], "did you mean [[FEA-1]]?", "the closest id");
    let d = at("features/fea-1.md", 13, 33);
    assert_eq!(d["help"], "did you mean '#rollout'?", "the closest anchor");
    let d = at("features/fea-1.md", 12, 30);
    assert_eq!(d["message"], "this page has no heading '#nowhere'");
    let d = at("features/fea-1.md", 12, 5);
    assert_eq!(
        d["message"],
        "[[X-1]] matches a decision (decisions/x-1.md) and a feature (features/x-1.md)"
    );
    let d = at("decisions/adr-1.md", 5, 16);
    assert_eq!(
        d["message"],
        "'ADR-1' says it is superseded by 'ADR-2', but 'ADR-2' says it supersedes 'ADR-3'"
    );
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("decisions/adr-2.md:5:14"),
        "the other side's position: {d}"
    );
    let d = at("decisions/adr-4.md", 5, 13);
    assert_eq!(
        d["message"],
        "the supersede chain loops: ADR-4 → ADR-5 → ADR-4 (each superseded by the next)"
    );
    let d = at("decisions/adr-12.md", 5, 24);
    assert_eq!(
        d["message"],
        "'ADR-12' says it is superseded by both 'ADR-7' and 'ADR-8'"
    );
    let d = at("decisions/adr-11.md", 5, 14);
    assert_eq!(
        d["message"],
        "'ADR-11' says it supersedes 'ADR-9', but so does 'ADR-10'"
    );
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("decisions/adr-10.md:5:13")
    );
    let d = at("decisions/adr-6.md", 5, 16);
    assert_eq!(
        d["message"],
        "'ADR-6' says it is superseded by 'ADR-7', but 'ADR-8' says it supersedes 'ADR-6'"
    );
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("decisions/adr-8.md:5:13")
    );
    let d = at("decisions/adr-13.md", 5, 13);
    assert_eq!(
        d["message"],
        "the supersede chain loops: ADR-13 → ADR-13 (each superseded by the next)"
    );
    let d = at("features/fea-dup.md", 3, 5);
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .ends_with("also used by features/fea-2.md:2:5"),
        "{d}"
    );
    // Every object has the same fields, in the same order.
    for line in stdout(&o).lines() {
        let keys: Vec<String> = serde_json::from_str::<serde_json::Map<String, Value>>(line)
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let mut want = vec!["column", "file", "help", "level", "line", "message", "rule"];
        want.sort_unstable();
        let mut keys_sorted = keys.clone();
        keys_sorted.sort();
        assert_eq!(keys_sorted, want, "{line}");
        assert!(line.starts_with("{\"rule\":"), "{line}");
    }
}

#[test]
fn human_output_matches_the_snapshot() {
    let o = run_in_repo(&["check", MISTAKES]);
    assert_eq!(o.status.code(), Some(1));
    let got = stderr(&o);
    let snapshot = repo_path("tests/fixtures/check/mistakes.stderr");
    if std::env::var_os("SPECSITE_BLESS").is_some() {
        std::fs::write(&snapshot, &got).unwrap();
    }
    let want = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert!(
        got == want,
        "human output differs from {} (SPECSITE_BLESS=1 rewrites it):\n{got}",
        snapshot.display()
    );
    // Spot checks that the snapshot itself is right: location, excerpt, caret, help.
    assert!(got.contains(
        "error[broken-link]: no document with id 'FEA-99'\n  --> tests/fixtures/check/mistakes/features/fea-1.md:11:14\n   |\n11 | Zoë’s links: [[FEA-99]] and [gone](missing.md).\n   |              ^^^^^^^^^^\n   = help: did you mean [[FEA-1]]?\n"
    ), "{got}");
    assert!(got.ends_with(&format!("Checked {MISTAKES} (17 errors, 9 warnings)\n")));
}

#[test]
fn github_format_annotates_files_named_from_the_current_folder() {
    let fixtures = repo_path("tests/fixtures/check");
    let o = bin()
        .current_dir(&fixtures)
        .args(["check", "mistakes", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert_eq!(text.lines().count(), EXPECTED.len());
    assert!(text.contains(
        "::error file=mistakes/features/fea-1.md,line=11,col=14,title=broken-link::no document with id 'FEA-99'%0Ahelp: did you mean [[FEA-1]]?\n"
    ), "{text}");
    assert!(text.contains(
        "::warning file=mistakes/features/fea-1.md,line=5,col=8,title=unknown-owner::'bob' is not in people.toml"
    ));
    // An absolute SOURCE below the current folder is named relatively too.
    let o = bin()
        .current_dir(&fixtures)
        .args([
            "check",
            fixtures.join("mistakes").to_str().unwrap(),
            "--format",
            "github",
        ])
        .output()
        .unwrap();
    assert!(
        stdout(&o).contains(
            "::error file=mistakes/features/fea-5.md,line=4,col=9,title=unknown-status::"
        )
    );
    // Running from the repo root, the path starts at the repo root.
    let o = run_in_repo(&["check", MISTAKES, "--format", "github"]);
    assert!(stdout(&o).contains(&format!("file={MISTAKES}/roadmaps/rm-1.md,line=8,col=3,")));
}

#[test]
fn strict_fails_on_warnings_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("features")).unwrap();
    std::fs::write(
        dir.path().join("features/a.md"),
        "---\nid: A-1\nstatus: shipped\n---\n",
    )
    .unwrap();
    let src = dir.path().to_str().unwrap();
    let o = run(&["check", src]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "warnings alone pass: {}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("warning[missing-metrics]"));
    let o = run(&["check", src, "--strict"]);
    assert_eq!(o.status.code(), Some(1), "--strict fails on warnings");
}

#[test]
fn rule_levels_come_from_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    copy_tree(&repo_path(MISTAKES), &src);
    std::fs::write(
        src.join("specsite.toml"),
        "ignore = [\"drafts/\"]\n[rules]\nunknown-owner = \"error\"\nbroken-link = \"off\"\nmissing-anchor = \"warning\"\n",
    )
    .unwrap();
    let o = run(&["check", src.to_str().unwrap(), "--format", "json"]);
    let diags = json_lines(&o);
    assert!(diags.iter().all(|d| d["rule"] != "broken-link"), "off");
    let owner = diags.iter().find(|d| d["rule"] == "unknown-owner").unwrap();
    assert_eq!(owner["level"], "error");
    assert!(
        diags
            .iter()
            .filter(|d| d["rule"] == "missing-anchor")
            .all(|d| d["level"] == "warning")
    );
    assert_eq!(
        diags.len(),
        EXPECTED.len() - 3,
        "three broken links are off"
    );
    // Levels are set per rule id: the rules not named keep their defaults.
    assert!(
        diags
            .iter()
            .filter(|d| d["rule"] == "ambiguous-link")
            .all(|d| d["level"] == "error")
    );
}

#[test]
fn build_reports_the_same_diagnostics_as_check() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let src = repo_path(MISTAKES);
    let built = run(&[
        "build",
        src.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let checked = run(&["check", src.to_str().unwrap(), "--format", "json"]);
    assert_eq!(built.status.code(), Some(1));
    assert_eq!(stdout(&built), stdout(&checked));
    assert!(!out.exists(), "a build with errors writes nothing");
}

#[test]
fn example_site_passes_check_strict_pinned_and_today() {
    let example = repo_path("example-site");
    let pinned = run(&["check", example.to_str().unwrap(), "--strict"]);
    assert_eq!(pinned.status.code(), Some(0), "{}", stderr(&pinned));
    // With the real date, as a CI run of a fresh clone sees it. The content passes
    // `--strict` today; as the calendar moves, roadmap quarters become "now" and may
    // drift, which is a warning about dated content, never an error.
    let today = bin()
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["check", example.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(today.status.code(), Some(0), "{}", stdout(&today));
    for d in json_lines(&today) {
        assert_eq!(
            d["rule"], "roadmap-drift",
            "only the calendar may warn: {d}"
        );
    }
}

#[test]
fn missing_source_is_a_usage_error() {
    let o = run(&["check", "/nonexistent/specs"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not a folder"), "{}", stderr(&o));
}

#[test]
fn a_configuration_outside_source_is_named_by_its_absolute_path() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), "titel = \"Specs\"\n").unwrap();
    let o = bin()
        .current_dir(dir.path())
        .args([
            "check",
            repo_path(LINKS).to_str().unwrap(),
            "--config",
            "site.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let shown = err
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        shown.ends_with("site.toml:1:1")
            && std::path::Path::new(shown.trim_end_matches(":1:1")).is_absolute(),
        "{err}"
    );
}

#[test]
fn a_duplicate_number_in_folder_per_spec_layouts_keeps_the_folder_name() {
    let dir = tempfile::tempdir().unwrap();
    for (folder, title) in [("0002-beta", "Beta"), ("0002-gamma", "Gamma")] {
        let path = dir.path().join("features").join(folder);
        std::fs::create_dir_all(&path).unwrap();
        std::fs::write(
            path.join("README.md"),
            format!("---\ntitle: {title}\nstatus: draft\n---\nBody.\n"),
        )
        .unwrap();
    }
    let o = run(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    let lines = json_lines(&o);
    let dup = lines
        .iter()
        .find(|d| d["rule"] == "duplicate-number")
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert_eq!(dup["file"], "features/0002-gamma/README.md");
    let message = dup["message"].as_str().unwrap();
    assert!(
        message.ends_with("published as '0002-gamma'"),
        "the folder names the spec, never README: {message}"
    );
}
