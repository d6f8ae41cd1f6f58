//! The backlog: open features, highest RICE score first, paginated.

use super::{Page, Template};
use crate::paths;
use crate::render::view::{Card, card};

pub(in crate::render) fn fill(page: &mut Page, number: usize) -> Template {
    let site = page.site;
    let lists = page.session.lists();
    let cards: Vec<Card> = page
        .paginate(paths::BACKLOG, &lists.backlog, number)
        .iter()
        .map(|&d| card(site, d))
        .collect();
    page.insert("title", "Backlog");
    page.insert("docs", &cards);
    "backlog.html"
}
