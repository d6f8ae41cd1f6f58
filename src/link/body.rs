//! Link stage, body links: resolves each markdown and wiki link of a body to a document,
//! an anchor or a copied file, and reports broken ones with a bounded "did you mean".

use super::*;
use crate::config::{Config, Kind};
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Document;
use crate::model::suggest::Suggester;
use crate::parse::markdown::LinkTarget;
use crate::paths::{asset_url, join_path};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The candidate lists "did you mean" suggestions are drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Pool {
    /// The ids of documents of a kind (of every kind with `None`).
    Ids(Option<Kind>),
    /// The file names of documents.
    Files,
    /// The heading anchors of a document.
    Anchors(DocId),
}

/// What checking links works out once and reuses: suggestions (see [`Suggester`]) and
/// the anchor set of each document linked with a fragment, so that a file of thousands
/// of fragment links into a document of thousands of headings costs a lookup per link.
#[derive(Default)]
pub(super) struct Memo<'d> {
    pub(super) suggest: Suggester<Pool>,
    pub(super) anchors: FxHashMap<DocId, FxHashSet<&'d str>>,
}

impl<'d> Memo<'d> {
    pub(super) fn has_anchor(
        &mut self,
        docs: &'d [Arc<Document>],
        doc: DocId,
        anchor: &str,
    ) -> bool {
        self.anchors
            .entry(doc)
            .or_insert_with(|| {
                // A link to the title's anchor is fine (GitHub makes one).
                docs[doc].body.anchors().collect()
            })
            .contains(anchor)
    }
}

/// What resolving a body link needs to know besides the link.
pub(super) struct LinkContext<'a, 'd> {
    pub(super) g: &'a Graph,
    pub(super) docs: &'d [Arc<Document>],
    /// The document the link is in.
    pub(super) from: DocId,
    pub(super) assets: &'a BTreeSet<String>,
    pub(super) config: &'a Config,
    pub(super) source_root: &'a std::path::Path,
}

/// How a body link was written, for messages (formatted only when one is needed).
pub(super) enum Shown<'a> {
    Wiki(&'a str),
    Path(&'a str),
    ThisPage,
}

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Shown::Wiki(id) => write!(f, "[[{id}]]"),
            Shown::Path(path) => write!(f, "'{path}'"),
            Shown::ThisPage => f.write_str("this page"),
        }
    }
}

pub(super) fn resolve_body_link<'d>(
    cx: &LinkContext<'_, 'd>,
    memo: &mut Memo<'d>,
    link: &crate::parse::markdown::BodyLink,
    diags: &mut Vec<Diagnostic>,
) -> Href {
    let resolved = match &link.target {
        LinkTarget::Wiki { id, fragment } => {
            resolve_wiki_link(cx, memo, link, id, diags).map(|d| (d, fragment, Shown::Wiki(id)))
        }
        LinkTarget::Path { path, fragment } if path.is_empty() => {
            Ok((cx.from, fragment, Shown::ThisPage))
        }
        LinkTarget::Path { path, fragment } => {
            resolve_path_link(cx, memo, link, path, diags).map(|d| (d, fragment, Shown::Path(path)))
        }
    };
    let (target, fragment, written) = match resolved {
        Ok(found) => found,
        Err(href) => return href,
    };
    if let Some(f) = fragment {
        check_anchor(cx, memo, link, target, f, &written, diags);
    }
    Href::Doc {
        doc: target,
        fragment: fragment.clone(),
    }
}

/// A problem with `link` in the document the links are in.
fn link_diagnostic(
    cx: &LinkContext<'_, '_>,
    link: &crate::parse::markdown::BodyLink,
    rule: Rule,
    msg: String,
    help: String,
) -> Diagnostic {
    Diagnostic::new(rule, &cx.docs[cx.from].source, msg)
        .at(link.pos)
        .span(link.len)
        .help(help)
}

/// The document a wiki link `[[id]]` names; `Err` with what the link becomes when it
/// names none.
fn resolve_wiki_link<'d>(
    cx: &LinkContext<'_, 'd>,
    memo: &mut Memo<'d>,
    link: &crate::parse::markdown::BodyLink,
    id: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<DocId, Href> {
    let (g, docs) = (cx.g, cx.docs);
    let doc = &docs[cx.from];
    let diag = |rule, msg, help| link_diagnostic(cx, link, rule, msg, help);
    let key = id.to_lowercase();
    match g.by_id.get(&key).map(Vec::as_slice) {
        Some([only]) => Ok(*only),
        Some(many) => {
            diags.push(ambiguous(
                docs,
                doc,
                &format!("[[{id}]]"),
                many,
                link.pos,
                link.len,
                "link the file instead",
            ));
            Ok(many[0])
        }
        None => {
            let help = match memo
                .suggest
                .suggest(Pool::Ids(None), id, || docs.iter().map(|d| d.id.as_str()))
            {
                Some(c) => format!("did you mean [[{c}]]?"),
                None => "write the id of an existing document".into(),
            };
            diags.push(diag(
                Rule::BrokenLink,
                format!("no document with id '{id}'"),
                help,
            ));
            Err(Href::Broken(String::new()))
        }
    }
}

/// The document a markdown link's path names; `Err` with what the link becomes when it
/// is a copied file or names nothing published.
fn resolve_path_link<'d>(
    cx: &LinkContext<'_, 'd>,
    memo: &mut Memo<'d>,
    link: &crate::parse::markdown::BodyLink,
    path: &String,
    diags: &mut Vec<Diagnostic>,
) -> Result<DocId, Href> {
    let (g, docs) = (cx.g, cx.docs);
    let doc = &docs[cx.from];
    let diag = |rule, msg, help| link_diagnostic(cx, link, rule, msg, help);
    let Some(joined) = join_path(&doc.source, path) else {
        diags.push(diag(
            Rule::BrokenLink,
            format!("'{path}' points outside the repository"),
            "link a file inside the repository".into(),
        ));
        return Err(Href::Broken(path.clone()));
    };
    match find_path(g, &joined) {
        Some(d) if !is_published(g, d, &docs[d]) => {
            diags.push(diag(
                Rule::UnpublishedLink,
                format!(
                    "'{path}' is left out of the site: its {} id '{}' is a duplicate",
                    docs[d].kind.as_str(),
                    docs[d].id
                ),
                "give that file its own `id:`, or link the document that uses the id".into(),
            ));
            Err(Href::Broken(path.clone()))
        }
        Some(d) => Ok(d),
        None if cx.assets.contains(&joined) => Err(Href::Asset(asset_url(&joined))),
        None if cx.source_root.join(&joined).is_file() => {
            let why = if cx.config.is_ignored(&joined) {
                "it matches `ignore` in specsite.toml"
            } else {
                "specsite does not publish hidden files or the templates/, themes/ and static/ folders"
            };
            diags.push(diag(
                Rule::UnpublishedLink,
                format!("'{path}' exists but is not published: {why}"),
                "link a published document, or stop ignoring the file".into(),
            ));
            Err(Href::Broken(path.clone()))
        }
        None => {
            let file_name = joined.rsplit('/').next().unwrap_or(&joined);
            let help = match memo.suggest.suggest(Pool::Files, file_name, || {
                g.by_path.keys().map(|p| p.rsplit('/').next().unwrap_or(p))
            }) {
                Some(c) => format!("did you mean '{c}'?"),
                None => "check the path: it is relative to this file's folder".into(),
            };
            diags.push(diag(
                Rule::BrokenLink,
                format!("'{path}' does not exist"),
                help,
            ));
            Err(Href::Broken(path.clone()))
        }
    }
}

/// Reports a `#fragment` that names no place in document `target`.
fn check_anchor<'d>(
    cx: &LinkContext<'_, 'd>,
    memo: &mut Memo<'d>,
    link: &crate::parse::markdown::BodyLink,
    target: DocId,
    f: &str,
    written: &Shown<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let docs = cx.docs;
    let diag = |rule, msg, help| link_diagnostic(cx, link, rule, msg, help);
    if memo.has_anchor(docs, target, f) {
        return;
    }
    use crate::parse::markdown::AnchorMatch;
    // Only a miss looks further: GitHub's anchors are lowercase, and a link that
    // differs in case alone works on some hosts.
    if let AnchorMatch::OtherCase(a) = docs[target].body.find_anchor(f) {
        diags.push(diag(
            Rule::AnchorCase,
            format!("{written} has no heading '#{f}', only '#{a}'"),
            format!("write '#{a}': anchors are lowercase, and some hosts match them exactly"),
        ));
    } else {
        let anchors = || docs[target].body.headings.iter().map(|h| h.anchor.as_str());
        let help = match memo.suggest.suggest(Pool::Anchors(target), f, anchors) {
                Some(c) => format!("did you mean '#{c}'?"),
                None => "link a heading that exists; anchors are the heading text in lowercase with spaces as '-'".into(),
            };
        diags.push(diag(
            Rule::MissingAnchor,
            format!("{written} has no heading '#{f}'"),
            help,
        ));
    }
}
