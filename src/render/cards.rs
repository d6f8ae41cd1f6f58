//! Render stage, cards: a document's card as lists show it, from the theme's
//! `card_row.html` (a row of the card tables on index, status, team, tag, person and
//! home pages) and `card_item.html` (an item of the related-document lists on document
//! pages and the home page's review lists).
//!
//! A document shows in about six tables and a dozen related lists, and rendering a
//! card through tera costs far more than copying it, so each shape is rendered once
//! per site and then copied. Lists sit at different depths, so a card is rendered with
//! [`ROOT_MARKER`] standing for `root` and each copy gets the page's own root spliced
//! in. The marker is a Unicode noncharacter (reserved for a program's internal use),
//! so it cannot clash with a real root; a document whose own text holds one anyway is
//! rendered for each list.

use crate::diagnostic::{Diagnostic, Rule};
use crate::link::{DocId, Site};
use std::sync::OnceLock;

/// What `root` is while a card is rendered for the cache.
pub const ROOT_MARKER: &str = "\u{FDD0}";

/// How a card is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A row of a card table (`card_row.html`).
    Row,
    /// An item of a card list (`card_item.html`).
    Item,
}

impl Shape {
    /// The theme's template for the shape.
    pub fn template(self) -> &'static str {
        match self {
            Shape::Row => "card_row.html",
            Shape::Item => "card_item.html",
        }
    }
}

/// The rendered cards of one site, by document and shape, kept by the
/// [`crate::render::Session`] that renders the site with one theme.
#[derive(Debug)]
pub struct CardCache {
    cards: Vec<[OnceLock<Box<str>>; 2]>,
}

impl CardCache {
    pub fn new(docs: usize) -> Self {
        CardCache {
            cards: (0..docs).map(|_| Default::default()).collect(),
        }
    }

    /// Renders `d`'s card in `shape` for a page whose root is `root`, with
    /// `render_card` (which renders a card's JSON in a shape for a given root).
    pub fn card_html(
        &self,
        site: &Site,
        d: DocId,
        shape: Shape,
        root: &str,
        render_card: impl Fn(&serde_json::Value, &str) -> Result<String, Diagnostic>,
    ) -> Result<String, Diagnostic> {
        let slot = self.cards.get(d).map(|shapes| &shapes[shape as usize]);
        if let Some(html) = slot.and_then(OnceLock::get) {
            return Ok(with_root(html, root));
        }
        let card = serde_json::to_value(super::view::card(site, d))
            .map_err(|e| Diagnostic::new(Rule::Template, "", format!("cannot show a card: {e}")))?;
        match slot {
            Some(slot) if !mentions(&card, ROOT_MARKER) => {
                let html = render_card(&card, ROOT_MARKER)?;
                let spliced = with_root(&html, root);
                // Another thread may have rendered the same card meanwhile: same bytes.
                let _ = slot.set(html.into_boxed_str());
                Ok(spliced)
            }
            _ => render_card(&card, root),
        }
    }
}

/// A cached card with `root` in place of each [`ROOT_MARKER`]. (`str::replace` does
/// the same, but this runs for every card of every list, and memchr's search for the
/// marker is several times faster than std's general one.)
fn with_root(html: &str, root: &str) -> String {
    let mut out = String::with_capacity(html.len() + 8 * root.len());
    let mut last = 0;
    for at in memchr::memmem::find_iter(html.as_bytes(), ROOT_MARKER.as_bytes()) {
        out.push_str(&html[last..at]);
        out.push_str(root);
        last = at + ROOT_MARKER.len();
    }
    out.push_str(&html[last..]);
    out
}

/// Whether any string in `value` contains `marker`.
fn mentions(value: &serde_json::Value, marker: &str) -> bool {
    use serde_json::Value;
    match value {
        Value::String(s) => s.contains(marker),
        Value::Array(items) => items.iter().any(|v| mentions(v, marker)),
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| k.contains(marker) || mentions(v, marker)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Route, Session, test_session, test_site};

    fn render(session: &Session, route: &Route) -> String {
        String::from_utf8(session.render(route).expect("renders")).expect("utf-8")
    }

    /// The `<tr>` of the row that links to `url`.
    fn row_of<'a>(page: &'a str, url: &str) -> &'a str {
        let at = page.find(url).unwrap_or_else(|| panic!("no row for {url}"));
        let start = page[..at].rfind("<tr>").expect("a row");
        &page[start..start + page[start..].find("</tr>").expect("row end")]
    }

    const FILES: [(&str, &str); 2] = [
        (
            "features/F-1.md",
            "---\nid: F-1\ntitle: Plain\nstatus: draft\nowner: ana\ncreated: 2026-02-01\n---\nBody.\n",
        ),
        (
            "features/F-2.md",
            "---\nid: F-2\ntitle: \"Odd \u{FDD0} title\"\nstatus: draft\nowner: ana\ncreated: 2026-02-01\ndepends_on: [F-1]\n---\nBody.\n",
        ),
    ];

    #[test]
    fn one_rendered_row_serves_lists_at_every_depth() {
        let (_dir, site) = test_site(&FILES);
        let r = test_session(site);
        // The home page (root ./), the kind index (../), the status page (../../).
        let home = render(&r, &Route::Home);
        let index = render(&r, &Route::KindIndex(crate::config::Kind::Feature, 1));
        let status = render(&r, &Route::Status("draft".into(), 1));
        let person = render(&r, &Route::Person(0, 1));
        for (page, root) in [
            (&home, "./"),
            (&index, "../"),
            (&status, "../../"),
            (&person, "../../"),
        ] {
            let row = row_of(page, "features/f-1/\">F-1");
            assert!(
                row.contains(&format!("href=\"{root}features/f-1/\"")),
                "{row}"
            );
            assert!(
                row.contains(&format!("href=\"{root}status/draft/\"")),
                "{row}"
            );
            assert!(
                row.contains(&format!("href=\"{root}people/ana/\"")),
                "{row}"
            );
            assert!(!row.contains(ROOT_MARKER), "{row}");
        }
        // F-2's page lists F-1 under "Depends on", as a card-list item.
        let f2 = render(&r, &Route::Doc(1));
        let item = &f2[f2.find("Depends on").expect("the relation")..];
        let item = &item[item.find("<li>").expect("an item")..item.find("</li>").expect("end")];
        assert!(item.contains("href=\"../../features/f-1/\""), "{item}");
        assert!(item.contains("href=\"../../status/draft/\""), "{item}");
        let kept = &r.cards.cards[0];
        assert!(kept[Shape::Row as usize].get().is_some(), "the row is kept");
        assert!(
            kept[Shape::Item as usize].get().is_some(),
            "the item is kept"
        );
    }

    #[test]
    fn a_document_holding_the_marker_is_rendered_as_written() {
        let (_dir, site) = test_site(&FILES);
        let r = test_session(site);
        for route in [Route::Status("draft".into(), 1), Route::Home] {
            let page = render(&r, &route);
            let row = row_of(&page, "features/f-2/\">F-2");
            assert!(row.contains("Odd \u{FDD0} title"), "{row}");
        }
        let kept = &r.cards.cards[1];
        assert!(kept[Shape::Row as usize].get().is_none());
    }

    #[test]
    fn another_theme_renders_its_own_rows() {
        let (dir, site) = test_site(&FILES);
        let first = render(
            &test_session(site.clone()),
            &Route::Status("draft".into(), 1),
        );
        assert!(row_of(&first, "features/f-1/\">F-1").contains("class=\"id\""));
        std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
        std::fs::write(
            dir.path().join("templates/card_row.html"),
            "<tr><td><a href=\"{{ root }}{{ d.url }}\">{{ d.id }}</a> (custom)</td></tr>",
        )
        .expect("write");
        let second = render(&test_session(site), &Route::Status("draft".into(), 1));
        assert!(
            row_of(&second, "features/f-1/\">F-1").contains("(custom)"),
            "{second}"
        );
    }
}
