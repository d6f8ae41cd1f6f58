//! People: the optional `people.toml` registry, and how an owner as written ("maya",
//! "Maya Chen", "Maya Chen <maya@x.com>", "@mayachen") becomes one person with one page.

use crate::diagnostic::Diagnostic;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A person who owns or decides something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The URL segment of their page (`people/<key>/`), decided by the link stage from
    /// [`People::keys`] (see `paths::decide`); empty before.
    pub key: String,
    pub name: String,
    pub email: Option<String>,
    pub handle: Option<String>,
    pub role: Option<String>,
    pub team: Option<String>,
    /// Whether people.toml lists them (as opposed to a name written in a spec).
    pub listed: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonEntry {
    name: Option<String>,
    email: Option<String>,
    handle: Option<String>,
    #[serde(alias = "title")]
    role: Option<String>,
    team: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

/// Everyone known to the site.
#[derive(Debug, Clone, Default)]
pub struct People {
    pub list: Vec<Person>,
    /// Lowercased id, name, email, handle and aliases → index into `list`.
    lookup: FxHashMap<String, usize>,
    /// Per person (aligned with `list`): what their key is made from (their id in
    /// people.toml, or their name as first written as an owner), and where people.toml
    /// names them (unset for people it does not list).
    pub keys: Vec<(String, crate::diagnostic::Pos)>,
    /// Whether a people.toml exists (owners outside it are then reported).
    pub has_registry: bool,
}

/// An owner as written, taken apart: `Name (@handle) <email>`. An affiliation written
/// in brackets (`Ann Lee (Acme)`) is kept apart from the name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub name: String,
    pub handle: Option<String>,
    pub email: Option<String>,
    pub affiliation: Option<String>,
}

/// Phrases after which a list of authors goes on about people who are not authors
/// (`…, with input from X`); the rest of the text is dropped.
const NOT_AUTHORS_AFTER: &[&str] = &[
    "with input from",
    "based on work by",
    "based on the work of",
];

/// Endings that stand for more people without naming them.
const UNNAMED: &[&str] = &[
    "et al.",
    "et al",
    "and others",
    "and many others",
    "several other folk",
    "several others",
    "others",
];

/// Splits one text naming several people: at commas, `;`, ` and ` and ` & ` outside
/// brackets, and between markdown links written side by side (`[A](…) [B](…)`);
/// endings that name no one (`et al.`, `and others`, `with input from X`) are dropped.
pub fn split_people(raw: &str) -> Vec<String> {
    let lower = raw.to_lowercase();
    let cut = NOT_AUTHORS_AFTER
        .iter()
        .filter_map(|p| lower.find(p))
        .min()
        .unwrap_or(raw.len());
    // Lowercasing keeps byte offsets only for ASCII; fall back to the whole text.
    let raw = raw
        .get(..cut)
        .filter(|_| lower.len() == raw.len())
        .unwrap_or(raw);
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in raw.chars() {
        if depth == 0 && c == '[' {
            let so_far = current.trim();
            // `[A](…) [B](…)`: a link already complete, and another starting.
            if so_far.starts_with('[') && so_far.ends_with(')') {
                parts.push(std::mem::take(&mut current));
            }
        }
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' => depth = (depth - 1).max(0),
            _ => {}
        }
        if depth == 0 && (c == ',' || c == ';') {
            parts.push(std::mem::take(&mut current));
            continue;
        }
        current.push(c);
        if depth == 0 {
            for sep in [" and ", " & "] {
                if current.ends_with(sep) {
                    current.truncate(current.len() - sep.len());
                    parts.push(std::mem::take(&mut current));
                }
            }
        }
    }
    parts.push(current);
    parts
        .into_iter()
        .filter_map(|p| {
            let mut p = p.trim().trim_end_matches('.').trim();
            let lower = p.to_lowercase();
            if let Some(n) = UNNAMED
                .iter()
                .find_map(|suffix| lower.strip_suffix(suffix).map(str::len))
                // A whole word: `Tom Smothers` keeps his name.
                .filter(|&n| lower.len() == p.len() && (n == 0 || lower[..n].ends_with(' ')))
            {
                p = p[..n].trim();
            }
            let p = p.trim_start_matches("and ").trim();
            (!p.is_empty()).then(|| p.to_string())
        })
        .collect()
}

/// The byte offset of the bracket closing the one `text` starts with.
fn closing(text: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// The user a profile URL names (`https://github.com/ann`, `https://x.org/@ann`).
fn handle_of_url(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let path = rest.split_once('/')?.1.trim_end_matches('/');
    let handle = path.trim_start_matches('@');
    (!handle.is_empty() && !handle.contains(['/', '?', '#', '.'])).then(|| handle.to_string())
}

/// Takes apart `Name (@handle) <email>`, `@handle`, `[Name](https://github.com/handle)`,
/// `[Name ("Nick")](https://host/handle)`, `Name (Company)`, `Name ()`.
pub fn parse_person(raw: &str) -> Parsed {
    let mut rest = raw.trim().trim_end_matches('.').trim().to_string();
    let mut parsed = Parsed::default();
    // A markdown link: its text is the person, its URL their profile.
    if rest.starts_with('[')
        && let Some(close) = closing(&rest, '[', ']')
        && rest[close + 1..].starts_with('(')
        && let Some(end) = closing(&rest[close + 1..], '(', ')')
    {
        let url = rest[close + 2..close + 1 + end].trim().to_string();
        if let Some(email) = url.strip_prefix("mailto:") {
            parsed.email = Some(email.to_string());
        } else {
            parsed.handle = handle_of_url(&url);
        }
        let text = rest[1..close].to_string();
        let after = rest[close + 2 + end..].to_string();
        rest = format!("{text} {after}");
    }
    if let (Some(a), Some(b)) = (rest.find('<'), rest.rfind('>'))
        && a < b
    {
        parsed.email = Some(rest[a + 1..b].trim().to_string()).filter(|e| !e.is_empty());
        rest.replace_range(a..=b, " ");
    }
    // Bracketed parts: a handle, a profile URL, a nickname in quotes, an affiliation.
    while let Some(a) = rest.find('(') {
        let end = closing(&rest[a..], '(', ')').map_or(rest.len(), |e| a + e + 1);
        let inner = rest[a + 1..end.saturating_sub(1).max(a + 1)]
            .trim()
            .to_string();
        rest.replace_range(a..end, " ");
        if let Some(h) = inner.strip_prefix('@') {
            parsed.handle.get_or_insert_with(|| h.trim().to_string());
        } else if let Some(h) = handle_of_url(&inner) {
            parsed.handle.get_or_insert(h);
        } else if inner.is_empty() || inner.starts_with(['"', '\'', '“']) {
            // `Name ()`, a nickname: not part of the name.
        } else if parsed.affiliation.is_none() {
            parsed.affiliation = Some(inner);
        }
    }
    let mut name = rest
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(['[', ']', '"'])
        .trim()
        .to_string();
    if parsed.handle.is_none()
        && let Some(h) = name.strip_prefix('@')
    {
        parsed.handle = Some(h.to_string());
        name = h.to_string();
    }
    if name.is_empty() {
        name = parsed
            .handle
            .clone()
            .or_else(|| parsed.email.clone())
            .unwrap_or_default();
    }
    parsed.name = name;
    parsed
}

impl People {
    /// Reads `people.toml`: a table per person keyed by id.
    pub fn from_toml(text: &str, file: &str) -> Result<People, Diagnostic> {
        let entries: BTreeMap<toml::Spanned<String>, PersonEntry> = crate::config::read_toml(
            text,
            file,
            "each person is a table: [maya] with name, email, handle, role, team",
        )?;
        let mut people = People {
            has_registry: true,
            ..People::default()
        };
        let lines = crate::text::LineIndex::new(text);
        for (id, e) in entries {
            // A quoted key is placed past its quote, like quoted values.
            let start = id.span().start;
            let quoted = text
                .get(start..)
                .is_some_and(|t| t.starts_with(['"', '\'']));
            let pos = lines.pos(start + usize::from(quoted));
            let id = id.into_inner();
            let person = Person {
                key: String::new(),
                name: e.name.clone().unwrap_or_else(|| id.clone()),
                email: e.email.clone(),
                handle: e
                    .handle
                    .as_deref()
                    .map(|h| h.trim_start_matches('@').to_string()),
                role: e.role,
                team: e.team,
                listed: true,
            };
            let index = people.list.len();
            let mut names = vec![id.clone(), person.name.clone()];
            names.extend(person.email.clone());
            names.extend(person.handle.clone());
            names.extend(person.handle.as_ref().map(|h| format!("@{h}")));
            names.extend(e.aliases);
            for n in names {
                people.lookup.entry(n.to_lowercase()).or_insert(index);
            }
            people.list.push(person);
            people.keys.push((id, pos));
        }
        Ok(people)
    }

    /// Remembers the other ways a known person was written (`@ann` after `Ann Lee
    /// (@ann)`), and a real name for someone first seen as a bare handle or email.
    fn learn(&mut self, i: usize, p: &Parsed) {
        let person = &mut self.list[i];
        if !person.listed {
            let name_is_placeholder = Some(&person.name) == person.handle.as_ref()
                || Some(&person.name) == person.email.as_ref();
            let new_is_real =
                Some(&p.name) != p.handle.as_ref() && Some(&p.name) != p.email.as_ref();
            if name_is_placeholder && new_is_real && !p.name.is_empty() {
                person.name = p.name.clone();
            }
            if person.handle.is_none() {
                person.handle = p.handle.clone();
            }
            if person.email.is_none() {
                person.email = p.email.clone();
            }
        }
        for k in [
            Some(p.name.to_lowercase()).filter(|n| !n.is_empty()),
            p.email.as_ref().map(|e| e.to_lowercase()),
            p.handle.as_ref().map(|h| h.to_lowercase()),
        ]
        .into_iter()
        .flatten()
        {
            self.lookup.entry(k).or_insert(i);
        }
    }

    /// Indexes into `list`, by name (ignoring case), for the people index.
    pub fn by_name(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.list.len()).collect();
        order.sort_by_cached_key(|&i| (self.list[i].name.to_lowercase(), self.list[i].key.clone()));
        order
    }

    /// The person an owner as written names, if known.
    pub fn find(&self, raw: &str) -> Option<usize> {
        let p = parse_person(raw);
        let keys = [
            Some(raw.trim().to_lowercase()),
            p.email.as_ref().map(|e| e.to_lowercase()),
            p.handle.as_ref().map(|h| h.to_lowercase()),
            Some(p.name.to_lowercase()),
        ];
        keys.iter()
            .flatten()
            .find_map(|k| self.lookup.get(k).copied())
    }

    /// The person an owner as written names, adding a new (unlisted) person when no one
    /// matches. Returns the index and whether the person was found in the registry or
    /// among owners seen before.
    pub fn resolve(&mut self, raw: &str) -> usize {
        let p = parse_person(raw);
        if let Some(i) = self.find(raw) {
            self.learn(i, &p);
            return i;
        }
        let index = self.list.len();
        for k in [
            Some(raw.trim().to_lowercase()),
            Some(p.name.to_lowercase()),
            p.email.as_ref().map(|e| e.to_lowercase()),
            p.handle.as_ref().map(|h| h.to_lowercase()),
        ]
        .into_iter()
        .flatten()
        {
            self.lookup.entry(k).or_insert(index);
        }
        self.keys
            .push((p.name.clone(), crate::diagnostic::Pos::default()));
        self.list.push(Person {
            key: String::new(),
            name: p.name,
            email: p.email,
            handle: p.handle,
            role: None,
            team: None,
            listed: false,
        });
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Rule;

    #[test]
    fn parses_the_common_ways_of_writing_a_person() {
        let p = parse_person("Vitalik Buterin (@vbuterin)");
        assert_eq!(
            (p.name.as_str(), p.handle.as_deref()),
            ("Vitalik Buterin", Some("vbuterin"))
        );
        let p = parse_person("Eric Conner <eric@x.org>");
        assert_eq!(
            (p.name.as_str(), p.email.as_deref()),
            ("Eric Conner", Some("eric@x.org"))
        );
        let p = parse_person("@frangio");
        assert_eq!(
            (p.name.as_str(), p.handle.as_deref()),
            ("frangio", Some("frangio"))
        );
        let p = parse_person("[Ann Lee](https://github.com/annlee)");
        assert_eq!(
            (p.name.as_str(), p.handle.as_deref()),
            ("Ann Lee", Some("annlee"))
        );
    }

    #[test]
    fn registry_matches_id_name_email_and_handle() {
        let mut people = People::from_toml(
            "[maya]\nname = \"Maya Chen\"\nemail = \"maya@x.com\"\nhandle = \"mchen\"\n",
            "people.toml",
        )
        .unwrap();
        for raw in [
            "maya",
            "Maya Chen",
            "maya chen",
            "Someone <maya@x.com>",
            "@mchen",
        ] {
            assert_eq!(people.find(raw), Some(0), "{raw}");
        }
        let other = people.resolve("Jordan Blake");
        assert_eq!(other, 1);
        assert_eq!(people.resolve("jordan blake"), 1);
        assert!(!people.list[1].listed);
        assert_eq!(people.keys[1].0, "Jordan Blake");
    }

    #[test]
    fn lists_of_people_split_outside_brackets_and_drop_et_al() {
        assert_eq!(
            split_people(
                "Vitalik Buterin (@vbuterin), Eric Conner <e@x.org>, Rick (@a, b), et al."
            ),
            [
                "Vitalik Buterin (@vbuterin)",
                "Eric Conner <e@x.org>",
                "Rick (@a, b)"
            ]
        );
        assert_eq!(
            split_people("Ann and Bob; Carol et al"),
            ["Ann", "Bob", "Carol"]
        );
        assert_eq!(
            split_people("[Ann Lee](https://github.com/annlee)"),
            ["[Ann Lee](https://github.com/annlee)"]
        );
    }

    #[test]
    fn people_written_in_every_dialect_give_name_and_handle_only() {
        /// Written, then name, handle, email, affiliation.
        type Case<'a> = (
            &'a str,
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
        );
        let cases: &[Case<'_>] = &[
            (
                "[Ann Lee (\"Annie\")](https://gitlab.com/annlee)",
                "Ann Lee",
                Some("annlee"),
                None,
                None,
            ),
            (
                "[Ann Lee](https://github.com/annlee)",
                "Ann Lee",
                Some("annlee"),
                None,
                None,
            ),
            ("Ann Lee (@annlee)", "Ann Lee", Some("annlee"), None, None),
            (
                "Ann Lee (Acme Corp)",
                "Ann Lee",
                None,
                None,
                Some("Acme Corp"),
            ),
            (
                "Ann Lee (Acme) <ann@x.org>",
                "Ann Lee",
                None,
                Some("ann@x.org"),
                Some("Acme"),
            ),
            ("Ann Lee ()", "Ann Lee", None, None, None),
            ("Ann Lee.", "Ann Lee", None, None, None),
            (
                "Ann Lee <ann@x.org>",
                "Ann Lee",
                None,
                Some("ann@x.org"),
                None,
            ),
            ("@annlee", "annlee", Some("annlee"), None, None),
        ];
        for &(raw, name, handle, email, affiliation) in cases {
            let p = parse_person(raw);
            assert_eq!(
                (
                    p.name.as_str(),
                    p.handle.as_deref(),
                    p.email.as_deref(),
                    p.affiliation.as_deref()
                ),
                (name, handle, email, affiliation),
                "{raw}"
            );
        }
    }

    #[test]
    fn author_lists_split_into_people_and_drop_what_names_no_one() {
        let cases: &[(&str, &[&str])] = &[
            ("Ann & Bob", &["Ann", "Bob"]),
            ("Ann and Bob", &["Ann", "Bob"]),
            (
                "[Ann](https://github.com/ann) [Bob](https://github.com/bob)",
                &[
                    "[Ann](https://github.com/ann)",
                    "[Bob](https://github.com/bob)",
                ],
            ),
            ("Ann, with input from Bob", &["Ann"]),
            ("Ann Lee based on work by Bob", &["Ann Lee"]),
            ("Ann, Bob, et al.", &["Ann", "Bob"]),
            ("Ann and others", &["Ann"]),
            ("Ann, Bob, and several other folk", &["Ann", "Bob"]),
            ("Ann Lee.", &["Ann Lee"]),
            ("Tom Smothers", &["Tom Smothers"]),
            ("Ann (Acme, Inc.) and Bob", &["Ann (Acme, Inc.)", "Bob"]),
        ];
        for &(raw, want) in cases {
            assert_eq!(split_people(raw), want, "{raw}");
        }
    }

    #[test]
    fn the_people_index_order_is_by_name() {
        let mut people = People::default();
        for raw in ["zed", "Ann Lee", "bob", "@ann2"] {
            people.resolve(raw);
        }
        let names: Vec<&str> = people
            .by_name()
            .into_iter()
            .map(|i| people.list[i].name.as_str())
            .collect();
        assert_eq!(names, ["Ann Lee", "ann2", "bob", "zed"]);
    }

    #[test]
    fn one_person_written_two_ways_is_one_owner() {
        let mut people = People::default();
        let a = people.resolve("@vbuterin");
        let b = people.resolve("Vitalik Buterin (@vbuterin)");
        let c = people.resolve("vitalik buterin <v@x.org>");
        let d = people.resolve("v@x.org");
        assert_eq!([a, b, c, d], [0, 0, 0, 0]);
        assert_eq!(people.list.len(), 1);
        assert_eq!(people.list[0].name, "Vitalik Buterin");
        assert_eq!(people.keys[0].0, "vbuterin");
    }

    #[test]
    fn bad_people_file_is_a_config_error_with_line() {
        let e = People::from_toml("[maya]\nnmae = \"x\"\n", "people.toml").unwrap_err();
        assert_eq!(e.rule, Rule::Config);
        assert_eq!(e.line, 2);
    }
}
