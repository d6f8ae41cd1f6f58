//! Render stage, card rows: a document's row in the card tables of list pages (its
//! kind's index, its status, team, tags, its owners' pages, the home page), from the
//! theme's `card_row.html`.
//!
//! A document shows in about six lists, and rendering a row through tera costs far
//! more than copying it, so each row is rendered once per site and then copied into
//! every list. Lists sit at different depths, so the row is rendered with
//! [`ROOT_MARKER`] standing for `root` and each copy gets the page's own root spliced
//! in. The marker is a Unicode noncharacter (reserved for a program's internal use),
//! so it cannot clash with a real root; a document whose own text holds one anyway is
//! rendered for each list, as before.

use crate::diagnostic::Diagnostic;
use crate::link::{DocId, Site};
use std::sync::OnceLock;

/// What `root` is while a row is rendered for the cache.
pub const ROOT_MARKER: &str = "\u{FDD0}";

/// The theme's row template.
pub const TEMPLATE: &str = "card_row.html";

/// The rendered rows of one site, by document; kept in [`Site::card_rows`]. Rows
/// depend on the theme as well as the site, so the cache belongs to the first
/// renderer that fills it, and another renderer of the same site renders without it.
#[derive(Debug, Clone)]
pub struct CardRows {
    renderer: u64,
    rows: Vec<OnceLock<Box<str>>>,
}

impl CardRows {
    fn new(renderer: u64, docs: usize) -> Self {
        CardRows {
            renderer,
            rows: (0..docs).map(|_| OnceLock::new()).collect(),
        }
    }
}

/// Renders `d`'s row for a page whose root is `root`, with `render_row` (which
/// renders a card's row for a given root).
pub fn row(
    site: &Site,
    renderer: u64,
    d: DocId,
    root: &str,
    render_row: impl Fn(&serde_json::Value, &str) -> Result<String, Diagnostic>,
) -> Result<String, Diagnostic> {
    let cache = site
        .card_rows
        .get_or_init(|| CardRows::new(renderer, site.docs.len()));
    let slot = cache.rows.get(d).filter(|_| cache.renderer == renderer);
    if let Some(row) = slot.and_then(OnceLock::get) {
        return Ok(row.replace(ROOT_MARKER, root));
    }
    let card = serde_json::to_value(super::view::card(site, d))
        .map_err(|e| Diagnostic::new("template", "", format!("cannot show a card: {e}")))?;
    match slot {
        Some(slot) if !mentions(&card, ROOT_MARKER) => {
            let row = render_row(&card, ROOT_MARKER)?;
            let spliced = row.replace(ROOT_MARKER, root);
            // Another thread may have rendered the same row meanwhile: same bytes.
            let _ = slot.set(row.into_boxed_str());
            Ok(spliced)
        }
        _ => render_row(&card, root),
    }
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
    use crate::render::{Renderer, Route, test_site, theme::Theme};

    fn render(renderer: &Renderer, site: &Site, route: &Route) -> String {
        String::from_utf8(renderer.render(site, route).expect("renders")).expect("utf-8")
    }

    fn renderer(site: &Site) -> Renderer {
        Renderer::new(Theme::load(&site.source_root, &site.config).expect("theme"))
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
            "---\nid: F-2\ntitle: \"Odd \u{FDD0} title\"\nstatus: draft\nowner: ana\ncreated: 2026-02-01\n---\nBody.\n",
        ),
    ];

    #[test]
    fn one_rendered_row_serves_lists_at_every_depth() {
        let (_dir, site) = test_site(&FILES);
        let r = renderer(&site);
        // The home page (root ./), the kind index (../), the status page (../../).
        let home = render(&r, &site, &Route::Home);
        let index = render(
            &r,
            &site,
            &Route::KindIndex(crate::config::Kind::Feature, 1),
        );
        let status = render(&r, &site, &Route::Status("draft".into(), 1));
        let person = render(&r, &site, &Route::Person(0, 1));
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
        assert!(
            site.card_rows.get().expect("filled").rows[0]
                .get()
                .is_some(),
            "the row was kept for the next list"
        );
    }

    #[test]
    fn a_document_holding_the_marker_is_rendered_as_written() {
        let (_dir, site) = test_site(&FILES);
        let r = renderer(&site);
        for route in [Route::Status("draft".into(), 1), Route::Home] {
            let page = render(&r, &site, &route);
            let row = row_of(&page, "features/f-2/\">F-2");
            assert!(row.contains("Odd \u{FDD0} title"), "{row}");
        }
        assert!(
            site.card_rows.get().expect("filled").rows[1]
                .get()
                .is_none()
        );
    }

    #[test]
    fn another_theme_renders_its_own_rows() {
        let (dir, site) = test_site(&FILES);
        let first = render(&renderer(&site), &site, &Route::Status("draft".into(), 1));
        assert!(row_of(&first, "features/f-1/\">F-1").contains("class=\"id\""));
        std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
        std::fs::write(
            dir.path().join("templates/card_row.html"),
            "<tr><td><a href=\"{{ root }}{{ d.url }}\">{{ d.id }}</a> (custom)</td></tr>",
        )
        .expect("write");
        let second = render(&renderer(&site), &site, &Route::Status("draft".into(), 1));
        assert!(
            row_of(&second, "features/f-1/\">F-1").contains("(custom)"),
            "{second}"
        );
    }
}
