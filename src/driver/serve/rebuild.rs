//! `serve`'s incremental driver of load → parse → model → link. It keeps every markdown
//! file's modelled [`Document`] keyed by path and content hash; when files change it
//! re-reads and re-models only those, then links the whole site again (the link stage
//! is one pass of lookups and sorts). Pages are not rendered here: the server renders
//! a route when a browser asks for it. A change to the configuration or the templates
//! rebuilds everything.

use crate::config::{CONFIG_FILE, Config, PEOPLE_FILE};
use crate::diagnostic::{Diagnostic, Level};
use crate::driver::build::{self, Options};
use crate::link::{self, Site};
use crate::load::{self, SourceFile};
use crate::model::{self, Document};
use crate::parse::Parser;
use crate::render::{Renderer, theme::Theme};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One markdown file as last read.
#[derive(Debug, Clone)]
struct Entry {
    /// Hash of the file's text: a save that changes nothing re-models nothing.
    hash: u64,
    /// `None` when the file could not be read (its diagnostic says why).
    doc: Option<Arc<Document>>,
    /// The parse and model stages' errors for this file, at their configured levels.
    errors: Vec<Diagnostic>,
    /// And how many warnings: a large site can have thousands, which the preview
    /// counts but does not show, so they are not kept.
    warnings: usize,
}

impl Entry {
    fn new(hash: u64, doc: Option<Document>, diags: Vec<Diagnostic>, config: &Config) -> Entry {
        let (errors, warnings) = split(config, diags);
        Entry {
            hash,
            doc: doc.map(Arc::new),
            errors,
            warnings,
        }
    }
}

/// Applies the configured levels and splits errors from (counted) warnings.
fn split(config: &Config, mut diags: Vec<Diagnostic>) -> (Vec<Diagnostic>, usize) {
    config.apply_levels(&mut diags);
    let total = diags.len();
    diags.retain(|d| d.level == Level::Error);
    let warnings = total - diags.len();
    (diags, warnings)
}

/// What the watcher saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// These paths (absolute) were created, written, renamed or removed.
    Paths(Vec<PathBuf>),
    /// Events were lost (the watcher's queue overflowed): read everything again.
    Rescan,
}

/// A linked site, ready to publish.
pub struct Rebuilt {
    pub site: Site,
    pub renderer: Arc<Renderer>,
    /// Errors at their configured levels, sorted.
    pub errors: Vec<Diagnostic>,
    pub warnings: usize,
    /// Whether the site has the same routes as the one built before it.
    pub same_routes: bool,
}

/// The state kept between rebuilds.
pub struct Rebuilder {
    opts: Options,
    /// The output folder relative to SOURCE, skipped like `build` skips it.
    out_rel: Option<String>,
    config: Arc<Config>,
    parser: Parser,
    renderer: Arc<Renderer>,
    files: BTreeMap<String, Entry>,
    assets: BTreeSet<String>,
    people: Option<String>,
    /// Problems of the walk (unreadable files, links out of SOURCE).
    walk_diags: Vec<Diagnostic>,
    /// A broken configuration or template: reported, and the last good one kept.
    setup_diags: Vec<Diagnostic>,
    /// The git history, read when the preview starts (`None`: turned off).
    history: Option<crate::history::History>,
    /// The last link stage's output.
    last: Option<Linked>,
    /// Markdown files re-modelled since the last link, with the document each had.
    edited: Vec<(String, Option<Arc<Document>>)>,
    /// Whether anything else changed since the last link (files added or removed,
    /// people, configuration): then the whole site is linked again.
    structural: bool,
}

/// What the last link produced, kept so that an edit which changes nothing the link
/// stage reads (a title, a paragraph, a metric's actual) reuses it: the new site is the
/// old graph with the edited documents swapped in, which is exactly what linking again
/// would give (see [`link::links_alike`]).
struct Linked {
    site: Site,
    /// Errors of the link stage, configuration and walk, and the count of warnings.
    errors: Vec<Diagnostic>,
    warnings: usize,
    /// Files the link stage reported something in: their positions matter.
    diag_files: Arc<rustc_hash::FxHashSet<String>>,
}

/// Hashes what a document is modelled from: its text and its sidecar's.
fn hash_file(file: &SourceFile) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(file.text.as_bytes());
    h.write_usize(file.text.len());
    if let Some(sidecar) = &file.sidecar {
        h.write(sidecar.path.as_bytes());
        h.write(sidecar.text.as_bytes());
        h.write_usize(sidecar.text.len());
    }
    h.finish()
}

impl Rebuilder {
    /// Reads the configuration and the theme. `opts.source` must be canonical (the
    /// watcher reports canonical paths).
    pub fn new(opts: Options) -> Result<Rebuilder, Diagnostic> {
        let config = Arc::new(build::load_config(&opts)?);
        let history = build::start_history(&opts, &config);
        let theme = Theme::load(&opts.source, &config)?;
        let out_rel = opts
            .out
            .as_deref()
            .and_then(|o| o.strip_prefix(&opts.source).ok())
            .map(crate::files::to_rel);
        Ok(Rebuilder {
            parser: Parser::new(&config),
            renderer: Arc::new(Renderer::new(theme)),
            config,
            opts,
            out_rel,
            files: BTreeMap::new(),
            assets: BTreeSet::new(),
            people: None,
            walk_diags: Vec::new(),
            setup_diags: Vec::new(),
            history: build::join_history(history),
            last: None,
            edited: Vec::new(),
            structural: true,
        })
    }

    /// Reads every file (re-modelling only those whose text changed) and links.
    pub fn build_all(&mut self) -> Rebuilt {
        self.rescan();
        self.link()
    }

    /// Applies what the watcher saw. `None` when nothing the site depends on changed.
    pub fn apply(&mut self, change: &Change) -> Option<Rebuilt> {
        let today = build::today();
        if today != self.opts.today {
            // Verdicts depend on the date: model everything again past midnight.
            self.opts.today = today;
            self.files.clear();
            self.rescan();
            return Some(self.link());
        }
        let changed = match change {
            Change::Rescan => {
                self.reload_setup();
                self.rescan();
                true
            }
            Change::Paths(paths) => self.apply_paths(paths),
        };
        changed.then(|| self.link())
    }

    /// Whether `path` (absolute) is the configuration file given outside SOURCE.
    fn is_outside_config(&self, path: &Path) -> bool {
        self.opts.config.as_deref() == Some(path)
    }

    fn apply_paths(&mut self, paths: &[PathBuf]) -> bool {
        let (mut setup, mut rescan, mut changed) = (false, false, false);
        for abs in paths {
            let rel = match abs.strip_prefix(&self.opts.source) {
                Ok(r) => crate::files::to_rel(r),
                Err(_) => {
                    setup |= self.is_outside_config(abs);
                    continue;
                }
            };
            let first = rel.split('/').next().unwrap_or("");
            if rel.is_empty() {
                rescan = true;
            } else if (rel == CONFIG_FILE && self.opts.config.is_none())
                || first == "templates"
                || first == "themes"
            {
                setup = true;
            } else if load::is_skipped(&rel, &self.config, self.out_rel.as_deref()) {
                continue;
            } else if rel == PEOPLE_FILE {
                self.people = crate::files::read_checked(
                    abs,
                    Some(&self.opts.source),
                    crate::files::MAX_MACHINERY_BYTES,
                )
                .ok()
                .and_then(|b| String::from_utf8(b).ok());
                self.structural = true;
                changed = true;
            } else {
                match self.apply_path(rel, abs) {
                    Step::Unchanged => {}
                    Step::Changed => changed = true,
                    Step::Rescan => rescan = true,
                }
            }
        }
        if setup {
            self.reload_setup();
        }
        if setup || rescan {
            self.rescan();
            changed = true;
        }
        changed
    }

    fn apply_path(&mut self, rel: String, abs: &Path) -> Step {
        if self.config.sidecar.is_some() && (load::is_markdown(&rel) || self.is_sidecar(&rel)) {
            // Which document a sidecar belongs to depends on the other files of its
            // folder: the walk works that out (still re-modelling only changed texts).
            return Step::Rescan;
        }
        match std::fs::symlink_metadata(abs) {
            Ok(m) if m.is_file() => {
                // A file reached through a linked folder may live outside SOURCE; the
                // full walk decides (and reports) that.
                let root = &self.opts.source;
                if !abs.canonicalize().is_ok_and(|c| c.starts_with(root)) {
                    return Step::Rescan;
                }
                // What the walk said about this path (a link out of SOURCE, an
                // unreadable file) was about what stood here before: a markdown file
                // is read again below, and an asset is as good as its bytes.
                let had_walk_error = self.drop_walk_diags(&rel);
                if load::is_markdown(&rel) {
                    match self.update_markdown(rel, abs) {
                        // Same text, but the walk's error about it is gone.
                        Step::Unchanged if had_walk_error => {
                            self.structural = true;
                            Step::Changed
                        }
                        step => step,
                    }
                } else {
                    // A new file can be a link target; a known one changed only its
                    // bytes, which are read when served.
                    self.structural |= self.assets.insert(rel) | had_walk_error;
                    Step::Changed
                }
            }
            Ok(m) if m.is_dir() || m.is_symlink() => Step::Rescan,
            Ok(_) => Step::Unchanged,
            Err(_) => {
                // A removed bad link takes its error with it.
                let had_walk_error = self.drop_walk_diags(&rel);
                let had = self.files.remove(&rel).is_some() | self.assets.remove(&rel);
                if had || had_walk_error {
                    self.structural = true;
                    Step::Changed
                } else if self.holds_folder(&rel) {
                    // A folder was removed or renamed away.
                    Step::Rescan
                } else {
                    Step::Unchanged
                }
            }
        }
    }

    fn is_sidecar(&self, rel: &str) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        self.config.sidecar.as_deref() == Some(name)
    }

    fn holds_folder(&self, rel: &str) -> bool {
        let prefix = format!("{rel}/");
        let under = |first: Option<&String>| first.is_some_and(|k| k.starts_with(&prefix));
        under(self.files.range(prefix.clone()..).next().map(|(k, _)| k))
            || under(self.assets.range(prefix.clone()..).next())
    }

    /// Forgets the walk's diagnostics about `rel`; whether there were any.
    fn drop_walk_diags(&mut self, rel: &str) -> bool {
        let before = self.walk_diags.len();
        self.walk_diags.retain(|d| d.file != rel);
        self.walk_diags.len() != before
    }

    fn update_markdown(&mut self, rel: String, abs: &Path) -> Step {
        let entry = match load::read_file(rel.clone(), abs) {
            Ok(file) => {
                let hash = hash_file(&file);
                if self.files.get(&rel).is_some_and(|e| e.hash == hash) {
                    return Step::Unchanged;
                }
                self.model(&file, hash)
            }
            Err(d) => Entry::new(0, None, vec![d], &self.config),
        };
        let old = self.files.insert(rel.clone(), entry).and_then(|e| e.doc);
        // A new, or newly (un)readable, document changes the set of documents.
        self.structural |= old.is_none() || self.files[&rel].doc.is_none();
        self.edited.push((rel, old));
        Step::Changed
    }

    fn model(&self, file: &SourceFile, hash: u64) -> Entry {
        let cx = model::Context::new(&self.config, self.opts.today);
        let none = crate::history::History::default();
        let history = self.history.as_ref().unwrap_or(&none);
        let (doc, diags) = build::document(&self.parser, file, &cx, history);
        Entry::new(hash, Some(doc), diags, &self.config)
    }

    /// Reads the configuration and the theme again. A broken one is reported and the
    /// last good one kept, so the preview stays up.
    fn reload_setup(&mut self) {
        self.setup_diags.clear();
        match build::load_config(&self.opts) {
            Ok(c) if c != *self.config => {
                self.config = Arc::new(c);
                self.parser = Parser::new(&self.config);
                // Parsing and modelling depend on the configuration.
                self.files.clear();
            }
            Ok(_) => {}
            Err(d) => self.setup_diags.push(d),
        }
        match Theme::load(&self.opts.source, &self.config) {
            Ok(t) => self.renderer = Arc::new(Renderer::new(t)),
            Err(d) => self.setup_diags.push(d),
        }
    }

    /// Walks and reads SOURCE; re-models the files whose text changed.
    fn rescan(&mut self) {
        self.structural = true;
        let source = load::load(&self.opts.source, &self.config, self.opts.out.as_deref());
        let old = std::mem::take(&mut self.files);
        let entries: Vec<(String, Entry)> = source
            .files
            .into_par_iter()
            .map(|f| {
                let hash = hash_file(&f);
                let entry = match old.get(&f.path) {
                    Some(e) if e.hash == hash && e.doc.is_some() => e.clone(),
                    _ => self.model(&f, hash),
                };
                (f.path, entry)
            })
            .collect();
        self.files = entries.into_iter().collect();
        self.assets = source.assets;
        self.people = source.people;
        self.walk_diags = source.diagnostics;
    }

    fn link(&mut self) -> Rebuilt {
        let edited = std::mem::take(&mut self.edited);
        let structural = std::mem::replace(&mut self.structural, false);
        let reused = if structural {
            None
        } else {
            self.swap_edited(&edited)
        };
        let same_routes = reused.is_some()
            && edited.iter().all(|(path, old)| {
                let new = self.files.get(path).and_then(|e| e.doc.as_deref());
                matches!((old, new), (Some(a), Some(b)) if crate::render::lists::routes_alike(a, b))
            });
        let (site, mut errors, mut warnings, diag_files) = match reused {
            Some(swapped) => swapped,
            None => self.link_all(),
        };
        self.last = Some(Linked {
            site: site.clone(),
            errors: errors.clone(),
            warnings,
            diag_files,
        });
        for entry in self.files.values() {
            errors.extend(entry.errors.iter().cloned());
            warnings += entry.warnings;
        }
        crate::diagnostic::sort(&mut errors);
        Rebuilt {
            site,
            renderer: self.renderer.clone(),
            errors,
            warnings,
            same_routes,
        }
    }

    /// The last linked site with the edited documents swapped in, when every edit left
    /// what the link stage reads as it was; `None` when the site must be linked again.
    fn swap_edited(&self, edited: &[(String, Option<Arc<Document>>)]) -> Option<LinkOutput> {
        let last = self.last.as_ref()?;
        let mut docs = last.site.docs.clone();
        for (path, old) in edited {
            let old = old.as_ref()?;
            let new = self.files.get(path)?.doc.as_ref()?;
            let &d = last.site.graph.by_path.get(path)?;
            // The link stage may have given the document another id (file-name ids
            // that collide); then it is not the one that was read.
            // A file without link diagnostics may move its links to other lines: the
            // graph holds no positions.
            let placed = last.diag_files.contains(path);
            if !Arc::ptr_eq(&docs[d], old) || !link::links_alike(old, new, placed) {
                return None;
            }
            docs[d] = new.clone();
        }
        let site = last.site.with_docs(docs);
        Some((
            site,
            last.errors.clone(),
            last.warnings,
            last.diag_files.clone(),
        ))
    }

    /// Links the whole site; returns it with the errors of the link stage, the
    /// configuration and the walk, and their count of warnings.
    fn link_all(&self) -> LinkOutput {
        let docs: Vec<Arc<Document>> = self.files.values().filter_map(|e| e.doc.clone()).collect();
        let mut diags = Vec::new();
        let mut site = build::link_site(
            &self.opts,
            self.config.clone(),
            docs,
            self.people.as_deref(),
            &self.assets,
            &mut diags,
        );
        build::attach_history(&mut site, self.history.as_ref());
        let diag_files = Arc::new(diags.iter().map(|d| d.file.clone()).collect());
        diags.extend(self.setup_diags.iter().cloned());
        diags.extend(self.walk_diags.iter().cloned());
        let (errors, warnings) = split(&self.config, diags);
        (site, errors, warnings, diag_files)
    }
}

/// A linked site; the errors of the link stage, configuration and walk; their count
/// of warnings; the files the link stage reported something in.
type LinkOutput = (
    Site,
    Vec<Diagnostic>,
    usize,
    Arc<rustc_hash::FxHashSet<String>>,
);

enum Step {
    Unchanged,
    Changed,
    Rescan,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Rule;

    fn site_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("features");
        std::fs::create_dir(&f).unwrap();
        std::fs::write(
            f.join("a.md"),
            "---\nid: A-1\ntitle: Alpha\ncreated: 2026-01-01\n---\nSee [[B-1]].\n",
        )
        .unwrap();
        std::fs::write(f.join("b.md"), "---\nid: B-1\ntitle: Beta\n---\nHello.\n").unwrap();
        dir
    }

    fn rebuilder(dir: &Path) -> Rebuilder {
        let root = dir.canonicalize().unwrap();
        let mut opts = Options::new(&root);
        opts.out = Some(root.join("public"));
        Rebuilder::new(opts).unwrap()
    }

    #[test]
    fn remodels_only_changed_files_and_relinks() {
        let dir = site_dir();
        let mut r = rebuilder(dir.path());
        let first = r.build_all();
        assert_eq!(first.site.docs.len(), 2);
        let b_before = r.files["features/b.md"].doc.clone().unwrap();

        let a = r.opts.source.join("features/a.md");
        std::fs::write(&a, "---\nid: A-1\ntitle: Alpha two\n---\nNo links.\n").unwrap();
        let next = r.apply(&Change::Paths(vec![a.clone()])).expect("changed");
        assert_eq!(next.site.docs[0].title, "Alpha two");
        assert!(
            Arc::ptr_eq(&b_before, r.files["features/b.md"].doc.as_ref().unwrap()),
            "the unchanged file is not modelled again"
        );
        assert!(
            next.site.graph.incoming[1].is_empty(),
            "B's backlink from A is gone"
        );

        // Saving the same text again changes nothing.
        std::fs::write(&a, "---\nid: A-1\ntitle: Alpha two\n---\nNo links.\n").unwrap();
        assert!(r.apply(&Change::Paths(vec![a])).is_none());
    }

    #[test]
    fn an_edit_that_links_the_same_keeps_the_graph() {
        let dir = site_dir();
        let mut r = rebuilder(dir.path());
        let first = r.build_all();
        let a = r.opts.source.join("features/a.md");
        let text =
            "---\nid: A-1\ntitle: Alpha two\ncreated: 2026-14-01\n---\nSee [[B-1]].\n\nMore.\n";
        std::fs::write(&a, text).unwrap();
        let next = r.apply(&Change::Paths(vec![a.clone()])).expect("changed");
        assert!(Arc::ptr_eq(&first.site.graph, &next.site.graph));
        assert!(next.same_routes);
        assert_eq!(next.site.docs[0].title, "Alpha two");
        assert!(
            !next.errors.is_empty() && next.errors.iter().all(|d| d.file == "features/a.md"),
            "the edited file's own problems are reported"
        );
        // Exactly what linking from scratch gives.
        let fresh = rebuilder(dir.path()).build_all();
        assert_eq!(
            format!("{:?}", fresh.site.graph),
            format!("{:?}", next.site.graph)
        );
        assert_eq!(fresh.errors, next.errors);
        assert_eq!(fresh.warnings, next.warnings);

        // The same link on another line, in a file with no link diagnostics, keeps
        // the graph; in a file with one (B links a missing id), it links again.
        std::fs::write(&a, text.replace("See", "\nSee")).unwrap();
        let moved = r.apply(&Change::Paths(vec![a.clone()])).expect("changed");
        assert!(Arc::ptr_eq(&first.site.graph, &moved.site.graph));
        let b = r.opts.source.join("features/b.md");
        std::fs::write(&b, "---\nid: B-1\ntitle: Beta\n---\nSee [[NOPE]].\n").unwrap();
        let broken = r.apply(&Change::Paths(vec![b.clone()])).expect("changed");
        assert!(broken.errors.iter().any(|d| d.rule == Rule::BrokenLink));
        std::fs::write(&b, "---\nid: B-1\ntitle: Beta\n---\n\nSee [[NOPE]].\n").unwrap();
        let shifted = r.apply(&Change::Paths(vec![b.clone()])).expect("changed");
        assert!(!Arc::ptr_eq(&broken.site.graph, &shifted.site.graph));
        let line = |x: &Rebuilt| {
            x.errors
                .iter()
                .find(|d| d.rule == Rule::BrokenLink)
                .map(|d| d.line)
        };
        assert_eq!(
            line(&shifted),
            line(&broken).map(|l| l + 1),
            "the error moved with its link"
        );
        std::fs::write(&b, "---\nid: B-1\ntitle: Beta\n---\nHello.\n").unwrap();
        r.apply(&Change::Paths(vec![b])).expect("changed");

        // A changed link links again.
        std::fs::write(&a, "---\nid: A-1\ntitle: Alpha two\n---\nNo links.\n").unwrap();
        let third = r.apply(&Change::Paths(vec![a])).expect("changed");
        assert!(!Arc::ptr_eq(&next.site.graph, &third.site.graph));
        assert!(third.site.graph.incoming[1].is_empty());
    }

    #[test]
    fn deleted_files_and_folders_leave_the_site() {
        let dir = site_dir();
        let mut r = rebuilder(dir.path());
        r.build_all();
        let b = r.opts.source.join("features/b.md");
        std::fs::remove_file(&b).unwrap();
        let next = r.apply(&Change::Paths(vec![b])).expect("changed");
        assert_eq!(next.site.docs.len(), 1);
        assert!(
            next.errors.iter().any(|d| d.rule == Rule::BrokenLink),
            "A's link to the deleted B is reported"
        );

        let folder = r.opts.source.join("features");
        std::fs::remove_dir_all(&folder).unwrap();
        let next = r.apply(&Change::Paths(vec![folder])).expect("changed");
        assert!(next.site.docs.is_empty());
    }

    #[test]
    fn a_broken_config_keeps_the_last_good_one() {
        let dir = site_dir();
        let mut r = rebuilder(dir.path());
        r.build_all();
        let config = r.opts.source.join(CONFIG_FILE);
        std::fs::write(&config, "title = \"Specs\"\nnot valid").unwrap();
        let next = r.apply(&Change::Paths(vec![config.clone()])).unwrap();
        assert!(next.errors.iter().any(|d| d.rule == Rule::Config));
        assert_eq!(next.site.docs.len(), 2);
        std::fs::write(&config, "title = \"Specs\"\n").unwrap();
        let next = r.apply(&Change::Paths(vec![config])).unwrap();
        assert!(!next.errors.iter().any(|d| d.rule == Rule::Config));
        assert_eq!(next.site.config.title, "Specs");
    }
}
