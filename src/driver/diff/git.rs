//! Git for `diff`: finds SOURCE's repository, resolves the refs to compare and
//! materialises SOURCE's folder as it is in a commit into a temp folder, so the stages
//! can read it like any folder.
//!
//! A tree is materialised with `git read-tree` into a temp index file and `git
//! checkout-index --prefix` into the temp folder: git writes the files itself (its own
//! path checks refuse `..` and `.git` in a crafted tree, symbolic links stay links),
//! hooks are looked up in an empty folder (writing an index would run
//! post-index-change), and the repository's index, work tree and worktree
//! list are never touched.

use crate::history::git;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// SOURCE's place in its repository.
#[derive(Debug, Clone)]
pub struct Repo {
    /// SOURCE itself, where git commands run.
    source: PathBuf,
    /// The work tree's top: index commands run there, since run in a subfolder they
    /// see only the index entries below it.
    top: PathBuf,
    /// SOURCE's folder relative to the repository's top, without a trailing `/`;
    /// empty when SOURCE is the top.
    prefix: String,
}

/// Why a git step failed; said to the user as a usage error.
pub type GitError = String;

/// The last non-empty line git wrote to stderr, for messages.
fn reason(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string()
}

/// Runs `cmd`, returning its stdout, or git's own reason when it fails.
fn run(mut cmd: Command, what: &str) -> Result<String, GitError> {
    let out = cmd
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run git ({e}); is git installed?"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("{what}: {}", reason(&out.stderr)))
    }
}

impl Repo {
    /// The repository SOURCE lies in.
    pub fn open(source: &Path) -> Result<Repo, GitError> {
        let mut probe = git(source);
        probe.args([
            "rev-parse",
            "--is-inside-work-tree",
            "--show-toplevel",
            "--show-prefix",
        ]);
        let out = run(probe, "SOURCE is not in a git work tree").map_err(|e| {
            format!(
                "{e} ({}); diff compares git refs, so SOURCE must be inside a repository",
                source.display()
            )
        })?;
        let mut lines = out.lines();
        if lines.next() != Some("true") {
            return Err(format!(
                "SOURCE ({}) is not inside a git work tree",
                source.display()
            ));
        }
        let top = PathBuf::from(lines.next().unwrap_or("."));
        let prefix = lines.next().unwrap_or("").trim_end_matches('/').to_string();
        Ok(Repo {
            source: source.to_path_buf(),
            top,
            prefix,
        })
    }

    /// The commit a ref names. Refs starting with `-` are refused before git sees
    /// them, so a ref can never be read as an option.
    pub fn resolve(&self, rev: &str) -> Result<String, GitError> {
        if rev.is_empty() || rev.starts_with('-') {
            return Err(format!(
                "'{rev}' is not a git ref; name a branch, tag or commit (refs cannot start with '-')"
            ));
        }
        let mut cmd = git(&self.source);
        cmd.args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
            .arg(format!("{rev}^{{commit}}"));
        match run(cmd, "") {
            Ok(out) if !out.trim().is_empty() => Ok(out.trim().to_string()),
            _ => Err(format!(
                "unknown git ref '{rev}': no branch, tag or commit of that name in the repository of {} (try `git fetch`, or `git branch -a` to list them)",
                self.source.display()
            )),
        }
    }

    /// Writes SOURCE's folder as it is in `commit` into `dir` (a new, empty folder) and
    /// returns where SOURCE is in it. A commit without SOURCE's folder gives an empty
    /// folder: the site did not exist yet.
    pub fn materialise(&self, commit: &str, dir: &Path) -> Result<PathBuf, GitError> {
        let tree_dir = dir.join("tree");
        std::fs::create_dir(&tree_dir)
            .map_err(|e| format!("cannot create {}: {e}", tree_dir.display()))?;
        let Some(tree) = self.tree(commit)? else {
            return Ok(tree_dir);
        };
        let index = dir.join("index");
        // Writing an index runs the repository's post-index-change hook, and an
        // fsmonitor hook may run for index operations: hooks are looked up in an empty
        // folder of ours instead, so none runs.
        let no_hooks = dir.join("no-hooks");
        std::fs::create_dir(&no_hooks)
            .map_err(|e| format!("cannot create {}: {e}", no_hooks.display()))?;
        let mut hooks_path = OsString::from("core.hooksPath=");
        hooks_path.push(no_hooks.as_os_str());
        let in_temp_index = |args: &[&str]| {
            let mut cmd = git(&self.top);
            cmd.arg("-c")
                .arg(&hooks_path)
                .args(["-c", "core.fsmonitor=false"])
                .args(args)
                .env("GIT_INDEX_FILE", &index);
            cmd
        };
        run(in_temp_index(&["read-tree", &tree]), "git read-tree failed")?;
        let mut prefix = OsString::from("--prefix=");
        prefix.push(tree_dir.as_os_str());
        prefix.push("/");
        let mut checkout = in_temp_index(&["checkout-index", "--all", "--force"]);
        checkout.arg(prefix);
        run(checkout, "git checkout-index failed")?;
        Ok(tree_dir)
    }

    /// The id of SOURCE's tree in `commit`; `None` when the commit has no such folder.
    fn tree(&self, commit: &str) -> Result<Option<String>, GitError> {
        let mut cmd = git(&self.source);
        cmd.args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
            .arg(format!("{commit}:{}", self.prefix));
        let Ok(oid) = run(cmd, "") else {
            return Ok(None);
        };
        let oid = oid.trim().to_string();
        let mut kind = git(&self.source);
        kind.args(["cat-file", "-t", &oid]);
        Ok((run(kind, "git cat-file failed")?.trim() == "tree").then_some(oid))
    }
}
