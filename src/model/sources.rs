//! Where a document's metadata comes from, and how the sources become one map: front
//! matter, then a sidecar file (data beats prose), then the list under the title, then
//! body sections, then the file name, then the folder's configured defaults. The first
//! source that gives a field wins. Field names are made canonical on the way (`author`
//! → `owner`), so the rest of the model reads one vocabulary whatever dialect a repo
//! writes; names a repo unmaps (`[aliases] extra = ["metrics"]`) are set apart as
//! extra fields instead.

use crate::config::{Config, FolderTable};
use crate::diagnostic::{Diagnostic, Pos, Rule};
use crate::parse::meta::{Entry, Map, Node, Origin, Value};
use rustc_hash::FxHashMap;

/// Aliases every repo gets: the names common ADR and RFC dialects use for the fields
/// specsite reads. `[aliases]` in specsite.toml adds to these.
pub const BUILTIN_ALIASES: &[(&str, &[&str])] = &[
    (
        "owner",
        &[
            "owners",
            "author",
            "authors",
            "author(s)",
            "deciders",
            "decision-makers",
        ],
    ),
    (
        "updated",
        &["last updated", "last-modified", "last modified"],
    ),
    ("reviewers", &["review manager", "review managers"]),
    ("discussion", &["discussions", "discussion thread"]),
    ("implementation", &["implementations", "implementation pr"]),
    ("supersedes", &["replaces", "supercedes"]),
    ("superseded_by", &["superceded by", "replaced by"]),
    ("tags", &["tag"]),
];

/// The `[aliases]` entry whose names are unmapped: a repo's own field that happens to
/// share a specsite field's name (`metrics:` listing monitoring metric names) is kept
/// as an extra field, never read as the specsite field.
pub const UNMAPPED: &str = "extra";

/// Removes control characters (other than tab and newline) from every key and text
/// value of `map`, with a warning at each field that had some: a NUL or an escape
/// character means nothing on a page, and pages and feeds must not carry them.
pub fn strip_controls(map: &mut Map, file: &str, diags: &mut Vec<Diagnostic>) {
    for entry in &mut map.entries {
        let in_key = strip(&mut entry.key);
        let at = if in_key {
            Some(entry.key_pos)
        } else {
            strip_node(&mut entry.value)
        };
        if let Some(pos) = at {
            diags.push(
                Diagnostic::new(
                    Rule::ControlCharacter,
                    file,
                    format!("`{}` held control characters; they were removed", entry.key),
                )
                .at(pos)
                .help("remove them from the file (an editor's \"show invisibles\" finds them)"),
            );
        }
    }
}

fn is_unwanted(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

/// Removes the unwanted characters from `text`; whether there were any.
fn strip(text: &mut String) -> bool {
    let had = text.contains(is_unwanted);
    if had {
        text.retain(|c| !is_unwanted(c));
    }
    had
}

/// Strips a value and everything in it; where the first change was.
fn strip_node(node: &mut Node) -> Option<Pos> {
    let mut first = None;
    let mut note = |pos: Pos| {
        first.get_or_insert(pos);
    };
    match &mut node.value {
        Value::Null => {}
        Value::Scalar(s) => {
            if strip(s) {
                note(node.pos);
            }
        }
        Value::List(items) => items.iter_mut().filter_map(strip_node).for_each(&mut note),
        Value::Map(map) => {
            for e in &mut map.entries {
                if strip(&mut e.key) {
                    note(e.key_pos);
                }
                if let Some(pos) = strip_node(&mut e.value) {
                    note(pos);
                }
            }
        }
    }
    for (text, pos) in &mut node.links {
        if strip(text) {
            note(*pos);
        }
    }
    first
}

/// Field names as the model reads them, by their written spellings.
#[derive(Debug, Clone)]
pub struct Aliases {
    canonical: FxHashMap<String, String>,
    /// Normalised names the configuration unmaps (see [`UNMAPPED`]).
    unmapped: rustc_hash::FxHashSet<String>,
}

/// Lowercase, with runs of spaces, `-` and `_` read as one `_`.
pub fn normalise_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.trim().chars() {
        if matches!(c, ' ' | '-' | '_' | '\t') {
            if !out.ends_with('_') {
                out.push('_');
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

impl Aliases {
    /// The aliases of a configuration; `known` lists the fields the model reads, which
    /// are canonical whatever their spelling.
    pub fn new(config: &Config, known: &[&str]) -> Self {
        let mut canonical = FxHashMap::default();
        for field in known {
            canonical.insert(normalise_key(field), field.to_string());
        }
        let unmapped = config
            .aliases
            .get(UNMAPPED)
            .into_iter()
            .flatten()
            .map(|name| normalise_key(name))
            .collect();
        let configured = config
            .aliases
            .iter()
            .filter(|(field, _)| field.as_str() != UNMAPPED)
            .map(|(field, names)| {
                (
                    field.as_str(),
                    names.iter().map(String::as_str).collect::<Vec<_>>(),
                )
            });
        let builtin = BUILTIN_ALIASES
            .iter()
            .map(|(field, names)| (*field, names.to_vec()));
        // Configured aliases come first so that they win over built-in ones.
        for (field, names) in configured.chain(builtin) {
            for name in names {
                canonical
                    .entry(normalise_key(name))
                    .or_insert_with(|| field.to_string());
            }
        }
        Aliases {
            canonical,
            unmapped,
        }
    }

    /// Whether the configuration unmaps a written key (see [`UNMAPPED`]).
    pub fn is_unmapped(&self, key: &str) -> bool {
        self.unmapped.contains(&normalise_key(key))
    }

    /// The canonical name of a written key, or the key itself.
    pub fn canonical<'k>(&'k self, key: &'k str) -> &'k str {
        self.canonical
            .get(&normalise_key(key))
            .map_or(key, String::as_str)
    }
}

/// Metadata merged from every source.
#[derive(Debug, Default)]
pub struct Merged {
    /// The fields, with canonical keys.
    pub map: Map,
    /// Unmapped fields as written (key, value as text), for templates.
    pub kept: Vec<(String, String)>,
}

/// Merges metadata sources in priority order: a field the first source gives is not
/// taken from later ones. Keys become canonical; unmapped keys are set apart as text.
pub fn merge(sources: Vec<Map>, aliases: &Aliases) -> Merged {
    let mut merged = Merged::default();
    let mut seen: FxHashMap<String, ()> = FxHashMap::default();
    for source in sources {
        for mut entry in source.entries {
            if aliases.is_unmapped(&entry.key) {
                if seen.insert(normalise_key(&entry.key), ()).is_none() {
                    merged.kept.push((entry.key, as_text(&entry.value)));
                }
                continue;
            }
            let key = aliases.canonical(&entry.key).to_string();
            if seen.insert(key.to_lowercase(), ()).is_some() {
                continue;
            }
            entry.key = key;
            merged.map.entries.push(entry);
        }
    }
    merged
}

/// A value as one line of text: scalars as written, lists joined with `, `.
fn as_text(node: &Node) -> String {
    use crate::parse::meta::Value;
    match &node.value {
        Value::Null => String::new(),
        Value::Scalar(s) => s.clone(),
        Value::List(items) => items
            .iter()
            .map(as_text)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        Value::Map(m) => m
            .entries
            .iter()
            .map(|e| format!("{}: {}", e.key, as_text(&e.value)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// What a file name says: a leading number (`0015-dns.md`, `adr-015-x.md`,
/// `eip-1559.md`) or date (`20200925-slug.md`, `2020-09-25-slug.md`), and the rest.
/// `README.md` and `index.md` speak for their folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName<'a> {
    /// The name without extension (the folder's name for README/index).
    pub stem: &'a str,
    pub number: Option<&'a str>,
    /// The number with its prefix as written (`adr-015`, `0015`).
    pub prefixed: Option<&'a str>,
    pub date: Option<jiff::civil::Date>,
    /// The name without its leading number or date.
    pub slug: &'a str,
}

impl<'a> FileName<'a> {
    pub fn of(path: &'a str) -> Self {
        let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
        let mut stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
        if matches!(stem.to_ascii_lowercase().as_str(), "readme" | "index") && !dir.is_empty() {
            stem = dir.rsplit('/').next().unwrap_or(stem);
        }
        let mut name = FileName {
            stem,
            number: None,
            prefixed: None,
            date: None,
            slug: stem,
        };
        if let Some((date, rest)) = leading_date(stem) {
            name.date = Some(date);
            name.slug = rest;
            return name;
        }
        // An optional short word before the number: `adr-015`, `eip-1559`, `RFC0001`.
        let prefix_len = stem
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(stem.len());
        let after_prefix = if prefix_len <= 4 {
            stem[prefix_len..].trim_start_matches(['-', '_'])
        } else {
            stem
        };
        let digits = after_prefix
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after_prefix.len());
        let rest = &after_prefix[digits..];
        if digits > 0 && (rest.is_empty() || rest.starts_with(['-', '_', '.', ' '])) {
            name.number = Some(&after_prefix[..digits]);
            name.prefixed = Some(&stem[..stem.len() - rest.len()]);
            name.slug = rest.trim_start_matches(['-', '_', '.', ' ']);
            if name.slug.is_empty() {
                name.slug = stem;
            }
        }
        name
    }

    /// The id the file name gives: the folder's pattern filled in, else the number,
    /// else the name without a leading date, else the whole name.
    pub fn id(&self, table: Option<&FolderTable>) -> String {
        if let Some(pattern) = table.and_then(|t| t.id.as_deref())
            && (self.number.is_some() || !pattern.contains("{number}"))
        {
            return pattern
                .replace("{number}", self.number.unwrap_or_default())
                .replace("{slug}", self.slug)
                .replace("{stem}", self.stem);
        }
        self.prefixed.unwrap_or(self.slug).to_string()
    }
}

fn leading_date(stem: &str) -> Option<(jiff::civil::Date, &str)> {
    let compact = stem
        .get(..8)
        .filter(|s| s.bytes().all(|b| b.is_ascii_digit()));
    let (date, rest) = if let Some(d) = compact {
        let text = format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8]);
        (text.parse().ok()?, &stem[8..])
    } else {
        let d = stem.get(..10)?;
        (d.parse().ok()?, &stem[10..])
    };
    if !(rest.is_empty() || rest.starts_with(['-', '_'])) {
        return None;
    }
    let slug = rest.trim_start_matches(['-', '_']);
    Some((date, if slug.is_empty() { stem } else { slug }))
}

/// The file name as a metadata source: its id, and its date (`date_field`).
pub fn file_name_map(name: &FileName<'_>, table: Option<&FolderTable>, date_field: &str) -> Map {
    let mut map = Map::default();
    let pos = crate::diagnostic::Pos::new(1, 1);
    let mut add = |key: &str, value: String| {
        map.entries.push(Entry {
            key: key.to_string(),
            key_pos: pos,
            value: Node::text(value, pos),
            origin: Origin::FileName,
        });
    };
    add("id", name.id(table));
    if let Some(d) = name.date {
        add(date_field, d.to_string());
    }
    map
}

/// A folder's configured defaults as a metadata source.
pub fn defaults_map(table: Option<&FolderTable>) -> Map {
    let pos = crate::diagnostic::Pos::new(1, 1);
    Map {
        entries: table
            .into_iter()
            .flat_map(|t| &t.defaults)
            .map(|(k, v)| Entry {
                key: k.clone(),
                key_pos: pos,
                value: Node::text(v.clone(), pos),
                origin: Origin::FolderDefault,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Pos;

    fn entry(key: &str, value: &str, origin: Origin) -> Entry {
        Entry {
            key: key.into(),
            key_pos: Pos::new(1, 1),
            value: Node::text(value, Pos::new(1, 1)),
            origin,
        }
    }

    #[test]
    fn file_names_give_numbers_dates_and_slugs() {
        let f = FileName::of("docs/adr/0015-dns-infrastructure.md");
        assert_eq!((f.number, f.slug), (Some("0015"), "dns-infrastructure"));
        assert_eq!(FileName::of("adr-015-data-model.md").number, Some("015"));
        assert_eq!(FileName::of("EIPS/eip-1559.md").number, Some("1559"));
        assert_eq!(FileName::of("RFC0001.md").number, Some("0001"));
        assert_eq!(
            FileName::of("text/3392-council/README.md").number,
            Some("3392")
        );
        assert_eq!(FileName::of("notes-2.md").number, None);
        assert_eq!(FileName::of("releases-2026.md").number, None);
        let f = FileName::of("adr/20200925-use-lerna.md");
        assert_eq!(f.date.map(|d| d.to_string()).as_deref(), Some("2020-09-25"));
        assert_eq!((f.number, f.slug), (None, "use-lerna"));
        assert_eq!(FileName::of("2021-03-04-x.md").slug, "x");
        // Not a real date: read as a number.
        assert_eq!(FileName::of("20201340-x.md").number, Some("20201340"));
    }

    #[test]
    fn ids_from_file_names_follow_the_folder_pattern() {
        let table = FolderTable {
            id: Some("RFC-{number}".into()),
            ..FolderTable::default()
        };
        assert_eq!(FileName::of("text/0001-x.md").id(Some(&table)), "RFC-0001");
        assert_eq!(FileName::of("text/notes.md").id(Some(&table)), "notes");
        assert_eq!(FileName::of("text/0001-x.md").id(None), "0001");
        assert_eq!(FileName::of("adr-015-data.md").id(None), "adr-015");
        assert_eq!(
            FileName::of("adr/20200925-use-lerna.md").id(None),
            "use-lerna"
        );
    }

    #[test]
    fn merge_keeps_the_first_source_per_canonical_field() {
        let config = Config::default();
        let aliases = Aliases::new(&config, &["owner", "status", "created", "superseded_by"]);
        let front = Map {
            entries: vec![entry("Author", "Ann", Origin::FrontMatter)],
        };
        let header = Map {
            entries: vec![
                entry("Deciders", "Bob", Origin::HeaderList),
                entry("Status", "accepted", Origin::HeaderList),
                entry("Superceded By", "0002", Origin::HeaderList),
            ],
        };
        let name = Map {
            entries: vec![entry("status", "draft", Origin::FolderDefault)],
        };
        let m = merge(vec![front, header, name], &aliases).map;
        let keys: Vec<(&str, Option<&str>)> = m
            .entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.scalar()))
            .collect();
        assert_eq!(
            keys,
            [
                ("owner", Some("Ann")),
                ("status", Some("accepted")),
                ("superseded_by", Some("0002"))
            ]
        );
    }

    #[test]
    fn configured_aliases_win_over_builtin_ones() {
        let mut config = Config::default();
        config
            .aliases
            .insert("created".into(), vec!["Start Date".into(), "author".into()]);
        let a = Aliases::new(&config, &["created", "owner"]);
        assert_eq!(a.canonical("start_date"), "created");
        assert_eq!(a.canonical("AUTHOR"), "created");
        assert_eq!(a.canonical("decision-makers"), "owner");
        assert_eq!(a.canonical("RFC PR"), "RFC PR");
    }
}
