//! The command line: parses arguments with clap and runs the matching driver. Exit
//! codes: 0 success, 1 content errors, 2 usage errors.

use super::report::{Format, print_diagnostics, print_note, summary};
use crate::config::Kind;
use crate::diagnostic;
use crate::driver::build::{self, Options};
use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(
    name = "specsite",
    version,
    about = "Build a cross-linked static site from a repository of product specs, decision records and roadmaps."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into a folder (SOURCE/public by default).
    #[command(
        after_help = "Examples:\n  specsite build\n  specsite build docs --out _site --base-url https://specs.example.com/"
    )]
    Build {
        /// The repository of specs.
        #[arg(default_value = ".")]
        source: PathBuf,
        /// The output folder. It must be new, empty or one specsite built before.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Overrides `base_url` from specsite.toml (absolute URLs in the sitemap and feeds).
        #[arg(long)]
        base_url: Option<String>,
        /// A specsite.toml kept outside SOURCE.
        #[arg(long)]
        config: Option<PathBuf>,
        /// How to print problems.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Write the site even when there are errors (the exit code is still 1).
        #[arg(long)]
        keep_going: bool,
    },
    /// Check links, front matter and consistency rules without writing anything.
    #[command(
        after_help = "Examples:\n  specsite check\n  specsite check docs --strict --format github"
    )]
    Check {
        /// The repository of specs.
        #[arg(default_value = ".")]
        source: PathBuf,
        /// How to print problems: human, json, or github (annotations in GitHub Actions).
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        /// A specsite.toml kept outside SOURCE.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Preview the site with live reload, served from memory.
    #[command(after_help = "Examples:\n  specsite serve --open\n  specsite serve docs --port 8080")]
    Serve {
        /// The repository of specs.
        #[arg(default_value = ".")]
        source: PathBuf,
        /// The port (default: 4000, or the next free one).
        #[arg(long)]
        port: Option<u16>,
        /// The address to listen on. Anything but a loopback address exposes the
        /// preview to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes (for network and container file systems without events).
        #[arg(long)]
        poll: bool,
        /// A specsite.toml kept outside SOURCE.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Create a new feature, decision or roadmap with the next free id.
    #[command(
        after_help = "Examples:\n  specsite new feature \"Instant payouts\"\n  specsite new decision \"Use Postgres for the ledger\" docs"
    )]
    New {
        /// feature, decision or roadmap.
        kind: String,
        /// The title of the new document, on one line.
        title: String,
        /// The repository of specs (default: the current folder).
        source: Option<PathBuf>,
        /// The repository of specs, as a flag (the same as SOURCE).
        #[arg(long = "source", value_name = "SOURCE", conflicts_with = "source")]
        source_flag: Option<PathBuf>,
        /// A specsite.toml kept outside SOURCE.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Report what a change does to the specs between two git refs.
    ///
    /// Documents added and removed, status and owner changes, metric goals, actuals and
    /// verdicts, superseded decisions, roadmap moves and new diagnostics, between BASE
    /// and HEAD (the work tree when left out). Exit 0 whenever it ran.
    #[command(
        after_help = "Examples:\n  specsite diff main\n  specsite diff origin/main HEAD --source docs --format markdown"
    )]
    Diff {
        /// The git ref before the change (a branch, tag or commit).
        base: String,
        /// The git ref after the change; the work tree as it is when left out.
        head: Option<String>,
        /// The site's folder inside the git repository.
        #[arg(long, default_value = ".")]
        source: PathBuf,
        /// human (terminal), markdown (a pull-request comment) or json.
        #[arg(long, value_enum, default_value = "human")]
        format: crate::driver::diff::report::DiffFormat,
        /// Overrides `base_url` from specsite.toml (markdown links documents to their pages).
        #[arg(long)]
        base_url: Option<String>,
        /// A specsite.toml kept outside SOURCE, used for both sides.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Write a starter specsite.toml, folders and one example of each kind; with
    /// --detect, write the specsite.toml that maps an existing repo instead.
    #[command(
        after_help = "Examples:\n  specsite init my-specs\n  specsite init --ci github\n  specsite init --detect docs"
    )]
    Init {
        /// The folder to set up (created when missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Look at the existing repo in DIR and write the configuration that maps its
        /// folders, field names and statuses. Nothing else is written.
        #[arg(long)]
        detect: bool,
        /// With --detect: where to write the configuration (default DIR/specsite.toml),
        /// so a repo can be published without adding files to it.
        #[arg(long, requires = "detect")]
        config: Option<PathBuf>,
        /// Also write the CI files that check the specs on every change and publish the
        /// site: github, gitlab or netlify. Existing files are left as they are.
        #[arg(long, value_enum, conflicts_with = "detect")]
        ci: Option<crate::driver::ci::Service>,
    },
}

/// Runs the command line; returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Build {
            source,
            out,
            base_url,
            config,
            format,
            keep_going,
        } => {
            let mut opts = Options::new(&source);
            opts.out = out;
            opts.base_url = base_url;
            opts.config = config;
            run_build(&opts, format, keep_going)
        }
        Command::Check {
            source,
            format,
            strict,
            config,
        } => {
            let mut opts = Options::new(&source);
            opts.config = config;
            run_check(&opts, format, strict)
        }
        Command::Serve {
            source,
            port,
            bind,
            open,
            poll,
            config,
        } => {
            if let Err(code) = require_folder("SOURCE", &source) {
                return code;
            }
            crate::driver::serve::serve(&crate::driver::serve::ServeOptions {
                source,
                port,
                bind,
                open,
                poll,
                config,
            })
        }
        Command::New {
            kind,
            title,
            source,
            source_flag,
            config,
        } => {
            let source = source_flag.or(source).unwrap_or_else(|| PathBuf::from("."));
            run_new(&source, config.as_deref(), &kind, &title)
        }
        Command::Diff {
            base,
            head,
            source,
            format,
            base_url,
            config,
        } => {
            if let Err(code) = require_folder("SOURCE", &source) {
                return code;
            }
            run_diff(
                crate::driver::diff::Options {
                    source,
                    base,
                    head,
                    config,
                    base_url,
                    today: build::today(),
                },
                format,
            )
        }
        Command::Init {
            dir,
            detect: true,
            config,
            ..
        } => run_init_detect(&dir, config),
        Command::Init { dir, ci, .. } => run_init(&dir, ci),
    }
}

/// `specsite build`: 1 when there were errors, whether or not the site was written.
fn run_build(opts: &Options, format: Format, keep_going: bool) -> i32 {
    if let Err(code) = require_folder("SOURCE", &opts.source) {
        return code;
    }
    let report = build::build(opts, keep_going);
    print_diagnostics(&opts.source, &report.diagnostics, format);
    print_note(report.note.as_deref());
    let t = diagnostic::tally(&report.diagnostics);
    if report.written {
        eprintln!(
            "Built {} files in {:.2} s into {}{}",
            report.files,
            report.elapsed.as_secs_f64(),
            report.out.display(),
            summary(t.errors, t.warnings)
        );
    } else {
        eprintln!(
            "Site not written{}; {} is left as it was",
            summary(t.errors, t.warnings),
            report.out.display()
        );
        if t.errors > 0 {
            // The last line says how to get a site anyway.
            eprintln!("{KEEP_GOING_HINT}");
        }
    }
    i32::from(t.errors > 0)
}

/// `specsite check`: 1 on errors, or on warnings too with --strict.
fn run_check(opts: &Options, format: Format, strict: bool) -> i32 {
    if let Err(code) = require_folder("SOURCE", &opts.source) {
        return code;
    }
    let diags = super::check::check(opts);
    print_diagnostics(&opts.source, &diags, format);
    let t = diagnostic::tally(&diags);
    if format == Format::Human {
        eprintln!(
            "Checked {}{}",
            opts.source.display(),
            summary(t.errors, t.warnings)
        );
    }
    i32::from(t.errors > 0 || (strict && t.warnings > 0))
}

/// `specsite new`: prints the new document's path on stdout.
fn run_new(source: &Path, config: Option<&Path>, kind: &str, title: &str) -> i32 {
    if let Err(code) = require_folder("SOURCE", source) {
        return code;
    }
    let Some(kind) = Kind::parse(kind).filter(|k| *k != Kind::Page) else {
        return usage(&format!(
            "unknown kind '{kind}': use feature, decision or roadmap"
        ));
    };
    match crate::driver::scaffold::new_document(source, config, kind, title) {
        Ok(new) => {
            for other in &new.same_title {
                eprintln!("warning: {other} already has this title; is the new one the same spec?");
            }
            println!("{}", new.path.display());
            0
        }
        Err(d) => {
            print_diagnostics(source, &[d], Format::Human);
            1
        }
    }
}

/// `specsite init --detect`: writes the configuration that maps an existing repo.
fn run_init_detect(dir: &Path, config: Option<PathBuf>) -> i32 {
    if let Err(code) = require_folder("DIR", dir) {
        return code;
    }
    let target = config.unwrap_or_else(|| dir.join(crate::config::CONFIG_FILE));
    match crate::driver::detect::write(dir, &target) {
        Ok((path, detection)) => {
            println!("{}", path.display());
            eprintln!("{}", detection.summary());
            0
        }
        Err(d) => {
            print_diagnostics(dir, &[d], Format::Human);
            1
        }
    }
}

/// `specsite init`: writes a starter site (and CI files), then says what to do next.
fn run_init(dir: &Path, ci: Option<crate::driver::ci::Service>) -> i32 {
    match crate::driver::scaffold::init(dir, build::today(), ci) {
        Ok(report) => {
            for f in &report.written {
                println!("{}", f.display());
            }
            for f in &report.kept {
                eprintln!("{} exists already; left as it was", f.display());
            }
            let shown = dir.display();
            if report.existing_site && ci.is_none() {
                // Nothing was written: say why, and what to do instead.
                eprintln!(
                    "{shown} is already a specsite site (it has a specsite.toml); nothing was written."
                );
                eprintln!(
                    "Next: specsite serve {shown} --open    (or: specsite new feature \"Title\" {shown}; specsite init --ci github {shown})"
                );
                return 1;
            }
            if ci.is_none() {
                eprintln!(
                    "Next: specsite serve {shown} --open    (then: specsite new feature \"Title\" {shown}; specsite init --ci github {shown})"
                );
            } else {
                eprintln!(
                    "Next: commit the files above and push; check them first with: specsite check --strict {shown}"
                );
            }
            0
        }
        Err(d) => {
            print_diagnostics(dir, &[d], Format::Human);
            1
        }
    }
}

/// `specsite diff`: prints the report on stdout; 0 when it ran, whatever changed.
fn run_diff(
    opts: crate::driver::diff::Options,
    format: crate::driver::diff::report::DiffFormat,
) -> i32 {
    use crate::driver::diff::{Failure, report};
    match crate::driver::diff::diff(&opts) {
        Ok(changes) => {
            let sides = report::Sides {
                base: &opts.base,
                head: opts.head.as_deref(),
            };
            print!(
                "{}",
                match format {
                    report::DiffFormat::Human => report::human(&sides, &changes),
                    report::DiffFormat::Markdown => report::markdown(&sides, &changes),
                    report::DiffFormat::Json => report::json(&sides, &changes),
                }
            );
            0
        }
        Err(Failure::Usage(msg)) => usage(&msg),
        Err(Failure::Config(side, d)) => {
            let at = match d.line {
                0 => d.file.clone(),
                line => format!("{}:{line}:{}", d.file, d.column),
            };
            eprintln!("error: {side}: {at}: {}", d.message);
            if let Some(help) = &d.help {
                eprintln!("  help: {help}");
            }
            1
        }
    }
}

/// A usage error (exit 2) unless `path` is a folder; `label` names the argument.
fn require_folder(label: &str, path: &std::path::Path) -> Result<(), i32> {
    if path.is_dir() {
        Ok(())
    } else {
        Err(usage(&format!(
            "{label} '{}' is not a folder",
            path.display()
        )))
    }
}

fn usage(msg: &str) -> i32 {
    eprintln!("error: {msg}");
    2
}

/// The build's last line when errors stopped it.
const KEEP_GOING_HINT: &str = "To write the site anyway, run again with --keep-going; to make a rule a warning, set it in [rules] of specsite.toml (e.g. broken-link = \"warning\")";

#[cfg(test)]
mod tests {
    #[test]
    fn every_command_and_argument_is_explained_with_an_example() {
        use clap::CommandFactory;
        let cli = super::Cli::command();
        cli.clone().debug_assert();
        let mut checked = 0;
        for sub in cli.get_subcommands() {
            let name = sub.get_name();
            assert!(sub.get_about().is_some(), "`{name}` has no description");
            let example = sub.get_after_help().map(ToString::to_string);
            assert!(
                example.is_some_and(|h| h.contains(&format!("specsite {name}"))),
                "`specsite {name} --help` shows no example (add `after_help`)"
            );
            for arg in sub.get_arguments() {
                let id = arg.get_id().as_str();
                if arg.is_hide_set() || id == "help" || id == "version" {
                    continue;
                }
                assert!(
                    arg.get_help()
                        .is_some_and(|h| !h.to_string().trim().is_empty()),
                    "`specsite {name}`: the argument `{id}` has no description"
                );
                checked += 1;
            }
        }
        assert!(checked > 20, "only {checked} arguments were looked at");
    }
}
