//! The 404 page.

use super::{Page, Template};

pub(in crate::render) fn fill(page: &mut Page) -> Template {
    // 404 is served from any depth, so its links are absolute from base_url.
    let base = page.site.config.base_url.clone();
    page.insert("root", &base);
    "404.html"
}
