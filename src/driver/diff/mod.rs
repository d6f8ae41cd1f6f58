//! `specsite diff BASE [HEAD]`: what a change does to the specs, for pull requests.
//! Both sides go through the stages `check` runs (load → parse → model → link, via
//! [`build::load_site`], without rendering); a git ref's side is SOURCE's folder as it
//! is in that commit, materialised into a temp folder ([`git`]), and a missing HEAD is
//! the work tree as it is. [`compare`] turns the two sites into one change list and
//! [`report`] writes it as markdown (a pull-request comment), JSON or terminal text.
//!
//! Neither side reads git history: dates that only git gives are left out, and the
//! comparison looks only at fields the files state.

pub mod compare;
pub mod git;
pub mod report;

use crate::diagnostic::Diagnostic;
use crate::driver::build;
use compare::{Changes, Side};
use jiff::civil::Date;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What `diff` compares.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site's folder, inside a git work tree.
    pub source: PathBuf,
    pub base: String,
    /// `None`: the work tree as it is.
    pub head: Option<String>,
    /// A configuration file outside SOURCE, used for both sides as it is now.
    pub config: Option<PathBuf>,
    pub base_url: Option<String>,
    pub today: Date,
}

/// Why `diff` could not compare.
#[derive(Debug)]
pub enum Failure {
    /// A bad ref, no repository, no git (exit 2).
    Usage(String),
    /// A side whose configuration cannot be read (exit 1): which side, and why.
    Config(String, Box<Diagnostic>),
}

/// Compares the two sides of `opts`.
pub fn diff(opts: &Options) -> Result<Changes, Failure> {
    let repo = git::Repo::open(&opts.source).map_err(Failure::Usage)?;
    let base_commit = repo.resolve(&opts.base).map_err(Failure::Usage)?;
    let head_commit = match &opts.head {
        Some(head) => Some(repo.resolve(head).map_err(Failure::Usage)?),
        None => None,
    };
    let (base, head) = rayon::join(
        || at_commit(&repo, &base_commit, &opts.base, opts),
        || match &head_commit {
            Some(commit) => at_commit(&repo, commit, opts.head.as_deref().unwrap_or(""), opts),
            None => load(&opts.source, "the work tree", opts),
        },
    );
    Ok(compare::compare(&base?, &head?))
}

/// Loads SOURCE as it is in `commit` (named `name` in messages).
fn at_commit(repo: &git::Repo, commit: &str, name: &str, opts: &Options) -> Result<Side, Failure> {
    let temp = tempfile::Builder::new()
        .prefix("specsite-diff-")
        .tempdir()
        .map_err(|e| Failure::Usage(format!("cannot make a temp folder: {e}")))?;
    let source = repo
        .materialise(commit, temp.path())
        .map_err(|e| Failure::Usage(format!("cannot read {name}: {e}")))?;
    // The temp folder is removed when `temp` drops, after loading: the loaded site
    // keeps no file open and reads nothing later.
    load(&source, name, opts)
}

/// Runs load → parse → model → link over one side.
fn load(source: &Path, name: &str, opts: &Options) -> Result<Side, Failure> {
    let options = build::Options {
        source: source.to_path_buf(),
        out: None,
        base_url: opts.base_url.clone(),
        config: opts.config.clone(),
        today: opts.today,
        history: false,
    };
    let config =
        build::load_config(&options).map_err(|d| Failure::Config(name.to_string(), Box::new(d)))?;
    let (site, diagnostics) = build::load_site(&options, Arc::new(config));
    Ok(Side { site, diagnostics })
}
