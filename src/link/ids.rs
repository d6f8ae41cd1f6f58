//! Link stage, ids: indexes every document by id and path, separates ids that file names
//! made collide, reports duplicates, and resolves an id or path written in a relation.

use super::*;
use crate::config::Kind;
use crate::diagnostic::{Diagnostic, Pos, Rule};
use crate::model::Document;
use crate::paths::relative_path;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// The document at a SOURCE-relative path; a folder means its README or index page.
/// The document a relation written as a path names. A path from the repository's root
/// (`/specs/area/583-name`) may include folders above SOURCE: its leading folders are
/// dropped until what is left names a document.
pub(super) fn find_relation_path(g: &Graph, joined: &str, written: &str) -> Option<DocId> {
    find_path(g, joined).or_else(|| {
        if !written.starts_with('/') {
            return None;
        }
        let mut rest = joined;
        while let Some((_, shorter)) = rest.split_once('/') {
            rest = shorter;
            if let Some(d) = find_path(g, rest) {
                return Some(d);
            }
        }
        None
    })
}

pub(super) fn find_path(g: &Graph, joined: &str) -> Option<DocId> {
    g.by_path.get(joined).copied().or_else(|| {
        ["README.md", "readme.md", "index.md"].iter().find_map(|f| {
            g.by_path
                .get(format!("{joined}/{f}").trim_start_matches('/'))
                .copied()
        })
    })
}

/// Ids made from file names can collide (two `2071-*.md` files, or one slug in two
/// packages). The later document keeps its whole file name as id (or its path when
/// that collides too), so both are published; the collision is reported.
pub(super) fn separate_file_ids(docs: &mut [Arc<Document>], diags: &mut Vec<Diagnostic>) {
    let mut taken: FxHashMap<(Kind, String), usize> = FxHashMap::default();
    for (i, doc) in docs.iter().enumerate() {
        if doc.id_pos.is_some() {
            taken.entry((doc.kind, doc.id.to_lowercase())).or_insert(i);
        }
    }
    for i in 0..docs.len() {
        let key = (docs[i].kind, docs[i].id.to_lowercase());
        match taken.get(&key) {
            None => {
                taken.insert(key, i);
            }
            Some(&first) if first != i && docs[i].id_pos.is_none() => {
                let other = docs[first].source.clone();
                let doc = Arc::make_mut(&mut docs[i]);
                let without_ext = doc
                    .source
                    .rsplit_once('.')
                    .map_or(doc.source.as_str(), |(p, _)| p);
                // A folder's README or index is named by its folder (`1234-name/README.md`).
                let stem = crate::model::sources::FileName::of(&doc.source).stem;
                let new_id = if taken.contains_key(&(doc.kind, stem.to_lowercase())) {
                    without_ext.to_string()
                } else {
                    stem.to_string()
                };
                diags.push(
                    Diagnostic::new(
                        Rule::DuplicateNumber,
                        &doc.source,
                        format!(
                            "the file name gives the {} id '{}', which {other} has too; this one is published as '{new_id}'",
                            doc.kind.as_str(),
                            doc.id
                        ),
                    )
                    .at(Pos::new(1, 1))
                    .help("renumber one of the files, or give one an `id:` in its metadata"),
                );
                doc.id = new_id;
                doc.url = crate::paths::doc_url(doc.kind, &doc.id, &doc.source).0;
                taken.insert((doc.kind, doc.id.to_lowercase()), i);
            }
            Some(_) => {}
        }
    }
}

pub(super) fn index_ids(docs: &[Arc<Document>], g: &mut Graph, diags: &mut Vec<Diagnostic>) {
    let mut urls: FxHashMap<&str, DocId> = FxHashMap::default();
    for (i, doc) in docs.iter().enumerate() {
        g.by_path.insert(doc.source.clone(), i);
        if let Some(&first) = urls.get(doc.url.as_str()) {
            diags.extend(duplicate_id(&docs[first], doc));
            continue;
        }
        urls.insert(&doc.url, i);
        let key = doc.id.to_lowercase();
        g.by_kind_id.entry((doc.kind, key.clone())).or_insert(i);
        g.by_id.entry(key).or_default().push(i);
    }
    g.published = vec![false; docs.len()];
    for &d in g.by_kind_id.values() {
        g.published[d] = true;
    }
}

/// Two diagnostics for two documents that would be published at one URL: one at the
/// `id:` of each, so both files show the problem. `first` keeps the URL.
pub(super) fn duplicate_id(first: &Document, later: &Document) -> [Diagnostic; 2] {
    let same_id = first.id.eq_ignore_ascii_case(&later.id) && first.kind == later.kind;
    let about = |doc: &Document, other: &Document| {
        if same_id {
            format!(
                "the {} id '{}' is also used by {}",
                doc.kind.as_str(),
                doc.id,
                written_at(other)
            )
        } else {
            format!(
                "'{}' and '{}' ({}) would both be published at /{}",
                doc.id,
                other.id,
                written_at(other),
                doc.url
            )
        }
    };
    let at_id = |doc: &Document, message: String, help: &str| {
        let d = Diagnostic::new(Rule::DuplicateId, &doc.source, message).help(help);
        match doc.id_pos {
            Some(pos) => d.at(pos).span(doc.id.chars().count()),
            None => d,
        }
    };
    [
        at_id(
            first,
            about(first, later),
            "give one of them another `id:` (ids are unique per kind); this one is published",
        ),
        at_id(
            later,
            about(later, first),
            "give one of them another `id:` (ids are unique per kind); this one is left out of the site",
        ),
    ]
}

/// `file:line:column` of a document's id (`file` alone when the id is its file name),
/// for messages that point at a second place.
pub(super) fn written_at(doc: &Document) -> String {
    match doc.id_pos {
        Some(p) => format!("{}:{}:{}", doc.source, p.line, p.col),
        None => doc.source.clone(),
    }
}

pub(super) fn resolve_id(
    g: &Graph,
    docs: &[Arc<Document>],
    id: &str,
    kind: Option<Kind>,
) -> Option<DocId> {
    let key = id.trim().to_lowercase();
    let many = g.by_id.get(&key)?;
    // `by_id` lists documents in the order `by_kind_id` took them, so the first of the
    // kind is the one `by_kind_id` holds (found without building its tuple key).
    if let Some(kind) = kind
        && let Some(&d) = many.iter().find(|&&d| docs[d].kind == kind)
    {
        return Some(d);
    }
    match many.as_slice() {
        [only] => Some(*only),
        // Several kinds share the id: prefer the expected kind, else specs over pages.
        many => many
            .iter()
            .copied()
            .min_by_key(|&d| (Some(docs[d].kind) != kind, docs[d].kind)),
    }
}

pub(super) fn unknown_id(
    memo: &mut Memo<'_>,
    docs: &[Arc<Document>],
    doc: &Document,
    target: &str,
    kind: Option<Kind>,
    pos: Pos,
) -> Diagnostic {
    let candidates = || {
        docs.iter()
            .filter(move |d| kind.is_none_or(|k| d.kind == k))
            .map(|d| d.id.as_str())
    };
    let help = match memo.suggest.suggest(Pool::Ids(kind), target, candidates) {
        Some(c) => format!("did you mean '{c}'?"),
        None => match kind {
            Some(k) => format!("write the id of an existing {}", k.as_str()),
            None => "write the id of an existing document".into(),
        },
    };
    let expected = kind.map_or("document", Kind::as_str);
    Diagnostic::new(
        Rule::BrokenLink,
        &doc.source,
        format!("no {expected} with id '{target}'"),
    )
    .at(pos)
    .span(target.chars().count())
    .help(help)
}

/// An id that documents of several kinds share, written where only one can be meant.
pub(super) fn ambiguous(
    docs: &[Arc<Document>],
    doc: &Document,
    written: &str,
    many: &[DocId],
    pos: Pos,
    span: usize,
    help: &str,
) -> Diagnostic {
    let found: Vec<String> = many
        .iter()
        .map(|&d| format!("a {} ({})", docs[d].kind.as_str(), docs[d].source))
        .collect();
    // A body link suggests markdown links; a front matter field, paths.
    let in_body = written.starts_with("[[");
    let links: Vec<String> = many
        .iter()
        .map(|&d| {
            let path = relative_path(&doc.source, &docs[d].source);
            if in_body {
                format!("[{}]({path})", docs[d].id)
            } else {
                path
            }
        })
        .collect();
    Diagnostic::new(
        Rule::AmbiguousLink,
        &doc.source,
        format!("{written} matches {}", found.join(" and ")),
    )
    .at(pos)
    .span(span)
    .help(format!("{help}: {}", links.join(" or ")))
}
