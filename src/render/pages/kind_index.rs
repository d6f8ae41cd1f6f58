//! The index of one kind (`/features/`, `/decisions/`, `/roadmaps/`), paginated; the
//! decision log shows what replaced each decision.

use super::{Page, Template};
use crate::config::Kind;
use crate::diagnostic::Diagnostic;
use crate::link::DocId;
use crate::paths;
use crate::render::view::{Card, card};

pub(in crate::render) fn fill(
    page: &mut Page,
    kind: Kind,
    number: usize,
) -> Result<Template, Diagnostic> {
    let site = page.site;
    let all: &[DocId] = if kind == Kind::Decision {
        &page.session.lists().decisions
    } else {
        site.graph.by_kind.get(&kind).map_or(&[], Vec::as_slice)
    };
    let shown = page.paginate(&paths::kind_index(kind), all, number);
    page.insert("title", kind.plural());
    page.insert("kind", kind.as_str());
    if kind == Kind::Decision {
        let chains: Vec<Option<Card>> = shown
            .iter()
            .map(|&d| site.graph.superseded_by[d].map(|s| card(site, s)))
            .collect();
        let cards: Vec<Card> = shown.iter().map(|&d| card(site, d)).collect();
        page.insert("docs", &cards);
        page.insert("superseded_by", &chains);
        Ok("decisions.html")
    } else {
        let rows = page.card_rows(shown)?;
        page.insert("rows", &rows);
        Ok("list.html")
    }
}
