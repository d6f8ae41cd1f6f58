//! Themes: the built-in default theme (compiled into the binary, so `specsite` works
//! from any folder) and a site's overrides. A site overrides any template by putting a
//! file of the same name in its `templates/` folder, or picks a whole theme under
//! `themes/<name>/templates/`; templates it does not override come from the default.
//! Templates use tera's `extends`/`block`, so an override can change one block.
//!
//! HTML pages are `.html` templates; the feed and the sitemap are `.xml` templates
//! (`feed.xml`, `sitemap.xml`), overridden the same way. The two are compiled apart, as
//! each output language escapes differently: every value an `.html` template prints is
//! escaped for HTML, every value an `.xml` one prints for XML ([`crate::escape::xml`],
//! which also drops characters XML forbids), so no template can forget to escape.
//!
//! Templates are untrusted input like the rest of SOURCE: they are read through
//! [`crate::files::read_checked`] (inside SOURCE, regular files, a size cap), and the
//! tera functions that read the process or the clock are replaced by ones that fail.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Rule};
use std::path::Path;

macro_rules! theme_files {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

/// The default theme's templates.
pub const TEMPLATES: &[(&str, &str)] = theme_files!(
    "base.html",
    "macros.html",
    "badge.html",
    "card_row.html",
    "card_item.html",
    "home.html",
    "feature.html",
    "decision.html",
    "roadmap.html",
    "page.html",
    "list.html",
    "decisions.html",
    "people.html",
    "person.html",
    "outcomes.html",
    "backlog.html",
    "404.html",
    "feed.xml",
    "sitemap.xml",
);

/// The search box's script, one of [`STATIC_FILES`]; left out when search is off.
pub const SEARCH_SCRIPT: &str = "search.js";

/// The default theme's static files, published under `assets/`.
pub const STATIC_FILES: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        SEARCH_SCRIPT,
        include_bytes!("../../themes/default/static/search.js"),
    ),
];

/// A compiled set of templates.
pub struct Theme {
    /// The `.html` templates, escaping for HTML.
    pub tera: tera::Tera,
    /// The `.xml` templates, escaping for XML.
    pub xml: tera::Tera,
}

/// Whether a template is an XML one (compiled into [`Theme::xml`]).
pub fn is_xml(name: &str) -> bool {
    name.ends_with(".xml")
}

impl Theme {
    /// Compiles the default templates with the site's overrides.
    pub fn load(source: &Path, config: &Config) -> Result<Theme, Diagnostic> {
        let mut templates: Vec<(String, String, String)> = TEMPLATES
            .iter()
            .map(|(n, t)| {
                (
                    n.to_string(),
                    t.to_string(),
                    format!("themes/default/templates/{n}"),
                )
            })
            .collect();
        let mut dirs = Vec::new();
        if config.theme != "default" {
            let dir = source.join("themes").join(&config.theme).join("templates");
            if !dir.is_dir() {
                return Err(Diagnostic::new(
                    Rule::Config,
                    crate::config::CONFIG_FILE,
                    format!(
                        "theme '{}' not found: no folder themes/{}/templates",
                        config.theme, config.theme
                    ),
                )
                .help("use theme = \"default\" or create the theme's folder"));
            }
            dirs.push(dir);
        }
        dirs.push(source.join("templates"));
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            files.sort();
            for path in files {
                if path.extension().is_none_or(|e| e != "html" && e != "xml") {
                    continue;
                }
                let name = path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                let shown = path
                    .strip_prefix(source)
                    .map(crate::files::to_rel)
                    .unwrap_or_else(|_| path.display().to_string());
                let text = crate::files::read_text(
                    &path,
                    Some(source),
                    crate::files::MAX_MACHINERY_BYTES,
                    Rule::Template,
                    &shown,
                )?;
                match templates.iter_mut().find(|(n, _, _)| *n == name) {
                    Some(t) => {
                        t.1 = text;
                        t.2 = shown;
                    }
                    None => templates.push((name, text, shown)),
                }
            }
        }
        let (xml, html): (Vec<_>, Vec<_>) = templates.iter().partition(|(n, _, _)| is_xml(n));
        // Tera's default escaper also rewrites `/` as `&#x2F;`, which bloats every URL;
        // escaping the five HTML specials is what safety needs.
        let tera = compile(&html, ".html", crate::escape::html)?;
        let xml = compile(&xml, ".xml", crate::escape::xml)?;
        Ok(Theme { tera, xml })
    }
}

/// Compiles `templates` (name, text, path shown in diagnostics), escaping every value
/// printed by a template whose name ends with `suffix` with `escape`.
fn compile(
    templates: &[&(String, String, String)],
    suffix: &'static str,
    escape: fn(&str) -> String,
) -> Result<tera::Tera, Diagnostic> {
    let mut tera = tera::Tera::default();
    withhold_functions(&mut tera);
    tera.autoescape_on(vec![suffix]);
    tera.set_escape_fn(escape);
    let raw: Vec<(&str, &str)> = templates
        .iter()
        .map(|(n, t, _)| (n.as_str(), t.as_str()))
        .collect();
    tera.add_raw_templates(raw).map_err(|e| {
        let name = templates
            .iter()
            .find(|(n, _, _)| e.to_string().contains(n.as_str()))
            .map(|(_, _, shown)| shown.clone())
            .unwrap_or_default();
        Diagnostic::new(Rule::Template, name, error_chain(&e))
            .help("fix the template syntax; see https://keats.github.io/tera/docs/")
    })?;
    Ok(tera)
}

/// Tera functions a template may not call, with what to use instead. `get_env` would
/// publish the build's environment (CI deploy secrets); `now` and `get_random` (absent
/// without tera's `builtins` feature, withheld in case it is ever turned on) would make
/// two builds of the same input differ.
pub const WITHHELD_FUNCTIONS: &[(&str, &str)] = &[
    (
        "get_env",
        "templates cannot read the environment (in CI it holds deploy secrets); write the value into the template",
    ),
    (
        "now",
        "templates cannot read the clock, so that builds are reproducible; use `site.today` (SOURCE_DATE_EPOCH when set)",
    ),
    (
        "get_random",
        "templates cannot use random numbers, so that builds are reproducible",
    ),
];

/// Replaces each of [`WITHHELD_FUNCTIONS`] with one that fails with its reason.
fn withhold_functions(tera: &mut tera::Tera) {
    for &(name, reason) in WITHHELD_FUNCTIONS {
        tera.register_function(
            name,
            move |_: &std::collections::HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
                Err(tera::Error::msg(format!(
                    "`{name}()` is not available: {reason}"
                )))
            },
        );
    }
}

fn error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// A diagnostic for a template that failed while rendering.
pub fn template_error(template: &str, e: &tera::Error) -> Diagnostic {
    Diagnostic::new(
        Rule::Template,
        format!("templates/{template}"),
        format!("rendering failed: {}", error_chain(e)),
    )
    .help("check the variables the template uses against docs/templates.md, the template reference")
}
