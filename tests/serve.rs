//! `specsite serve` end to end: the real server on 127.0.0.1, spoken to over real HTTP
//! and a real WebSocket. Every wait polls with a generous deadline, so the tests hold
//! on a loaded machine; no sleep is an assertion.

mod common;
use common::*;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long anything may take before the test fails (a loaded 2-core machine can be slow).
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `specsite serve`; killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(source: &Path) -> Server {
        let mut child = bin()
            .args(["serve", source.to_str().unwrap(), "--port", "0"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("specsite serve starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + PATIENCE;
        let mut seen = String::new();
        let port = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = rx
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("the server never said where it listens:\n{seen}"));
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                break rest.trim_end_matches('/').parse().unwrap();
            }
            seen.push_str(&line);
            seen.push('\n');
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in rx {});
        Server { child, port }
    }

    /// Sends a raw request (the path is sent exactly as given) and returns the status,
    /// the headers (lowercased names) and the body.
    fn request(&self, method: &str, path: &str, extra: &str) -> Response {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{extra}Connection: close\r\nContent-Length: 0\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Response {
            status,
            headers,
            body: body.to_string(),
        }
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path, "")
    }

    /// Opens the live-reload WebSocket.
    fn live_reload(&self) -> tungstenite::WebSocket<TcpStream> {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let url = format!("ws://127.0.0.1:{}/__specsite/ws", self.port);
        tungstenite::client(url, stream)
            .expect("WebSocket handshake")
            .0
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Polls `check` until it holds; panics with `what` after [`PATIENCE`].
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Reads WebSocket messages until `want` arrives; panics on timeout.
fn expect_message(ws: &mut tungstenite::WebSocket<TcpStream>, want: &str) {
    let deadline = Instant::now() + PATIENCE;
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        match ws.read() {
            Ok(tungstenite::Message::Text(t)) if t.as_str() == want => return,
            Ok(m) => seen.push(format!("{m:?}")),
            Err(e) => {
                panic!("WebSocket closed or timed out waiting for {want}: {e} (seen {seen:?})")
            }
        }
    }
    panic!("no {want} message (seen {seen:?})");
}

const ALPHA: &str = "---\nid: A-1\ntitle: Alpha feature\nstatus: draft\n---\nBuilt on [[B-1]].\n";
const BETA: &str =
    "---\nid: B-1\ntitle: Beta feature\nstatus: draft\n---\nSee [the look](look.css).\n";

/// A small site: A links to B (so B lists A as a backlink), B links a stylesheet.
fn small_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("specs");
    std::fs::create_dir_all(root.join("features")).unwrap();
    std::fs::write(root.join("features/a.md"), ALPHA).unwrap();
    std::fs::write(root.join("features/b.md"), BETA).unwrap();
    std::fs::write(root.join("features/look.css"), "body { color: black }\n").unwrap();
    (dir, root)
}

#[test]
fn serves_pages_with_the_reload_script() {
    let (_dir, root) = small_site();
    let server = Server::start(&root);
    let page = server.get("/features/a-1/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.body.contains("<h1>Alpha feature</h1>"));
    assert!(
        page.body.contains("/__specsite/ws"),
        "live-reload script injected"
    );
    assert!(
        !page.body.contains("specsite-overlay"),
        "no errors, no overlay"
    );
    assert_eq!(page.header("access-control-allow-origin"), None);

    let home = server.get("/");
    assert_eq!(home.status, 200);
    let css = server.get("/assets/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(
        !css.body.contains("/__specsite/ws"),
        "only HTML gets the script"
    );
    let json = server.get("/api/specs.json");
    assert_eq!(json.header("content-type"), Some("application/json"));

    let search = server.get("/search/meta.js");
    assert_eq!(
        search.status, 200,
        "the search index is built on first request"
    );
    assert_eq!(
        search.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );

    let folder = server.get("/features/a-1");
    assert_eq!(folder.status, 308, "a folder without its slash redirects");
    assert_eq!(folder.header("location"), Some("/features/a-1/"));

    let head = server.request("HEAD", "/features/a-1/", "");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn only_get_and_head_are_answered() {
    let (_dir, root) = small_site();
    let server = Server::start(&root);
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let r = server.request(method, "/features/a-1/", "");
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow"), Some("GET, HEAD"));
    }
    assert_eq!(server.request("POST", "/__specsite/ws", "").status, 405);
}

#[test]
fn paths_outside_the_site_get_404() {
    let (dir, root) = small_site();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "top secret").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, root.join("features/leak.txt")).unwrap();
        let mut b = BETA.to_string();
        b.push_str("[leak](leak.txt)\n");
        std::fs::write(root.join("features/b.md"), b).unwrap();
    }
    let server = Server::start(&root);
    for path in [
        "/../secret.txt",
        "/features/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/features/%2e%2e/%2e%2e/secret.txt",
        "//etc/passwd",
        "/..%5csecret.txt",
        "/files/features/leak.txt",
        "/files/",
        "/features/a.md",
        "/specsite.toml",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("top secret"), "{path} leaked");
    }
    // Linked files inside SOURCE are served.
    let look = server.get("/files/features/look.css");
    assert_eq!(look.status, 200);
    assert!(look.body.contains("color: black"));
}

#[test]
fn an_edit_shows_up_and_the_websocket_says_reload() {
    let (_dir, root) = small_site();
    let server = Server::start(&root);
    assert!(server.get("/features/a-1/").body.contains("Alpha feature"));
    let mut ws = server.live_reload();
    std::fs::write(
        root.join("features/a.md"),
        ALPHA.replace("Alpha feature", "Alpha renamed"),
    )
    .unwrap();
    expect_message(&mut ws, "reload");
    eventually("the edit is served", || {
        server
            .get("/features/a-1/")
            .body
            .contains("<h1>Alpha renamed</h1>")
    });
    // Other pages see it too: B's backlinks carry the new title.
    assert!(server.get("/features/b-1/").body.contains("Alpha renamed"));
}

#[test]
fn a_broken_edit_keeps_the_last_good_page_and_shows_an_overlay() {
    let (_dir, root) = small_site();
    let server = Server::start(&root);
    let a = root.join("features/a.md");
    std::fs::write(&a, "---\nid: A-1\ntitle: [unclosed\n---\nBody.\n").unwrap();
    eventually("the overlay appears", || {
        server
            .get("/features/b-1/")
            .body
            .contains("specsite-overlay")
    });
    let page = server.get("/features/a-1/");
    assert_eq!(page.status, 200, "the last good site is still served");
    assert!(page.body.contains("<h1>Alpha feature</h1>"));
    assert!(page.body.contains("specsite-overlay"));
    let at = page
        .body
        .find("<b>features/a.md:")
        .expect("the overlay shows the file");
    let line = &page.body[at + "<b>features/a.md:".len()..];
    assert!(
        line.starts_with(|c: char| c.is_ascii_digit()),
        "the overlay shows file:line"
    );
    assert!(page.body.contains("not valid YAML"));

    std::fs::write(&a, ALPHA.replace("Alpha feature", "Alpha fixed")).unwrap();
    eventually("the fix clears the overlay", || {
        let page = server.get("/features/a-1/");
        page.body.contains("<h1>Alpha fixed</h1>") && !page.body.contains("specsite-overlay")
    });
}

#[test]
fn a_deleted_spec_disappears_and_its_backlinks_update() {
    let (_dir, root) = small_site();
    let server = Server::start(&root);
    let b = server.get("/features/b-1/");
    assert!(b.body.contains("Referenced by") && b.body.contains("Alpha feature"));
    std::fs::remove_file(root.join("features/a.md")).unwrap();
    eventually("the deleted spec is gone", || {
        server.get("/features/a-1/").status == 404
    });
    let b = server.get("/features/b-1/");
    assert!(!b.body.contains("Alpha feature"), "backlink removed");
    assert!(!b.body.contains("Referenced by"));
    assert!(!server.get("/features/").body.contains("Alpha feature"));
}

#[test]
fn a_stylesheet_change_swaps_css_without_reload() {
    let (_dir, root) = small_site();
    let server = Server::start(&root);
    let mut ws = server.live_reload();
    std::fs::write(root.join("features/look.css"), "body { color: navy }\n").unwrap();
    expect_message(&mut ws, "css");
    eventually("the new stylesheet is served", || {
        server.get("/files/features/look.css").body.contains("navy")
    });
}

#[test]
fn other_sites_cannot_listen_on_the_websocket() {
    let (_dir, root) = small_site();
    let server = Server::start(&root);
    let key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\
               Upgrade: websocket\r\nConnection: Upgrade\r\n";
    let r = server.request(
        "GET",
        "/__specsite/ws",
        &format!("{key}Origin: http://evil.example\r\n"),
    );
    assert_eq!(r.status, 403);
}
