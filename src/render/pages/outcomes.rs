//! The outcomes page: features with metric goals and their verdicts, paginated, with
//! the site's goal scoreboard.

use super::{Page, Template};
use crate::paths;
use crate::render::view::{self, DocView};

pub(in crate::render) fn fill(page: &mut Page, number: usize) -> Template {
    let site = page.site;
    let lists = page.session.lists();
    let shown: Vec<DocView> = page
        .paginate(paths::OUTCOMES, &lists.outcomes, number)
        .iter()
        .map(|&d| view::doc_summary_view(site, d))
        .collect();
    page.insert("title", "Outcomes");
    page.insert("features", &shown);
    page.insert("scoreboard", &lists.goals);
    "outcomes.html"
}
