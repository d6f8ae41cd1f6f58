//! Stage 1, load: walks SOURCE, lists its markdown files and the other files (so that
//! specs can link and embed them), and reads the markdown. [`scan`] only lists, so a
//! build can read each file on the core that parses it and drop its text right after:
//! a large repository's texts are never all in memory at once. [`load`] reads them all.
//! [`read_checked`] is the one way any file of a site is opened (documents, sidecars,
//! assets, templates, `specsite.toml`, `people.toml`): SOURCE is untrusted input.

use crate::config::{CONFIG_FILE, Config, PEOPLE_FILE};
use crate::diagnostic::{Diagnostic, Rule};
use crate::files::{MAX_MACHINERY_BYTES, MAX_SOURCE_BYTES, read_text, to_rel};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A markdown file read from SOURCE.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceFile {
    /// Relative to SOURCE, with `/` separators.
    pub path: String,
    pub text: String,
    /// The configured metadata file next to it (`sidecar` in specsite.toml), when the
    /// document is its folder's main file.
    pub sidecar: Option<Sidecar>,
}

/// A YAML metadata file read for a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sidecar {
    /// Relative to SOURCE.
    pub path: String,
    pub text: String,
}

/// Everything read from SOURCE.
#[derive(Debug, Default)]
pub struct Source {
    pub root: PathBuf,
    /// Sorted by path.
    pub files: Vec<SourceFile>,
    /// Other files (images, attachments), relative to SOURCE: candidates for copying.
    pub assets: BTreeSet<String>,
    /// The text of `people.toml`, when present.
    pub people: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// SOURCE listed but its markdown not read yet: what [`scan`] finds.
#[derive(Debug, Default)]
pub struct Scan {
    /// Sorted by path.
    pub files: Vec<Unread>,
    pub assets: BTreeSet<String>,
    pub people: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A markdown file found in SOURCE, to be read with [`Unread::read`].
#[derive(Debug, Clone)]
pub struct Unread {
    /// Relative to SOURCE, with `/` separators.
    pub path: String,
    full: PathBuf,
    /// The sidecar metadata file to read with it, relative to SOURCE.
    sidecar: Option<(String, PathBuf)>,
}

impl Unread {
    /// Reads the file and its sidecar. A file that cannot be read is `None`, with the
    /// reason; a sidecar that cannot be read is left out, with the reason.
    pub fn read(self) -> (Option<SourceFile>, Option<Diagnostic>) {
        let mut file = match read_file(self.path, &self.full) {
            Ok(f) => f,
            Err(d) => return (None, Some(d)),
        };
        let Some((rel, full)) = self.sidecar else {
            return (Some(file), None);
        };
        // The walk that found the sidecar already refused links out of SOURCE.
        match read_text(&full, None, MAX_SOURCE_BYTES, Rule::InvalidMetadata, &rel) {
            Ok(text) => {
                file.sidecar = Some(Sidecar { path: rel, text });
                (Some(file), None)
            }
            Err(d) => (
                Some(file),
                Some(d.help("a metadata file must be UTF-8 YAML")),
            ),
        }
    }
}

/// Folders at the root of SOURCE that hold the site's machinery, not content.
const MACHINERY: &[&str] = &["templates", "themes", "static", "node_modules", "target"];

/// Whether a file name is a markdown document.
pub fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// Whether the loader skips a path (relative to SOURCE): hidden entries, the site's
/// machinery, the output folder and what the configuration ignores.
pub fn is_skipped(rel: &str, config: &Config, out_rel: Option<&str>) -> bool {
    let mut segments = rel.split('/');
    let first = segments.next().unwrap_or("");
    if rel
        .split('/')
        .any(|s| s.starts_with('.') && s != "." && s != "..")
    {
        return true;
    }
    if MACHINERY.contains(&first) && rel.contains('/') {
        return true;
    }
    if MACHINERY.contains(&rel) {
        return true;
    }
    if let Some(out) = out_rel
        && (rel == out || rel.starts_with(&format!("{out}/")))
    {
        return true;
    }
    config.is_ignored(rel)
}

/// Reads SOURCE: [`scan`], then every markdown file read in parallel. `out` is the
/// output folder, skipped when it lies inside SOURCE.
pub fn load(root: &Path, config: &Config, out: Option<&Path>) -> Source {
    let scan = scan(root, config, out);
    let mut source = Source {
        root: root.to_path_buf(),
        files: Vec::with_capacity(scan.files.len()),
        assets: scan.assets,
        people: scan.people,
        diagnostics: scan.diagnostics,
    };
    let read: Vec<_> = scan.files.into_par_iter().map(Unread::read).collect();
    for (file, diag) in read {
        source.files.extend(file);
        source.diagnostics.extend(diag);
    }
    source
}

/// Lists SOURCE without reading its markdown. `out` is the output folder, skipped when
/// it lies inside SOURCE.
pub fn scan(root: &Path, config: &Config, out: Option<&Path>) -> Scan {
    let mut source = Scan::default();
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let out_rel = out
        .and_then(|o| o.canonicalize().ok())
        .and_then(|o| o.strip_prefix(&canonical_root).ok().map(to_rel));

    let mut markdown: Vec<(String, PathBuf)> = Vec::new();
    let mut outside_links: Vec<String> = Vec::new();
    let mut non_utf8_names: Vec<(String, String, bool)> = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let rel = e.path().strip_prefix(root).map(to_rel).unwrap_or_default();
            if rel.is_empty() {
                return true;
            }
            if is_skipped(&rel, config, out_rel.as_deref()) {
                return false;
            }
            // Paths are text from here on; a name that is not UTF-8 would become its
            // lossy form, and two names differing only in their invalid bytes one file.
            if e.file_name().to_str().is_none() {
                let name = e.file_name().as_encoded_bytes().escape_ascii().to_string();
                non_utf8_names.push((rel, name, e.file_type().is_dir()));
                return false;
            }
            // A link may point anywhere; follow it only if it stays inside SOURCE, so a
            // spec repo never publishes (or walks) files from elsewhere. Checking every
            // link on the way down covers files below linked folders too.
            let outside = e.path_is_symlink()
                && e.path()
                    .canonicalize()
                    .is_ok_and(|c| !c.starts_with(&canonical_root));
            if outside {
                outside_links.push(rel);
            }
            !outside
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map(to_rel)
                    .unwrap_or_default();
                let what = if e.loop_ancestor().is_some() {
                    "a symbolic link loops back to a folder above it; it is not followed"
                        .to_string()
                } else {
                    format!("cannot read: {e}")
                };
                source.diagnostics.push(
                    Diagnostic::new(Rule::ReadError, rel, what)
                        .help("remove the link or fix the file's permissions"),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = match entry.path().strip_prefix(root) {
            Ok(r) => to_rel(r),
            Err(_) => continue,
        };
        if rel == CONFIG_FILE {
            continue;
        }
        if rel == PEOPLE_FILE {
            match read_text(entry.path(), None, MAX_MACHINERY_BYTES, Rule::Config, &rel) {
                Ok(text) => source.people = Some(text),
                Err(d) => source.diagnostics.push(d),
            }
            continue;
        }
        if is_markdown(&rel) {
            markdown.push((rel, entry.into_path()));
        } else {
            source.assets.insert(rel);
        }
    }
    report_left_out(&mut source, outside_links, non_utf8_names);
    source.files = unread_files(root, config, &source.assets, markdown);
    source
}

/// Reports what the walk left out: links out of SOURCE and names that are not UTF-8.
fn report_left_out(
    source: &mut Scan,
    outside_links: Vec<String>,
    non_utf8_names: Vec<(String, String, bool)>,
) {
    for rel in outside_links {
        source.diagnostics.push(
            Diagnostic::new(
                Rule::ReadError,
                rel,
                "a symbolic link points outside SOURCE; it is not followed",
            )
            .help("copy the files into the repository instead of linking to them"),
        );
    }

    for (rel, name, is_dir) in non_utf8_names {
        let what = if is_dir { "folder" } else { "file" };
        source.diagnostics.push(
            Diagnostic::new(
                Rule::NotUtf8,
                rel,
                format!(
                    "the {what} name '{name}' is not valid UTF-8, so the {what} is left out \
                     of the site (specsite works with names as text)"
                ),
            )
            .help("rename it using UTF-8 characters"),
        );
    }
}

/// The markdown files found, sorted by path, each with its sidecar metadata file.
fn unread_files(
    root: &Path,
    config: &Config,
    assets: &BTreeSet<String>,
    mut markdown: Vec<(String, PathBuf)>,
) -> Vec<Unread> {
    // The walk orders by file name per folder ("a/b.md" before "a-c.md"); the
    // documented order is by path text, which `serve`'s path-keyed cache keeps too.
    markdown.sort_by(|a, b| a.0.cmp(&b.0));
    let sidecars = match &config.sidecar {
        Some(name) => sidecars(&markdown, assets, name),
        None => vec![None; markdown.len()],
    };
    markdown
        .into_iter()
        .zip(sidecars)
        .map(|((path, full), sidecar)| Unread {
            path,
            full,
            sidecar: sidecar.map(|rel| {
                let full = root.join(&rel);
                (rel, full)
            }),
        })
        .collect()
}

/// The folder of a SOURCE-relative path (`""` at the root).
pub fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The sidecar metadata file of each markdown file (in `markdown`'s order): each
/// folder's main document (README.md or index.md, or the folder's only markdown file)
/// has the one next to it, when there is one.
fn sidecars(
    markdown: &[(String, PathBuf)],
    assets: &BTreeSet<String>,
    name: &str,
) -> Vec<Option<String>> {
    let mut per_folder: std::collections::HashMap<&str, usize> = Default::default();
    for (path, _) in markdown {
        *per_folder.entry(parent(path)).or_default() += 1;
    }
    markdown
        .iter()
        .map(|(path, _)| {
            let dir = parent(path);
            let file_name = &path[dir.len()..]
                .trim_start_matches('/')
                .to_ascii_lowercase();
            let main =
                matches!(file_name.as_str(), "readme.md" | "index.md") || per_folder[dir] == 1;
            let sidecar = if dir.is_empty() {
                name.to_string()
            } else {
                format!("{dir}/{name}")
            };
            (main && assets.contains(&sidecar)).then_some(sidecar)
        })
        .collect()
}

/// Reads one markdown file, reporting non-UTF-8 content with its position. The walk
/// that found it already refused links out of SOURCE.
pub fn read_file(rel: String, path: &Path) -> Result<SourceFile, Diagnostic> {
    let text = read_text(path, None, MAX_SOURCE_BYTES, Rule::ReadError, &rel)?;
    Ok(SourceFile {
        path: rel,
        text,
        sidecar: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_hidden_machinery_output_and_ignored() {
        let c = Config {
            ignore: vec!["drafts/".into()],
            ..Config::default()
        };
        assert!(is_skipped(".git/config", &c, None));
        assert!(is_skipped("features/.a.md.swp", &c, None));
        assert!(is_skipped("templates/base.html", &c, None));
        assert!(is_skipped("public/index.html", &c, Some("public")));
        assert!(is_skipped("drafts/x.md", &c, None));
        assert!(!is_skipped("features/a.md", &c, Some("public")));
        assert!(!is_skipped("publicity/a.md", &c, Some("public")));
    }

    #[test]
    fn names_that_are_not_utf8_are_reported_not_merged() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let files = dir.path().join("files");
        std::fs::create_dir_all(&files).unwrap();
        for name in [&b"a\xff.png"[..], b"a\xfe.png", b"ok.png"] {
            std::fs::write(files.join(std::ffi::OsStr::from_bytes(name)), name).unwrap();
        }
        let folder = dir.path().join(std::ffi::OsStr::from_bytes(b"d\xff"));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("x.md"), "# X\n").unwrap();
        let scan = scan(dir.path(), &Config::default(), None);
        assert_eq!(
            scan.assets.iter().collect::<Vec<_>>(),
            ["files/ok.png"],
            "neither lossy name is published"
        );
        assert!(
            scan.files.is_empty(),
            "nothing below a non-UTF-8 folder is read"
        );
        let reported: Vec<(Rule, &str)> = scan
            .diagnostics
            .iter()
            .map(|d| (d.rule, d.file.as_str()))
            .collect();
        assert_eq!(
            reported,
            [
                (Rule::NotUtf8, "d\u{FFFD}"),
                (Rule::NotUtf8, "files/a\u{FFFD}.png"),
                (Rule::NotUtf8, "files/a\u{FFFD}.png"),
            ]
        );
        assert!(scan.diagnostics[0].message.contains("folder name 'd\\xff'"));
        assert!(
            scan.diagnostics[1]
                .message
                .contains("file name 'a\\xfe.png'")
        );
        assert!(
            scan.diagnostics[2]
                .message
                .contains("file name 'a\\xff.png'")
        );
    }

    #[test]
    fn reports_invalid_utf8_with_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        std::fs::write(&p, b"ok\nab\xffcd\n").unwrap();
        let err = read_file("a.md".into(), &p).unwrap_err();
        assert_eq!(err.rule, Rule::NotUtf8);
        assert_eq!((err.line, err.column), (2, 3));
    }
}
