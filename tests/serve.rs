//! `specsite serve` end to end: the real server on 127.0.0.1, spoken to over real HTTP
//! and a real WebSocket (see `common::server`).

mod common;
use common::server::*;

use std::path::PathBuf;

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

#[test]
fn a_new_spec_with_an_error_is_previewed_with_the_overlay() {
    let (_dir, root) = small_site();
    let server = Server::start(&root);
    std::fs::write(
        root.join("features/c.md"),
        "---\nid: C-1\ntitle: Gamma feature\nstatus: draft\n---\nNeeds [[NOPE-9]].\n",
    )
    .unwrap();
    eventually("the new spec is previewed", || {
        server.get("/features/c-1/").status == 200
    });
    let page = server.get("/features/c-1/");
    assert!(page.body.contains("<h1>Gamma feature</h1>"));
    assert!(page.body.contains("specsite-overlay"));
    assert!(page.body.contains("NOPE-9"), "the overlay names the error");
    assert!(
        page.body
            .contains("this page is shown from the latest changes with its error"),
        "the overlay says where the page comes from"
    );
    // Pages that existed stay as they were, and say so.
    let a = server.get("/features/a-1/");
    assert!(a.body.contains("<h1>Alpha feature</h1>"));
    assert!(
        a.body
            .contains("this page is from before the latest changes")
    );
}

#[test]
fn a_site_that_starts_with_errors_claims_no_earlier_version() {
    let (_dir, root) = small_site();
    std::fs::write(
        root.join("features/a.md"),
        ALPHA.replace("[[B-1]]", "[[NOPE-9]]"),
    )
    .unwrap();
    let server = Server::start(&root);
    let page = server.get("/features/a-1/");
    assert_eq!(page.status, 200, "a page with an error is previewed");
    assert!(page.body.contains("specsite-overlay"));
    assert!(
        page.body
            .contains("1 error — this page is up to date with the files")
    );
    for untrue in ["last good", "before the latest changes", "held back"] {
        assert!(!page.body.contains(untrue), "the overlay claims {untrue:?}");
    }
}
