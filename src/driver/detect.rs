//! `specsite init --detect`: looks at an existing repo (through the load and parse
//! stages, so it sees metadata exactly as a build will, sidecar files included) and
//! writes the configuration that maps its dialect: which folders hold which kind, which
//! files are templates or folder indexes (ignored), which field names mean id and
//! dates, the status vocabulary (one status per stem, every phase guess commented) and
//! the sidecar file name. It then checks the repo with that configuration as a build
//! would, and writes the rules that would still fail the build as warnings, each with a
//! comment giving its count, so the configuration builds the repo first time.

use crate::config::{Config, Kind, Statuses, normalise_status};
use crate::diagnostic::{Diagnostic, Level, Rule};
use crate::model::sources::{Aliases, FileName, normalise_key};
use crate::parse::Parser;
use crate::parse::meta::Map;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What was found in one folder of markdown documents (templates and index files left
/// out).
#[derive(Debug, Default)]
struct Folder {
    docs: usize,
    numbered: usize,
    /// Raw status → count.
    statuses: BTreeMap<String, usize>,
    /// Normalised key → count of documents using it.
    keys: BTreeMap<String, usize>,
    /// Normalised key → documents whose value equals their file name's number.
    number_keys: BTreeMap<String, usize>,
    decision_signs: usize,
    /// README.md / index.md files directly in the folder (not folder-per-spec ones).
    index_files: Vec<String>,
    /// Folder-per-spec documents (`0042-x/README.md`): (number, spec folder).
    spec_folders: Vec<(String, String)>,
}

/// Field names that, when they hold a date, mean when a document was created.
const CREATED_KEYS: &[&str] = &["start_date", "created_at", "created_on", "creation_date"];

/// A status value has at most this many words before its qualifier (`by …`, `(…)`):
/// a longer value is a sentence someone wrote, not a status.
const MAX_STATUS_WORDS: usize = 3;

/// The detected configuration and what detection learnt checking the repo with it.
#[derive(Debug)]
pub struct Detection {
    /// The text of the specsite.toml.
    pub text: String,
    /// Documents of kinds with a status vocabulary that state a status.
    pub stated: usize,
    /// Of those, the ones the vocabulary maps.
    pub mapped: usize,
    /// Rules lowered to warnings, with their error counts.
    pub lowered: BTreeMap<Rule, usize>,
}

impl Detection {
    /// One line for the person running `init --detect`.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "{} of {} stated statuses map to the detected vocabulary",
            self.mapped, self.stated
        );
        if !self.lowered.is_empty() {
            let rules: Vec<String> = self
                .lowered
                .iter()
                .map(|(r, n)| format!("{r} ({n})"))
                .collect();
            let _ = write!(
                line,
                "; written as warnings in [rules]: {}",
                rules.join(", ")
            );
        }
        line
    }
}

/// Reads the repo at `source`, checks it with the configuration found, and returns the
/// configuration's text with the check's findings.
pub fn detect(source: &Path) -> Detection {
    let mut config = Config::default();
    config.sidecar = sidecar_name(&crate::load::scan(source, &config, None));
    let loaded = crate::load::load(source, &config, None);
    let parser = Parser::new(&config);
    let aliases = Aliases::new(&config, &["owner", "status", "id", "created", "date"]);
    let mut folders: BTreeMap<String, Folder> = BTreeMap::new();
    let mut templates: Vec<String> = Vec::new();
    for file in &loaded.files {
        let name = FileName::of(&file.path);
        let dir = crate::load::parent(&file.path);
        if is_template(&file.path) {
            templates.push(file.path.clone());
            continue;
        }
        let index = is_index(&file.path);
        // A README in a numbered folder (`0042-x/README.md`) is that spec; another README
        // is its folder's index page.
        let per_spec = index && (name.number.is_some() || name.date.is_some());
        let home = if per_spec {
            crate::load::parent(dir)
        } else {
            dir
        };
        let f = folders.entry(home.to_string()).or_default();
        if index && !per_spec {
            f.index_files.push(file.path.clone());
            continue;
        }
        if per_spec && let Some(n) = name.number {
            f.spec_folders.push((n.to_string(), dir.to_string()));
        }
        let parsed = parser.parse(file);
        f.docs += 1;
        if name.number.is_some() || name.date.is_some() {
            f.numbered += 1;
        }
        for map in [&parsed.front, &parsed.body.meta, &parsed.sidecar] {
            read_keys(map, &aliases, &name, f);
        }
        if parsed.body.sections.iter().any(|s| {
            let t = s.title.to_lowercase();
            t == "status"
                || t == "decision"
                || t.contains("decision outcome")
                || t == "consequences"
        }) {
            f.decision_signs += 1;
        }
    }
    let text = render(&config, &folders, &templates);
    check(source, text)
}

/// The sidecar file name most folder-per-spec folders hold (`metadata.yml`), if any.
fn sidecar_name(scan: &crate::load::Scan) -> Option<String> {
    let spec_dirs: BTreeSet<&str> = scan
        .files
        .iter()
        .map(|f| crate::load::parent(&f.path))
        .filter(|dir| {
            let name = FileName::of(dir);
            name.number.is_some() || name.date.is_some()
        })
        .collect();
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    for asset in &scan.assets {
        let (dir, file_name) = asset.rsplit_once('/').unwrap_or(("", asset));
        if spec_dirs.contains(dir) && (file_name.ends_with(".yml") || file_name.ends_with(".yaml"))
        {
            *names.entry(file_name).or_default() += 1;
        }
    }
    // The most common name (the first in name order among equals, for determinism).
    let (name, n) =
        names
            .into_iter()
            .fold(None::<(&str, usize)>, |best, (name, n)| match best {
                Some((_, m)) if m >= n => best,
                _ => Some((name, n)),
            })?;
    (n >= 2).then(|| name.to_string())
}

/// A template to copy, not a spec: `TEMPLATE.md`, `0000-template.md`,
/// `0001-rfc-template.md`, `adr-template.md`, `template/README.md`.
fn is_template(path: &str) -> bool {
    let stem = FileName::of(path).stem.to_lowercase();
    let words: Vec<&str> = stem
        .split(['-', '_', '.', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    words.first() == Some(&"template") || words.last() == Some(&"template")
}

/// `README.md` or `index.md` (any case).
fn is_index(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    matches!(stem.to_ascii_lowercase().as_str(), "readme" | "index")
}

fn read_keys(map: &Map, aliases: &Aliases, name: &FileName<'_>, f: &mut Folder) {
    for e in &map.entries {
        let key = normalise_key(&e.key);
        *f.keys.entry(key.clone()).or_default() += 1;
        let value = e.value.scalar().map(str::trim);
        if aliases.canonical(&e.key) == "status"
            && let Some(v) = value.filter(|v| is_status_word(v))
        {
            *f.statuses.entry(v.to_string()).or_default() += 1;
        }
        if let (Some(v), Some(n)) = (value, name.number)
            && v == n
        {
            *f.number_keys.entry(key).or_default() += 1;
        }
        if matches!(aliases.canonical(&e.key), "owner")
            && ["deciders", "decision_makers"].contains(&normalise_key(&e.key).as_str())
        {
            f.decision_signs += 1;
        }
    }
}

/// Whether a raw value reads as a status: a few words (before a qualifier such as
/// `by …` or `(…)`), not a sentence and not a template placeholder.
fn is_status_word(raw: &str) -> bool {
    let stem = status_stem(raw);
    let words = stem.split_whitespace().count();
    // `Superseded by 3. Use a log` is a status with a title after it; a value that
    // ends its words with a full stop is a sentence.
    let sentence = raw.ends_with('.') && raw.split_whitespace().count() > 1;
    let placeholder = raw.contains(['|', '{', '<']) || raw.starts_with('[') && raw.ends_with(']');
    // Words before a reference (`by …`) or an aside (`(…)`, a link) are counted:
    // `Gathering information from the teams involved` is a sentence without a stop.
    let lower = raw.to_lowercase();
    let head = lower.split(" by ").next().unwrap_or_default();
    let head = head.split(['(', '[']).next().unwrap_or_default();
    (1..=MAX_STATUS_WORDS).contains(&words)
        && head.split_whitespace().count() <= MAX_STATUS_WORDS + 1
        && !sentence
        && !placeholder
}

/// The stem of a status value, lower case: its words before a qualifier (`(…)`, a
/// link, a number, `by`, `in`, `since`, …). `Implemented (Lang 5.9)` → `implemented`,
/// `Superseded by [X](x.md)` → `superseded`, `Active review (March 1…8)` →
/// `active review`.
fn status_stem(raw: &str) -> String {
    const QUALIFIERS: &[&str] = &[
        "by", "in", "on", "since", "until", "as", "for", "to", "with", "from", "at", "per",
        "after", "via", "and",
    ];
    let lower = raw.trim().to_lowercase();
    let cut = lower
        .find(|c: char| "([{<:;,#—–".contains(c) || c.is_ascii_digit())
        .unwrap_or(lower.len());
    let mut words: Vec<&str> = Vec::new();
    for w in lower[..cut].split_whitespace() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if w.is_empty() || (!words.is_empty() && QUALIFIERS.contains(&w)) || w == "-" {
            break;
        }
        words.push(w);
    }
    words.join(" ")
}

/// The phase a status word suggests, and the word that suggested it (`None`: no word
/// known, so draft).
fn guess_phase(raw: &str) -> (&'static str, Option<&'static str>) {
    const WORDS: &[(&str, &[&str])] = &[
        (
            "closed",
            &[
                "supersed",
                "supercede",
                "replaced",
                "reverted",
                "deprecat",
                "reject",
                "withdraw",
                "returned",
                "deferred",
                "postpon",
                "stagnant",
                "moved",
                "obsolete",
                "abandon",
                "declin",
                "retired",
                "cancel",
            ],
        ),
        (
            "done",
            &[
                "implemented",
                "final",
                "shipped",
                "living",
                "done",
                "released",
                "merged",
                "complete",
                "launched",
            ],
        ),
        (
            "active",
            &[
                "review",
                "last call",
                "in progress",
                "progress",
                "building",
                "wip",
                "active",
            ],
        ),
        (
            "planned",
            &[
                "accept",
                "approv",
                "implementable",
                "planned",
                "scheduled",
                "decided",
                "adopted",
                "hold",
            ],
        ),
        (
            "draft",
            &["draft", "provisional", "pitch", "propos", "pending", "idea"],
        ),
    ];
    let w = raw.to_lowercase();
    WORDS
        .iter()
        .find_map(|(phase, words)| {
            words
                .iter()
                .find(|x| w.contains(*x))
                .map(|x| (*phase, Some(*x)))
        })
        .unwrap_or(("draft", None))
}

fn render(config: &Config, folders: &BTreeMap<String, Folder>, templates: &[String]) -> String {
    let mut out = String::from(
        "# Written by `specsite init --detect`: how this repo's metadata maps to specsite.\n# Check the guesses; every key is described in docs/configuration.md of the specsite repository.\n\n",
    );
    let mut aliases: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut folder_lines = String::new();
    let mut vocab: BTreeMap<Kind, BTreeMap<String, usize>> = BTreeMap::new();
    let mut ignore: Vec<(String, &str)> = templates
        .iter()
        .map(|t| (t.clone(), "a template to copy, not a spec"))
        .collect();
    for (dir, f) in folders {
        // A folder of specs: several documents, most named by number or date, or with
        // statuses.
        let specs = f.docs >= 2
            && (f.numbered * 2 >= f.docs || f.statuses.values().sum::<usize>() * 2 >= f.docs);
        if !specs {
            continue;
        }
        for index in &f.index_files {
            ignore.push((index.clone(), "the folder's index page, not a spec"));
        }
        let kind = config
            .kind_of_folder(dir)
            .filter(|k| *k != Kind::Page)
            .unwrap_or(if f.decision_signs * 2 >= f.docs {
                Kind::Decision
            } else {
                Kind::Feature
            });
        for (key, n) in &f.number_keys {
            if *n * 5 >= f.docs * 4 && key != "id" {
                aliases.entry("id").or_default().insert(key.clone());
            }
        }
        for key in f.keys.keys() {
            if CREATED_KEYS.contains(&key.as_str()) {
                aliases
                    .entry("created")
                    .or_default()
                    .insert(key.replace('_', " "));
            }
        }
        let folder = if dir.is_empty() { "." } else { dir.as_str() };
        if config.kind_of_folder(dir) != Some(kind) {
            let _ = write!(
                folder_lines,
                "\n[folders.{}]\nkind = {}\n",
                // Quoted even when it need not be: folder paths often hold `/` or `.`.
                toml_string(folder),
                toml_string(kind.as_str())
            );
        }
        folder_lines.push_str(&duplicate_numbers(f, kind));
        for (raw, n) in &f.statuses {
            *vocab
                .entry(kind)
                .or_default()
                .entry(raw.clone())
                .or_default() += n;
        }
    }
    if let Some(name) = &config.sidecar {
        let _ = writeln!(
            out,
            "sidecar = {}   # metadata next to each folder's README.md\n",
            toml_string(name)
        );
    }
    if !ignore.is_empty() {
        ignore.sort();
        out.push_str("ignore = [\n");
        for (path, why) in &ignore {
            let _ = writeln!(out, "    {},   # {why}", toml_string(path));
        }
        out.push_str("]\n\n");
    }
    if !aliases.is_empty() {
        out.push_str("[aliases]\n");
        for (field, names) in &aliases {
            let list: Vec<String> = names.iter().map(|n| toml_string(n)).collect();
            let _ = writeln!(out, "{} = [{}]", toml_key(field), list.join(", "));
        }
    }
    out.push_str(&folder_lines);
    for (kind, raws) in &vocab {
        out.push_str(&vocabulary(&config.statuses, *kind, raws));
    }
    out
}

/// Folder-per-spec documents whose folder number another spec folder has too: the build
/// keeps the number for the first (in path order), and these get their folder's name as
/// id (`0042-other`, never `README`) through a folder table of their own.
fn duplicate_numbers(f: &Folder, kind: Kind) -> String {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let mut sorted: Vec<&(String, String)> = f.spec_folders.iter().collect();
    sorted.sort_by(|a, b| a.1.cmp(&b.1));
    let mut out = String::new();
    for (number, folder) in sorted {
        match seen.get(number.as_str()) {
            None => {
                seen.insert(number, folder);
            }
            Some(first) => {
                let _ = write!(
                    out,
                    "\n# {} has the number {number} too; this spec keeps its folder's name as id.\n[folders.{}]\nkind = {}\nid = \"{{stem}}\"\n",
                    first,
                    toml_string(folder),
                    toml_string(kind.as_str())
                );
            }
        }
    }
    out
}

/// `key` as a TOML key, written by the toml crate: bare when it can be, else quoted
/// with every character that could end it escaped. Folder and field names come from
/// the repo, so pasting them in could add keys of their own (`"]` and a newline).
fn toml_key(key: &str) -> String {
    let mut table = toml::Table::new();
    table.insert(key.to_string(), toml::Value::Boolean(true));
    let line = toml::to_string(&table).unwrap_or_default();
    match line.strip_suffix(" = true\n") {
        Some(key) => key.to_string(),
        // Not reached (the serializer writes a one-key table this way); a JSON string
        // is a valid TOML basic string.
        None => serde_json::to_string(key).unwrap_or_default(),
    }
}

/// `text` as a one-line TOML string (also a quoted key), written by the toml crate
/// (see [`toml_key`]).
fn toml_string(text: &str) -> String {
    let key = toml_key(text);
    if key.starts_with(['"', '\'']) {
        key
    } else {
        // A bare key holds only letters, digits, `-` and `_`.
        format!("\"{key}\"")
    }
}

/// One status of a detected vocabulary.
struct Found {
    name: String,
    phase: &'static str,
    /// Why this phase, for the comment above the status.
    why: String,
    aliases: BTreeSet<String>,
}

/// The status vocabulary for the raw values found: one status per stem (`Implemented
/// (Lang 5.9)` and `Implemented (Lang 6.0)` are `implemented`, with the alias
/// `implemented *`), named as specsite's default vocabulary names the word when it
/// knows it, and with the phase guessed from the words, each guess commented.
fn vocabulary(defaults: &Statuses, kind: Kind, raws: &BTreeMap<String, usize>) -> String {
    let default_vocab = defaults.of(kind);
    let mut names: Vec<Found> = Vec::new();
    // Few values found: keep the default vocabulary and add to it.
    if raws.len() < 3 {
        for s in default_vocab {
            names.push(Found {
                name: s.name.clone(),
                phase: s.phase.as_str(),
                why: "specsite's default".into(),
                aliases: s.aliases.iter().cloned().collect(),
            });
        }
    }
    let mut stems: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for raw in raws.keys() {
        stems.entry(status_stem(raw)).or_default().push(raw);
    }
    for (stem, group) in &stems {
        let known = defaults.lookup(kind, stem).map(|i| &default_vocab[i]);
        let name = known.map_or_else(|| crate::text::slug(stem), |s| s.name.clone());
        if name.is_empty() {
            continue;
        }
        let index = match names.iter().position(|n| n.name == name) {
            Some(i) => i,
            None => {
                // The words decide; specsite's default phase only for a word they miss.
                let (phase, why) = match (guess_phase(stem), known) {
                    ((phase, Some(word)), _) => {
                        (phase, format!("phase guessed from the word '{word}'"))
                    }
                    (_, Some(s)) => (
                        s.phase.as_str(),
                        format!("specsite's default phase for '{}'", s.name),
                    ),
                    ((phase, None), None) => (phase, "no phase word known: guessed draft".into()),
                };
                names.push(Found {
                    name: name.clone(),
                    phase,
                    why,
                    aliases: known
                        .map(|s| s.aliases.iter().cloned().collect())
                        .unwrap_or_default(),
                });
                names.len() - 1
            }
        };
        let entry = &mut names[index];
        let finds = |alias: &str, raw: &str| {
            normalise_status(alias) == normalise_status(raw)
                || (alias.contains('*')
                    && crate::config::glob_match(&normalise_status(alias), &normalise_status(raw)))
        };
        for raw in group {
            let found = finds(&entry.name, raw) || entry.aliases.iter().any(|a| finds(a, raw));
            if found {
                continue;
            }
            // The stem with a wildcard when the value qualifies it (`implemented *`),
            // else the value itself (`Approved` for `accepted`).
            let alias = if normalise_status(raw).len() > normalise_status(stem).len()
                && normalise_status(raw).starts_with(&normalise_status(stem))
            {
                format!("{stem} *")
            } else {
                raw.to_lowercase()
            };
            entry.aliases.insert(alias);
        }
    }
    statuses_toml(kind, names)
}

/// The `[[statuses.KIND]]` tables for the vocabulary found, in phase order.
fn statuses_toml(kind: Kind, mut names: Vec<Found>) -> String {
    let order = |phase: &str| {
        ["draft", "planned", "active", "done", "closed"]
            .iter()
            .position(|p| *p == phase)
    };
    names.sort_by(|a, b| {
        order(a.phase)
            .cmp(&order(b.phase))
            .then(a.name.cmp(&b.name))
    });
    let mut out = format!(
        "\n# The {} statuses found, one per stem, with guessed phases\n# (draft, planned, active, done, closed).\n",
        kind.as_str()
    );
    for found in names {
        let _ = write!(
            out,
            "[[statuses.{}]]\nname = {}\nphase = {}   # {}\n",
            toml_key(kind.as_str()),
            toml_string(&found.name),
            toml_string(found.phase),
            // The name and word come from the repo: the comment ends at a line break.
            found.why.replace(['\n', '\r'], " ")
        );
        if !found.aliases.is_empty() {
            let list: Vec<String> = found.aliases.iter().map(|a| toml_string(a)).collect();
            let _ = writeln!(out, "aliases = [{}]", list.join(", "));
        }
    }
    out
}

/// Rules whose problems sit in links: in an adopted repo they point at content the
/// adopter may not own (other repos, files left out), so they become warnings.
const LINK_RULES: &[Rule] = &[
    Rule::BrokenLink,
    Rule::MissingAnchor,
    Rule::AmbiguousLink,
    Rule::UnpublishedLink,
    Rule::SupersedeMismatch,
    Rule::SupersedeCycle,
];

/// Checks the repo with the configuration `text`, as `specsite check` would, and adds a
/// `[rules]` table lowering each rule that still reports errors to a warning, with its
/// count; also counts the stated statuses the vocabulary maps.
fn check(source: &Path, text: String) -> Detection {
    let mut detection = Detection {
        text,
        stated: 0,
        mapped: 0,
        lowered: BTreeMap::new(),
    };
    let Ok(config) = Config::parse(&detection.text, crate::config::CONFIG_FILE) else {
        // Caught by `write`, which parses the result again.
        return detection;
    };
    let opts = crate::driver::build::Options {
        history: false,
        ..crate::driver::build::Options::new(source)
    };
    let (site, diags) = crate::driver::build::load_site(&opts, Arc::new(config));
    for doc in &site.docs {
        if let Some(s) = &doc.status
            && !site.config.statuses.of(doc.kind).is_empty()
        {
            detection.stated += 1;
            detection.mapped += usize::from(s.index.is_some());
        }
    }
    for d in diags.iter().filter(|d| d.level == Level::Error) {
        *detection.lowered.entry(d.rule).or_default() += 1;
    }
    if !detection.lowered.is_empty() {
        detection.text.push_str("\n[rules]\n");
        for (rule, n) in &detection.lowered {
            let why = if LINK_RULES.contains(rule) {
                "links into content this repo may not own (other repos, files left out)"
            } else {
                "problems in the existing documents"
            };
            let _ = writeln!(
                detection.text,
                "# {n} {} when detected: {why}; fix them, then remove this line.\n{} = \"warning\"",
                if *n == 1 { "error" } else { "errors" },
                toml_key(rule.as_str())
            );
        }
    }
    detection
}

/// Writes the detected configuration to `target`, never overwriting a file and never
/// writing through a symbolic link (even a dangling one, which would create its target).
pub fn write(source: &Path, target: &Path) -> Result<(PathBuf, Detection), Diagnostic> {
    if let Ok(meta) = std::fs::symlink_metadata(target) {
        let what = if meta.file_type().is_symlink() {
            "is a symbolic link; specsite does not write through links"
        } else {
            "already exists"
        };
        return Err(Diagnostic::new(Rule::Config, target.display().to_string(), what)
            .help("specsite never overwrites files: move it away, or write elsewhere with --config FILE"));
    }
    let detection = detect(source);
    let text = &detection.text;
    // The configuration must read back: a detection that writes an invalid file is a bug.
    Config::parse(text, &target.display().to_string())?;
    // Creating a new file (O_EXCL) also fails on a link put there since the check.
    crate::driver::scaffold::write_new(target, &target.display().to_string(), text)?;
    Ok((target.to_path_buf(), detection))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_guessed_from_the_words() {
        for (raw, phase) in [
            ("Provisional", "draft"),
            ("Pitch", "draft"),
            ("Accepted", "planned"),
            ("implementable", "planned"),
            ("Last Call", "active"),
            ("Active review", "active"),
            ("In progress", "active"),
            ("Implemented", "done"),
            ("Final", "done"),
            ("Living", "done"),
            ("Superseded by 0004", "closed"),
            ("Returned", "closed"),
            ("Reverted", "closed"),
            ("Deferred", "closed"),
            ("Stagnant", "closed"),
        ] {
            assert_eq!(guess_phase(raw).0, phase, "{raw}");
        }
        assert_eq!(guess_phase("Quux"), ("draft", None));
    }

    #[test]
    fn stems_and_status_words() {
        assert_eq!(status_stem("Implemented (Lang 5.9)"), "implemented");
        assert_eq!(status_stem("Active review (March 1…8)"), "active review");
        assert_eq!(status_stem("Superseded by [X](x.md)"), "superseded");
        assert_eq!(status_stem("on hold"), "on hold");
        assert!(is_status_word("Superseded by 3. Use a log"));
        assert!(!is_status_word("We decided to go with the queue for now."));
        assert!(!is_status_word(
            "Gathering information from the teams involved"
        ));
        assert!(!is_status_word("[draft | proposed]"));
        assert!(!is_status_word("{status}"));
    }

    #[test]
    fn unmapped_values_become_statuses_and_by_values_patterns() {
        let raws: BTreeMap<String, usize> = [
            ("Final", 3),
            ("Draft", 2),
            ("Superseded by X", 1),
            ("Last Call", 1),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let text = vocabulary(&Statuses::default(), Kind::Feature, &raws);
        assert!(
            text.contains("name = \"final\"\nphase = \"done\""),
            "{text}"
        );
        assert!(
            text.contains("name = \"last-call\"\nphase = \"active\""),
            "{text}"
        );
        assert!(text.contains("aliases = [\"superseded *\"]"), "{text}");
        let config = Config::parse(&text, "x").unwrap();
        assert!(
            config
                .statuses
                .lookup(Kind::Feature, "superseded by Y")
                .is_some()
        );
        assert!(config.statuses.lookup(Kind::Feature, "LAST CALL").is_some());
    }

    #[test]
    fn keys_and_strings_read_back_as_written() {
        for text in [
            "plain",
            "docs/adr",
            "a\"]\n[markdown]\nallow_html = true",
            "it's ''' \"\"\"",
            "\u{7}\t\\",
            "",
        ] {
            let line = format!("{} = {}\n", toml_key(text), toml_string(text));
            assert_eq!(line.lines().count(), 1, "{line}");
            let table: toml::Table = toml::from_str(&line).unwrap();
            assert_eq!(table.len(), 1, "{line}");
            assert_eq!(table[text].as_str(), Some(text), "{line}");
        }
    }
}
