//! The driver: runs the stages in order. `build`, `check` and `serve` all call
//! [`load_site`] for load → parse → model → link, then differ only in what they do with
//! the pages: write them to a folder, discard them, or serve them from memory.

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic, Level};
use crate::link::{self, Site};
use crate::load::{self, SourceFile};
use crate::model::{self, Document, people::People};
use crate::parse::Parser;
use crate::render::{self, Renderer, Route, theme::Theme};
use crate::write::{Sink, Staging};
use jiff::civil::Date;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// "Today" for verdicts: `SOURCE_DATE_EPOCH` when set (reproducible builds), else the
/// local date.
pub fn today() -> Date {
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH")
        && let Ok(secs) = epoch.trim().parse::<i64>()
        && let Ok(ts) = jiff::Timestamp::from_second(secs)
    {
        return ts.to_zoned(jiff::tz::TimeZone::UTC).date();
    }
    jiff::Zoned::now().date()
}

/// What a build needs to know.
#[derive(Debug, Clone)]
pub struct Options {
    pub source: PathBuf,
    /// The output folder (`build`); also skipped when reading SOURCE.
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    /// A configuration file outside SOURCE.
    pub config: Option<PathBuf>,
    pub today: Date,
}

impl Options {
    pub fn new(source: impl Into<PathBuf>) -> Self {
        Options {
            source: source.into(),
            out: None,
            base_url: None,
            config: None,
            today: today(),
        }
    }
}

/// Reads the configuration, applying command-line overrides.
pub fn load_config(opts: &Options) -> Result<Config, Diagnostic> {
    let mut config = Config::load(&opts.source, opts.config.as_deref())?;
    if let Some(url) = &opts.base_url {
        config.base_url = url.clone();
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
    }
    Ok(config)
}

/// Parses and models one file (stages 2 and 3 fused: both are per-file).
pub fn document(
    parser: &Parser,
    file: &SourceFile,
    cx: model::Context<'_>,
) -> (Document, Vec<Diagnostic>) {
    model::document(parser.parse(file), cx)
}

/// Reads the people registry.
pub fn people(text: Option<&str>) -> (People, Vec<Diagnostic>) {
    match text.map(|t| People::from_toml(t, crate::config::PEOPLE_FILE)) {
        Some(Ok(p)) => (p, Vec::new()),
        Some(Err(d)) => (People::default(), vec![d]),
        None => (People::default(), Vec::new()),
    }
}

/// Runs load → parse → model → link. Diagnostics come back sorted, at their
/// configured levels.
pub fn load_site(opts: &Options, config: Arc<Config>) -> (Site, Vec<Diagnostic>) {
    let source = load::load(&opts.source, &config, opts.out.as_deref());
    let mut diags = source.diagnostics;
    let parser = Parser::new(&config);
    let cx = model::Context {
        config: &config,
        today: opts.today,
    };
    let modeled: Vec<(Document, Vec<Diagnostic>)> = source
        .files
        .into_par_iter()
        .map(|f| document(&parser, &f, cx))
        .collect();
    let mut docs = Vec::with_capacity(modeled.len());
    for (doc, d) in modeled {
        docs.push(Arc::new(doc));
        diags.extend(d);
    }
    let site = link_site(
        opts,
        config,
        docs,
        source.people.as_deref(),
        &source.assets,
        &mut diags,
    );
    (site, diags)
}

/// Stage 4 with its inputs: reads the people registry, links the documents (sorted by
/// path) and finishes the diagnostics. `serve` calls this after re-modelling only the
/// files that changed.
pub fn link_site(
    opts: &Options,
    config: Arc<Config>,
    docs: Vec<Arc<Document>>,
    people_text: Option<&str>,
    assets: &std::collections::BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Site {
    let (people, d) = people(people_text);
    diags.extend(d);
    let (site, d) = link::link(
        &opts.source,
        config.clone(),
        docs,
        people,
        assets,
        opts.today,
    );
    diags.extend(d);
    finish(&config, diags);
    site
}

/// Applies rule levels and sorts.
pub fn finish(config: &Config, diags: &mut Vec<Diagnostic>) {
    config.apply_levels(diags);
    diagnostic::sort(diags);
}

/// Renders every route to `sink`, in parallel. Returns the number of files and the
/// problems met (template errors, unreadable assets).
pub fn render_all(site: &Site, renderer: &Renderer, sink: &dyn Sink) -> (usize, Vec<Diagnostic>) {
    let mut routes = render::routes(site);
    routes.extend(render::search_routes(site));
    let results: Vec<Option<Diagnostic>> = routes
        .par_iter()
        .map(|route: &Route| {
            let bytes = match renderer.render(site, route) {
                Ok(b) => b,
                Err(d) => return Some(d),
            };
            let path = route.path(site);
            sink.put(&path, &bytes)
                .err()
                .map(|e| Diagnostic::new("output-folder", "", format!("cannot write {path}: {e}")))
        })
        .collect();
    let diags: Vec<Diagnostic> = results.into_iter().flatten().collect();
    (routes.len(), diags)
}

/// The outcome of a build.
#[derive(Debug)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// Files written (0 when nothing was written).
    pub files: usize,
    pub out: PathBuf,
    pub elapsed: Duration,
    /// Whether the output folder was replaced.
    pub written: bool,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .count()
    }
}

/// `specsite build`: the whole pipeline, written atomically to the output folder. With
/// content errors the site is not swapped in unless `keep_going`.
pub fn build(opts: &Options, keep_going: bool) -> Report {
    let started = Instant::now();
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| opts.source.join("public"));
    let mut report = Report {
        diagnostics: Vec::new(),
        files: 0,
        out: out.clone(),
        elapsed: Duration::ZERO,
        written: false,
    };
    let config = match load_config(opts) {
        Ok(c) => Arc::new(c),
        Err(d) => {
            report.diagnostics.push(d);
            return report;
        }
    };
    let staging = match Staging::new(&out, &opts.source) {
        Ok(s) => s,
        Err(d) => {
            report.diagnostics.push(d);
            return report;
        }
    };
    let theme = match Theme::load(&opts.source, &config) {
        Ok(t) => t,
        Err(d) => {
            staging.abandon();
            report.diagnostics.push(d);
            return report;
        }
    };
    let mut opts = opts.clone();
    opts.out = Some(out);
    let (site, mut diags) = load_site(&opts, config.clone());
    let renderer = Renderer::new(theme);
    let (files, render_diags) = render_all(&site, &renderer, &staging);
    diags.extend(render_diags);
    finish(&config, &mut diags);
    let errors = diags.iter().any(|d| d.level == Level::Error);
    let fatal = diags
        .iter()
        .any(|d| d.level == Level::Error && matches!(d.rule, "template" | "output-folder"));
    if (errors && !keep_going) || fatal {
        staging.abandon();
    } else {
        match staging.commit() {
            Ok(_) => {
                report.written = true;
                report.files = files;
            }
            Err(d) => diags.push(d),
        }
    }
    report.diagnostics = diags;
    report.elapsed = started.elapsed();
    report
}

/// `specsite check`: everything `build` does except writing.
pub fn check(opts: &Options) -> Vec<Diagnostic> {
    let config = match load_config(opts) {
        Ok(c) => Arc::new(c),
        Err(d) => return vec![d],
    };
    let theme = match Theme::load(&opts.source, &config) {
        Ok(t) => t,
        Err(d) => return vec![d],
    };
    let (site, mut diags) = load_site(opts, config.clone());
    let (_, render_diags) = render_all(&site, &Renderer::new(theme), &crate::write::NullSink);
    diags.extend(render_diags);
    finish(&config, &mut diags);
    diags
}

/// The text of a source line, for diagnostics (read again from disk: the pipeline does
/// not keep file texts in memory).
pub fn source_line(root: &Path, file: &str, line: u32) -> Option<String> {
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    crate::text::nth_line(text, line).map(str::to_string)
}
