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

/// An owner as written, taken apart: `Name (@handle) <email>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub name: String,
    pub handle: Option<String>,
    pub email: Option<String>,
}

/// Splits one text naming several people: at commas, `;` and ` and ` outside
/// brackets, dropping a closing `et al.` (or `and others`).
pub fn split_people(raw: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in raw.chars() {
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
        if depth == 0 && current.ends_with(" and ") {
            current.truncate(current.len() - " and ".len());
            parts.push(std::mem::take(&mut current));
        }
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|p| {
            let p = p.trim();
            let lower = p.to_lowercase();
            let cut = ["et al.", "et al", "and others"]
                .iter()
                .find_map(|suffix| lower.strip_suffix(suffix).map(|rest| rest.len()));
            match cut {
                Some(n) => p[..n].trim().to_string(),
                None => p.to_string(),
            }
        })
        .filter(|p| !p.is_empty() && !p.eq_ignore_ascii_case("others"))
        .collect()
}

/// Takes apart `Name (@handle) <email>`, `@handle`, `[Name](https://github.com/handle)`.
pub fn parse_person(raw: &str) -> Parsed {
    let mut rest = raw.trim().to_string();
    let mut email = None;
    let mut handle = None;
    if let (Some(a), Some(b)) = (rest.find('<'), rest.rfind('>'))
        && a < b
    {
        email = Some(rest[a + 1..b].trim().to_string()).filter(|e| !e.is_empty());
        rest.replace_range(a..=b, "");
    }
    if let (Some(a), Some(b)) = (rest.find('('), rest.rfind(')'))
        && a < b
    {
        let inner = rest[a + 1..b].trim().to_string();
        if let Some(h) = inner.strip_prefix('@') {
            handle = Some(h.to_string());
            rest.replace_range(a..=b, "");
        } else if rest[..a].trim_end().ends_with(']') {
            // A markdown link: [Name](https://github.com/handle)
            let url = inner.trim_end_matches('/');
            if url.contains("github.com/") {
                handle = url.rsplit('/').next().map(str::to_string);
            }
            rest.replace_range(a..=b, "");
        }
    }
    let mut name = rest.trim().trim_matches(['[', ']']).trim().to_string();
    if handle.is_none()
        && let Some(h) = name.strip_prefix('@')
    {
        handle = Some(h.to_string());
        name = h.to_string();
    }
    if name.is_empty() {
        name = handle.clone().or_else(|| email.clone()).unwrap_or_default();
    }
    Parsed {
        name,
        handle,
        email,
    }
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
        assert_eq!(e.rule, "config");
        assert_eq!(e.line, 2);
    }
}
