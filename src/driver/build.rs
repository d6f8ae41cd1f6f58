//! The driver: runs the stages in order. `build`, `check` and `serve` all call
//! [`load_site`] for load → parse → model → link, then differ only in what they do with
//! the pages: write them to a folder, discard them, or serve them from memory.

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic, Level, Rule};
use crate::history::History;
use crate::link::{self, Histories, Site};
use crate::load::{self, SourceFile};
use crate::model::{self, Document, people::People};
use crate::parse::Parser;
use crate::render::{Renderer, Route, Session, sink::Sink, theme::Theme};
use crate::write::Staging;
use jiff::civil::Date;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
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
    /// Read the git history (when the configuration allows it too).
    pub history: bool,
}

impl Options {
    pub fn new(source: impl Into<PathBuf>) -> Self {
        Options {
            source: source.into(),
            out: None,
            base_url: None,
            config: None,
            today: today(),
            history: true,
        }
    }
}

/// Reads the configuration, applying command-line overrides.
pub fn load_config(opts: &Options) -> Result<Config, Diagnostic> {
    let mut config = Config::load(&opts.source, opts.config.as_deref())?;
    if let Some(url) = &opts.base_url {
        crate::config::check_site_url("--base-url", url)
            .map_err(|(message, help)| Diagnostic::new(Rule::Config, "", message).help(help))?;
        config.base_url = url.clone();
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
    }
    Ok(config)
}

/// Parses and models one file (stages 2 and 3 fused: both are per-file). The file's git
/// history fills the created and updated dates its front matter leaves out.
pub fn document(
    parser: &Parser,
    file: &SourceFile,
    cx: &model::Context<'_>,
    history: &History,
) -> (Document, Vec<Diagnostic>) {
    let (mut doc, diags) = model::document(parser.parse(file), cx);
    fill_dates(&mut doc, history);
    (doc, diags)
}

/// Front matter dates win; git fills what they leave out.
fn fill_dates(doc: &mut Document, history: &History) {
    if let Some(h) = history.get(&doc.source) {
        doc.dates.created.get_or_insert(h.created.date);
        doc.dates.updated.get_or_insert(h.updated.date);
    }
}

/// Starts reading the git history of SOURCE in a thread, when the options and the
/// configuration allow it: `git` works while the files are parsed.
pub fn start_history(opts: &Options, config: &Config) -> Option<JoinHandle<History>> {
    (opts.history && config.history.enabled).then(|| {
        let source = opts.source.clone();
        let config = config.clone();
        let chunks = rayon::current_num_threads();
        std::thread::spawn(move || History::read(&source, chunks, &config))
    })
}

/// Waits for the history; `None` (not read) when it was not started.
pub fn join_history(handle: Option<JoinHandle<History>>) -> Option<History> {
    handle.map(|h| {
        h.join()
            .unwrap_or_else(|_| History::unavailable("the git history could not be read"))
    })
}

/// Gives the linked site its documents' histories and the note on what was missing.
/// `history` is `None` when it was not read (turned off): no note then.
pub fn attach_history(site: &mut Site, history: Option<&History>) {
    let Some(history) = history else {
        site.history = Histories {
            docs: vec![None; site.docs.len()],
            ..Histories::default()
        };
        return;
    };
    let docs: Vec<_> = site
        .docs
        .iter()
        .map(|d| history.of_document(d, &site.config))
        .collect();
    let note = history.note.clone().or_else(|| uncommitted_note(&docs));
    site.history = Histories {
        docs,
        prefix: history.prefix.clone(),
        note,
    };
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
    let history = start_history(opts, &config);
    let source = load::scan(&opts.source, &config, opts.out.as_deref());
    let mut diags = source.diagnostics;
    let parser = Parser::new(&config);
    let cx = model::Context::new(&config, opts.today);
    // Each file is read, parsed and modelled on one core, so its text and parse tree are
    // dropped before the next file: only documents accumulate. Nothing here waits for
    // git; only the dates do, filled in below.
    let modeled: Vec<(Option<Document>, Vec<Diagnostic>)> = source
        .files
        .into_par_iter()
        .map(|unread| {
            let (file, read_error) = unread.read();
            let (doc, mut diags) = match file {
                Some(file) => {
                    let (doc, diags) = model::document(parser.parse(&file), &cx);
                    (Some(doc), diags)
                }
                None => (None, Vec::new()),
            };
            diags.extend(read_error);
            (doc, diags)
        })
        .collect();
    let history = join_history(history);
    let mut docs = Vec::with_capacity(modeled.len());
    for (doc, d) in modeled {
        if let Some(mut doc) = doc {
            if let Some(history) = &history {
                fill_dates(&mut doc, history);
            }
            docs.push(Arc::new(doc));
        }
        diags.extend(d);
    }
    let mut site = link_site(
        opts,
        config,
        docs,
        source.people.as_deref(),
        &source.assets,
        &mut diags,
    );
    attach_history(&mut site, history.as_ref());
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

/// Says, once, how many documents are not committed yet (they keep front matter dates).
fn uncommitted_note(histories: &[Option<crate::history::DocHistory>]) -> Option<String> {
    let n = histories.iter().filter(|h| h.is_none()).count();
    match n {
        0 => None,
        1 => Some("1 document is not committed yet; its dates come from front matter".into()),
        n => Some(format!(
            "{n} documents are not committed yet; their dates come from front matter"
        )),
    }
}

/// Applies rule levels and sorts.
pub fn finish(config: &Config, diags: &mut Vec<Diagnostic>) {
    config.apply_levels(diags);
    diagnostic::sort(diags);
}

/// Renders every route to `sink`, in parallel. Returns the number of files and the
/// problems met (template errors, unreadable assets).
pub fn render_all(session: &Session, sink: &dyn Sink) -> (usize, Vec<Diagnostic>) {
    let pages = session.routes();
    // The search index is built while pages render: merging its word lists is serial,
    // and the pages keep the other cores busy meanwhile.
    let (mut diags, (search, fragments, search_diags)) = rayon::join(
        || render_routes(session, sink, &pages),
        || session.build_search(sink),
    );
    diags.extend(search_diags);
    diags.extend(render_routes(session, sink, &search));
    (pages.len() + fragments + search.len(), diags)
}

fn render_routes(session: &Session, sink: &dyn Sink, routes: &[Route]) -> Vec<Diagnostic> {
    let results: Vec<Option<Diagnostic>> = routes
        .par_iter()
        .map(|route: &Route| session.render_into(route, sink).err())
        .collect();
    results.into_iter().flatten().collect()
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
    /// What the build could not use and fell back from (no git history), said once.
    pub note: Option<String>,
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
        note: None,
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
    report.note = site.history.note.clone();
    let session = Session::new(site, Arc::new(Renderer::new(theme)));
    let (files, render_diags) = render_all(&session, &staging);
    diags.extend(render_diags);
    finish(&config, &mut diags);
    let errors = diags.iter().any(|d| d.level == Level::Error);
    let fatal = diags
        .iter()
        .any(|d| d.level == Level::Error && matches!(d.rule, Rule::Template | Rule::OutputFolder));
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

/// The text of a source file, for diagnostics' excerpts (read again from disk: the
/// pipeline does not keep file texts in memory).
pub fn source_text(root: &Path, file: &str) -> Option<String> {
    // Read like any file of the site: a diagnostic may name a device or a huge file.
    let bytes =
        crate::files::read_checked(&root.join(file), None, crate::files::MAX_SOURCE_BYTES).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    Some(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}
