//! The output folder's marker, which a cloned repository may have written: the reader
//! `build` uses ([`write::parse_marker`]) on any bytes. No input may panic, and every
//! path it accepts must stay strictly inside the output folder when joined to it, and
//! must pass the rule the writer applies ([`write::check_output_path`]).
#![no_main]

use libfuzzer_sys::fuzz_target;
use specsite::write;
use std::path::{Component, Path};

fuzz_target!(|data: &[u8]| {
    let Ok(listed) = write::parse_marker(data) else {
        return;
    };
    let out = Path::new("/site/out");
    for rel in &listed {
        assert_eq!(write::check_output_path(rel), Ok(()), "{rel:?}");
        assert!(!rel.contains('\n') && rel != write::MARKER, "{rel:?}");
        let joined = out.join(rel);
        assert!(
            joined.starts_with(out) && joined != out,
            "{rel:?} leaves the output folder"
        );
        assert!(
            Path::new(rel)
                .components()
                .all(|c| matches!(c, Component::Normal(_))),
            "{rel:?} has a component that is not a plain name"
        );
    }
});
