//! Link stage, supersede chains: completes the two-sided `supersedes`/`superseded_by`
//! relation of decisions and reports the sides that disagree and the loops.

use super::*;
use crate::config::Kind;
use crate::diagnostic::{Diagnostic, Pos, Rule};
use crate::model::Document;
use std::sync::Arc;

/// The supersede relations as each document declares them, with where.
pub(super) struct Declared {
    /// Per document: its `superseded_by` values.
    pub(super) superseded_by: Vec<Vec<(DocId, Pos)>>,
    /// Per document: its `supersedes` values.
    pub(super) supersedes: Vec<Vec<(DocId, Pos)>>,
}

/// `file:line:column` of a position in a document, for messages that point at a
/// second place.
pub(super) fn place(doc: &Document, pos: Pos) -> String {
    format!("{}:{}:{}", doc.source, pos.line, pos.col)
}

/// Completes supersede chains declared on one side (silently: one side is enough),
/// reports each disagreement between the two sides where it is written, and breaks and
/// reports loops.
pub(super) fn complete_supersedes(
    docs: &[Arc<Document>],
    g: &mut Graph,
    declared: &Declared,
    diags: &mut Vec<Diagnostic>,
) {
    let written = complete_chain(docs, g, declared, diags);
    break_loops(docs, g, &written, diags);
    // `supersedes` is the completed chain read the other way, so both directions agree.
    for v in &mut g.supersedes {
        v.clear();
    }
    for (old, newer) in g.superseded_by.iter().enumerate() {
        if let Some(newer) = newer {
            g.supersedes[*newer].push(old);
        }
    }
    check_superseded_status(docs, g, diags);
}

/// A `supersede-mismatch` at `pos` in document `at`, underlining the id of `written`.
fn mismatch(
    docs: &[Arc<Document>],
    at: DocId,
    pos: Pos,
    written: DocId,
    message: String,
    help: String,
) -> Diagnostic {
    Diagnostic::new(Rule::SupersedeMismatch, &docs[at].source, message)
        .at(pos)
        .span(docs[written].id.chars().count())
        .help(help)
}

/// Completes `superseded_by` from both sides' statements, reporting where they disagree.
/// Returns where each completed edge (older → newer) is written, for loop reports.
fn complete_chain(
    docs: &[Arc<Document>],
    g: &mut Graph,
    declared: &Declared,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Option<(DocId, Pos)>> {
    let n = docs.len();
    let mismatch =
        |at, pos, written, message, help| mismatch(docs, at, pos, written, message, help);
    // Per older decision: the newer ones whose `supersedes` lists it, in site order.
    let mut claims: Vec<Vec<(DocId, Pos)>> = vec![Vec::new(); n];
    for (newer, olds) in declared.supersedes.iter().enumerate() {
        for &(old, pos) in olds {
            if !claims[old].iter().any(|&(c, _)| c == newer) {
                claims[old].push((newer, pos));
            }
        }
    }
    let mut written: Vec<Option<(DocId, Pos)>> = vec![None; n];
    for old in 0..n {
        let id = |d: DocId| docs[d].id.as_str();
        if let Some(&(newer, pos)) = declared.superseded_by[old].first() {
            g.superseded_by[old] = Some(newer);
            written[old] = Some((old, pos));
            for &(other, other_pos) in &declared.superseded_by[old][1..] {
                if other != newer {
                    diags.push(mismatch(
                        old,
                        other_pos,
                        other,
                        format!(
                            "'{}' says it is superseded by both '{}' and '{}'",
                            id(old),
                            id(newer),
                            id(other)
                        ),
                        format!("a {} is superseded by one other: keep one `superseded_by`, and chain the rest", docs[old].kind.as_str()),
                    ));
                }
            }
            // The newer side lists what it supersedes, and this one is not among them.
            let listed = &declared.supersedes[newer];
            if let Some(&(_, listed_pos)) = listed.first()
                && !listed.iter().any(|&(o, _)| o == old)
            {
                let ids: Vec<&str> = listed.iter().map(|&(o, _)| id(o)).collect();
                diags.push(mismatch(
                    old,
                    pos,
                    newer,
                    disagreement(id(old), id(newer), id(newer), &ids.join("', '")),
                    format!(
                        "make the two sides agree: add '{}' to `supersedes` at {}, or fix `superseded_by` here",
                        id(old),
                        place(&docs[newer], listed_pos)
                    ),
                ));
            }
            for &(claimer, claim_pos) in &claims[old] {
                if claimer != newer {
                    diags.push(mismatch(
                        old,
                        pos,
                        newer,
                        disagreement(id(old), id(newer), id(claimer), id(old)),
                        format!(
                            "make the two sides agree: fix `superseded_by` here, or `supersedes` at {}",
                            place(&docs[claimer], claim_pos)
                        ),
                    ));
                }
            }
        } else if let Some(&(newer, pos)) = claims[old].first() {
            g.superseded_by[old] = Some(newer);
            written[old] = Some((newer, pos));
            for &(other, other_pos) in &claims[old][1..] {
                diags.push(mismatch(
                    other,
                    other_pos,
                    old,
                    format!(
                        "'{}' says it supersedes '{}', but so does '{}'",
                        id(other),
                        id(old),
                        id(newer)
                    ),
                    format!(
                        "a {} is superseded by one other: drop '{}' here or at {}, or chain them",
                        docs[old].kind.as_str(),
                        id(old),
                        place(&docs[newer], pos)
                    ),
                ));
            }
        }
    }
    written
}

/// Walks each chain once (a state per node keeps this linear); the edge that closes a
/// loop is reported where it is written, and dropped.
fn break_loops(
    docs: &[Arc<Document>],
    g: &mut Graph,
    written: &[Option<(DocId, Pos)>],
    diags: &mut Vec<Diagnostic>,
) {
    let n = docs.len();
    let mut state = vec![0u8; n]; // 0 new, 1 on the current walk, 2 done
    for start in 0..n {
        let mut path = Vec::new();
        let mut cur = Some(start);
        while let Some(c) = cur {
            match state[c] {
                2 => break,
                1 => {
                    let at = path.iter().position(|&p| p == c).unwrap_or(0);
                    let mut cycle: Vec<&str> = path[at..]
                        .iter()
                        .map(|&p: &usize| docs[p].id.as_str())
                        .collect();
                    cycle.push(docs[c].id.as_str());
                    let last = *path.last().unwrap_or(&c);
                    let (file, pos) = written[last].unwrap_or((last, Pos::default()));
                    // `superseded_by: c` in `last`, or `supersedes: last` in `c`.
                    let shown = if file == last { c } else { last };
                    diags.push(
                        Diagnostic::new(
                            Rule::SupersedeCycle,
                            &docs[file].source,
                            format!(
                                "the supersede chain loops: {} (each superseded by the next)",
                                cycle.join(" → ")
                            ),
                        )
                        .at(pos)
                        .span(docs[shown].id.chars().count())
                        .help(format!("a {} cannot be superseded by itself or by one it supersedes: remove this link", docs[file].kind.as_str())),
                    );
                    g.superseded_by[last] = None;
                    break;
                }
                _ => {
                    state[c] = 1;
                    path.push(c);
                    cur = g.superseded_by[c];
                }
            }
        }
        for p in path {
            state[p] = 2;
        }
    }
}

/// A decision something supersedes must say so in its status.
fn check_superseded_status(docs: &[Arc<Document>], g: &Graph, diags: &mut Vec<Diagnostic>) {
    for (d, newer) in g.superseded_by.iter().enumerate() {
        let doc = &docs[d];
        if newer.is_some()
            && doc.kind == Kind::Decision
            && !doc
                .status
                .as_ref()
                .is_some_and(|s| s.name.to_lowercase().contains("supersed"))
        {
            let (pos, span) = doc.status_place();
            diags.push(
                Diagnostic::new(
                    Rule::SupersededStatus,
                    &doc.source,
                    format!(
                        "'{}' is superseded but its status is '{}'",
                        doc.id,
                        doc.status.as_ref().map_or("(none)", |s| s.raw.as_str())
                    ),
                )
                .at(pos)
                .span(span)
                .help("set `status: superseded`"),
            );
        }
    }
}

/// The message of a supersede chain whose two sides name different documents.
pub(super) fn disagreement(old: &str, newer: &str, claimer: &str, claimed: &str) -> String {
    format!(
        "'{old}' says it is superseded by '{newer}', but '{claimer}' says it supersedes '{claimed}'"
    )
}
