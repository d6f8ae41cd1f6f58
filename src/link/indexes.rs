//! Link stage, indexes: the documents by status, team, tag and owner, and the slug
//! each of those keys' pages gets, decided once here (with fallbacks for keys that slug
//! to nothing and suffixes for keys that collide), so render only reads decided paths.

use super::*;
use crate::config::{Config, Kind};
use crate::diagnostic::{Diagnostic, Pos, Rule};
use crate::model::Document;
use crate::model::people::People;
use crate::paths::List;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Each status, team and tag as written → the slug of its page.
#[derive(Debug, Clone, Default)]
pub struct Slugs {
    pub status: FxHashMap<String, String>,
    pub team: FxHashMap<String, String>,
    pub tag: FxHashMap<String, String>,
}

impl Slugs {
    /// The decided slug of a key of `list` (not `List::Person`: that is `Person::key`).
    pub fn get(&self, list: List, raw: &str) -> Option<&str> {
        let map = match list {
            List::Status => &self.status,
            List::Team => &self.team,
            List::Tag => &self.tag,
            List::Person => return None,
        };
        map.get(raw).map(String::as_str)
    }

    /// The URL of a key's page. A key no published document has (a status of an
    /// unpublished document) has no page; it gets the slug it would want.
    pub fn url(&self, list: List, raw: &str) -> String {
        match self.get(list, raw) {
            Some(slug) => crate::paths::list_url(list, slug),
            None => crate::paths::list_url(list, &crate::paths::key_slug(raw).0),
        }
    }
}

pub(super) fn build_indexes(docs: &[Arc<Document>], people: &People, g: &mut Graph) {
    let mut order: Vec<DocId> = g.published_ids().collect();
    order.sort_by(|&a, &b| site_order(docs, a, b));
    g.owned = vec![Vec::new(); people.list.len()];
    for &d in &order {
        let doc = &docs[d];
        g.by_kind.entry(doc.kind).or_default().push(d);
        if let Some(s) = &doc.status {
            g.by_status
                .entry((doc.kind, s.name.clone()))
                .or_default()
                .push(d);
        }
        if let Some(t) = &doc.team {
            g.by_team.entry(t.clone()).or_default().push(d);
        }
        for t in &doc.tags {
            g.by_tag.entry(t.clone()).or_default().push(d);
        }
        for &p in &g.owners[d] {
            g.owned[p].push(d);
        }
    }
}

/// Where a list key is written, for messages about its page.
#[derive(Debug, Clone)]
pub(super) struct KeyPlace {
    pub(super) file: String,
    pub(super) pos: Pos,
    pub(super) span: usize,
}

/// Keys of one list that name one page: the ways one key is written.
pub(super) struct KeyGroup {
    /// As first written (the page's heading).
    pub(super) shown: String,
    /// Every way it is written.
    pub(super) written: Vec<String>,
    /// Where it is first written; `None` for a status only the configuration names.
    pub(super) place: Option<KeyPlace>,
}

/// Groups keys (in the order met) by [`crate::paths::key_identity`].
#[derive(Default)]
pub(super) struct KeyGroups {
    pub(super) groups: Vec<KeyGroup>,
    pub(super) by_identity: FxHashMap<String, usize>,
}

impl KeyGroups {
    pub(super) fn add(&mut self, raw: &str, place: impl FnOnce() -> Option<KeyPlace>) {
        let identity = crate::paths::key_identity(raw);
        match self.by_identity.get(&identity) {
            Some(&i) => {
                let g = &mut self.groups[i];
                if !g.written.iter().any(|w| w == raw) {
                    g.written.push(raw.to_string());
                }
            }
            None => {
                self.by_identity.insert(identity, self.groups.len());
                self.groups.push(KeyGroup {
                    shown: raw.to_string(),
                    written: vec![raw.to_string()],
                    place: place(),
                });
            }
        }
    }

    /// Decides each group's slug, reports fallbacks and collisions where the key is
    /// first written, and returns every way of writing a key → its slug.
    pub(super) fn decide(
        self,
        list: List,
        diags: &mut Vec<Diagnostic>,
    ) -> FxHashMap<String, String> {
        let decided = crate::paths::decide(self.groups.iter().map(|g| g.shown.as_str()));
        let shown: Vec<(&str, Option<&KeyPlace>)> = self
            .groups
            .iter()
            .map(|g| (g.shown.as_str(), g.place.as_ref()))
            .collect();
        for (i, d) in decided.iter().enumerate() {
            diags.extend(slug_diagnostic(list, &shown, i, d));
        }
        let mut out = FxHashMap::default();
        for (g, d) in self.groups.into_iter().zip(decided) {
            for w in g.written {
                out.insert(w, d.slug.clone());
            }
        }
        out
    }
}

/// What to say about key `i` of a list (`keys` as shown, with where they are first
/// written) when its slug is not simply its text: a fallback, or a collision.
pub(super) fn slug_diagnostic(
    list: List,
    keys: &[(&str, Option<&KeyPlace>)],
    i: usize,
    d: &crate::paths::Decided,
) -> Option<Diagnostic> {
    let (raw, place) = keys[i];
    let noun = list.noun();
    let url = crate::paths::list_url(list, &d.slug);
    let (rule, message, help) = if let Some((first, wanted)) = &d.collided {
        let (other, other_place) = keys[*first];
        let at = other_place.map_or_else(
            || crate::config::CONFIG_FILE.to_string(),
            |p| format!("{}:{}:{}", p.file, p.pos.line, p.pos.col),
        );
        (
            Rule::UrlCollision,
            format!(
                "the {noun} '{raw}' and the {noun} '{other}' ({at}) would share the page /{}; this one's page is /{url}",
                crate::paths::list_url(list, wanted)
            ),
            match list {
                List::Person => "they are two people: give one of them another id (ids that differ only in case or punctuation share a URL)".to_string(),
                _ => format!("if they are one {noun}, write them the same way; if not, rename one so their URLs differ"),
            },
        )
    } else if let Some(why) = d.fallback {
        let what = match list {
            List::Person => "their id in people.toml or their name".to_string(),
            _ => format!("the {noun}"),
        };
        (
            Rule::UrlFallback,
            format!("the {noun} '{raw}' {}; its page is /{url}", why.reason()),
            format!(
                "to choose the URL, write {what} with letters or digits; until then the page keeps this one"
            ),
        )
    } else {
        return None;
    };
    let d = Diagnostic::new(
        rule,
        place.map_or(crate::config::CONFIG_FILE, |p| p.file.as_str()),
        message,
    )
    .help(help);
    Some(match place {
        Some(p) if p.pos.line > 0 => d.at(p.pos).span(p.span),
        _ => d,
    })
}

/// Decides the slug of every status, team, tag and person page once, for the whole
/// site (see [`crate::paths::decide`]): keys written alike share a page, different keys
/// never do. People's slugs become their `key`.
pub(super) fn decide_slugs(
    docs: &[Arc<Document>],
    config: &Config,
    people: &mut People,
    first_written: &[Option<KeyPlace>],
    g: &mut Graph,
    diags: &mut Vec<Diagnostic>,
) {
    let at = |d: DocId, pos: Pos, raw: &str| KeyPlace {
        file: docs[d].source.clone(),
        pos,
        span: raw.chars().count(),
    };
    let mut status = KeyGroups::default();
    for ((_, name), ds) in &g.by_status {
        status.add(name, || {
            let d = *ds.first()?;
            let s = docs[d].status.as_ref()?;
            Some(at(d, s.pos, &s.raw))
        });
    }
    // Statuses no published document has yet still get a page address (the home page
    // links them).
    for kind in Kind::ALL {
        for s in config.statuses.of(kind) {
            status.add(&s.name, || None);
        }
    }
    let mut team = KeyGroups::default();
    for (name, ds) in &g.by_team {
        team.add(name, || {
            let d = *ds.first()?;
            Some(at(d, docs[d].team_pos, name))
        });
    }
    let mut tag = KeyGroups::default();
    for (name, ds) in &g.by_tag {
        tag.add(name, || {
            let d = *ds.first()?;
            let i = docs[d].tags.iter().position(|t| t == name)?;
            Some(at(d, *docs[d].tag_pos.get(i)?, name))
        });
    }
    g.slugs = Slugs {
        status: status.decide(List::Status, diags),
        team: team.decide(List::Team, diags),
        tag: tag.decide(List::Tag, diags),
    };

    // People are each their own key: two entries of people.toml that differ only in
    // case are two people, with two pages.
    let places: Vec<Option<KeyPlace>> = people
        .list
        .iter()
        .zip(&people.keys)
        .enumerate()
        .map(|(p, (person, (written, pos)))| {
            if person.listed {
                Some(KeyPlace {
                    file: crate::config::PEOPLE_FILE.to_string(),
                    pos: *pos,
                    span: written.chars().count(),
                })
            } else {
                first_written.get(p).cloned().flatten()
            }
        })
        .collect();
    let decided = crate::paths::decide(people.keys.iter().map(|(w, _)| w.as_str()));
    let shown: Vec<(&str, Option<&KeyPlace>)> = people
        .keys
        .iter()
        .zip(&places)
        .map(|((w, _), place)| (w.as_str(), place.as_ref()))
        .collect();
    for (i, d) in decided.iter().enumerate() {
        diags.extend(slug_diagnostic(List::Person, &shown, i, d));
    }
    for (person, d) in people.list.iter_mut().zip(decided) {
        person.key = d.slug;
    }
}
