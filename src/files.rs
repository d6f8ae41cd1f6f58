//! Reading files of SOURCE safely, for every stage that reads one (configuration,
//! documents, templates, assets, diagnostics' excerpts): a path must stay inside SOURCE
//! with its links resolved, only regular files are read, and each kind of file has a
//! size cap. A refused file is named; its content is never read or printed.

use crate::diagnostic::{Diagnostic, Pos, Rule};
use std::path::Path;

/// The most bytes a file of the site's machinery may hold: `specsite.toml`,
/// `people.toml`, a template. Real ones are a few kilobytes; the cap keeps a link to
/// `/dev/zero`-like content (or a huge file) from taking all memory.
pub const MAX_MACHINERY_BYTES: u64 = 4 * 1024 * 1024;

/// The most bytes a document, sidecar or asset may hold: GitHub refuses files over
/// 100 MiB, so no real spec repository holds a larger one.
pub const MAX_SOURCE_BYTES: u64 = 100 * 1024 * 1024;

/// Why [`read_checked`] did not read a file.
#[derive(Debug)]
pub enum Refused {
    /// Nothing is there (not even a dangling link).
    NotFound,
    /// The path, or a link on it, resolves outside the folder it must stay in.
    Outside,
    /// A folder, device, FIFO or socket: reading one could block or never end.
    NotAFile,
    /// Over the size cap; holds the file's size and the cap.
    TooLarge(u64, u64),
    Io(std::io::Error),
}

impl Refused {
    /// The diagnostic for this refusal, under `rule`, naming the file `shown`.
    pub fn diagnostic(self, rule: Rule, shown: &str) -> Diagnostic {
        let (message, help) = match self {
            Refused::NotFound => (
                "cannot read: no such file".to_string(),
                "check the path".to_string(),
            ),
            Refused::Outside => (
                "a symbolic link points outside SOURCE; it is not followed".to_string(),
                "copy the file into the repository instead of linking to it".to_string(),
            ),
            Refused::NotAFile => (
                "not a regular file (a folder, device, FIFO or socket); it is not read".to_string(),
                "replace it with a regular file".to_string(),
            ),
            Refused::TooLarge(size, cap) => (
                format!("the file is {size} bytes, over the limit of {cap} bytes; it is not read"),
                "split the file or remove what does not belong in it".to_string(),
            ),
            Refused::Io(e) => (
                format!("cannot read: {e}"),
                "check the file's permissions".to_string(),
            ),
        };
        Diagnostic::new(rule, shown, message).help(help)
    }
}

/// Reads a file the way every file of a site is read: only a regular file (never a
/// device, FIFO or socket, which is checked on the opened file, so swapping the path in
/// between changes nothing), at most `cap` bytes, and, with `inside`, only when the
/// path, symbolic links resolved, stays inside that folder. Without `inside` the
/// caller vouches for the path: the walk of SOURCE checked it, or the user named it.
pub fn read_checked(path: &Path, inside: Option<&Path>, cap: u64) -> Result<Vec<u8>, Refused> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let not_found = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::NotFound && std::fs::symlink_metadata(path).is_err() {
            Refused::NotFound
        } else {
            Refused::Io(e)
        }
    };
    let mut flags = libc::O_NONBLOCK | libc::O_CLOEXEC;
    let resolved = match inside {
        Some(root) => {
            let root = root.canonicalize().map_err(Refused::Io)?;
            let resolved = path.canonicalize().map_err(not_found)?;
            if !resolved.starts_with(&root) {
                return Err(Refused::Outside);
            }
            // Resolved: any link appearing on it now is someone racing the check.
            flags |= libc::O_NOFOLLOW;
            resolved
        }
        None => path.to_path_buf(),
    };
    // Checked before opening too: opening some devices has effects of its own.
    let meta = std::fs::metadata(&resolved).map_err(not_found)?;
    if !meta.is_file() {
        return Err(Refused::NotAFile);
    }
    // Non-blocking, so a FIFO put in place after the check cannot hang the open.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(flags)
        .open(&resolved)
        .map_err(not_found)?;
    let meta = file.metadata().map_err(Refused::Io)?;
    if !meta.is_file() {
        return Err(Refused::NotAFile);
    }
    if meta.len() > cap {
        return Err(Refused::TooLarge(meta.len(), cap));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // One byte past the cap tells a file that grew since the check.
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(Refused::Io)?;
    if bytes.len() as u64 > cap {
        return Err(Refused::TooLarge(bytes.len() as u64, cap));
    }
    Ok(bytes)
}

/// [`read_checked`] for a text file: a refusal or non-UTF-8 content is a diagnostic
/// under `rule` naming the file `shown` (non-UTF-8 at its line and column).
pub fn read_text(
    path: &Path,
    inside: Option<&Path>,
    cap: u64,
    rule: Rule,
    shown: &str,
) -> Result<String, Diagnostic> {
    let bytes = read_checked(path, inside, cap).map_err(|r| r.diagnostic(rule, shown))?;
    utf8(bytes, shown)
}

/// Text from bytes, or a `not-utf8` diagnostic at the first invalid byte.
pub fn utf8(bytes: Vec<u8>, shown: &str) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let before = &e.as_bytes()[..valid];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let col = String::from_utf8_lossy(&before[line_start..])
                .chars()
                .count()
                + 1;
            Err(Diagnostic::new(
                Rule::NotUtf8,
                shown,
                format!("the file is not valid UTF-8 (byte {valid} is not)"),
            )
            .at(Pos::new(line, col))
            .help("save the file as UTF-8 (most editors: \"Save with encoding\")"))
        }
    }
}

/// A relative path as `/`-separated text.
pub fn to_rel(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}
