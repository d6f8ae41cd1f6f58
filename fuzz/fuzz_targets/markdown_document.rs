//! One whole document, markdown to HTML: parse (front matter, comrak, highlighting),
//! model, link as a one-document site, and render its page with the default theme.
//! The first byte picks the markdown options (raw HTML, smart punctuation). No input may
//! panic, hang or produce output that escapes its page.
#![no_main]

use libfuzzer_sys::fuzz_target;
use specsite::config::Config;
use specsite::load::SourceFile;
use specsite::parse::Parser;
use specsite::render::{Renderer, Route, Session, theme::Theme};
use std::sync::{Arc, OnceLock};

struct Setup {
    configs: Vec<(Arc<Config>, Parser)>,
    renderer: Arc<Renderer>,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let configs = (0..4)
            .map(|bits| {
                let mut c = Config::default();
                c.markdown.allow_html = bits & 1 != 0;
                c.markdown.smart_punctuation = bits & 2 != 0;
                let parser = Parser::new(&c);
                (Arc::new(c), parser)
            })
            .collect();
        let theme = Theme::load(std::path::Path::new("/nonexistent"), &Config::default())
            .expect("the default theme compiles");
        Setup {
            configs,
            renderer: Arc::new(Renderer::new(theme)),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&options, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let setup = setup();
    let (config, parser) = &setup.configs[usize::from(options & 3)];
    let today = jiff::civil::date(2026, 11, 22);
    let file = SourceFile {
        path: "features/fuzz.md".into(),
        text: text.into(),
        sidecar: None,
    };
    let cx = specsite::model::Context::new(config, today);
    let (doc, _) = specsite::driver::build::document(parser, &file, &cx, &Default::default());
    if !config.markdown.allow_html {
        assert!(
            !doc.body.html.unpack().contains("<script"),
            "raw HTML leaked into the body with allow_html off"
        );
    }
    let (site, _) = specsite::link::link(
        std::path::Path::new("/nonexistent"),
        config.clone(),
        vec![Arc::new(doc)],
        Default::default(),
        &Default::default(),
        today,
    );
    Session::new(site, setup.renderer.clone())
        .render(&Route::Doc(0))
        .expect("the default theme renders every document");
});
