//! Scaffolding: `specsite new` (a document from the theme's template with the next free
//! id) and `specsite init` (a starter repository). Neither ever overwrites a file.

use crate::config::{Config, DEFAULT_FOLDERS, Kind};
use crate::diagnostic::{Diagnostic, Rule};
use crate::driver::build::{Options, load_config, load_site};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const SCAFFOLDS: &[(Kind, &str)] = &[
    (
        Kind::Feature,
        include_str!("../../themes/default/scaffold/feature.md"),
    ),
    (
        Kind::Decision,
        include_str!("../../themes/default/scaffold/decision.md"),
    ),
    (
        Kind::Roadmap,
        include_str!("../../themes/default/scaffold/roadmap.md"),
    ),
];

/// The id prefix and digits of a kind's ids when the repository has none yet.
fn default_id(kind: Kind) -> (&'static str, usize) {
    match kind {
        Kind::Feature => ("FEAT-", 3),
        Kind::Decision => ("ADR-", 4),
        _ => ("RM-", 3),
    }
}

/// Splits `PAY-101` into `("PAY-", 101, 3)`.
fn split_id(id: &str) -> Option<(&str, u64, usize)> {
    let digits = id.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 18 {
        return None;
    }
    let (prefix, num) = id.split_at(id.len() - digits);
    Some((prefix, num.parse().ok()?, digits))
}

/// The next free id of a kind: the most common prefix among existing ids, one above
/// its highest number, zero-padded like the others.
pub fn next_id<'a>(existing: impl Iterator<Item = &'a str>, kind: Kind) -> String {
    let mut by_prefix: std::collections::BTreeMap<String, (usize, u64, usize)> = Default::default();
    for id in existing {
        if let Some((prefix, n, width)) = split_id(id) {
            let e = by_prefix.entry(prefix.to_string()).or_insert((0, 0, width));
            e.0 += 1;
            e.1 = e.1.max(n);
            e.2 = e.2.max(width);
        }
    }
    match by_prefix
        .into_iter()
        .max_by_key(|(_, (count, _, _))| *count)
    {
        Some((prefix, (_, max, width))) => format!("{prefix}{:0width$}", max + 1),
        None => {
            let (prefix, width) = default_id(kind);
            format!("{prefix}{:0width$}", 1)
        }
    }
}

/// The folder new documents of a kind go to: a configured folder, else a default
/// folder that exists, else the first default.
fn folder_for(source: &Path, config: &Config, kind: Kind) -> PathBuf {
    if let Some((folder, _)) = config.folders.iter().find(|(_, r)| r.kind() == Some(kind)) {
        return source.join(folder);
    }
    let defaults: Vec<&str> = DEFAULT_FOLDERS
        .iter()
        .filter(|(_, k)| *k == kind)
        .map(|(f, _)| *f)
        .collect();
    defaults
        .iter()
        .map(|f| source.join(f))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| source.join(defaults.first().copied().unwrap_or("pages")))
}

/// What `specsite new` wrote, and the documents that already have its title.
#[derive(Debug)]
pub struct NewDocument {
    pub path: PathBuf,
    /// `ID (path)` of every document with the same title, compared without case.
    pub same_title: Vec<String>,
}

/// `specsite new KIND "Title"`: writes the new document, which passes
/// `check --strict` as written.
pub fn new_document(
    source: &Path,
    config_path: Option<&Path>,
    kind: Kind,
    title: &str,
) -> Result<NewDocument, Diagnostic> {
    let usage = |msg: String, help: &str| Diagnostic::new(Rule::Config, "", msg).help(help);
    let title = title.trim();
    if title.is_empty() {
        return Err(usage(
            "the title is empty".into(),
            "give the new document a title, as in: specsite new feature \"Instant payouts\"",
        ));
    }
    if title.chars().any(char::is_control) {
        return Err(usage(
            "the title contains a line break, tab or other control character".into(),
            "write the title on one line; the body below the front matter is for the rest",
        ));
    }
    let template = SCAFFOLDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            usage(
                format!("cannot scaffold a {}", kind.as_str()),
                "use feature, decision or roadmap",
            )
        })?;
    let mut opts = Options::new(source);
    opts.config = config_path.map(Path::to_path_buf);
    // Only ids, titles and people are needed: no history.
    opts.history = false;
    let config = Arc::new(load_config(&opts)?);
    let (site, _) = load_site(&opts, config.clone());
    let id = next_id(
        site.docs
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| d.id.as_str()),
        kind,
    );
    let same_title = site
        .docs
        .iter()
        .filter(|d| d.title.trim().to_lowercase() == title.to_lowercase())
        .map(|d| format!("{} ({})", d.id, d.source))
        .collect();
    let custom = source
        .join("templates")
        .join("scaffold")
        .join(format!("{}.md", kind.as_str()));
    let shown = format!("templates/scaffold/{}.md", kind.as_str());
    let template = match crate::files::read_checked(
        &custom,
        Some(source),
        crate::files::MAX_MACHINERY_BYTES,
    ) {
        Ok(bytes) => crate::files::utf8(bytes, &shown)?,
        Err(crate::files::Refused::NotFound) => template.to_string(),
        Err(refused) => return Err(refused.diagnostic(Rule::Template, &shown)),
    };
    let today = opts.today.to_string();
    let owner = owner(&site.people);
    let text = fill(
        &template,
        &[
            ("id", &id),
            ("title", &yaml_text(title)),
            ("today", &today),
            ("owner", &owner),
        ],
    );
    let dir = folder_for(source, &config, kind);
    let slug = crate::text::slug(title);
    let name = format!(
        "{}{}.md",
        crate::text::slug(&id),
        if slug.is_empty() {
            String::new()
        } else {
            format!("-{slug}")
        }
    );
    let path = dir.join(name);
    // Diagnostics name files from SOURCE, as `check` does (the CLI adds SOURCE in front).
    let shown = |p: &Path| {
        p.strip_prefix(source)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    create_folders(source, dir.strip_prefix(source).unwrap_or(&dir), &shown)?;
    write_new(&path, &shown(&path), &text)?;
    Ok(NewDocument { path, same_title })
}

/// The owner a new document gets: the person in people.toml whose id, name, email or
/// handle is `$USER`, else `$USER` itself when there is no people.toml and it is a plain
/// id, else nobody (an owner outside people.toml would fail `check --strict`).
fn owner(people: &crate::model::people::People) -> String {
    let user = std::env::var("USER").unwrap_or_default();
    if let Some(i) = people.find(&user) {
        let person = &people.list[i];
        if person.listed && is_plain_id(&person.key) {
            return person.key.clone();
        }
    }
    if !people.has_registry && is_plain_id(&user) {
        return user;
    }
    String::new()
}

/// Letters, digits, `-`, `_` and `.`: safe unquoted in a YAML flow list.
fn is_plain_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars().next().is_some_and(char::is_alphanumeric)
        && s.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c))
}

/// Replaces each `{{ key }}` in one pass, so a value that itself contains `{{ … }}`
/// (a title, say) is left as written.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{ ") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        let value = after.find(" }}").and_then(|end| {
            let key = &after[..end];
            let (_, v) = values.iter().find(|(k, _)| *k == key)?;
            Some((*v, end + 3))
        });
        match value {
            Some((v, skip)) => {
                out.push_str(v);
                rest = &after[skip..];
            }
            None => {
                out.push_str("{{ ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A one-line title as a YAML value: plain when YAML reads it back as the same text,
/// double-quoted otherwise (YAML would read `yes`, `null`, `12` or `- x` as something
/// else).
fn yaml_text(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let typed = matches!(
        lower.as_str(),
        "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) || s.parse::<f64>().is_ok()
        || s.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '+');
    let plain = !s.is_empty()
        && !typed
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace())
        && !s.ends_with(char::is_whitespace)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.chars().any(char::is_control);
    if plain {
        return s.to_string();
    }
    let mut quoted = String::with_capacity(s.len() + 2);
    quoted.push('"');
    for c in s.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Creates the folders of `rel` below `root` one by one, refusing to pass through a
/// symbolic link or a file, so nothing is ever written outside `root`.
fn create_folders(
    root: &Path,
    rel: &Path,
    shown: &dyn Fn(&Path) -> String,
) -> Result<(), Diagnostic> {
    let mut dir = root.to_path_buf();
    for part in rel.components() {
        dir.push(part);
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(Diagnostic::new(
                    Rule::Config,
                    shown(&dir),
                    "is a symbolic link; specsite does not write through links",
                )
                .help("replace the link with a folder, or write the file by hand"));
            }
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(Diagnostic::new(
                    Rule::Config,
                    shown(&dir),
                    "is a file where a folder should be",
                )
                .help("move the file away and run the command again"));
            }
            Err(_) => std::fs::create_dir(&dir).map_err(|e| {
                Diagnostic::new(Rule::Config, shown(&dir), format!("cannot create: {e}"))
                    .help("check the permissions of the folder above it")
            })?,
        }
    }
    Ok(())
}

/// Creates a file that must not exist yet (a symbolic link there counts as existing, so
/// nothing is written through it). `shown` names the file in the diagnostic.
pub(crate) fn write_new(path: &Path, shown: &str, text: &str) -> Result<(), Diagnostic> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            let message = if e.kind() == std::io::ErrorKind::AlreadyExists {
                "already exists".to_string()
            } else {
                format!("cannot create the file: {e}")
            };
            Diagnostic::new(Rule::Config, shown, message).help(
                "specsite never overwrites an existing file; move it away or choose another name",
            )
        })?;
    f.write_all(text.as_bytes())
        .map_err(|e| Diagnostic::new(Rule::Config, shown, format!("cannot write: {e}")))
}

const INIT_CONFIG: &str = r#"# specsite configuration. Every key is optional; docs/configuration.md in the specsite repository describes them all.
title = "Product specs"
description = "What we are building, why, and whether it worked."
# base_url = "https://specs.example.com/"
# repository = "https://github.com/example/specs"
review_days = 90

# Folder → kind, in addition to the defaults (features/, decisions/, roadmaps/, …).
# [folders]
# "docs/rfcs" = "feature"

# Rule levels: "error", "warning" or "off".
# [rules]
# unknown-field = "off"
"#;

const INIT_PEOPLE: &str = r#"# Everyone who owns specs or decides things. `owner:` takes an id from here.
[alex]
name = "Alex Example"
email = "alex@example.com"
role = "Product Manager"
team = "Core"
"#;

const INIT_FEATURE: &str = r#"---
id: FEAT-001
title: First feature
status: approved
owner: alex
team: Core
created: {{ today }}
decisions: [ADR-0001]
metrics:
  - name: Weekly active teams
    baseline: 120
    target: "+20%"
---

## Problem

Describe the problem this feature solves. See [[ADR-0001]] for the decision behind it.

## Goals

- Move the metric above by a fifth within a quarter of shipping.
"#;

const INIT_DECISION: &str = r#"---
id: ADR-0001
title: Keep specs in the repository
status: accepted
date: {{ today }}
deciders: [alex]
features: [FEAT-001]
---

## Context and problem statement

Specs in a wiki drift from the code. We want them reviewed like code.

## Decision outcome

Keep PRDs, decisions and roadmaps as markdown in this repository and publish them with specsite.
"#;

const INIT_ROADMAP: &str = r#"---
id: RM-001
title: Roadmap
owner: alex
updated: {{ today }}
---

## Now

- [FEAT-001: First feature](../features/feat-001-first-feature.md)

## Next

- Something we have not written a spec for yet

## Later
"#;

/// What `specsite init` did.
#[derive(Debug, Default)]
pub struct InitReport {
    /// DIR already had a specsite.toml: no starter files were written.
    pub existing_site: bool,
    pub written: Vec<PathBuf>,
    /// CI files that were there already and were left as they were.
    pub kept: Vec<PathBuf>,
}

/// `specsite init [--ci SERVICE] [DIR]`: writes a starter repository unless DIR already
/// is one, then the CI files of `ci` that do not exist yet.
pub fn init(
    dir: &Path,
    today: jiff::civil::Date,
    ci: Option<crate::driver::ci::Service>,
) -> Result<InitReport, Diagnostic> {
    let mut report = InitReport {
        existing_site: std::fs::symlink_metadata(dir.join(crate::config::CONFIG_FILE)).is_ok(),
        ..InitReport::default()
    };
    if !report.existing_site {
        report.written = starter(dir, today)?;
    }
    if let Some(service) = ci {
        let (root, source) = crate::driver::ci::root_of(dir);
        if !crate::driver::ci::plain_path(&source) {
            return Err(Diagnostic::new(
                Rule::Config,
                "",
                format!("the site's folder '{source}' cannot be written into CI files as it is"),
            )
            .help("use a folder name of letters, digits, '.', '_', '-' and '/', or write the CI file by hand"));
        }
        let shown = |p: &Path| p.display().to_string();
        for (rel, text) in crate::driver::ci::files(service, &source) {
            let path = root.join(rel);
            if std::fs::symlink_metadata(&path).is_ok() {
                report.kept.push(path);
                continue;
            }
            if let Some(parent) = Path::new(rel).parent() {
                create_folders(&root, parent, &shown)?;
            }
            write_new(&path, &shown(&path), &text)?;
            report.written.push(path);
        }
    }
    Ok(report)
}

/// The starter repository: all of it or, when any of its files exists, nothing.
fn starter(dir: &Path, today: jiff::civil::Date) -> Result<Vec<PathBuf>, Diagnostic> {
    let files: [(&str, &str); 5] = [
        ("specsite.toml", INIT_CONFIG),
        ("people.toml", INIT_PEOPLE),
        ("features/feat-001-first-feature.md", INIT_FEATURE),
        (
            "decisions/adr-0001-keep-specs-in-the-repository.md",
            INIT_DECISION,
        ),
        ("roadmaps/rm-001-roadmap.md", INIT_ROADMAP),
    ];
    for (rel, _) in &files {
        if std::fs::symlink_metadata(dir.join(rel)).is_ok() {
            return Err(Diagnostic::new(Rule::Config, *rel, "already exists")
                .help("specsite init never overwrites files; run it in an empty folder"));
        }
    }
    let shown = |p: &Path| {
        p.strip_prefix(dir)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    // DIR itself is the user's choice, links and all; only the folders below it are
    // created one by one.
    std::fs::create_dir_all(dir).map_err(|e| {
        Diagnostic::new(
            Rule::Config,
            "",
            format!("cannot create {}: {e}", dir.display()),
        )
        .help("check the permissions of the folder above it")
    })?;
    let mut written = Vec::new();
    for (rel, text) in files {
        if let Some(parent) = Path::new(rel).parent() {
            create_folders(dir, parent, &shown)?;
        }
        let path = dir.join(rel);
        write_new(&path, rel, &text.replace("{{ today }}", &today.to_string()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_id_follows_the_existing_scheme() {
        assert_eq!(
            next_id(["PAY-101", "PAY-103", "IDN-201"].into_iter(), Kind::Feature),
            "PAY-104"
        );
        assert_eq!(
            next_id(["ADR-0009", "ADR-0010"].into_iter(), Kind::Decision),
            "ADR-0011"
        );
        assert_eq!(next_id(std::iter::empty(), Kind::Decision), "ADR-0001");
        assert_eq!(next_id(["notes"].into_iter(), Kind::Feature), "FEAT-001");
    }

    #[test]
    fn titles_are_quoted_when_yaml_needs_it() {
        assert_eq!(yaml_text("Instant payouts"), "Instant payouts");
        assert_eq!(yaml_text("Retry: with backoff"), "\"Retry: with backoff\"");
        assert_eq!(yaml_text("\"quoted\""), "\"\\\"quoted\\\"\"");
        for typed in [
            "yes", "No", "null", "~", "12", "1.5", "+1", "- item", "#tag",
        ] {
            assert!(yaml_text(typed).starts_with('"'), "{typed} must be quoted");
        }
    }

    #[test]
    fn placeholders_are_filled_once() {
        assert_eq!(
            fill(
                "{{ id }}: {{ title }} {{ other }}",
                &[("id", "A-1"), ("title", "{{ id }}")]
            ),
            "A-1: {{ id }} {{ other }}"
        );
    }
}
