//! Metadata parsing that never lies: each dialect of `tests/fixtures/metadata` (one per
//! folder, described in its specsite.toml) built by the real binary, and the status
//! history of a sidecar file in a real git repository made in the test.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

struct Built {
    _dir: tempfile::TempDir,
    specs: Value,
    people: Value,
    diagnostics: Vec<Value>,
}

/// Builds the fixture with `--keep-going`, its config edited by `config` first.
fn build_with(config: impl Fn(String) -> String) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("docs");
    copy_tree(&repo_path("tests/fixtures/metadata"), &src);
    let toml = src.join("specsite.toml");
    std::fs::write(&toml, config(std::fs::read_to_string(&toml).unwrap())).unwrap();
    let out = dir.path().join("site");
    let o = run(&[
        "build",
        src.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--keep-going",
        "--format",
        "json",
    ]);
    let diagnostics = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    Built {
        specs: serde_json::from_str(&read(&out, "api/specs.json")).unwrap(),
        people: serde_json::from_str(&read(&out, "api/people.json")).unwrap(),
        diagnostics,
        _dir: dir,
    }
}

fn build() -> Built {
    build_with(|c| c)
}

impl Built {
    fn doc(&self, source: &str) -> &Value {
        self.specs["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["source"] == source)
            .unwrap_or_else(|| panic!("{source} not in specs.json"))
    }

    /// `rule file:line message` of each diagnostic in `file`.
    fn diags_in(&self, file: &str) -> Vec<String> {
        self.diagnostics
            .iter()
            .filter(|d| d["file"].as_str().is_some_and(|f| f.ends_with(file)))
            .map(|d| {
                format!(
                    "{} {}:{} {}",
                    d["rule"].as_str().unwrap(),
                    file,
                    d["line"],
                    d["message"].as_str().unwrap()
                )
            })
            .collect()
    }
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn each_dialect_gives_the_metadata_written() {
    let b = build();
    /// Source, then id, status, owners, a date field and its date.
    type Case<'a> = (
        &'a str,
        &'a str,
        Option<&'a str>,
        &'a [&'a str],
        &'a str,
        Option<&'a str>,
    );
    let cases: &[Case<'_>] = &[
        // A sidecar beats the `## Status` section; `### Status` in the design is prose.
        (
            "specs/area/583-name/README.md",
            "SRCH-583",
            Some("approved"),
            &[],
            "created",
            None,
        ),
        // A header list keeps the items it can read; a continued value is joined; a date in words.
        (
            "adr/0001-header-list.md",
            "0001",
            Some("accepted"),
            &["Ann Lee", "Bob Stone"],
            "date",
            Some("2019-03-06"),
        ),
        (
            "adr/0002-in-words.md",
            "0002",
            Some("accepted"),
            &[],
            "date",
            Some("2021-02-08"),
        ),
        ("adr/0003-deep-status.md", "0003", None, &[], "date", None),
        ("adr/0004-prose-status.md", "0004", None, &[], "date", None),
        // The id written as a link; `Author(s)`, `Last updated`.
        (
            "rfcs/0001-name.md",
            "XX-0001",
            Some("approved"),
            &["Ann Lee", "Bob Stone", "Cy Young"],
            "updated",
            Some("2021-02-03"),
        ),
        // People lists: `()`, trailing periods, `and`, `with input from`, `et al.`, side-by-side links.
        (
            "eips/eip-1.md",
            "1",
            Some("draft"),
            &["Vitalik Buterin", "Eric Conner", "Cy Young", "Bob Stone"],
            "created",
            Some("2019-04-13"),
        ),
        (
            "eips/eip-2.md",
            "2",
            Some("draft"),
            &["Vitalik Buterin", "Dana Ode", "Eve Ito"],
            "created",
            Some("2019-05-01"),
        ),
    ];
    for &(source, id, status, owners, date_field, date) in cases {
        let d = b.doc(source);
        assert_eq!(d["id"], id, "{source}");
        assert_eq!(d["status"].as_str(), status, "{source}");
        assert_eq!(strs(&d["owner"]), owners, "{source}");
        assert_eq!(d["dates"][date_field].as_str(), date, "{source}");
    }
    // A flow list continued at column 0.
    assert_eq!(
        strs(&b.doc("eips/eip-1.md")["tags"]),
        ["core", "networking"]
    );
    // Nothing in these dialects is reported but the anchors of pages/anchors.md.
    let others: Vec<&Value> = b
        .diagnostics
        .iter()
        .filter(|d| {
            !d["file"]
                .as_str()
                .unwrap_or("")
                .ends_with("pages/anchors.md")
        })
        .filter(|d| d["level"] != "info")
        .collect();
    assert!(others.is_empty(), "{others:#?}");
}

#[test]
fn relations_written_as_folder_paths_resolve_and_none_is_empty() {
    let b = build();
    let d = b.doc("specs/area/600-other/README.md");
    assert_eq!(
        strs(&d["relations"]["depends_on"]),
        ["SRCH-583"],
        "a path from the repository root"
    );
    assert_eq!(
        strs(&d["relations"]["link"]),
        ["SRCH-583"],
        "a relative folder path"
    );
    assert!(
        d["relations"].get("decision").is_none(),
        "`none` is no relation"
    );
    assert!(b.diags_in("specs/area/600-other/README.md").is_empty());
    // A broken relation names the kind expected.
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        "decisions/0001-a.md",
        "---\nfeatures: [FEAT-9]\nstatus: accepted\n---\n# A\n",
    );
    let o = run(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    let out = stdout(&o);
    assert!(out.contains("no feature with id 'FEAT-9'"), "{out}");
}

#[test]
fn unmapped_fields_are_kept_not_parsed() {
    // `[aliases] extra = ["metrics", "review"]`: the repo's own fields.
    let b = build();
    let ops = b.doc("features/ops.md");
    assert_eq!(ops["metrics"].as_array().map(Vec::len), Some(0));
    assert!(ops["dates"]["review"].is_null());
    assert!(
        b.diags_in("features/ops.md").is_empty(),
        "{:?}",
        b.diags_in("features/ops.md")
    );
    // Without the unmapping they are read as specsite's fields, and cannot be.
    let b = build_with(|c| c.replace("extra = [\"metrics\", \"review\"]\n", ""));
    let rules: Vec<String> = b.diags_in("features/ops.md");
    assert!(
        rules.iter().any(|r| r.starts_with("invalid-field")),
        "{rules:?}"
    );
    assert!(
        rules.iter().any(|r| r.starts_with("invalid-date")),
        "{rules:?}"
    );
}

#[test]
fn people_written_every_way_are_one_person_each() {
    let b = build();
    let people: Vec<(&str, Option<&str>, Option<&str>)> = b.people["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap(),
                p["handle"].as_str(),
                p["email"].as_str(),
            )
        })
        .collect();
    let mut names: Vec<&str> = people.iter().map(|p| p.0).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "Ann Lee",
            "Bob Stone",
            "Cy Young",
            "Dana Ode",
            "Eric Conner",
            "Eve Ito",
            "Vitalik Buterin"
        ],
        "no nicknames, affiliations, `with input from` or `et al.` as people"
    );
    for (name, handle, email) in [
        ("Ann Lee", Some("annlee"), None),
        ("Cy Young", Some("cyoung"), None),
        ("Vitalik Buterin", Some("vbuterin"), None),
        ("Eric Conner", None, Some("eric@x.org")),
        ("Eve Ito", Some("eito"), None),
    ] {
        assert!(
            people.contains(&(name, handle, email)),
            "{name}: {people:?}"
        );
    }
}

#[test]
fn anchors_are_githubs_and_bracketed_links_are_links() {
    let b = build();
    let mut diags = b.diags_in("pages/anchors.md");
    diags.sort();
    assert_eq!(
        diags,
        [
            "anchor-case pages/anchors.md:7 this page has no heading '#Next-Steps', only '#next-steps'",
            "missing-anchor pages/anchors.md:7 this page has no heading '#nowhere'",
        ]
    );
    let level = |rule: &str| {
        b.diagnostics
            .iter()
            .find(|d| d["rule"] == rule)
            .map(|d| d["level"].as_str().unwrap().to_string())
    };
    assert_eq!(level("anchor-case").as_deref(), Some("warning"));
    assert_eq!(level("missing-anchor").as_deref(), Some("error"));
}

fn write_file(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn git(dir: &Path, args: &[&str], date: &str) {
    git_as(dir, args, ("Ada", "ada@example.com"), Some(date));
}

fn commit(dir: &Path, date: &str) {
    git(dir, &["add", "-A"], date);
    git(dir, &["commit", "-q", "-m", "change"], date);
}

#[test]
fn a_status_changed_only_in_a_sidecar_is_in_the_history() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"], "2026-01-01");
    write_file(
        &repo,
        "specsite.toml",
        "sidecar = \"metadata.yml\"\n[folders.specs]\nkind = \"feature\"\n",
    );
    // The body's status section says draft throughout; only the sidecar moves.
    let readme = "# Search\n\n## Status\n\nDraft\n\n## Design\n\nText.\n";
    write_file(&repo, "specs/search/README.md", readme);
    commit(&repo, "2026-02-01");
    write_file(
        &repo,
        "specs/search/metadata.yml",
        "id: SRCH-1\nstatus: review\n",
    );
    commit(&repo, "2026-02-10");
    write_file(
        &repo,
        "specs/search/README.md",
        &readme.replace("Text.", "More text."),
    );
    commit(&repo, "2026-02-15");
    write_file(
        &repo,
        "specs/search/metadata.yml",
        "id: SRCH-1\nstatus: approved\n",
    );
    commit(&repo, "2026-03-01");
    let out = tmp.path().join("site");
    let o = run(&[
        "build",
        repo.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let specs: Value = serde_json::from_str(&read(&out, "api/specs.json")).unwrap();
    let d = &specs["documents"][0];
    assert_eq!(d["id"], "SRCH-1");
    assert_eq!(d["status"], "approved");
    let steps: Vec<(&str, &str)> = d["status_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["status"].as_str().unwrap(), s["date"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("draft", "2026-02-01"),
            ("review", "2026-02-10"),
            ("approved", "2026-03-01")
        ]
    );
    assert_eq!(d["history"]["revisions"], 4);
    assert_eq!(d["dates"]["updated"], "2026-03-01");
}
