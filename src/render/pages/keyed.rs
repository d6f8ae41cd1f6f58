//! The pages of one status, team or tag: every document with that key, paginated; a
//! team's page also shows its cycle times.

use super::{Page, Template};
use crate::diagnostic::Diagnostic;
use crate::paths::{self, List};
use crate::render::timeline;

pub(in crate::render) fn fill(
    page: &mut Page,
    list: List,
    key: &str,
    number: usize,
) -> Result<Template, Diagnostic> {
    let site = page.site;
    let lists = page.session.lists();
    let (label, index) = match list {
        List::Status => ("Status", &lists.status),
        List::Team => ("Team", &lists.teams),
        List::Tag | List::Person => ("Tag", &lists.tags),
    };
    let (name, docs) = index
        .get(key)
        .map_or(("", &[][..]), |(n, d)| (n.as_str(), d.as_slice()));
    if list == List::Team {
        page.insert("cycle", &timeline::cycle_view(site, docs));
    }
    page.insert("title", &format!("{label}: {name}"));
    page.insert("heading", &name);
    page.insert("label", label);
    let shown = page.paginate(&paths::list_url(list, key), docs, number);
    let rows = page.card_rows(shown)?;
    page.insert("rows", &rows);
    Ok("list.html")
}
