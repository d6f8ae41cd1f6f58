//! Driver support: prints diagnostics for people and for machines. Every command that
//! reports problems (`build`, `check`, `serve`, `diff`) prints them through here, in one
//! of three formats: rustc-like text with the source line and a caret, one JSON object
//! per line, or GitHub Actions workflow commands.

use crate::diagnostic::{Diagnostic, Level};
use crate::escape::{github, terminal};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::path::Path;

/// Output formats of `check` and `build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-like, with the source line and a caret.
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands, which annotate pull requests.
    Github,
}

/// Writes diagnostics in `format`. `text_of` returns the text of a source file (for
/// the human format's excerpts). Diagnostics come sorted by file: each run of them in
/// one file reads it once, and runs are written in parallel, since a large repository
/// can have tens of thousands of warnings.
pub fn render(
    diags: &[Diagnostic],
    format: Format,
    text_of: &(dyn Fn(&str) -> Option<String> + Sync),
) -> String {
    let parts: Vec<String> = diags
        .par_chunk_by(|a, b| a.file == b.file)
        .map(|group| {
            let mut out = String::new();
            let wants_text =
                format == Format::Human && group.iter().any(|d| d.line > 0 && !d.file.is_empty());
            let text = wants_text.then(|| text_of(&group[0].file)).flatten();
            let line_of = |line: u32| text.as_deref().and_then(|t| crate::text::nth_line(t, line));
            for d in group {
                match format {
                    Format::Human => render_human(&mut out, d, &line_of),
                    Format::Json => {
                        out.push_str(&serde_json::to_string(d).unwrap_or_default());
                        out.push('\n');
                    }
                    Format::Github => render_github(&mut out, d),
                }
            }
            out
        })
        .collect();
    parts.concat()
}

/// The rustc-like format. Everything that comes from the spec repository (file names,
/// messages quoting ids and links, help, the source line) goes through
/// [`terminal`], so a file cannot write escape sequences to the reader's terminal.
fn render_human<'t>(out: &mut String, d: &Diagnostic, line_of: &dyn Fn(u32) -> Option<&'t str>) {
    let _ = writeln!(
        out,
        "{}[{}]: {}",
        d.level.as_str(),
        d.rule,
        terminal(&d.message)
    );
    let help = d.help.as_deref().map(terminal);
    if d.file.is_empty() {
        if let Some(help) = help {
            let _ = writeln!(out, "  = help: {help}");
        }
        out.push('\n');
        return;
    }
    let gutter = d.line.max(1).to_string().len();
    let pad = " ".repeat(gutter);
    let file = terminal(&d.file);
    match (d.line, d.column) {
        (0, _) => {
            let _ = writeln!(out, "{pad}--> {file}");
        }
        (line, 0) => {
            let _ = writeln!(out, "{pad}--> {file}:{line}");
        }
        (line, col) => {
            let _ = writeln!(out, "{pad}--> {file}:{line}:{col}");
        }
    }
    if d.line > 0
        && let Some(text) = line_of(d.line)
    {
        let shown: String = text
            .chars()
            .take(200)
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{} | {}", d.line, terminal(&shown));
        if d.column > 0 {
            // The caret stands under the character, however wide the escapes before
            // it were shown.
            let col = (d.column as usize - 1).min(200);
            let before: String = shown.chars().take(col).collect();
            let width = terminal(&before).chars().count() + col - before.chars().count();
            let indent = " ".repeat(width);
            let carets = "^".repeat((d.span as usize).clamp(1, 200));
            let _ = writeln!(out, "{pad} | {indent}{carets}");
        }
    }
    if let Some(help) = help {
        let _ = writeln!(out, "{pad} = help: {help}");
    }
    out.push('\n');
}

fn render_github(out: &mut String, d: &Diagnostic) {
    let command = match d.level {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    let mut props = Vec::new();
    if !d.file.is_empty() {
        props.push(format!("file={}", github(&d.file, true)));
    }
    if d.line > 0 {
        props.push(format!("line={}", d.line));
    }
    if d.column > 0 {
        props.push(format!("col={}", d.column));
    }
    props.push(format!("title={}", github(d.rule.as_str(), true)));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let _ = writeln!(
        out,
        "::{command} {}::{}",
        props.join(","),
        github(&message, false)
    );
}

pub(crate) fn summary(errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, 0) => String::new(),
        (e, w) => format!(" ({e} error{}, {w} warning{})", plural(e), plural(w)),
    }
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// One line on what the build fell back from (never per file).
pub(crate) fn print_note(note: Option<&str>) {
    if let Some(note) = note {
        eprintln!("info: {note}");
    }
}

pub(crate) fn print_diagnostics(root: &Path, diags: &[Diagnostic], format: Format) {
    // Human and GitHub output name files from the current folder, as compilers do, so
    // terminals and GitHub's annotations find them; JSON keeps paths relative to SOURCE.
    let prefix = match format {
        Format::Json => String::new(),
        Format::Human | Format::Github => path_prefix(root),
    };
    let shown: Vec<Diagnostic> = diags
        .iter()
        .map(|d| {
            let mut d = d.clone();
            if !d.file.is_empty() && !Path::new(&d.file).is_absolute() {
                d.file = format!("{prefix}{}", d.file);
            }
            d
        })
        .collect();
    let text = render(&shown, format, &|file| {
        super::build::source_text(Path::new(""), file)
    });
    match format {
        // Machine formats go to stdout so they can be piped; human text to stderr.
        Format::Json | Format::Github => print!("{text}"),
        Format::Human => eprint!("{text}"),
    }
}

/// What to put before a SOURCE-relative path to name the file from the current folder:
/// `""` for `.`, `docs/` for `docs` or `./docs/`, and for an absolute SOURCE its path
/// below the current folder, or the absolute path when it lies elsewhere.
fn path_prefix(root: &Path) -> String {
    let relative = if root.is_absolute() {
        let cwd = std::env::current_dir().ok();
        let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        match cwd.map(|c| canon(&c)) {
            Some(cwd) => canon(root)
                .strip_prefix(&cwd)
                .map_or_else(|_| root.to_path_buf(), Path::to_path_buf),
            None => root.to_path_buf(),
        }
    } else {
        root.to_path_buf()
    };
    let mut prefix = String::new();
    for part in relative.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::RootDir => prefix.push('/'),
            other => {
                prefix.push_str(&other.as_os_str().to_string_lossy());
                prefix.push('/');
            }
        }
    }
    prefix
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Pos, Rule};

    fn sample() -> Diagnostic {
        Diagnostic::new(
            Rule::BrokenLink,
            "features/a.md",
            "no document with id 'PRD-9'",
        )
        .at(Pos::new(12, 5))
        .span(5)
        .help("did you mean 'PRD-1'?")
    }

    #[test]
    fn human_format_shows_location_excerpt_caret_and_help() {
        let text = render(&[sample()], Format::Human, &|file| {
            assert_eq!(file, "features/a.md");
            Some(format!("{}See [[PRD-9]] for more\n", "\n".repeat(11)))
        });
        assert!(text.starts_with("error[broken-link]: no document with id 'PRD-9'\n"));
        assert!(text.contains("  --> features/a.md:12:5\n"), "{text}");
        assert!(text.contains("12 | See [[PRD-9]] for more\n"), "{text}");
        assert!(text.contains("   |     ^^^^^\n"), "{text}");
        assert!(text.contains("= help: did you mean 'PRD-1'?"), "{text}");
    }

    #[test]
    fn json_format_is_one_object_per_line_with_stable_fields() {
        let text = render(&[sample(), sample()], Format::Json, &|_| None);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(v["rule"], "broken-link");
        assert_eq!(v["level"], "error");
        assert_eq!(v["line"], 12);
        assert_eq!(v["column"], 5);
        assert_eq!(v["help"], "did you mean 'PRD-1'?");
        let order: Vec<usize> = ["rule", "level", "file", "line", "column", "message", "help"]
            .iter()
            .map(|k| lines[0].find(&format!("\"{k}\":")).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{}", lines[0]);
    }

    #[test]
    fn github_format_escapes_properties_and_message() {
        let d = Diagnostic::new(Rule::BrokenLink, "a,b:c.md", "50% off\nnext").at(Pos::new(3, 1));
        let text = render(&[d], Format::Github, &|_| None);
        assert_eq!(
            text,
            "::error file=a%2Cb%3Ac.md,line=3,col=1,title=broken-link::50%25 off%0Anext\n"
        );
    }

    #[test]
    fn control_characters_from_specs_are_shown_not_obeyed() {
        let d = Diagnostic::new(
            Rule::BrokenLink,
            "a\x1b[2J.md",
            "no 'X\x1b]8;;http://evil\x07'",
        )
        .at(Pos::new(1, 6))
        .help("fix\r\nerror: forged");
        let text = render(std::slice::from_ref(&d), Format::Human, &|_| {
            Some("\x1b[31m[[X]]\n".into())
        });
        assert!(!text.contains(['\x1b', '\r', '\x07']), "{text:?}");
        assert!(text.contains("a\\u{1b}[2J.md:1:6"), "{text}");
        assert!(text.contains("= help: fix\\r\\nerror: forged\n"), "{text}");
        // The caret stays under `[[` (column 6), after the ten characters `\u{1b}[31m`.
        assert!(text.contains("1 | \\u{1b}[31m[[X]]\n"), "{text}");
        assert!(
            text.contains(&format!("  | {}^\n", " ".repeat(10))),
            "{text}"
        );

        let github = render(&[d], Format::Github, &|_| None);
        assert_eq!(
            github,
            "::error file=a\\u{1b}[2J.md,line=1,col=6,title=broken-link::no 'X\\u{1b}]8;;http://evil\\u{7}'%0Ahelp: fix%0D%0Aerror: forged\n"
        );
    }

    #[test]
    fn paths_are_shown_from_the_current_folder() {
        assert_eq!(path_prefix(Path::new(".")), "");
        assert_eq!(path_prefix(Path::new("./docs/")), "docs/");
        assert_eq!(path_prefix(Path::new("docs/specs")), "docs/specs/");
        assert_eq!(path_prefix(Path::new("../specs")), "../specs/");
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(path_prefix(&cwd.join("example-site")), "example-site/");
        assert_eq!(path_prefix(&cwd), "");
    }
}
