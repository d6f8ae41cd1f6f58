//! Link stage, roadmaps: resolves each roadmap item to the document it names and warns
//! when an item's horizon disagrees with its feature's phase (drift).

use super::*;
use crate::config::Kind;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Document, Drift, RelationKind};
use std::sync::Arc;

pub(super) fn link_roadmaps(
    docs: &[Arc<Document>],
    g: &mut Graph,
    edges: &mut Vec<Edge>,
    diags: &mut Vec<Diagnostic>,
) {
    g.roadmap_items = vec![Vec::new(); docs.len()];
    for (r, doc) in docs.iter().enumerate() {
        if doc.kind != Kind::Roadmap {
            continue;
        }
        let mut horizons = Vec::with_capacity(doc.horizons.len());
        for h in &doc.horizons {
            let mut items = Vec::with_capacity(h.items.len());
            for item in &h.items {
                let target = item.link.and_then(|l| match g.hrefs[r].get(l) {
                    Some(Href::Doc { doc, .. }) => Some(*doc),
                    _ => None,
                });
                if let Some(f) = target {
                    if !g.roadmaps_of[f].contains(&r) {
                        g.roadmaps_of[f].push(r);
                    }
                    edges.push(Edge {
                        from: r,
                        to: f,
                        kind: EdgeKind::Relation(RelationKind::RoadmapItem),
                    });
                    let feature = &docs[f];
                    let phase = feature.status.as_ref().and_then(|s| s.phase);
                    let drift = Drift::of(h.when, phase).map(|d| match d {
                        Drift::StillDraft => "is still a draft",
                        Drift::AlreadyShipped => "has already shipped",
                    });
                    // The caret goes under the item's link to the feature.
                    let item_place = item
                        .link
                        .and_then(|l| doc.body.links.get(l))
                        .map_or((item.pos, 1), |l| (l.pos, l.len));
                    if let Some(what) = drift {
                        diags.push(
                            Diagnostic::new(
                                Rule::RoadmapDrift,
                                &doc.source,
                                format!(
                                    "'{}' is under '{}' but {what} ({})",
                                    feature.id,
                                    h.title,
                                    feature.status.as_ref().map_or("", |s| s.name.as_str())
                                ),
                            )
                            .at(item_place.0)
                            .span(item_place.1)
                            .help("move the item to the horizon that matches its status, or update the feature's status"),
                        );
                    }
                }
                items.push(target);
            }
            horizons.push(items);
        }
        g.roadmap_items[r] = horizons;
    }
}
