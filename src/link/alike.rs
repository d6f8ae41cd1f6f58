//! Link stage, serve's comparison: whether an edited document links exactly as its
//! last version did, so `serve` can keep the graph instead of linking again.

use crate::diagnostic::Pos;
use crate::model::Document;

/// Whether two versions of a document give the same link stage output (graph and
/// diagnostics): they differ only in fields [`link`] never reads (title, body HTML,
/// dates, metric goals and other page content). With `placed` false, positions are
/// ignored too: the graph never holds one, so the same links written on other lines
/// give the same graph (only diagnostics would move). `serve` then keeps the graph and
/// swaps the document in.
pub fn links_alike(a: &Document, b: &Document, placed: bool) -> bool {
    link_shape(a, placed) == link_shape(b, placed)
}

/// A copy of what the link stage reads of a document, everything else emptied. The
/// destructuring is exhaustive on purpose: a new `Document` field does not compile until
/// it is sorted into "read by link" or not.
pub(super) fn link_shape(doc: &Document, placed: bool) -> Document {
    use crate::model::{Relation, RoadmapItem, Status, Written};
    let at = |p: Pos| if placed { p } else { Pos::default() };
    let Document {
        source,
        kind,
        id,
        id_pos,
        url,
        title: _,
        status,
        owners,
        team,
        team_pos,
        tags,
        tag_pos,
        dates: _,
        rice: _,
        relations,
        metrics: _,
        outcome: _,
        horizons,
        extra: _,
        body,
    } = doc;
    Document {
        source: source.clone(),
        kind: *kind,
        id: id.clone(),
        // Whether the id was written (or comes from the file name) matters.
        id_pos: id_pos.map(at),
        url: url.clone(),
        title: String::new(),
        status: status.as_ref().map(|s| Status {
            pos: at(s.pos),
            ..s.clone()
        }),
        owners: owners
            .iter()
            .map(|w| Written {
                text: w.text.clone(),
                pos: at(w.pos),
            })
            .collect(),
        team: team.clone(),
        team_pos: at(*team_pos),
        tags: tags.clone(),
        tag_pos: tag_pos.iter().map(|&p| at(p)).collect(),
        dates: Default::default(),
        rice: None,
        relations: relations
            .iter()
            .map(|r| Relation {
                pos: at(r.pos),
                ..r.clone()
            })
            .collect(),
        metrics: Vec::new(),
        outcome: None,
        horizons: horizons
            .iter()
            .map(|h| crate::model::Horizon {
                items: h
                    .items
                    .iter()
                    .map(|i| RoadmapItem {
                        text: i.text.clone(),
                        link: i.link,
                        pos: at(i.pos),
                    })
                    .collect(),
                ..h.clone()
            })
            .collect(),
        extra: Vec::new(),
        body: body_shape(body, placed),
    }
}

/// What the link stage reads of a body: its anchors and links.
fn body_shape(body: &crate::parse::markdown::Body, placed: bool) -> crate::parse::markdown::Body {
    use crate::parse::markdown::{Body, BodyLink, Heading};
    let at = |p: Pos| if placed { p } else { Pos::default() };
    let Body {
        html: _,
        h1: _,
        headings,
        links,
        sections: _,
        summary: _,
        meta: _,
        html_anchors,
        title_anchor,
    } = body;
    Body {
        html: Default::default(),
        h1: None,
        title_anchor: title_anchor.clone(),
        // Only anchors are linked to.
        headings: headings
            .iter()
            .map(|h| Heading {
                level: 0,
                text: String::new(),
                anchor: h.anchor.clone(),
                pos: Pos::default(),
            })
            .collect(),
        links: links
            .iter()
            .map(|l| BodyLink {
                pos: at(l.pos),
                len: if placed { l.len } else { 0 },
                ..l.clone()
            })
            .collect(),
        sections: Vec::new(),
        summary: String::new(),
        meta: Default::default(),
        html_anchors: html_anchors.clone(),
    }
}
