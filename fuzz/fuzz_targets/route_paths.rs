//! The route-path decision: a list of keys as written (the input split on newlines)
//! gets its slugs decided as the link stage does for tags, teams, statuses and people.
//! No two keys may get one path, and every path must pass the output writer's check
//! and never name a file the site writes as a folder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use specsite::paths::{self, List};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let keys: Vec<&str> = text.split('\n').take(256).collect();
    let decided = paths::decide(keys.iter().copied());
    assert_eq!(decided.len(), keys.len());
    let mut seen = std::collections::HashSet::new();
    for (key, d) in keys.iter().zip(&decided) {
        let file = paths::page_file(&paths::list_url(List::Tag, &d.slug));
        assert!(
            specsite::write::check_output_path(&file).is_ok(),
            "{key:?} → unsafe {file:?}"
        );
        assert!(
            !d.slug.is_empty() && d.slug != "index.html" && !d.slug.contains('/'),
            "{key:?} → {:?}",
            d.slug
        );
        assert!(
            d.slug.len() <= specsite::text::MAX_SLUG_BYTES,
            "{key:?} → {} bytes",
            d.slug.len()
        );
        assert!(seen.insert(file.clone()), "{key:?} shares {file:?}");
    }
});
