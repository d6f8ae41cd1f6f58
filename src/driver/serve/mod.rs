//! `specsite serve`: the live preview. A third driver of the same stages as `build`
//! and `check`: [`rebuild`] keeps the site loaded and linked, re-modelling only the files
//! that change; [`state`] holds the published site and renders a page when a browser
//! asks for it; [`watch`] turns file events into rebuilds; [`conn`] accepts connections
//! and times out idle ones; [`guard`] decides which Host and Origin name this server;
//! [`http`] answers requests and pushes reload signals; [`inject`] adds the
//! live-reload script and the error overlay to pages. Nothing is written to disk.

pub mod conn;
pub mod guard;
pub mod http;
pub mod inject;
pub mod rebuild;
pub mod state;
pub mod watch;

use super::report::Format;
use crate::diagnostic::Diagnostic;
use crate::driver::build::Options;
use rebuild::{Change, Rebuilder};
use state::{Outcome, State};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// The port tried first when none is given; the next free one is taken if it is busy.
pub const DEFAULT_PORT: u16 = 4000;

/// What `specsite serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub source: PathBuf,
    /// `None`: 4000 or the next free port.
    pub port: Option<u16>,
    pub bind: IpAddr,
    /// Open the preview in the default browser.
    pub open: bool,
    /// Poll for changes instead of using file system events.
    pub poll: bool,
    pub config: Option<PathBuf>,
}

/// Runs the preview until interrupted. Returns the exit code.
pub fn serve(o: &ServeOptions) -> i32 {
    let started = Instant::now();
    let Ok(source) = o.source.canonicalize() else {
        eprintln!("error: cannot read SOURCE '{}'", o.source.display());
        return 2;
    };
    let mut opts = Options::new(&source);
    // A folder `build` wrote is output, not content.
    opts.out = Some(source.join("public"));
    opts.config = match &o.config {
        Some(c) => match c.canonicalize() {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("error: cannot read --config '{}': {e}", c.display());
                return 2;
            }
        },
        None => None,
    };
    let mut rebuilder = match Rebuilder::new(opts.clone()) {
        Ok(r) => r,
        Err(d) => {
            print_errors(&source, &[d]);
            eprintln!("Fix the problem above and start `specsite serve` again.");
            return 1;
        }
    };
    let first = rebuilder.build_all();
    report(&source, &first.errors, first.warnings);
    let mut shown = first.errors.clone();
    let docs = first.site.docs.len();
    let state = Arc::new(State::new(first));

    let listener = match listen(o.bind, o.port) {
        Ok(l) => l,
        Err(msg) => {
            eprintln!("error: {msg}");
            return 2;
        }
    };
    let addr = listener
        .local_addr()
        .unwrap_or_else(|_| SocketAddr::new(o.bind, o.port.unwrap_or(DEFAULT_PORT)));
    let url = url_of(addr);
    if !o.bind.is_loopback() {
        eprintln!(
            "warning: serving on {} makes the preview (and every file it links) reachable \
             from other machines; use --bind 127.0.0.1 to keep it local",
            o.bind
        );
    }

    let extra: Vec<PathBuf> = opts
        .config
        .iter()
        .filter(|c| !c.starts_with(&source))
        .cloned()
        .collect();
    let watched_state = state.clone();
    let watched_root = source.clone();
    let watching = watch::spawn(&source, &extra, opts.out.clone(), o.poll, move |change| {
        rebuild(
            &watched_root,
            &mut rebuilder,
            &watched_state,
            &change,
            &mut shown,
        );
    });
    let _watching = match watching {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "error: cannot watch {}: {e}{}",
                source.display(),
                if o.poll { "" } else { " (try --poll)" }
            );
            return 1;
        }
    };

    eprintln!(
        "Serving {} ({docs} documents, ready in {} ms) at {url}",
        o.source.display(),
        started.elapsed().as_millis()
    );
    eprintln!("Watching for changes; press Ctrl-C to stop.");
    if o.open {
        open_browser(&url);
    }
    run_server(listener, state, guard::Allowed::new(o.bind, addr.port()))
}

fn url_of(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("http://127.0.0.1:{}/", addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("http://[::1]:{}/", addr.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", addr.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", addr.port()),
    }
}

/// Binds the port asked for, or the first free one from 4000.
fn listen(bind: IpAddr, port: Option<u16>) -> Result<TcpListener, String> {
    match port {
        Some(p) => TcpListener::bind((bind, p)).map_err(|e| {
            format!("cannot listen on {bind} port {p}: {e} (leave out --port to take a free one)")
        }),
        None => (DEFAULT_PORT..DEFAULT_PORT.saturating_add(100))
            .find_map(|p| TcpListener::bind((bind, p)).ok())
            .ok_or_else(|| format!("no free port on {bind} from {DEFAULT_PORT}: use --port")),
    }
}

fn run_server(listener: TcpListener, state: Arc<State>, allowed: guard::Allowed) -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return 1;
        }
    };
    runtime.block_on(async move {
        let listening = listener
            .set_nonblocking(true)
            .and_then(|()| tokio::net::TcpListener::from_std(listener));
        match listening {
            Ok(listener) => {
                let stop = async {
                    let _ = tokio::signal::ctrl_c().await;
                };
                conn::serve(listener, http::router(state, allowed), stop).await;
                0
            }
            Err(e) => {
                eprintln!("error: the server stopped: {e}");
                1
            }
        }
    })
}

/// One rebuild after a batch of changes: re-model, link, publish, tell the browsers.
/// Prints the errors that are new since the last rebuild (`shown`), so a site with old
/// errors does not repeat them on every save.
fn rebuild(
    root: &Path,
    rebuilder: &mut Rebuilder,
    state: &State,
    change: &Change,
    shown: &mut Vec<Diagnostic>,
) {
    let started = Instant::now();
    let Some(rebuilt) = rebuilder.apply(change) else {
        return;
    };
    let css_only = matches!(change, Change::Paths(p)
        if p.iter().all(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("css"))));
    let errors = rebuilt.errors.clone();
    let warnings = rebuilt.warnings;
    let outcome = state.publish(rebuilt, css_only);
    let ms = started.elapsed().as_millis();
    let same = |a: &Diagnostic, b: &Diagnostic| {
        (a.rule, &a.file, &a.message) == (b.rule, &b.file, &b.message)
    };
    let new: Vec<Diagnostic> = errors
        .iter()
        .filter(|e| !shown.iter().any(|s| same(s, e)))
        .cloned()
        .collect();
    print_errors(root, &new);
    *shown = errors;
    match outcome {
        Outcome::Published => eprintln!(
            "Rebuilt in {ms} ms{}",
            super::report::summary(shown.len(), warnings)
        ),
        Outcome::Held => eprintln!(
            "Rebuilt in {ms} ms with new errors: pages stay as they were until they are \
             fixed (new pages are previewed with them)"
        ),
    }
}

/// Prints the first build's problems: errors in full, warnings counted (a large site
/// can have thousands; `specsite check` lists them).
fn report(root: &Path, errors: &[Diagnostic], warnings: usize) {
    print_errors(root, errors);
    if warnings > 0 {
        eprintln!(
            "{warnings} warning{} (run `specsite check` to list them)",
            if warnings == 1 { "" } else { "s" }
        );
    }
}

fn print_errors(root: &Path, errors: &[Diagnostic]) {
    super::report::print_diagnostics(root, errors, Format::Human);
}

/// Opens `url` in the default browser. Having none is not an error: the URL is printed.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        // Reap it when it exits so it does not linger as a zombie.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(_) => eprintln!("(could not start {program}; open {url} in a browser)"),
    }
}
