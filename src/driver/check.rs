//! `specsite check`: the stages of a build without the write stage, for CI, editors and
//! pre-commit hooks. Pages are still rendered (into a sink that keeps nothing), so a
//! template error is reported as `build` would report it.

use super::build::{Options, finish, load_config, load_site, render_all};
use crate::diagnostic::Diagnostic;
use crate::render::Renderer;
use crate::render::theme::Theme;
use std::sync::Arc;

/// `specsite check`: everything `build` does except writing. It does not read the git
/// history: history gives pages dates and timelines, never a diagnostic, and `check`
/// runs where speed matters (editors, pre-commit hooks).
pub fn check(opts: &Options) -> Vec<Diagnostic> {
    let config = match load_config(opts) {
        Ok(c) => Arc::new(c),
        Err(d) => return vec![d],
    };
    let theme = match Theme::load(&opts.source, &config) {
        Ok(t) => t,
        Err(d) => return vec![d],
    };
    let opts = Options {
        history: false,
        ..opts.clone()
    };
    let (site, mut diags) = load_site(&opts, config.clone());
    let (_, render_diags) = render_all(&site, &Renderer::new(theme), &crate::write::NullSink);
    diags.extend(render_diags);
    finish(&config, &mut diags);
    diags
}
