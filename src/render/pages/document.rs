//! A document's own page: a feature, decision, roadmap or plain page.

use super::{Page, Template};
use crate::config::Kind;
use crate::diagnostic::Diagnostic;
use crate::link::DocId;
use crate::render::view::doc_view;

pub(in crate::render) fn fill(page: &mut Page, d: DocId) -> Result<Template, Diagnostic> {
    let site = page.site;
    let doc = &site.docs[d];
    page.insert("title", &doc.title);
    let view = doc_view(site, d, &page.root, |ids| page.card_items(ids))?;
    page.insert("page", &view);
    Ok(match doc.kind {
        Kind::Feature => "feature.html",
        Kind::Decision => "decision.html",
        Kind::Roadmap => "roadmap.html",
        Kind::Page => "page.html",
    })
}
