//! `specsite init --detect` through the real binary, one fixture repo per dialect
//! (`tests/fixtures/detect/<dialect>`): each is copied to a temp folder, detected with
//! the configuration written where a newcomer would get it (DIR/specsite.toml), then
//! built with that configuration unedited and without --keep-going. The tables say what
//! every document must come out as, and what the written configuration must say.

mod common;

use common::*;
use serde_json::Value;

/// A fixture repo after `init --detect` and `build`.
struct Adopted {
    _dir: tempfile::TempDir,
    config: String,
    detect_stderr: String,
    docs: Vec<Value>,
}

fn adopt(dialect: &str) -> Adopted {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("repo");
    copy_tree(
        &repo_path(&format!("tests/fixtures/detect/{dialect}")),
        &src,
    );
    let o = run(&["init", "--detect", src.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{dialect}: {}", stderr(&o));
    let config = std::fs::read_to_string(src.join("specsite.toml")).unwrap();
    let out = dir.path().join("site");
    let b = run(&[
        "build",
        src.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        b.status.code(),
        Some(0),
        "{dialect}: the detected config must build\n{config}\n{}{}",
        stdout(&b),
        stderr(&b)
    );
    let specs: Value = serde_json::from_str(&read(&out, "api/specs.json")).unwrap();
    Adopted {
        _dir: dir,
        config,
        detect_stderr: stderr(&o),
        docs: specs["documents"].as_array().unwrap().clone(),
    }
}

impl Adopted {
    fn doc(&self, source: &str) -> Option<&Value> {
        self.docs.iter().find(|d| d["source"] == source)
    }
}

/// source, id, title, mapped status (None: no status), raw status.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

fn assert_docs(dialect: &str, a: &Adopted, rows: &[Row]) {
    for (source, id, title, status, raw) in rows {
        let d = a
            .doc(source)
            .unwrap_or_else(|| panic!("{dialect}: no document {source}\n{}", a.config));
        assert_eq!(d["id"], *id, "{dialect} {source}: id");
        assert_eq!(d["title"], *title, "{dialect} {source}: title");
        assert_eq!(
            d["status"].as_str(),
            *status,
            "{dialect} {source}\n{}",
            a.config
        );
        assert_eq!(d["status_raw"].as_str(), *raw, "{dialect} {source}");
    }
    assert_eq!(
        a.docs.len(),
        rows.len(),
        "{dialect}: documents\n{}",
        a.config
    );
}

#[test]
fn stems_become_one_status_with_a_wildcard_and_phases_are_guessed_and_commented() {
    let a = adopt("stems");
    assert_docs(
        "stems",
        &a,
        &[
            (
                "proposals/0001-patterns.md",
                "0001",
                "Pattern matching",
                Some("implemented"),
                Some("Implemented (Lang 5.9)"),
            ),
            (
                "proposals/0002-tuples.md",
                "0002",
                "Tuples with `go install`",
                Some("implemented"),
                Some("Implemented (Lang 6.0)"),
            ),
            (
                "proposals/0003-async.md",
                "0003",
                "Async traits",
                Some("active-review"),
                Some("Active review (March 1…8)"),
            ),
            (
                "proposals/0004-generators.md",
                "0004",
                "Generators",
                Some("active-review"),
                Some("Active review (April 2…9)"),
            ),
            (
                "proposals/0005-effects.md",
                "0005",
                "Effects",
                Some("returned"),
                Some("Returned for revision"),
            ),
            (
                "proposals/0006-macros.md",
                "0006",
                "Macros",
                Some("pitch"),
                Some("Pitch"),
            ),
            (
                "proposals/0007-variadics.md",
                "0007",
                "Variadics",
                Some("approved"),
                Some("Accepted"),
            ),
            // A sentence is never made a status: it stays unmapped (a warning).
            (
                "proposals/0008-const.md",
                "0008",
                "Const generics",
                Some("We talked about this at length and agreed to revisit it next year."),
                Some("We talked about this at length and agreed to revisit it next year."),
            ),
        ],
    );
    for (name, phase, word) in [
        ("pitch", "draft", "pitch"),
        ("approved", "planned", "accept"),
        ("active-review", "active", "review"),
        ("implemented", "done", "implemented"),
        ("returned", "closed", "returned"),
    ] {
        let expected = format!(
            "name = \"{name}\"\nphase = \"{phase}\"   # phase guessed from the word '{word}'\n"
        );
        assert!(a.config.contains(&expected), "{expected}\n{}", a.config);
    }
    for alias in ["\"implemented *\"", "\"active review *\"", "\"returned *\""] {
        assert!(
            a.config.contains(&format!("aliases = [{alias}]")),
            "{alias}\n{}",
            a.config
        );
    }
    // One status per stem, never one per raw value, and nothing from the sentence or
    // the template's placeholder.
    assert_eq!(
        a.config.matches("[[statuses.feature]]").count(),
        5,
        "{}",
        a.config
    );
    assert!(!a.config.contains("talked"), "{}", a.config);
    // Template and index page ignored, the link out of the repo a commented warning.
    assert!(
        a.config
            .contains("\"proposals/0000-template.md\",   # a template"),
        "{}",
        a.config
    );
    assert!(
        a.config
            .contains("\"proposals/README.md\",   # the folder's index page"),
        "{}",
        a.config
    );
    assert!(
        a.config
            .contains("# 1 error when detected: links into content this repo may not own")
            && a.config.contains("broken-link = \"warning\""),
        "{}",
        a.config
    );
    assert!(
        a.detect_stderr.contains("7 of 8 stated statuses map"),
        "{}",
        a.detect_stderr
    );
}

#[test]
fn adr_tools_log_titles_lose_the_repeated_number_and_statuses_keep_their_links() {
    let a = adopt("adr");
    assert_docs(
        "adr",
        &a,
        &[
            (
                "docs/adr/0001-record-architecture-decisions.md",
                "0001",
                "Record architecture decisions",
                Some("accepted"),
                Some("Accepted"),
            ),
            (
                "docs/adr/0002-use-a-queue.md",
                "0002",
                "Use a queue",
                Some("superseded"),
                Some("Superseded by 3. Use a log"),
            ),
            (
                "docs/adr/0003-use-a-log.md",
                "0003",
                "Use a log",
                Some("accepted"),
                Some("Accepted"),
            ),
            (
                "docs/adr/0004-shard-the-log.md",
                "0004",
                "Shard the log",
                Some("proposed"),
                Some("Pending"),
            ),
        ],
    );
    assert!(
        a.config.contains("aliases = [\"superseded *\"]"),
        "{}",
        a.config
    );
    assert!(
        a.config.contains("\"docs/adr/adr-template.md\""),
        "{}",
        a.config
    );
    assert!(a.config.contains("\"docs/adr/index.md\""), "{}", a.config);
}

#[test]
fn folder_per_spec_reads_sidecars_and_a_duplicate_number_keeps_its_folder_name() {
    let a = adopt("perspec");
    assert_docs(
        "perspec",
        &a,
        &[
            (
                "specs/0001-alpha/README.md",
                "0001",
                "Alpha",
                Some("provisional"),
                Some("provisional"),
            ),
            (
                "specs/0002-beta/README.md",
                "0002",
                "Beta",
                Some("implementable"),
                Some("implementable"),
            ),
            (
                "specs/0002-gamma/README.md",
                "0002-gamma",
                "Gamma",
                Some("withdrawn"),
                Some("withdrawn"),
            ),
        ],
    );
    assert!(a.config.contains("sidecar = \"meta.yaml\""), "{}", a.config);
    for (name, phase) in [
        ("provisional", "draft"),
        ("implementable", "planned"),
        ("withdrawn", "closed"),
    ] {
        assert!(
            a.config
                .contains(&format!("name = \"{name}\"\nphase = \"{phase}\"")),
            "{name}\n{}",
            a.config
        );
    }
    // Owners and dates in the sidecar are read as the build reads them.
    let gamma = a.doc("specs/0002-gamma/README.md").unwrap();
    assert_eq!(gamma["owner"][0], "cy", "{gamma}");
    assert_eq!(gamma["dates"]["created"], "2021-03-01", "{gamma}");
}

#[test]
fn folders_that_state_no_status_get_none_invented() {
    let a = adopt("nostatus");
    assert_docs(
        "nostatus",
        &a,
        &[
            ("text/0001-alpha.md", "0001", "0001 alpha", None, None),
            ("text/0002-beta.md", "0002", "0002 beta", None, None),
            ("text/0003-gamma.md", "0003", "0003 gamma", None, None),
        ],
    );
    assert!(!a.config.contains("defaults"), "{}", a.config);
    assert!(!a.config.contains("[[statuses"), "{}", a.config);
    assert!(
        a.config.contains("created = [\"start date\"]"),
        "{}",
        a.config
    );
    assert!(
        a.config.contains("missing-anchor = \"warning\""),
        "{}",
        a.config
    );
    assert_eq!(
        a.doc("text/0002-beta.md").unwrap()["dates"]["created"],
        "2019-02-01"
    );
}

#[test]
fn a_failed_build_ends_by_saying_how_to_get_a_site_anyway() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("repo");
    copy_tree(&repo_path("tests/fixtures/detect/stems"), &src);
    let o = run(&[
        "build",
        src.to_str().unwrap(),
        "--out",
        dir.path().join("site").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.contains("--keep-going") && last.contains("[rules]"),
        "{err}"
    );
    assert!(!dir.path().join("site").exists());
}
