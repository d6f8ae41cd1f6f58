//! Front matter and header metadata: splits a file into front matter and body, reads the
//! YAML or TOML into the positioned tree, and models the fields into a document (kinds,
//! statuses, dates, relations, metrics, RICE). No input may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use specsite::config::Config;
use specsite::model::{self, Context};
use specsite::parse::{ParsedFile, frontmatter, markdown::Body, meta::Map};
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    static CONFIG: OnceLock<Config> = OnceLock::new();
    let config = CONFIG.get_or_init(Config::default);
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(unclosed) => unclosed.0,
    };
    let front = match split.front.as_ref().map(frontmatter::parse) {
        Some(Ok(map)) => map,
        _ => Map::default(),
    };
    let today = jiff::civil::date(2026, 11, 22);
    let cx = Context::new(config, today);
    for path in ["features/f.md", "decisions/0001-d.md", "roadmaps/r.md", "p.md"] {
        let parsed = ParsedFile {
            path: path.into(),
            front: front.clone(),
            sidecar: Map::default(),
            has_front: true,
            body: Body::default(),
            diagnostics: Vec::new(),
        };
        let _ = model::document(parsed, &cx);
    }
});
