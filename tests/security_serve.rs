//! `specsite serve` against hostile requests and awkward files, over real HTTP on
//! 127.0.0.1 with the real binary: Host and Origin checks (DNS rebinding), slow
//! clients, and errors that must clear once fixed.

mod common;
use common::server::*;

use std::path::PathBuf;

const ALPHA: &str = "---\nid: A-1\ntitle: Alpha feature\n---\nSee [the notes](notes.txt).\n";

/// A site with one feature linking a text file.
fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("specs");
    std::fs::create_dir_all(root.join("features")).unwrap();
    std::fs::write(root.join("features/a.md"), ALPHA).unwrap();
    std::fs::write(root.join("features/notes.txt"), "notes\n").unwrap();
    (dir, root)
}

#[cfg(unix)]
#[test]
fn a_link_out_of_source_replaced_by_a_file_clears_its_error() {
    let (dir, root) = site();
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("notes.txt"), "secret\n").unwrap();
    std::fs::write(
        outside.join("b.md"),
        "---\nid: B-1\ntitle: Outside\n---\nSecret.\n",
    )
    .unwrap();
    // Both a linked asset and a markdown file point out of SOURCE.
    let notes = root.join("features/notes.txt");
    std::fs::remove_file(&notes).unwrap();
    std::os::unix::fs::symlink(outside.join("notes.txt"), &notes).unwrap();
    let b = root.join("features/b.md");
    std::os::unix::fs::symlink(outside.join("b.md"), &b).unwrap();

    let server = Server::start(&root);
    let page = server.get("/features/a-1/");
    assert!(
        page.body.contains("specsite-overlay"),
        "the links are reported"
    );
    assert!(page.body.contains("points outside SOURCE"));
    assert_eq!(server.get("/features/b-1/").status, 404);

    std::fs::remove_file(&notes).unwrap();
    std::fs::write(&notes, "fixed notes\n").unwrap();
    std::fs::remove_file(&b).unwrap();
    std::fs::write(&b, "---\nid: B-1\ntitle: Beta inside\n---\nFixed.\n").unwrap();
    eventually("the fixed files are served and the overlay is gone", || {
        let a = server.get("/features/a-1/");
        let b = server.get("/features/b-1/");
        !a.body.contains("specsite-overlay")
            && b.status == 200
            && b.body.contains("<h1>Beta inside</h1>")
            && !b.body.contains("specsite-overlay")
    });
    assert_eq!(
        server.get("/files/features/notes.txt").body,
        "fixed notes\n"
    );
}

const UPGRADE: &str = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\
                       Upgrade: websocket\r\nConnection: Upgrade\r\n";

#[test]
fn a_request_for_another_host_is_misdirected() {
    let (_dir, root) = site();
    let server = Server::start(&root);
    let port = server.port;
    for host in [
        format!("attacker.example:{port}"),
        format!("ATTACKER.example.:{port}"),
        format!("localhost.attacker.example:{port}"),
        "attacker.example".to_string(),
        format!("localhost:{}", port.wrapping_add(1)),
        "localhost".to_string(),
        format!("127.0.0.1.:{port}"),
    ] {
        for (path, extra) in [
            ("/features/a-1/", ""),
            ("/api/specs.json", ""),
            ("/__specsite/ws", UPGRADE),
        ] {
            let r = server.raw_request("GET", path, &format!("Host: {host}\r\n{extra}"));
            assert_eq!(r.status, 421, "Host {host} {path}");
            assert!(r.body.contains("misdirected request"), "{}", r.body);
            assert!(!r.body.contains("Alpha"), "nothing of the site is sent");
        }
    }
    // No Host, two of them, or an absolute target naming another host.
    let here = format!("Host: 127.0.0.1:{port}\r\n");
    assert_eq!(server.raw_request("GET", "/", "").status, 421);
    assert_eq!(
        server
            .raw_request(
                "GET",
                "/",
                &format!("{here}Host: attacker.example:{port}\r\n")
            )
            .status,
        421
    );
    let absolute = format!("http://attacker.example:{port}/api/specs.json");
    assert_eq!(server.raw_request("GET", &absolute, &here).status, 421);
}

#[test]
fn the_names_of_this_server_are_answered() {
    let (_dir, root) = site();
    let server = Server::start(&root);
    let port = server.port;
    for host in [
        format!("localhost:{port}"),
        format!("LocalHost.:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = server.raw_request("GET", "/features/a-1/", &format!("Host: {host}\r\n"));
        assert_eq!(r.status, 200, "Host {host}");
        assert!(r.body.contains("<h1>Alpha feature</h1>"));
    }
    // A page of this server may listen on the WebSocket under any of its names.
    for origin in [
        format!("http://localhost:{port}"),
        format!("http://127.0.0.1:{port}"),
    ] {
        let stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut request = tungstenite::client::IntoClientRequest::into_client_request(format!(
            "ws://localhost:{port}/__specsite/ws"
        ))
        .unwrap();
        request
            .headers_mut()
            .insert("Origin", origin.parse().unwrap());
        let (_, response) = tungstenite::client(request, stream).expect("handshake");
        assert_eq!(response.status(), 101, "Origin {origin}");
    }
}

#[test]
fn a_websocket_from_another_origin_is_refused() {
    let (_dir, root) = site();
    let server = Server::start(&root);
    let port = server.port;
    for origin in [
        format!("http://attacker.example:{port}"),
        format!("http://localhost.attacker.example:{port}"),
        format!("https://127.0.0.1:{port}"),
        format!("http://127.0.0.1:{}", port.wrapping_add(1)),
        format!("http://127.0.0.1:{port}/page"),
        "null".to_string(),
    ] {
        let r = server.request(
            "GET",
            "/__specsite/ws",
            &format!("{UPGRADE}Origin: {origin}\r\n"),
        );
        assert_eq!(r.status, 403, "Origin {origin}");
    }
}

/// Waits for the server to close `stream`; returns how long that took after `since`.
fn closed_after(mut stream: std::net::TcpStream, since: std::time::Instant) -> std::time::Duration {
    use std::io::Read;
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut sink = Vec::new();
    // EOF or a reset both mean the server let go; a read timeout fails the test.
    match stream.read_to_end(&mut sink) {
        Ok(_) => {}
        Err(e) => assert!(
            !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            "the server kept the connection open past {PATIENCE:?}"
        ),
    }
    since.elapsed()
}

#[test]
fn a_client_that_sends_no_complete_header_is_disconnected() {
    use std::io::{Read, Write};
    let (_dir, root) = site();
    let server = Server::start(&root);
    let connect = || std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let started = std::time::Instant::now();
    let mut partial = connect();
    partial
        .write_all(b"GET /features/a-1/ HTTP/1.1\r\nHost: 127.0.0.1")
        .unwrap();
    let silent = connect();
    // A finished request, then nothing on the kept-alive connection.
    let mut kept = connect();
    write!(
        kept,
        "GET /api/specs.json HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        server.port
    )
    .unwrap();
    let mut first = [0u8; 12];
    kept.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    let answered = std::time::Instant::now();
    let kept = std::thread::spawn(move || closed_after(kept, answered));
    let silent = std::thread::spawn(move || closed_after(silent, started));
    let partial = closed_after(partial, started);
    for (what, took) in [
        ("a partial header", partial),
        ("no request", silent.join().unwrap()),
        ("an idle kept-alive connection", kept.join().unwrap()),
    ] {
        // The limit is 10 s; the lower bound shows it is the timeout, not a refusal.
        assert!(
            took >= std::time::Duration::from_secs(9) && took < PATIENCE,
            "{what}: closed after {took:?}"
        );
    }
}
