//! Hostile values in specs and config, run through the real binary: each is reported at
//! its file and line with a clear rule, and none makes specsite panic, loop for minutes
//! or write something the author did not mean.

mod common;

use common::{run, stderr, stdout};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

/// A spec repo in a temp folder, from (path, text) pairs.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// The diagnostics of a JSON-format run.
fn diagnostics(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Runs `check` (and `build` into `out`), asserting neither panicked.
fn check(src: &Path) -> (Output, Vec<Value>) {
    let o = run(&["check", src.to_str().unwrap(), "--format", "json"]);
    no_panic(&o);
    let d = diagnostics(&o);
    (o, d)
}

fn build(src: &Path, out: &Path) -> (Output, Vec<Value>) {
    let o = run(&[
        "build",
        src.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    no_panic(&o);
    let d = diagnostics(&o);
    (o, d)
}

fn no_panic(o: &Output) {
    assert_ne!(o.status.code(), Some(101), "{}", stderr(o));
    assert!(!stderr(o).contains("panicked"), "{}", stderr(o));
}

/// The diagnostics of a rule, as (file, line).
fn places(diags: &[Value], rule: &str) -> Vec<(String, u64)> {
    diags
        .iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn feature(id: &str, fields: &str) -> String {
    format!("---\nid: {id}\ntitle: Feature {id}\nstatus: draft\n{fields}---\n\n# {id}\n\nText.\n")
}

#[test]
fn rice_that_cannot_be_a_number_is_unscored_and_the_backlog_still_sorts() {
    let bad = [
        // The issue's example: the product overflows, and infinity × 0 is NaN.
        (
            "nan",
            "{ reach: 1e200, impact: 1e200, confidence: 0, effort: 1 }",
        ),
        (
            "infinite",
            "{ reach: 1e200, impact: 1e200, confidence: 1, effort: 1 }",
        ),
        (
            "tiny-effort",
            "{ reach: 1e300, impact: 10, confidence: 1, effort: 1e-300 }",
        ),
        (
            "inf-input",
            "{ reach: .inf, impact: 1, confidence: 1, effort: 1 }",
        ),
        (
            "nan-input",
            "{ reach: .nan, impact: 1, confidence: 1, effort: 1 }",
        ),
        (
            "negative",
            "{ reach: -100, impact: 1, confidence: 1, effort: 1 }",
        ),
    ];
    let mut files: Vec<(String, String)> = bad
        .iter()
        .map(|(id, rice)| {
            (
                format!("features/{id}.md"),
                feature(id, &format!("rice: {rice}\n")),
            )
        })
        .collect();
    // Huge but finite, and an everyday score.
    files.push((
        "features/huge.md".into(),
        feature(
            "huge",
            "rice: { reach: 1e150, impact: 1e150, confidence: 0.5, effort: 2 }\n",
        ),
    ));
    files.push((
        "features/normal.md".into(),
        feature(
            "normal",
            "rice: { reach: 100, impact: 2, confidence: 50%, effort: 1 }\n",
        ),
    ));
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = site(&borrowed);

    let (o, diags) = check(dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let mut got = places(&diags, "invalid-field");
    got.sort();
    let mut want: Vec<(String, u64)> = bad
        .iter()
        .map(|(id, _)| (format!("features/{id}.md"), 5))
        .collect();
    want.sort();
    assert_eq!(got, want, "{}", stdout(&o));

    // As warnings, the site is built: every page renders, the bad scores are unscored
    // (listed last), and the huge one is first.
    std::fs::write(
        dir.path().join("specsite.toml"),
        "[rules]\ninvalid-field = \"warning\"\n",
    )
    .unwrap();
    let out = dir.path().join("public");
    let (o, _) = build(dir.path(), &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let backlog = std::fs::read_to_string(out.join("backlog/index.html")).unwrap();
    let at = |id: &str| {
        backlog
            .find(&format!("features/{id}/\">{id}<"))
            .unwrap_or_else(|| panic!("{id} not in the backlog: {backlog}"))
    };
    assert!(at("huge") < at("normal"), "{backlog}");
    for (id, _) in bad {
        assert!(at("normal") < at(id), "{id}: {backlog}");
        let page = std::fs::read_to_string(out.join(format!("features/{id}/index.html"))).unwrap();
        assert!(!page.contains("<dt>RICE</dt>"), "{id} shows a score");
    }
}

#[test]
fn did_you_mean_is_worked_out_for_a_bounded_number_of_targets_per_file() {
    // 120 documents, and a spec linking 120 distinct misspellings of their ids, each
    // twice; a second spec with one misspelling.
    let mut files: Vec<(String, String)> = (0..120)
        .map(|i| {
            (
                format!("guides/f{i:03}.md"),
                format!("---\nid: f{i:03}\n---\n# F{i}\n"),
            )
        })
        .collect();
    let links: String = (0..120)
        .map(|i| format!("- [[g{i:03}]] and again [[g{i:03}]]\n"))
        .collect();
    files.push(("guides/broken.md".into(), format!("# Broken\n\n{links}")));
    files.push(("guides/other.md".into(), "# Other\n\n[[g119]]\n".into()));
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = site(&borrowed);
    let (o, diags) = check(dir.path());
    assert_eq!(o.status.code(), Some(1));
    let broken: Vec<&Value> = diags
        .iter()
        .filter(|d| d["rule"] == "broken-link" && d["file"] == "guides/broken.md")
        .collect();
    assert_eq!(broken.len(), 240, "{}", stdout(&o));
    let suggested: Vec<&str> = broken
        .iter()
        .filter_map(|d| d["help"].as_str())
        .filter(|h| h.starts_with("did you mean"))
        .collect();
    // Suggestions for the first 50 distinct targets (twice each, the second from the
    // cache); none for the other 70.
    assert_eq!(suggested.len(), 100, "{suggested:?}");
    assert!(
        suggested.contains(&"did you mean [[f000]]?"),
        "{suggested:?}"
    );
    assert!(
        !suggested.contains(&"did you mean [[f050]]?"),
        "{suggested:?}"
    );
    // Another file has a budget of its own.
    let other: Vec<&Value> = diags
        .iter()
        .filter(|d| d["file"] == "guides/other.md")
        .collect();
    assert_eq!(other.len(), 1);
    assert_eq!(other[0]["help"], "did you mean [[f119]]?");
    assert_eq!(other[0]["line"], 3);
}

#[test]
fn link_placeholders_written_by_the_author_stay_as_written() {
    let spec = "---\nid: a\n---\n# A\n\n\
        Inline `specsite-link:0` and plain specsite-link:0 here, and [b](b.md).\n\n\
        ```\nspecsite-link:0\n```\n\n\
        [odd](specsite-link:0)\n";
    let dir = site(&[
        ("guides/a.md", spec),
        ("guides/b.md", "---\nid: b\n---\n# B\n"),
    ]);
    let out = dir.path().join("public");
    let (o, diags) = build(dir.path(), &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(diags.is_empty(), "{}", stdout(&o));
    let page = std::fs::read_to_string(out.join("guides/a/index.html")).unwrap();
    assert!(page.contains("<code>specsite-link:0</code>"), "{page}");
    assert!(page.contains("plain specsite-link:0 here"), "{page}");
    assert!(page.contains(">specsite-link:0\n</"), "{page}");
    assert!(page.contains("href=\"specsite-link%3A0\""), "{page}");
    // The real link is the only one filled in.
    assert_eq!(page.matches("guides/b/\"").count(), 1, "{page}");
}

#[test]
fn a_date_with_words_after_it_is_an_error_at_the_field() {
    let dir = site(&[(
        "features/a.md",
        &feature(
            "a",
            "created: 2026-01-01 oops\nupdated: 2026-01-02 10:30:00 +02:00\n",
        ),
    )]);
    let (o, diags) = check(dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        places(&diags, "invalid-date"),
        [("features/a.md".to_string(), 5)],
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_relative_target_on_a_zero_baseline_is_not_judged() {
    let goal = "metrics:\n  - name: Signups\n    baseline: 0\n    target: \"+20%\"\n    actual: 0\n    measured: 2026-10-01\n";
    let dir = site(&[("features/a.md", &feature("a", goal))]);
    let (o, diags) = check(dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        places(&diags, "metric-target"),
        [("features/a.md".to_string(), 8)],
        "{}",
        stdout(&o)
    );
    let d = diags.iter().find(|d| d["rule"] == "metric-target").unwrap();
    assert!(
        d["message"].as_str().unwrap().contains("baseline of 0"),
        "{d}"
    );
    // Built anyway, the goal shows no verdict: it is not "met" by staying at 0.
    std::fs::write(
        dir.path().join("specsite.toml"),
        "[rules]\nmetric-target = \"warning\"\n",
    )
    .unwrap();
    let out = dir.path().join("public");
    let (o, _) = build(dir.path(), &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let api = std::fs::read_to_string(out.join("api/specs.json")).unwrap();
    assert!(!api.contains("\"met\""), "{api}");
}

#[test]
fn a_review_period_past_the_calendar_is_a_config_error() {
    let shipped = feature("a", "shipped: 9999-12-30\n");
    let dir = site(&[
        ("specsite.toml", "title = \"X\"\nreview_days = 99999999\n"),
        ("features/a.md", &shipped),
    ]);
    let (o, diags) = check(dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        places(&diags, "config"),
        [("specsite.toml".to_string(), 2)],
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("36525"), "{}", stdout(&o));
    // The longest period allowed, from a date near the end of the calendar: the review
    // date is left out rather than overflowing.
    std::fs::write(dir.path().join("specsite.toml"), "review_days = 36525\n").unwrap();
    let (o, diags) = check(dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(places(&diags, "config").is_empty());
}

#[test]
fn control_characters_in_metadata_are_removed_with_a_warning() {
    let spec =
        "---\nid: a\ntitle: \"Pay\\u0000ments\\u001b[31m\"\nteam: \"core\\u0007\"\n---\n\nText.\n";
    let dir = site(&[("guides/a.md", spec)]);
    let out = dir.path().join("public");
    let (o, diags) = build(dir.path(), &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        places(&diags, "control-character"),
        [
            ("guides/a.md".to_string(), 3),
            ("guides/a.md".to_string(), 4)
        ],
        "{}",
        stdout(&o)
    );
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                !bytes.iter().any(|&b| b == 0 || b == 0x1b || b == 0x07),
                "{}",
                entry.path().display()
            );
        }
    }
    let page = std::fs::read_to_string(out.join("guides/a/index.html")).unwrap();
    assert!(page.contains("Payments[31m"), "{page}");
}
