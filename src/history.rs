//! History: reads the git history of SOURCE once per build and gives each markdown file
//! its created and updated dates and authors, its contributors, its number of revisions
//! and the sequence of statuses its metadata has had, each with the date and commit of
//! the change. Renames are followed. A change to a document's sidecar metadata file
//! (`sidecar` in specsite.toml) is a change of the document: it counts as a revision,
//! moves its updated date, and its status beats a status written in the body.
//!
//! It runs the `git` command line: one `git rev-list` lists the commits, oldest first;
//! the list is cut into one range per core and each range goes through one
//! `git log -M -p -U0` (renames detected, patches without context). The patches are
//! only scanned for lines that name the status field and for changes near the top of a
//! file; those versions are read back with `git cat-file --batch` and their status read
//! with the parse stage's readers (front matter, then the body's metadata). Without
//! git, outside a work tree, or in a shallow clone, there is no history and a single
//! note says why; documents then keep the dates their front matter gives.

use crate::config::{Config, Phase};
use crate::load::SourceFile;
use crate::model::Document;
use crate::model::sources::Aliases;
use crate::parse::meta::Map;
use crate::parse::{Parser, frontmatter};
use jiff::civil::Date;
use rustc_hash::{FxHashMap, FxHashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// Changes that start within this many lines of the top of a file may edit metadata
/// written in the body (a `## Status` section), whose changed lines need not name it.
const HEAD_LINES: u32 = 30;

/// When and by whom a file was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The author date, in the author's time zone.
    pub date: Date,
    pub author: String,
    /// The full commit id.
    pub commit: String,
}

/// A status a file's metadata took, with the commit that set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// The status as written.
    pub status: String,
    pub date: Date,
    pub commit: String,
}

/// The history of one file, across its renames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHistory {
    pub created: Stamp,
    pub updated: Stamp,
    /// Authors by their first contribution, oldest first.
    pub contributors: Vec<String>,
    /// Commits that changed the file.
    pub revisions: usize,
    /// Every change of status, oldest first; consecutive repeats are dropped.
    pub statuses: Vec<StatusChange>,
    /// Earlier paths of the file (repository-relative), oldest first.
    pub renamed_from: Vec<String>,
}

/// What the history of SOURCE says about its files.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// SOURCE's folder inside the repository (`""` or `docs/specs/`), for links to the
    /// git host.
    pub prefix: String,
    /// SOURCE-relative path → history, for files present at HEAD.
    pub files: FxHashMap<String, FileHistory>,
    /// Why history is missing or partial, said once per build.
    pub note: Option<String>,
}

impl History {
    /// No history, with the reason.
    pub fn unavailable(note: impl Into<String>) -> Self {
        History {
            note: Some(note.into()),
            ..History::default()
        }
    }

    /// The history of a SOURCE-relative path.
    pub fn get(&self, path: &str) -> Option<&FileHistory> {
        self.files.get(path)
    }

    /// Reads the history of SOURCE. `chunks` is how many `git log` processes share the
    /// work (one per core is right); statuses are read as the configuration says.
    pub fn read(source: &Path, chunks: usize, config: &Config) -> History {
        let reader = StatusReader::new(config);
        match read(source, chunks.max(1), &reader) {
            Ok(h) => h,
            Err(note) => History::unavailable(note),
        }
    }
}

/// A `git` command run in `source`, with the environment and quoting every reader of
/// the repository relies on (`diff` materialises trees with it too).
pub(crate) fn git(source: &Path) -> Command {
    let mut c = Command::new("git");
    // Paths are compared as text: never octal-escape non-ASCII names.
    c.current_dir(source)
        .args(["-c", "core.quotepath=off", "-c", "diff.renames=true"])
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn output(mut cmd: Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn read(source: &Path, chunks: usize, reader: &StatusReader) -> Result<History, String> {
    let prefix = probe_work_tree(source)?;
    let mut list = git(source);
    // No pathspec: git matches globs against every path of every tree, which costs more
    // than the log itself; commits outside SOURCE come out empty under `--relative`.
    list.args([
        "rev-list",
        "--reverse",
        "--topo-order",
        "--no-merges",
        "HEAD",
    ]);
    let Some(commits) = output(list) else {
        return Err("the repository has no commits yet; dates come from front matter".into());
    };
    let commits: Vec<&str> = commits.lines().filter(|l| !l.is_empty()).collect();

    // Small histories are not worth a second process.
    let per = commits.len().div_ceil(chunks).max(400);
    let ranges: Vec<&[&str]> = commits.chunks(per).collect();
    let logs: Vec<Result<Vec<Commit>, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = ranges
            .iter()
            .map(|range| s.spawn(move || log_range(source, range, reader)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("git log failed".into())))
            .collect()
    });
    let mut replay = Replay {
        sidecar: reader.sidecar.clone(),
        ..Replay::default()
    };
    for log in logs {
        for commit in log? {
            replay.apply(commit);
        }
    }
    // Statuses are read where a changed line names the field; for files whose status
    // turns out to live in the body, also where a change touches the top of the file.
    let named: Vec<usize> = (0..replay.candidates.len())
        .filter(|&c| replay.candidates[c].names_status)
        .collect();
    let mut statuses: Vec<Option<ReadStatus>> = vec![None; replay.candidates.len()];
    read_statuses(
        source,
        &prefix,
        &replay.candidates,
        &named,
        reader,
        &mut statuses,
    )?;
    let in_body: FxHashSet<usize> = named
        .iter()
        .filter(|&&c| statuses[c].as_ref().is_some_and(|r| r.in_body))
        .map(|&c| replay.candidates[c].lineage)
        .collect();
    let near_top: Vec<usize> = (0..replay.candidates.len())
        .filter(|&c| {
            let cand = &replay.candidates[c];
            !cand.names_status && in_body.contains(&cand.lineage)
        })
        .collect();
    read_statuses(
        source,
        &prefix,
        &replay.candidates,
        &near_top,
        reader,
        &mut statuses,
    )?;
    let mut history = replay.finish(&statuses);
    history.prefix = prefix;
    Ok(history)
}

/// Checks that `source` is in a full (not shallow) git work tree; returns its path
/// from the top of the work tree as git spells it (`docs/`), or why there is no history.
fn probe_work_tree(source: &Path) -> Result<String, String> {
    let mut probe = git(source);
    probe.args([
        "rev-parse",
        "--is-inside-work-tree",
        "--is-shallow-repository",
        "--show-prefix",
    ]);
    let probe = match probe.output() {
        Err(_) => return Err("git is not installed; dates come from front matter".into()),
        Ok(o) if !o.status.success() => {
            return Err("SOURCE is not in a git repository; dates come from front matter".into());
        }
        Ok(o) => String::from_utf8_lossy(&o.stdout).into_owned(),
    };
    let mut lines = probe.lines();
    let (inside, shallow) = (lines.next(), lines.next());
    let prefix = lines.next().unwrap_or("").to_string();
    if inside != Some("true") {
        return Err("SOURCE is not in a git work tree; dates come from front matter".into());
    }
    if shallow == Some("true") {
        return Err(
            "the repository is a shallow clone, so its history is incomplete; dates come from \
             front matter (run `git fetch --unshallow` for history)"
                .into(),
        );
    }
    Ok(prefix)
}

/// One file of one commit, as the patch shows it.
#[derive(Debug, Default)]
struct FileChange {
    /// SOURCE-relative path after the commit.
    path: String,
    /// The path before, for renames.
    from: Option<String>,
    added: bool,
    deleted: bool,
    /// Whether an added or removed line mentions a status field.
    status_line: bool,
    /// Whether a change starts near the top of the file (see [`HEAD_LINES`]).
    near_top: bool,
}

#[derive(Debug)]
struct Commit {
    id: String,
    date: Date,
    author: String,
    files: Vec<FileChange>,
}

/// The marker that starts each commit in the log.
const COMMIT_MARK: &str = "\x01commit ";

fn log_range(source: &Path, range: &[&str], reader: &StatusReader) -> Result<Vec<Commit>, String> {
    let mut cmd = git(source);
    cmd.args([
        "log",
        "--no-walk=unsorted",
        "--stdin",
        "--relative",
        "-M",
        "-p",
        "-U0",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--format=%x01commit %H %as %an",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("cannot write to git")?;
    let input: String = range.iter().flat_map(|c| [*c, "\n"]).collect();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let stdout = child.stdout.take().ok_or("cannot read from git")?;
    let commits = parse_log(BufReader::with_capacity(1 << 16, stdout), reader);
    let _ = writer.join();
    let status = child.wait().map_err(|e| format!("git log failed: {e}"))?;
    if !status.success() {
        return Err("`git log` failed; dates come from front matter".into());
    }
    Ok(commits)
}

/// Reads `git log -p` output. Lines are read as bytes: a patch may hold any encoding.
fn parse_log(mut reader: impl BufRead, status: &StatusReader) -> Vec<Commit> {
    let mut commits: Vec<Commit> = Vec::new();
    let mut buf = Vec::with_capacity(256);
    let mut in_hunk = false;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        if let Some(rest) = line.strip_prefix(COMMIT_MARK.as_bytes()) {
            in_hunk = false;
            let rest = String::from_utf8_lossy(rest);
            let mut parts = rest.splitn(3, ' ');
            let id = parts.next().unwrap_or("").to_string();
            let date = parts.next().and_then(|d| d.parse::<Date>().ok());
            let author = parts.next().unwrap_or("").to_string();
            if let Some(date) = date {
                commits.push(Commit {
                    id,
                    date,
                    author,
                    files: Vec::new(),
                });
            }
            continue;
        }
        let Some(commit) = commits.last_mut() else {
            continue;
        };
        if let Some(rest) = line.strip_prefix(b"diff --git ") {
            in_hunk = false;
            let rest = String::from_utf8_lossy(rest);
            commit.files.push(FileChange {
                path: same_path(&rest).unwrap_or_default(),
                ..FileChange::default()
            });
            continue;
        }
        let Some(file) = commit.files.last_mut() else {
            continue;
        };
        if in_hunk {
            match line.first() {
                Some(b'+' | b'-') => {
                    if !file.status_line && status.mentions(&line[1..]) {
                        file.status_line = true;
                    }
                    continue;
                }
                Some(b'\\') => continue,
                _ => in_hunk = false,
            }
        }
        if let Some(ranges) = line.strip_prefix(b"@@ ") {
            in_hunk = true;
            file.near_top |= hunk_near_top(ranges);
        } else if line.starts_with(b"new file mode") {
            file.added = true;
        } else if line.starts_with(b"deleted file mode") {
            file.deleted = true;
        } else if let Some(p) = line.strip_prefix(b"rename from ") {
            file.from = Some(unquote(&String::from_utf8_lossy(p)));
        } else if let Some(p) = line.strip_prefix(b"rename to ") {
            file.path = unquote(&String::from_utf8_lossy(p));
        } else if let Some(p) = line.strip_prefix(b"+++ ") {
            if p != b"/dev/null" {
                file.path = strip_side(&unquote(&String::from_utf8_lossy(p)));
            }
        } else if let Some(p) = line.strip_prefix(b"--- ")
            && p != b"/dev/null"
            && file.path.is_empty()
        {
            file.path = strip_side(&unquote(&String::from_utf8_lossy(p)));
        }
    }
    commits
}

/// The path of a `diff --git a/P b/P` header whose two sides are the same path (any
/// change but a rename; renames name their paths on lines of their own).
fn same_path(header: &str) -> Option<String> {
    let header = header.trim_end();
    if header.starts_with('"') {
        let (a, b) = split_quoted(header)?;
        return (a.get(2..) == b.get(2..)).then(|| b[2..].to_string());
    }
    let half = header.len().checked_sub(1)? / 2;
    let (a, b) = (header.get(..half)?, header.get(half + 1..)?);
    (a.get(2..) == b.get(2..) && a.starts_with("a/")).then(|| a[2..].to_string())
}

fn split_quoted(header: &str) -> Option<(String, String)> {
    let end = header[1..].find("\" ")? + 1;
    Some((unquote(&header[..=end]), unquote(header[end + 2..].trim())))
}

fn strip_side(p: &str) -> String {
    p.strip_prefix("a/")
        .or_else(|| p.strip_prefix("b/"))
        .unwrap_or(p)
        .to_string()
}

/// Undoes git's C-style quoting of unusual path names (`"a\tb.md"`).
fn unquote(p: &str) -> String {
    let Some(inner) = p.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return p.to_string();
    };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut it = inner.bytes().peekable();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match it.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(d @ b'0'..=b'7') => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&n @ b'0'..=b'7') = it.peek() {
                        v = v * 8 + u32::from(n - b'0');
                        it.next();
                    }
                }
                bytes.push(v as u8);
            }
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Whether a hunk (`-a,b +c,d @@`) starts within [`HEAD_LINES`] of the top.
fn hunk_near_top(ranges: &[u8]) -> bool {
    let text = String::from_utf8_lossy(ranges);
    text.split_whitespace()
        .take(2)
        .filter_map(|r| r.get(1..)?.split(',').next()?.parse::<u32>().ok())
        .any(|line| line <= HEAD_LINES)
}

/// A file's life so far, while the log is replayed.
#[derive(Debug)]
struct Lineage {
    created: Stamp,
    updated: Stamp,
    contributors: Vec<String>,
    revisions: usize,
    renamed_from: Vec<String>,
}

/// A version of a file whose status may have to be read.
#[derive(Debug)]
struct Candidate {
    lineage: usize,
    commit: String,
    /// SOURCE-relative path at that commit.
    path: String,
    /// A changed line names the status field.
    names_status: bool,
    /// The version is of the document's sidecar metadata file.
    sidecar: bool,
}

/// A status read from a version of a file, and whether it came from the body.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ReadStatus {
    status: String,
    in_body: bool,
}

/// Replays commits oldest first, following each file through its renames.
#[derive(Debug, Default)]
struct Replay {
    lineages: Vec<Lineage>,
    /// Current path → lineage.
    at: FxHashMap<String, usize>,
    /// The configured sidecar file name, if any.
    sidecar: Option<String>,
    candidates: Vec<Candidate>,
    /// Per lineage, indices into `candidates` with their commit date.
    dates: Vec<Vec<(usize, Date)>>,
}

impl Replay {
    /// The lineage of the document a sidecar file at `path` belongs to, as the files
    /// of its folder are now: the folder's README.md or index.md, or its only markdown
    /// file (the rule `load` follows).
    fn sidecar_owner(&self, path: &str) -> Option<usize> {
        let name = self.sidecar.as_deref()?;
        let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
        if file != name {
            return None;
        }
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        // Most folders have a README.md: found without looking at every path.
        if let Some(&l) = ["README.md", "readme.md", "index.md"]
            .iter()
            .find_map(|f| self.at.get(&format!("{prefix}{f}")))
        {
            return Some(l);
        }
        let in_folder: Vec<(&String, &usize)> = self
            .at
            .iter()
            .filter(|(p, _)| {
                p.strip_prefix(&prefix)
                    .is_some_and(|rest| !rest.contains('/'))
            })
            .collect();
        let main = in_folder.iter().find(|(p, _)| {
            let f = p[prefix.len()..].to_ascii_lowercase();
            f == "readme.md" || f == "index.md"
        });
        match (main, in_folder.as_slice()) {
            (Some((_, l)), _) | (None, [(_, l)]) => Some(**l),
            _ => None,
        }
    }

    /// A commit changed a sidecar file: the document it belongs to changed.
    fn apply_sidecar(&mut self, lineage: usize, stamp: &Stamp, file: FileChange) {
        let lin = &mut self.lineages[lineage];
        // A commit that changed the document too was counted already.
        if lin.updated.commit != stamp.commit {
            lin.updated = stamp.clone();
            lin.revisions += 1;
            if !lin.contributors.contains(&stamp.author) {
                lin.contributors.push(stamp.author.clone());
            }
        }
        if file.status_line || file.added {
            self.dates[lineage].push((self.candidates.len(), stamp.date));
            self.candidates.push(Candidate {
                lineage,
                commit: stamp.commit.clone(),
                path: file.path,
                names_status: true,
                sidecar: true,
            });
        }
    }

    fn apply(&mut self, commit: Commit) {
        let stamp = Stamp {
            date: commit.date,
            author: commit.author,
            commit: commit.id,
        };
        for file in commit.files {
            if file.deleted {
                self.at.remove(&file.path);
                continue;
            }
            if let Some(lineage) = self.sidecar_owner(&file.path) {
                self.apply_sidecar(lineage, &stamp, file);
                continue;
            }
            if !crate::load::is_markdown(&file.path) {
                // A document renamed to something that is not one ends its life.
                if let Some(from) = &file.from {
                    self.at.remove(from);
                }
                continue;
            }
            let existing = match &file.from {
                Some(from) => self.at.remove(from),
                None if file.added => None,
                None => self.at.get(&file.path).copied(),
            };
            let lineage = match existing {
                Some(l) => {
                    let lin = &mut self.lineages[l];
                    lin.updated = stamp.clone();
                    lin.revisions += 1;
                    if !lin.contributors.contains(&stamp.author) {
                        lin.contributors.push(stamp.author.clone());
                    }
                    if let Some(from) = &file.from {
                        lin.renamed_from.push(from.clone());
                    }
                    l
                }
                None => {
                    self.lineages.push(Lineage {
                        created: stamp.clone(),
                        updated: stamp.clone(),
                        contributors: vec![stamp.author.clone()],
                        revisions: 1,
                        renamed_from: Vec::new(),
                    });
                    self.dates.push(Vec::new());
                    self.lineages.len() - 1
                }
            };
            self.at.insert(file.path.clone(), lineage);
            if file.status_line || file.near_top {
                self.dates[lineage].push((self.candidates.len(), stamp.date));
                self.candidates.push(Candidate {
                    lineage,
                    commit: stamp.commit.clone(),
                    path: file.path,
                    names_status: file.status_line,
                    sidecar: false,
                });
            }
        }
    }

    /// `statuses[i]` is the status of `candidates[i]`, `None` when it has none (or was
    /// not read).
    fn finish(self, statuses: &[Option<ReadStatus>]) -> History {
        let Replay {
            lineages,
            at,
            candidates,
            dates,
            ..
        } = self;
        let mut files = FxHashMap::default();
        let mut lineages: Vec<Option<Lineage>> = lineages.into_iter().map(Some).collect();
        let mut paths: Vec<(String, usize)> = at.into_iter().collect();
        paths.sort();
        for (path, l) in paths {
            let Some(lin) = lineages[l].take() else {
                continue;
            };
            let mut changes: Vec<StatusChange> = Vec::new();
            // The latest status the document's own text and its sidecar gave; the one in
            // effect is the model's choice: front matter, then sidecar, then body.
            let (mut own, mut side): (Option<&ReadStatus>, Option<&ReadStatus>) = (None, None);
            for &(c, date) in &dates[l] {
                let Some(read) = statuses.get(c).and_then(Option::as_ref) else {
                    continue;
                };
                if candidates[c].sidecar {
                    side = Some(read);
                } else {
                    own = Some(read);
                }
                let effective = match (own, side) {
                    (Some(o), _) if !o.in_body => o,
                    (_, Some(s)) => s,
                    (Some(o), None) => o,
                    (None, None) => continue,
                };
                let status = effective.status.clone();
                if changes
                    .last()
                    .is_some_and(|last| last.status.eq_ignore_ascii_case(&status))
                {
                    continue;
                }
                changes.push(StatusChange {
                    status,
                    date,
                    commit: candidates[c].commit.clone(),
                });
            }
            files.insert(
                path,
                FileHistory {
                    created: lin.created,
                    updated: lin.updated,
                    contributors: lin.contributors,
                    revisions: lin.revisions,
                    statuses: changes,
                    renamed_from: lin.renamed_from,
                },
            );
        }
        History {
            prefix: String::new(),
            files,
            note: None,
        }
    }
}

/// Reads the status of the candidates `which` with one `git cat-file --batch`, into
/// `out` (indexed like `candidates`).
fn read_statuses(
    source: &Path,
    prefix: &str,
    candidates: &[Candidate],
    which: &[usize],
    reader: &StatusReader,
    out: &mut [Option<ReadStatus>],
) -> Result<(), String> {
    if which.is_empty() {
        return Ok(());
    }
    let mut cmd = git(source);
    cmd.args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("cannot write to git")?;
    let mut input = String::new();
    for &c in which {
        let cand = &candidates[c];
        input.push_str(&cand.commit);
        input.push(':');
        input.push_str(prefix);
        input.push_str(&cand.path);
        input.push('\n');
    }
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut blobs = BufReader::with_capacity(1 << 16, child.stdout.take().ok_or("no output")?);
    let mut header = String::new();
    let mut blob = Vec::new();
    for &c in which {
        header.clear();
        if blobs.read_line(&mut header).unwrap_or(0) == 0 {
            break;
        }
        // `<id> blob <size>` or `<object> missing`.
        let size = header
            .trim_end()
            .rsplit_once(' ')
            .and_then(|(_, s)| s.parse::<usize>().ok());
        let Some(size) = size else {
            continue;
        };
        blob.resize(size + 1, 0);
        if blobs.read_exact(&mut blob).is_err() {
            break;
        }
        let text = String::from_utf8_lossy(&blob[..size]);
        out[c] = if candidates[c].sidecar {
            reader.sidecar_status(&text)
        } else {
            reader.read(&candidates[c].path, &text)
        };
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(())
}

/// Reads the status of a version of a file with the parse stage's readers: front
/// matter first (cheap), then, when it has none, the metadata of the body (a list under
/// the title, a `## Status` section), with the configured field aliases.
pub struct StatusReader {
    parser: Parser,
    aliases: Aliases,
    /// The spellings of the status field, lowercased, for scanning patches.
    names: Vec<Vec<u8>>,
    /// The configured sidecar file name.
    sidecar: Option<String>,
}

impl StatusReader {
    pub fn new(config: &Config) -> Self {
        let mut quiet = config.clone();
        // Only metadata is wanted: no highlighting.
        quiet.markdown.highlight = false;
        let mut names = vec![b"status".to_vec()];
        for alias in config.aliases.get("status").into_iter().flatten() {
            names.push(alias.to_lowercase().into_bytes());
        }
        StatusReader {
            parser: Parser::new(&quiet),
            aliases: Aliases::new(config, &["status"]),
            names,
            sidecar: config.sidecar.clone(),
        }
    }

    /// The status a version of a sidecar file declares.
    fn sidecar_status(&self, text: &str) -> Option<ReadStatus> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let map = frontmatter::parse_yaml(text, 1).ok()?;
        self.status_in(&map).map(|status| ReadStatus {
            status,
            in_body: false,
        })
    }

    /// Whether a changed line may set a status: it names the status field.
    fn mentions(&self, line: &[u8]) -> bool {
        self.names
            .iter()
            .any(|f| !f.is_empty() && line.windows(f.len()).any(|w| w.eq_ignore_ascii_case(f)))
    }

    fn status_in(&self, map: &Map) -> Option<String> {
        let entry = map
            .entries
            .iter()
            .find(|e| self.aliases.canonical(&e.key) == "status")?;
        let value = entry.value.scalar()?.trim();
        (!value.is_empty()).then(|| value.to_string())
    }

    /// The status the front matter of `text` declares.
    pub fn front_status(&self, text: &str) -> Option<String> {
        let split = frontmatter::split(text).ok()?;
        let map = frontmatter::parse(&split.front?).ok()?;
        self.status_in(&map)
    }

    fn read(&self, path: &str, text: &str) -> Option<ReadStatus> {
        if let Some(status) = self.front_status(text) {
            return Some(ReadStatus {
                status,
                in_body: false,
            });
        }
        let parsed = self.parser.parse(&SourceFile {
            path: path.to_string(),
            text: text.to_string(),
            sidecar: None,
        });
        self.status_in(&parsed.body.meta).map(|status| ReadStatus {
            status,
            in_body: true,
        })
    }
}

/// A status step of a document's timeline: the status in the kind's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The canonical name (the vocabulary's) or, when unknown, the text as written.
    pub name: String,
    pub raw: String,
    pub phase: Option<Phase>,
    pub date: Date,
    pub commit: String,
}

/// A document's history, its statuses read in its kind's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocHistory {
    pub file: FileHistory,
    /// Status steps, oldest first; steps that name the same status are merged.
    pub steps: Vec<Step>,
}

impl History {
    /// The history of a document, with its statuses named as the configuration names
    /// them (`Draft` and `draft` are one step).
    pub fn of_document(&self, doc: &Document, config: &Config) -> Option<DocHistory> {
        let file = self.get(&doc.source)?.clone();
        let vocab = config.statuses.of(doc.kind);
        let mut steps: Vec<Step> = Vec::with_capacity(file.statuses.len());
        for change in &file.statuses {
            let def = config
                .statuses
                .lookup(doc.kind, &change.status)
                .and_then(|i| vocab.get(i));
            let name = def.map_or_else(|| change.status.clone(), |d| d.name.clone());
            if steps.last().is_some_and(|s| s.name == name) {
                continue;
            }
            steps.push(Step {
                name,
                raw: change.status.clone(),
                phase: def.map(|d| d.phase),
                date: change.date,
                commit: change.commit.clone(),
            });
        }
        Some(DocHistory { file, steps })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_headers_give_paths_even_with_spaces() {
        assert_eq!(same_path("a/x y.md b/x y.md").as_deref(), Some("x y.md"));
        assert_eq!(same_path("a/a.md b/b.md"), None);
        assert_eq!(
            same_path("\"a/caf\\303\\251.md\" \"b/caf\\303\\251.md\"").as_deref(),
            Some("café.md")
        );
    }

    #[test]
    fn log_is_parsed_into_commits_files_and_status_mentions() {
        let log = "\x01commit aaa 2026-01-10 Ada Lovelace\n\
            \n\
            diff --git a/f.md b/f.md\n\
            new file mode 100644\n\
            --- /dev/null\n\
            +++ b/f.md\n\
            @@ -0,0 +1,3 @@\n\
            +---\n\
            +status: draft\n\
            +---\n\
            \x01commit bbb 2026-02-02 Grace Hopper\n\
            \n\
            diff --git a/f.md b/g.md\n\
            similarity index 90%\n\
            rename from f.md\n\
            rename to g.md\n\
            --- a/f.md\n\
            +++ b/g.md\n\
            @@ -45 +45 @@\n\
            -text\n\
            +more text\n";
        let reader = StatusReader::new(&Config::default());
        let commits = parse_log(log.as_bytes(), &reader);
        assert_eq!(commits.len(), 2);
        assert_eq!(commits[0].author, "Ada Lovelace");
        assert_eq!(commits[0].date.to_string(), "2026-01-10");
        let f = &commits[0].files[0];
        assert!(f.added && f.status_line && f.path == "f.md");
        let g = &commits[1].files[0];
        assert_eq!((g.from.as_deref(), g.path.as_str()), (Some("f.md"), "g.md"));
        assert!(!g.status_line && !g.added && !g.near_top);
        assert!(f.near_top);
    }

    #[test]
    fn status_is_read_from_front_matter_then_the_body() {
        let r = StatusReader::new(&Config::default());
        let read = |text: &str| r.read("a.md", text).map(|r| (r.status, r.in_body));
        assert_eq!(
            read("---\ntitle: x\nstatus: Last Call\n---\nbody\n"),
            Some(("Last Call".into(), false))
        );
        assert_eq!(
            read("+++\nstatus = \"shipped\"\n+++\n"),
            Some(("shipped".into(), false))
        );
        assert_eq!(
            read("# 1. Use a queue\n\n## Status\n\nAccepted\n\n## Context\n"),
            Some(("Accepted".into(), true))
        );
        assert_eq!(
            read("# Title\n\n* Status: proposed\n* Deciders: Ann\n"),
            Some(("proposed".into(), true))
        );
        assert_eq!(read("no metadata, status: x\n"), None);
        assert!(r.mentions(b"+status: x") && !r.mentions(b"+title: x"));
        assert!(hunk_near_top(b"-0,0 +1,3 @@") && !hunk_near_top(b"-40 +41,2 @@"));
    }
}
