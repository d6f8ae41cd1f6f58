//! A person's page: what they own, grouped by kind and paginated, their outcome record
//! and cycle times.

use super::{Page, Template};
use crate::diagnostic::Diagnostic;
use crate::paths::{self, List};
use crate::render::lists::record;
use crate::render::timeline;
use serde::Serialize;

/// The documents of one kind, as card rows.
#[derive(Serialize)]
struct RowGroup {
    label: &'static str,
    rows: Vec<String>,
}

pub(in crate::render) fn fill(
    page: &mut Page,
    p: usize,
    number: usize,
) -> Result<Template, Diagnostic> {
    let site = page.site;
    let person = &site.people.list[p];
    let owned = &site.graph.owned[p];
    let sorted = &page.session.lists().owned[p];
    let shown = page.paginate(&paths::list_url(List::Person, &person.key), sorted, number);
    let mut groups: Vec<RowGroup> = Vec::new();
    for (d, row) in shown.iter().zip(page.card_rows(shown)?) {
        let label = site.docs[*d].kind.plural();
        match groups.last_mut() {
            Some(g) if g.label == label => g.rows.push(row),
            _ => groups.push(RowGroup {
                label,
                rows: vec![row],
            }),
        }
    }
    page.insert("title", &person.name);
    page.insert("person", person);
    page.insert("groups", &groups);
    page.insert("record", &record(site, owned));
    page.insert("cycle", &timeline::cycle_view(site, owned));
    Ok("person.html")
}
