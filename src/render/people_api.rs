//! Render stage, `/api/people.json`: every owner with what they own and their outcome
//! record, for dashboards and bots. The shape is public (documented in the README):
//! fields are added at the end, never renamed.

use super::Scoreboard;
use crate::link::Site;
use crate::model::people::Person;
use serde::{Deserialize, Serialize};

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeopleFile {
    pub generator: String,
    pub base_url: String,
    pub count: usize,
    pub people: Vec<PersonRecord>,
}

/// One owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRecord {
    /// `key` (the URL segment of their page), `name`, `email`, `handle`, `role`,
    /// `team`, and `listed` (false for a name written in a spec but missing from
    /// people.toml).
    #[serde(flatten)]
    pub person: Person,
    /// Path of their page from the site root, with a leading `/`.
    pub url: String,
    /// What they own, in the site's order.
    pub owns: Vec<OwnedDoc>,
    /// Their features by outcome (the same record as their page).
    pub record: Scoreboard,
    /// Every metric goal of their features by verdict.
    pub goals: Scoreboard,
}

/// A document someone owns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnedDoc {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub status: Option<String>,
    pub outcome: Option<String>,
    pub url: String,
}

/// The file's data.
pub fn people(site: &Site) -> PeopleFile {
    let people: Vec<PersonRecord> = site
        .people
        .list
        .iter()
        .enumerate()
        .map(|(p, person)| {
            let owned = &site.graph.owned[p];
            let mut goals = Scoreboard::default();
            for &d in owned {
                for v in site.docs[d].metrics.iter().filter_map(|m| m.verdict) {
                    goals.add(v);
                }
            }
            PersonRecord {
                person: person.clone(),
                url: format!(
                    "/{}",
                    crate::paths::list_url(crate::paths::List::Person, &person.key)
                ),
                owns: owned
                    .iter()
                    .map(|&d| {
                        let doc = &site.docs[d];
                        OwnedDoc {
                            id: doc.id.clone(),
                            kind: doc.kind.as_str().into(),
                            title: doc.title.clone(),
                            status: doc.status.as_ref().map(|s| s.name.clone()),
                            outcome: doc.outcome.map(|o| o.as_str().into()),
                            url: format!("/{}", doc.url),
                        }
                    })
                    .collect(),
                record: super::record(site, owned),
                goals,
            }
        })
        .collect();
    PeopleFile {
        generator: concat!("specsite ", env!("CARGO_PKG_VERSION")).into(),
        base_url: site.config.base_url.clone(),
        count: people.len(),
        people,
    }
}

/// `/api/people.json`, pretty-printed.
pub fn people_json(site: &Site) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_people_json(site, &mut out);
    out
}

/// Writes `/api/people.json` to `w`.
pub fn write_people_json(site: &Site, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    super::api::write_json(w, &people(site))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_site;

    const PEOPLE: &str =
        "[maya]\nname = \"Maya Chen\"\nemail = \"maya@example.com\"\nteam = \"Payments\"\n";

    fn feature(id: &str, owner: &str, status: &str, metrics: &str) -> String {
        format!(
            "---\nid: {id}\ntitle: Feature {id}\nstatus: {status}\nowner: {owner}\nshipped: 2026-01-10\n{metrics}---\nBody.\n"
        )
    }

    #[test]
    fn people_json_round_trips_and_counts_outcomes() {
        let met = "metrics:\n  - name: Conversion\n    baseline: 1%\n    target: \">= 2%\"\n    actual: 3%\n    measured: 2026-02-01\n  - name: Latency\n    target: \"<= 100ms\"\n    actual: 150ms\n    measured: 2026-02-01\n";
        let pending = "metrics:\n  - name: Signups\n    target: \">= 10\"\n";
        let (_dir, site) = test_site(&[
            ("people.toml", PEOPLE),
            ("features/a.md", &feature("A-1", "maya", "shipped", met)),
            ("features/b.md", &feature("B-2", "maya", "shipped", pending)),
            ("features/c.md", &feature("C-3", "Sam Free", "draft", "")),
        ]);
        let bytes = people_json(&site);
        let parsed: PeopleFile = serde_json::from_slice(&bytes).expect("valid people.json");
        assert_eq!(parsed, people(&site), "typed round trip");
        assert_eq!(parsed.count, 2);
        let maya = parsed
            .people
            .iter()
            .find(|p| p.person.key == "maya")
            .unwrap();
        assert!(maya.person.listed);
        assert_eq!(maya.person.email.as_deref(), Some("maya@example.com"));
        assert_eq!(maya.url, "/people/maya/");
        let ids: Vec<&str> = maya.owns.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["A-1", "B-2"]);
        assert_eq!(maya.owns[0].url, "/features/a-1/");
        // A-1 has one goal met and one missed (so the feature missed); B-2 is pending.
        assert_eq!(
            maya.goals,
            Scoreboard {
                met: 1,
                missed: 1,
                pending: 1,
                overdue: 0
            }
        );
        assert_eq!(maya.record.missed + maya.record.pending, 2);
        let sam = parsed
            .people
            .iter()
            .find(|p| p.person.name == "Sam Free")
            .unwrap();
        assert!(!sam.person.listed);
        assert_eq!(sam.owns[0].status.as_deref(), Some("draft"));
        assert_eq!(sam.record, Scoreboard::default());
    }
}
