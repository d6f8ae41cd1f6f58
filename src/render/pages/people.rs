//! The people index: everyone who owns something, by name, with their outcome record.

use super::{Page, Template};
use crate::render::lists::{Scoreboard, record};
use crate::render::view::{PersonRef, person_ref};
use serde::Serialize;

#[derive(Serialize)]
struct Row<'a> {
    person: PersonRef<'a>,
    role: Option<String>,
    team: Option<String>,
    owns: usize,
    record: Scoreboard,
}

pub(in crate::render) fn fill(page: &mut Page) -> Template {
    let site = page.site;
    // By name, so a reader finds someone as in a directory.
    let rows: Vec<Row> = site
        .people
        .by_name()
        .into_iter()
        .map(|p| (p, &site.people.list[p]))
        .map(|(p, person)| Row {
            person: person_ref(site, p),
            role: person.role.clone(),
            team: person.team.clone(),
            owns: site.graph.owned[p].len(),
            record: record(site, &site.graph.owned[p]),
        })
        .collect();
    page.insert("title", "People");
    page.insert("people", &rows);
    "people.html"
}
