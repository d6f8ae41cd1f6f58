//! Watches SOURCE for changes with `notify` (the system's file events, or polling with
//! `--poll` for file systems without them), drops what is noise (version control, the
//! output folder, editors' temporary files) and hands each burst of changes over as one
//! batch once the files have been quiet for a moment, so an editor's save (often a
//! write to a temporary file, then a rename) causes one rebuild, not three.

use super::rebuild::Change;
use notify::{EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// How long the files must be quiet before a batch is handed over: long enough to
/// gather an atomic save's events, short enough not to be felt.
const DEBOUNCE: Duration = Duration::from_millis(30);

/// How often `--poll` looks at every file.
const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// Whether a changed path is noise: version control folders, editors' temporary and
/// backup files (vim's `.swp` and `4913` probe, emacs' `.#lock` and `#autosave#`,
/// `~` backups) and anything under `out` (the output folder).
pub fn is_noise(path: &Path, out: Option<&Path>) -> bool {
    if out.is_some_and(|o| path.starts_with(o)) {
        return true;
    }
    if path.components().any(|c| {
        let s = c.as_os_str().to_string_lossy();
        matches!(s.as_ref(), ".git" | ".hg" | ".svn" | ".jj")
    }) {
        return true;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name == "4913"
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", ".crswap"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// A running watcher; dropping it stops watching.
pub struct Watching {
    _watcher: Box<dyn Watcher + Send>,
}

/// Starts watching `root` (and `extra` files outside it, such as a `--config` file) and
/// calls `on_change` on a thread of its own for every batch.
pub fn spawn(
    root: &Path,
    extra: &[PathBuf],
    out: Option<PathBuf>,
    poll: bool,
    mut on_change: impl FnMut(Change) + Send + 'static,
) -> notify::Result<Watching> {
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher: Box<dyn Watcher + Send> = if poll {
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
        Box::new(notify::PollWatcher::new(tx, config)?)
    } else {
        Box::new(notify::RecommendedWatcher::new(
            tx,
            notify::Config::default(),
        )?)
    };
    watcher.watch(root, RecursiveMode::Recursive)?;
    for file in extra {
        watcher.watch(file, RecursiveMode::NonRecursive)?;
    }
    std::thread::Builder::new()
        .name("specsite-watch".into())
        .spawn(move || {
            while let Some(change) = next_batch(&rx, out.as_deref()) {
                on_change(change);
            }
        })?;
    Ok(Watching { _watcher: watcher })
}

/// Waits for the next burst of relevant events and returns it; `None` when the watcher
/// has stopped.
fn next_batch(
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    out: Option<&Path>,
) -> Option<Change> {
    loop {
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut rescan = false;
        let mut take = |event: notify::Result<notify::Event>| match event {
            Ok(e) => {
                if e.need_rescan() {
                    rescan = true;
                }
                // Reading a file (ours included) is not a change.
                if matches!(e.kind, EventKind::Access(_)) {
                    return;
                }
                paths.extend(e.paths.into_iter().filter(|p| !is_noise(p, out)));
            }
            // The backend lost track (e.g. its queue overflowed): read everything.
            Err(_) => rescan = true,
        };
        take(rx.recv().ok()?);
        loop {
            match rx.recv_timeout(DEBOUNCE) {
                Ok(event) => take(event),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            }
        }
        if rescan {
            return Some(Change::Rescan);
        }
        if !paths.is_empty() {
            paths.sort();
            paths.dedup();
            return Some(Change::Paths(paths));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_recognised() {
        let out = Path::new("/s/public");
        for p in [
            "/s/.git/index",
            "/s/features/.a.md.swp",
            "/s/features/4913",
            "/s/features/a.md~",
            "/s/features/.#a.md",
            "/s/features/#a.md#",
            "/s/public/index.html",
        ] {
            assert!(is_noise(Path::new(p), Some(out)), "{p} is noise");
        }
        for p in [
            "/s/features/a.md",
            "/s/publicity/a.md",
            "/s/static/site.css",
        ] {
            assert!(!is_noise(Path::new(p), Some(out)), "{p} is not noise");
        }
    }
}
