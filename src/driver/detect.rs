//! `specsite init --detect`: looks at an existing repo (through the load and parse
//! stages, so it sees metadata exactly as a build will) and writes the configuration
//! that maps its dialect: which folders hold which kind, which field names mean id,
//! owner and dates, the status vocabulary with phases guessed from the words, and a
//! sidecar metadata file when folders have one.

use crate::config::{Config, Kind, Statuses, normalise_status};
use crate::diagnostic::Diagnostic;
use crate::model::sources::{Aliases, FileName, normalise_key};
use crate::parse::Parser;
use crate::parse::meta::Map;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What was found in one folder of markdown documents.
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
}

/// Field names that, when they hold a date, mean when a document was created.
const CREATED_KEYS: &[&str] = &["start_date", "created_at", "created_on", "creation_date"];

/// Reads the repo at `source` and returns the text of a specsite.toml for it.
pub fn detect(source: &Path) -> String {
    let config = Config::default();
    let loaded = crate::load::load(source, &config, None);
    let parser = Parser::new(&config);
    let aliases = Aliases::new(&config, &["owner", "status", "id", "created", "date"]);
    let mut folders: BTreeMap<String, Folder> = BTreeMap::new();
    let mut sidecars: BTreeMap<String, usize> = BTreeMap::new();
    for file in &loaded.files {
        let parsed = parser.parse(file);
        let dir = crate::load::parent(&file.path);
        let folder_of_doc = match FileName::of(&file.path).stem {
            // A README in a numbered folder (`0042-x/README.md`) belongs to the parent.
            stem if stem != "README" && dir.ends_with(stem) => crate::load::parent(dir),
            _ => dir,
        };
        let f = folders.entry(folder_of_doc.to_string()).or_default();
        f.docs += 1;
        let name = FileName::of(&file.path);
        if name.number.is_some() || name.date.is_some() {
            f.numbered += 1;
        }
        for map in [&parsed.front, &parsed.body.meta] {
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
        if dir != folder_of_doc {
            for asset in loaded.assets.range(format!("{dir}/")..) {
                if !asset.starts_with(&format!("{dir}/")) {
                    break;
                }
                let file_name = &asset[dir.len() + 1..];
                if !file_name.contains('/')
                    && (file_name.ends_with(".yml") || file_name.ends_with(".yaml"))
                {
                    *sidecars.entry(file_name.to_string()).or_default() += 1;
                }
            }
        }
    }
    render(&config, &folders, &sidecars)
}

fn read_keys(map: &Map, aliases: &Aliases, name: &FileName<'_>, f: &mut Folder) {
    for e in &map.entries {
        let key = normalise_key(&e.key);
        *f.keys.entry(key.clone()).or_default() += 1;
        let value = e.value.scalar().map(str::trim);
        if aliases.canonical(&e.key) == "status"
            && let Some(v) = value.filter(|v| !v.is_empty())
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

/// The phase a status word suggests.
fn guess_phase(raw: &str) -> &'static str {
    let w = raw.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|x| w.contains(x));
    if has(&[
        "supersed",
        "supercede",
        "replaced",
        "deprecat",
        "reject",
        "withdraw",
        "stagnant",
        "moved",
        "obsolete",
        "abandon",
        "declin",
        "retired",
        "cancel",
    ]) {
        "closed"
    } else if has(&[
        "accept",
        "approv",
        "final",
        "done",
        "implement",
        "living",
        "active",
        "adopted",
        "decided",
        "shipped",
        "released",
        "merged",
    ]) {
        "done"
    } else if has(&["progress", "building", "wip"]) {
        "active"
    } else if has(&["last call", "planned", "hold", "postpon", "scheduled"]) {
        "planned"
    } else {
        "draft"
    }
}

fn render(
    config: &Config,
    folders: &BTreeMap<String, Folder>,
    sidecars: &BTreeMap<String, usize>,
) -> String {
    let mut out = String::from(
        "# Written by `specsite init --detect`: how this repo's metadata maps to specsite.\n# Check the guesses; every key is described in the README.\n\n",
    );
    let mut aliases: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut folder_lines = String::new();
    let mut vocab: BTreeMap<Kind, BTreeMap<String, usize>> = BTreeMap::new();
    for (dir, f) in folders {
        // A folder of specs: several documents, most named by number or date, or with
        // statuses.
        let specs = f.docs >= 2
            && (f.numbered * 2 >= f.docs || f.statuses.values().sum::<usize>() * 2 >= f.docs);
        if !specs {
            continue;
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
        let statuses: usize = f.statuses.values().sum();
        let folder = if dir.is_empty() { "." } else { dir.as_str() };
        let mut table = format!(
            "\n[folders.{}]\nkind = {}\n",
            // Quoted even when it need not be: folder paths often hold `/` or `.`.
            toml_string(folder),
            toml_string(kind.as_str())
        );
        if statuses == 0 {
            let default = config
                .statuses
                .of(kind)
                .iter()
                .find(|s| s.phase == crate::config::Phase::Done);
            if let Some(s) = default {
                let _ = writeln!(
                    table,
                    "# No document here states a status; this gives them one.\ndefaults = {{ status = {} }}",
                    toml_string(&s.name)
                );
            }
        }
        if config.kind_of_folder(dir) != Some(kind) || statuses == 0 {
            folder_lines.push_str(&table);
        }
        for (raw, n) in &f.statuses {
            *vocab
                .entry(kind)
                .or_default()
                .entry(raw.clone())
                .or_default() += n;
        }
    }
    if let Some((name, n)) = sidecars.iter().max_by_key(|(_, n)| **n)
        && *n >= 2
    {
        let _ = writeln!(
            out,
            "sidecar = {}   # metadata next to each folder's README.md\n",
            toml_string(name)
        );
    }
    if !aliases.is_empty() {
        out.push_str("[aliases]\n");
        for (field, names) in &aliases {
            let list: Vec<String> = names.iter().map(|n| toml_string(n)).collect();
            let _ = writeln!(out, "{} = [{}]", toml_key(field), list.join(", "));
        }
    }
    if !folder_lines.is_empty() {
        out.push_str(&folder_lines);
    }
    for (kind, raws) in &vocab {
        out.push_str(&vocabulary(&config.statuses, *kind, raws));
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

/// The status vocabulary for the raw values found: the default statuses they map to,
/// plus one status per unmapped value (a pattern for `<word> by …` values).
fn vocabulary(defaults: &Statuses, kind: Kind, raws: &BTreeMap<String, usize>) -> String {
    let mut names: Vec<(String, &'static str, BTreeSet<String>)> = Vec::new();
    // Few values found: keep the default vocabulary and add to it.
    if raws.len() < 3 {
        for s in defaults.of(kind) {
            names.push((
                s.name.clone(),
                s.phase.as_str(),
                s.aliases.iter().cloned().collect(),
            ));
        }
    }
    // Template placeholders (`[draft | proposed]`, `{status}`) are not statuses.
    let real = raws.keys().filter(|r| !r.contains(['|', '[', '{', '<']));
    for raw in real {
        let (name, alias) = match defaults.lookup(kind, raw) {
            Some(i) => (defaults.of(kind)[i].name.clone(), None),
            None => {
                let lower = raw.to_lowercase();
                match lower.split_once(" by ") {
                    // `superseded by X` → superseded, with a pattern.
                    Some((word, _)) => (crate::text::slug(word), Some(format!("{word} by *"))),
                    None => (crate::text::slug(&lower), None),
                }
            }
        };
        if name.is_empty() {
            continue;
        }
        // An alias whenever the name alone would not find the value again.
        let alias = alias.or_else(|| {
            (normalise_status(raw) != normalise_status(&name)).then(|| raw.to_lowercase())
        });
        match names.iter_mut().find(|(n, _, _)| *n == name) {
            Some(entry) => entry.2.extend(alias),
            None => names.push((name, guess_phase(raw), alias.into_iter().collect())),
        }
    }
    let order = |phase: &str| {
        ["draft", "planned", "active", "done", "closed"]
            .iter()
            .position(|p| *p == phase)
    };
    names.sort_by(|a, b| order(a.1).cmp(&order(b.1)).then(a.0.cmp(&b.0)));
    let mut out = format!(
        "\n# The {} statuses found, with guessed phases.\n",
        kind.as_str()
    );
    for (name, phase, aliases) in names {
        let _ = write!(
            out,
            "[[statuses.{}]]\nname = {}\nphase = {}\n",
            toml_key(kind.as_str()),
            toml_string(&name),
            toml_string(phase)
        );
        if !aliases.is_empty() {
            let list: Vec<String> = aliases.iter().map(|a| toml_string(a)).collect();
            let _ = writeln!(out, "aliases = [{}]", list.join(", "));
        }
    }
    out
}

/// Writes the detected configuration to `target`, never overwriting a file and never
/// writing through a symbolic link (even a dangling one, which would create its target).
pub fn write(source: &Path, target: &Path) -> Result<PathBuf, Diagnostic> {
    if let Ok(meta) = std::fs::symlink_metadata(target) {
        let what = if meta.file_type().is_symlink() {
            "is a symbolic link; specsite does not write through links"
        } else {
            "already exists"
        };
        return Err(Diagnostic::new("config", target.display().to_string(), what)
            .help("specsite never overwrites files: move it away, or write elsewhere with --config FILE"));
    }
    let text = detect(source);
    // The configuration must read back: a detection that writes an invalid file is a bug.
    Config::parse(&text, &target.display().to_string())?;
    // Creating a new file (O_EXCL) also fails on a link put there since the check.
    crate::driver::scaffold::write_new(target, &target.display().to_string(), &text)?;
    Ok(target.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_guessed_from_the_words() {
        assert_eq!(guess_phase("Superseded by 0004"), "closed");
        assert_eq!(guess_phase("Final"), "done");
        assert_eq!(guess_phase("Last Call"), "planned");
        assert_eq!(guess_phase("Stagnant"), "closed");
        assert_eq!(guess_phase("Review"), "draft");
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
            text.contains("name = \"last-call\"\nphase = \"planned\""),
            "{text}"
        );
        assert!(text.contains("aliases = [\"superseded by *\"]"), "{text}");
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
