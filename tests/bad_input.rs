//! The bad-input suite: every kind of broken input a spec repository meets, each built by
//! the real binary, with the diagnostics it must produce (rule, file, line, column) and
//! whether the site is still written. The cases are a table in `bad_input/cases.rs`; this
//! file is the runner. No case may panic, hang or write outside the output folder.

#[path = "bad_input/cases.rs"]
mod cases;
mod common;

use cases::{Case, Expect};
use common::*;
use serde_json::Value;
use std::path::Path;

/// A diagnostic as the JSON format prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    rule: String,
    level: String,
    file: String,
    line: u64,
    column: u64,
    message: String,
}

fn seen(line: &str) -> Seen {
    let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    Seen {
        rule: s("rule"),
        level: s("level"),
        file: s("file"),
        line: v["line"].as_u64().unwrap_or(0),
        column: v["column"].as_u64().unwrap_or(0),
        message: s("message"),
    }
}

fn matches(e: &Expect, s: &Seen) -> bool {
    e.rule == s.rule
        && e.file == s.file
        && e.line.is_none_or(|l| u64::from(l) == s.line)
        && e.col.is_none_or(|c| u64::from(c) == s.column)
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// Runs one case; returns what went wrong, if anything.
fn run_case(case: &Case) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    for (path, bytes) in &case.files {
        let p = src.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
    }
    if let Some(setup) = case.setup {
        setup(dir.path(), &src);
    }
    let out = dir.path().join("out");
    let mut cmd = bin();
    if case.unprivileged && is_root() {
        use std::os::unix::fs::PermissionsExt;
        let open = std::fs::Permissions::from_mode(0o777);
        std::fs::set_permissions(dir.path(), open).unwrap();
        cmd = std::process::Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_specsite"))
            .env("SOURCE_DATE_EPOCH", EPOCH_2026_11_22);
    }
    let o = cmd
        .args(["build", "--format", "json"])
        .arg(&src)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("specsite runs");
    let stderr = stderr(&o);
    let code = o.status.code();
    let diags: Vec<Seen> = stdout(&o)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(seen)
        .collect();
    let mut problems = Vec::new();
    if stderr.contains("panicked") || !matches!(code, Some(0 | 1)) {
        problems.push(format!("exit {code:?}, stderr:\n{stderr}"));
    }
    for e in &case.expect {
        if !diags.iter().any(|s| matches(e, s)) {
            problems.push(format!("missing {e:?}"));
        }
    }
    // Every error must be expected: an error nobody asked for fails a team's build.
    for s in diags.iter().filter(|s| s.level == "error") {
        if !case.expect.iter().any(|e| matches(e, s)) {
            problems.push(format!("unexpected {s:?}"));
        }
    }
    let written = out.join("index.html").is_file();
    if written != case.site {
        problems.push(format!(
            "site written: {written}, expected {} (exit {code:?})",
            case.site
        ));
    }
    if code == Some(0) && diags.iter().any(|s| s.level == "error") {
        problems.push("exit 0 despite errors".into());
    }
    if let Some(check) = case.check
        && let Err(e) = check(&out)
    {
        problems.push(e);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "case `{}`:\n  {}\n  all diagnostics: {diags:#?}",
            case.name,
            problems.join("\n  ")
        ))
    }
}

#[test]
fn every_bad_input_gets_a_precise_diagnostic_and_never_a_panic() {
    let cases = cases::all();
    assert!(cases.len() >= 50, "the suite has {} cases", cases.len());
    let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "case names are unique");
    let only = std::env::var("BAD_INPUT_CASE").ok();
    // A misspelt name would otherwise run nothing and pass.
    if let Some(only) = &only {
        assert!(
            cases.iter().any(|c| c.name == only),
            "BAD_INPUT_CASE={only} names no case; the cases are: {}",
            names.join(", ")
        );
    }
    // Two at a time: each case is a process of its own.
    let failures: Vec<String> = std::thread::scope(|s| {
        let chunks: Vec<&[Case]> = cases.chunks(cases.len().div_ceil(2)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let only = only.as_deref();
                s.spawn(move || {
                    chunk
                        .iter()
                        .filter(|c| only.is_none_or(|o| c.name == o))
                        .filter_map(|c| run_case(c).err())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Reads a generated page, for the cases' output checks.
pub fn page(out: &Path, rel: &str) -> Result<String, String> {
    std::fs::read_to_string(out.join(rel)).map_err(|e| format!("{rel}: {e}"))
}
