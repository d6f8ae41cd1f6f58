//! Scaffolding: `specsite new` (a document from the theme's template with the next free
//! id) and `specsite init` (a starter repository). Neither ever overwrites a file.

use crate::build::{Options, load_config, load_site};
use crate::config::{Config, DEFAULT_FOLDERS, Kind};
use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const SCAFFOLDS: &[(Kind, &str)] = &[
    (
        Kind::Feature,
        include_str!("../themes/default/scaffold/feature.md"),
    ),
    (
        Kind::Decision,
        include_str!("../themes/default/scaffold/decision.md"),
    ),
    (
        Kind::Roadmap,
        include_str!("../themes/default/scaffold/roadmap.md"),
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

/// `specsite new KIND "Title"`: writes the new document and returns its path.
pub fn new_document(
    source: &Path,
    config_path: Option<&Path>,
    kind: Kind,
    title: &str,
) -> Result<PathBuf, Diagnostic> {
    let usage = |msg: String, help: &str| Diagnostic::new("config", "", msg).help(help);
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
    // Only ids are needed: no history.
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
    let custom = source
        .join("templates")
        .join("scaffold")
        .join(format!("{}.md", kind.as_str()));
    let shown = format!("templates/scaffold/{}.md", kind.as_str());
    let template =
        match crate::load::read_checked(&custom, Some(source), crate::load::MAX_MACHINERY_BYTES) {
            Ok(bytes) => crate::load::utf8(bytes, &shown)?,
            Err(crate::load::Refused::NotFound) => template.to_string(),
            Err(refused) => return Err(refused.diagnostic("template", &shown)),
        };
    let owner = std::env::var("USER").unwrap_or_default();
    let text = template
        .replace("{{ id }}", &id)
        .replace("{{ title }}", &yaml_text(title))
        .replace("{{ today }}", &opts.today.to_string())
        .replace("{{ owner }}", &owner);
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
    std::fs::create_dir_all(&dir).map_err(|e| {
        usage(
            format!("cannot create {}: {e}", dir.display()),
            "check permissions",
        )
    })?;
    write_new(&path, &text)?;
    Ok(path)
}

/// A title as a YAML value: quoted when YAML would read it as something else.
fn yaml_text(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace())
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':');
    if plain {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// Creates a file that must not exist yet; fails on anything already at `path`,
/// a dangling symbolic link included.
pub(crate) fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            Diagnostic::new(
                "config",
                path.display().to_string(),
                format!("cannot create the file: {e}"),
            )
            .help("specsite never overwrites an existing file; move it away or choose another name")
        })?;
    f.write_all(text.as_bytes()).map_err(|e| {
        Diagnostic::new(
            "config",
            path.display().to_string(),
            format!("cannot write: {e}"),
        )
    })
}

const INIT_CONFIG: &str = r#"# specsite configuration. Every key is optional; see the README for all of them.
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

/// `specsite init [DIR]`: writes a starter repository. Returns the files written.
pub fn init(dir: &Path, today: jiff::civil::Date) -> Result<Vec<PathBuf>, Diagnostic> {
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
    // Check everything first so that init writes all or nothing.
    for (rel, _) in &files {
        let p = dir.join(rel);
        // `symlink_metadata`, so a dangling link counts as something there.
        if p.symlink_metadata().is_ok() {
            return Err(
                Diagnostic::new("config", p.display().to_string(), "already exists")
                    .help("specsite init never overwrites files; run it in an empty folder"),
            );
        }
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::new(
                    "config",
                    parent.display().to_string(),
                    format!("cannot create: {e}"),
                )
            })?;
        }
        write_new(&p, &text.replace("{{ today }}", &today.to_string()))?;
        written.push(p);
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
    }
}
