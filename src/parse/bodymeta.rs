//! Metadata written in the body instead of front matter, read from the parsed markdown
//! tree (so nothing inside code blocks is ever read):
//!
//! - a `- Key: value` / `* Key: value` list right under the title (MADR 2, log4brains,
//!   Rust RFCs), and paragraphs of `Key: value` lines there (adr-tools' `Date: …`);
//! - a `## Status` section, whose first line is the status (Nygard, adr-tools), and the
//!   link lines in it: `Supersedes …`, `Superseded by …` (and adr-tools' `Superceded
//!   by …`), `Amends …`, `Amended by …`, `Replaces …`, `Replaced by …`.
//!
//! Values keep their text with markdown taken off; local links in a value are kept
//! beside it so relations can point at the linked file. A link to a GitHub profile reads
//! as `Name (@handle)`, so people written as links are recognised as people.

use super::markdown::{LinkTarget, local_target, plain_text};
use super::meta::{Entry, Map, Node, Origin, Value};
use crate::diagnostic::Pos;
use comrak::nodes::{AstNode, NodeValue};

/// Lines that link one decision to another, and the field each one fills.
pub const LINK_LINES: &[(&str, &str)] = &[
    ("superseded by", "superseded_by"),
    ("superceded by", "superseded_by"),
    ("replaced by", "superseded_by"),
    ("supersedes", "supersedes"),
    ("supercedes", "supersedes"),
    ("replaces", "supersedes"),
    ("amended by", "amended_by"),
    ("amends", "amends"),
];

/// One line of a paragraph or list item, markdown taken off.
#[derive(Debug, Default)]
struct Line {
    text: String,
    /// Local link targets in the line and where they are.
    links: Vec<(String, Pos)>,
    pos: Option<Pos>,
}

/// Reads the metadata of a body. `root` is the document without its leading `# Title`;
/// `at` turns comrak positions into file positions.
pub fn read<'a>(root: &'a AstNode<'a>, at: &dyn Fn(comrak::nodes::LineColumn) -> Pos) -> Map {
    let mut out = Map::default();
    let mut preamble = true;
    let mut status_level: Option<u8> = None;
    let mut status_lines_seen = false;
    for block in root.children() {
        // A shared borrow, not a copy: a block's value can be a whole code block.
        let d = block.data();
        let start = d.sourcepos.start;
        match &d.value {
            NodeValue::Heading(h) => {
                let first_heading = preamble;
                preamble = false;
                let text = plain_text(block);
                if let Some(level) = status_level
                    && h.level <= level
                {
                    status_level = None;
                }
                let title = text.trim().trim_end_matches(':').trim();
                // Only the document's own status section: a top-level heading, or the
                // first heading under the title. A `### Status` deep in the design text
                // is about something else.
                if title.eq_ignore_ascii_case("status") && (h.level <= 2 || first_heading) {
                    status_level = Some(h.level);
                    status_lines_seen = false;
                } else if let Some((key, value)) = text.split_once(':')
                    && key.trim().eq_ignore_ascii_case("status")
                    && !value.trim().is_empty()
                {
                    // `## Status: Accepted`
                    let line = Line {
                        text: value.trim().to_string(),
                        links: Vec::new(),
                        pos: Some(at(start)),
                    };
                    add_status(&mut out, &line, Origin::Body);
                }
            }
            NodeValue::List(_) if preamble => {
                let items: Vec<Line> = block.children().filter_map(|i| item_line(i, at)).collect();
                let pairs: Vec<_> = items.iter().filter_map(key_value).collect();
                // Prose lists may hold a `Note: …` item; a metadata list is mostly pairs.
                if !pairs.is_empty()
                    && pairs.len() * 2 >= items.len()
                    && (pairs.len() >= 2 || items.len() == 1)
                {
                    for (key, line, value) in pairs {
                        add_pair(&mut out, key, line, value, Origin::HeaderList);
                    }
                }
            }
            NodeValue::Paragraph if preamble => {
                let lines = lines_of(block, at);
                let pairs: Option<Vec<_>> = lines.iter().map(key_value).collect();
                if let Some(pairs) = pairs {
                    for (key, line, value) in pairs {
                        add_pair(&mut out, key, line, value, Origin::Body);
                    }
                }
            }
            NodeValue::Paragraph | NodeValue::List(_) if status_level.is_some() => {
                let lines: Vec<Line> = if matches!(d.value, NodeValue::List(_)) {
                    block
                        .children()
                        .filter_map(|item| item.first_child())
                        .flat_map(|p| lines_of(p, at))
                        .collect()
                } else {
                    lines_of(block, at)
                };
                for line in lines.iter().filter(|l| !l.text.is_empty()) {
                    if !status_lines_seen {
                        status_lines_seen = true;
                        if !looks_like_status(&line.text) {
                            // Prose under a Status heading: not a metadata section.
                            status_level = None;
                            break;
                        }
                        add_status(&mut out, line, Origin::Body);
                    } else if let Some(field) = link_line(&line.text) {
                        add_links(&mut out, field, line, Origin::Body);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The status line: the status itself, and a relation when it names one
/// (`Superseded by [X](x.md)`).
fn add_status(out: &mut Map, line: &Line, origin: Origin) {
    let text = line.text.trim().trim_end_matches('.').trim();
    let pos = line.pos.unwrap_or_default();
    push(out, "status", Node::text(text, pos), pos, origin);
    if let Some(field) = link_line(text) {
        add_links(out, field, line, origin);
    }
}

/// A relation line: its local links when it has some, else the id after the keyword
/// when that is one word (`Supersedes ADR-0004`).
fn add_links(out: &mut Map, field: &'static str, line: &Line, origin: Origin) {
    let pos = line.pos.unwrap_or_default();
    let node = if !line.links.is_empty() {
        Node {
            value: Value::Scalar(line.text.clone()),
            pos,
            links: line.links.clone(),
        }
    } else {
        let rest = LINK_LINES
            .iter()
            .find_map(|(k, _)| strip_keyword(&line.text, k))
            .unwrap_or_default();
        let rest = rest.trim().trim_start_matches(':').trim();
        if rest.is_empty() || rest.contains(char::is_whitespace) {
            return;
        }
        Node::text(rest.trim_end_matches('.'), pos)
    };
    push(out, field, node, pos, origin);
}

/// Adds `key: value`; a second value for the same key joins the first one's links.
fn push(out: &mut Map, key: &str, value: Node, key_pos: Pos, origin: Origin) {
    if let Some(existing) = out
        .entries
        .iter_mut()
        .find(|e| e.key.eq_ignore_ascii_case(key))
    {
        if !value.links.is_empty() {
            existing.value.links.extend(value.links);
        }
        return;
    }
    out.entries.push(Entry {
        key: key.to_string(),
        key_pos,
        value,
        origin,
    });
}

fn add_pair(out: &mut Map, key: &str, line: &Line, value: &str, origin: Origin) {
    let pos = line.pos.unwrap_or_default();
    // The value starts after `Key:` and its spaces; columns count characters.
    let offset = line.text.len() - line.text[key.len() + 1..].trim_start().len();
    let value_pos = Pos::new(
        pos.line as usize,
        pos.col as usize + line.text[..offset].chars().count(),
    );
    let node = Node {
        value: Value::Scalar(value.to_string()),
        pos: value_pos,
        links: line.links.clone(),
    };
    if key.trim().eq_ignore_ascii_case("status") {
        let status_line = Line {
            text: value.to_string(),
            links: line.links.clone(),
            pos: Some(value_pos),
        };
        add_status(out, &status_line, origin);
        return;
    }
    push(out, key.trim(), node, pos, origin);
}

/// Whether the first line of a status section reads as a status (`Accepted`,
/// `Superseded by [5](0005-x.md)`, `Proposed (2020-01-02)`) rather than a sentence.
fn looks_like_status(text: &str) -> bool {
    let text = text.trim().trim_end_matches('.');
    if link_line(text).is_some() {
        return true;
    }
    // What is in brackets qualifies the status and may be long.
    let mut depth = 0i32;
    let outside: String = text
        .chars()
        .filter(|&c| {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                _ => {}
            }
            depth == 0 && !matches!(c, ')' | ']')
        })
        .collect();
    let words = outside.split_whitespace().count();
    (1..=6).contains(&words) && !outside.contains(['.', ':', ';', '?'])
}

/// The text of a list item: its first paragraph, lines joined (a value may go on on the
/// next line), or for `Key:` with nothing after it, the first lines of a nested list
/// joined with commas (`- Deciders:` then `  - Ann`).
fn item_line<'a>(
    item: &'a AstNode<'a>,
    at: &dyn Fn(comrak::nodes::LineColumn) -> Pos,
) -> Option<Line> {
    let first = item.first_child()?;
    if !matches!(first.data().value, NodeValue::Paragraph) {
        return None;
    }
    let mut lines = lines_of(first, at).into_iter();
    let mut line = lines.next()?;
    for more in lines {
        line.text.push(' ');
        line.text.push_str(&more.text);
        line.links.extend(more.links);
    }
    if line.text.ends_with(':')
        && let Some(nested) = first
            .following_siblings()
            .find(|n| matches!(n.data().value, NodeValue::List(_)))
    {
        let values: Vec<Line> = nested.children().filter_map(|i| item_line(i, at)).collect();
        let joined: Vec<&str> = values.iter().map(|v| v.text.as_str()).collect();
        line.text.push(' ');
        line.text.push_str(&joined.join(", "));
        line.links.extend(values.into_iter().flat_map(|v| v.links));
    }
    Some(line)
}

/// The field a link line fills, when `text` is one.
fn link_line(text: &str) -> Option<&'static str> {
    LINK_LINES
        .iter()
        .find_map(|(k, field)| strip_keyword(text.trim(), k).map(|_| *field))
}

/// The text after an ASCII keyword that starts `text` (any case) as a whole word.
fn strip_keyword<'t>(text: &'t str, keyword: &str) -> Option<&'t str> {
    let head = text.get(..keyword.len())?;
    let rest = &text[keyword.len()..];
    (head.eq_ignore_ascii_case(keyword) && (rest.is_empty() || rest.starts_with([' ', ':', '\t'])))
        .then_some(rest)
}

/// `Key: value` when the line is one: a short key of words before the first colon.
fn key_value(line: &Line) -> Option<(&str, &Line, &str)> {
    let (key, value) = line.text.split_once(':')?;
    let k = key.trim();
    let good_key = !k.is_empty()
        && k.chars().count() <= 40
        && k.split_whitespace().count() <= 5
        && k.starts_with(|c: char| c.is_alphabetic())
        && k.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '#' | '.' | '(' | ')'))
        && !value.starts_with("//")
        && plural_brackets_only(k);
    good_key.then_some((key, line, value.trim()))
}

/// Brackets in a key are only a plural written `Author(s)`; `Amendment (2021)` is a
/// note, not a field name.
fn plural_brackets_only(key: &str) -> bool {
    let mut rest = key;
    while let Some(open) = rest.find('(') {
        let attached = rest[..open].ends_with(|c: char| c.is_alphabetic());
        let Some(close) = rest[open..].find(')') else {
            return false;
        };
        let inner = &rest[open + 1..open + close];
        if !attached || inner.is_empty() || !inner.chars().all(char::is_alphabetic) {
            return false;
        }
        rest = &rest[open + close + 1..];
    }
    !rest.contains(')')
}

/// The lines of a block, markdown taken off. HTML comments are dropped.
fn lines_of<'a>(
    block: &'a AstNode<'a>,
    at: &dyn Fn(comrak::nodes::LineColumn) -> Pos,
) -> Vec<Line> {
    let mut lines = vec![Line::default()];
    collect_inlines(block, at, &mut lines);
    for l in &mut lines {
        l.text = l.text.trim().to_string();
    }
    lines.retain(|l| !l.text.is_empty() || !l.links.is_empty());
    lines
}

fn collect_inlines<'a>(
    node: &'a AstNode<'a>,
    at: &dyn Fn(comrak::nodes::LineColumn) -> Pos,
    lines: &mut Vec<Line>,
) {
    for child in node.children() {
        let (value, start) = {
            let d = child.data();
            (d.value.clone(), d.sourcepos.start)
        };
        let line = lines.last_mut().expect("there is always a current line");
        if line.pos.is_none() && !matches!(value, NodeValue::SoftBreak | NodeValue::LineBreak) {
            line.pos = Some(at(start));
        }
        match value {
            NodeValue::Text(t) => line.text.push_str(&t),
            NodeValue::Code(c) => line.text.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => lines.push(Line::default()),
            NodeValue::HtmlInline(_) | NodeValue::Image(_) => {}
            NodeValue::Link(link) => {
                let text = plain_text(child);
                if let Some(email) = link.url.strip_prefix("mailto:") {
                    // `<ann@x.org>` autolinks: keep the brackets people parsing reads.
                    if text != email && !text.is_empty() {
                        line.text.push_str(&text);
                        line.text.push(' ');
                    }
                    line.text.push_str(&format!("<{email}>"));
                    continue;
                }
                match profile_handle(&link.url) {
                    Some(h)
                        if !text.is_empty()
                            && !text.trim_start_matches('@').eq_ignore_ascii_case(h) =>
                    {
                        line.text.push_str(&format!("{text} (@{h})"));
                    }
                    Some(h) => line.text.push_str(&format!("@{h}")),
                    None => line.text.push_str(&text),
                }
                if let Some(LinkTarget::Path { path, .. }) = local_target(&link.url)
                    && !path.is_empty()
                {
                    line.links.push((path, at(start)));
                }
            }
            _ => collect_inlines(child, at, lines),
        }
    }
}

/// Hosts whose one-segment URLs are people's profiles.
const PROFILE_HOSTS: &[&str] = &[
    "github.com",
    "gitlab.com",
    "codeberg.org",
    "twitter.com",
    "x.com",
];

/// The user of a profile link (`https://github.com/handle`, `https://gitlab.com/handle`,
/// `https://mastodon.social/@handle`).
fn profile_handle(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    let handle = path.trim_end_matches('/');
    let profile = PROFILE_HOSTS.contains(&host) || handle.starts_with('@');
    let handle = handle.trim_start_matches('@');
    (profile && !handle.is_empty() && !handle.contains(['/', '?', '#'])).then_some(handle)
}

#[cfg(test)]
mod tests {
    use crate::config::MarkdownOptions;
    use crate::parse::markdown::{comrak_options, render};
    use crate::parse::meta::{Map, Origin};

    fn meta(text: &str) -> Map {
        let o = comrak_options(&MarkdownOptions::default());
        render(text, 1, &o, None, "a.md").0.meta
    }

    fn get<'m>(m: &'m Map, key: &str) -> &'m str {
        m.get(key)
            .and_then(|e| e.value.scalar())
            .unwrap_or_else(|| panic!("no {key} in {m:?}"))
    }

    #[test]
    fn header_list_under_the_title_with_markdown_stripped() {
        let m = meta(
            "# Use X\n\n* Status: **accepted**\n- Deciders: [Ann Lee](https://github.com/annlee), `bob`, Cy <cy@x.org>\n* Date: 2020-09-25\n\n## Context\n\n- Note: not metadata\n",
        );
        assert_eq!(get(&m, "status"), "accepted");
        assert_eq!(get(&m, "Deciders"), "Ann Lee (@annlee), bob, Cy <cy@x.org>");
        assert_eq!(get(&m, "Date"), "2020-09-25");
        assert_eq!(m.get("Date").unwrap().origin, Origin::HeaderList);
        assert_eq!(
            m.get("Date").unwrap().value.pos,
            crate::diagnostic::Pos::new(5, 9)
        );
        assert!(m.get("Note").is_none());
    }

    #[test]
    fn rfc_header_without_title_and_links_kept() {
        let m = meta(
            "- Feature Name: nll\n- Start Date: 2017-08-02\n- RFC PR: [rust-lang/rfcs#2094](https://github.com/rust-lang/rfcs/pull/2094)\n\n## Summary\n",
        );
        assert_eq!(get(&m, "Start Date"), "2017-08-02");
        assert_eq!(get(&m, "RFC PR"), "rust-lang/rfcs#2094");
    }

    #[test]
    fn status_sections_count_only_as_the_documents_own() {
        // (markdown, status read)
        let cases: &[(&str, Option<&str>)] = &[
            ("# T\n\n## Status\n\nAccepted\n", Some("Accepted")),
            (
                "# T\n\n### Status\n\nAccepted\n\n## Context\n",
                Some("Accepted"),
            ),
            ("# T\n\n## Design\n\n### Status\n\nAccepted\n", None),
            (
                "# T\n\n## Status\n\nThe status of the migration is tracked in the dashboard.\n",
                None,
            ),
            (
                "# T\n\n## Status\n\nProposed (2019-03-02, pending review by the team)\n",
                Some("Proposed (2019-03-02, pending review by the team)"),
            ),
            (
                "# T\n\n## Status\n\nSuperseded by [ADR 9](0009-x.md)\n",
                Some("Superseded by ADR 9"),
            ),
        ];
        for &(text, want) in cases {
            let m = meta(text);
            assert_eq!(
                m.get("status").and_then(|e| e.value.scalar()),
                want,
                "{text}"
            );
        }
    }

    #[test]
    fn header_lists_keep_the_items_they_can_read() {
        // (markdown, key, value read)
        let cases: &[(&str, &str, Option<&str>)] = &[
            (
                "# T\n\n* Status: Accepted\n* [a link](x.md)\n* Date: 2020-01-02\n",
                "Date",
                Some("2020-01-02"),
            ),
            (
                "# T\n\n* Status: Accepted\n* Amendment (2021) [here](x.md)\n* Deciders: Ann\n",
                "Deciders",
                Some("Ann"),
            ),
            (
                "# T\n\n* Authors: Ann Lee,\n  Bob Stone\n* Status: Draft\n",
                "Authors",
                Some("Ann Lee, Bob Stone"),
            ),
            (
                "# T\n\n* Deciders:\n  * Ann\n  * Bob\n* Status: Draft\n",
                "Deciders",
                Some("Ann, Bob"),
            ),
            (
                "# T\n\n* Proposal: [XX-0001](0001-name.md)\n* Status: Draft\n",
                "Proposal",
                Some("XX-0001"),
            ),
            ("# T\n\n- Fast: yes\n- and cheap\n", "Fast", None),
            (
                "# T\n\n* Author(s): Ann\n* Status: Draft\n",
                "Author(s)",
                Some("Ann"),
            ),
            (
                "# T\n\n* Amendment (2021): [x](x.md)\n* Status: Draft\n* Date: 2021-01-01\n",
                "Amendment (2021)",
                None,
            ),
        ];
        for &(text, key, want) in cases {
            let m = meta(text);
            assert_eq!(m.get(key).and_then(|e| e.value.scalar()), want, "{text}");
        }
        let m = meta("# T\n\n* Proposal: [XX-0001](0001-name.md)\n* Status: Draft\n");
        assert_eq!(m.get("Proposal").unwrap().value.links[0].0, "0001-name.md");
    }

    #[test]
    fn a_list_that_is_not_all_key_values_is_prose() {
        let m = meta("# T\n\n- Fast: yes\n- and cheap\n");
        assert!(m.entries.is_empty(), "{m:?}");
    }

    #[test]
    fn status_section_anywhere_and_its_link_lines() {
        let m = meta(
            "# 10. Terraform\n\nDate: 2017-07-03\n\n## Context\n\nText.\n\n## Status\n\nAccepted\nAmended by [17. Data](0017-data.md)\n\nSuperceded by [20](0020-x.md)\n\n## Decision\n\nSupersedes [1](0001-y.md)\n",
        );
        assert_eq!(get(&m, "status"), "Accepted");
        assert_eq!(get(&m, "Date"), "2017-07-03");
        let amended = &m.get("amended_by").unwrap().value;
        assert_eq!(amended.links[0].0, "0017-data.md");
        assert_eq!(amended.links[0].1.line, 12);
        assert_eq!(
            m.get("superseded_by").unwrap().value.links[0].0,
            "0020-x.md"
        );
        // Outside the Status section a link line is prose.
        assert!(m.get("supersedes").is_none());
    }

    #[test]
    fn status_naming_its_successor_gives_a_relation() {
        let m = meta("# A\n\n- Status: superseded by [new](20201016-new.md)\n- Date: 2020-09-26\n");
        assert_eq!(get(&m, "status"), "superseded by new");
        assert_eq!(
            m.get("superseded_by").unwrap().value.links[0].0,
            "20201016-new.md"
        );
    }

    #[test]
    fn nothing_is_read_inside_code_blocks() {
        let m = meta("# T\n\n```yaml\nstatus: accepted\n```\n\n## Status\n\n```\nproposed\n```\n");
        assert!(m.entries.is_empty(), "{m:?}");
    }

    #[test]
    fn one_word_ids_after_a_link_keyword_are_relations() {
        let m = meta("# T\n\n## Status\n\nSuperseded\n\nSuperseded by ADR-0009.\n");
        assert_eq!(get(&m, "superseded_by"), "ADR-0009");
    }
}
