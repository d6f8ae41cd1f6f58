//! A running `specsite serve` for the integration tests, spoken to over real HTTP and a
//! real WebSocket on 127.0.0.1. Every wait polls with a generous deadline, so the tests
//! hold on a loaded machine; no sleep is an assertion.

use super::bin;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long anything may take before the test fails (a loaded 2-core machine can be slow).
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A running `specsite serve`; killed when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn start(source: &Path) -> Server {
        Server::start_with(source, &[])
    }

    /// Starts the server on a free port with more arguments (`--bind`, …).
    pub fn start_with(source: &Path, args: &[&str]) -> Server {
        let mut child = bin()
            .args(["serve", source.to_str().unwrap(), "--port", "0"])
            .args(args)
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

    /// Sends a raw request (the path is sent exactly as given) with `Host:
    /// 127.0.0.1:<port>` and returns the status, the headers (lowercased names) and the
    /// body.
    pub fn request(&self, method: &str, path: &str, extra: &str) -> Response {
        let host = format!("Host: 127.0.0.1:{}\r\n", self.port);
        self.raw_request(method, path, &format!("{host}{extra}"))
    }

    /// Like [`Server::request`] but sends only the headers in `headers` (each ending in
    /// CRLF), besides `Connection` and `Content-Length`.
    pub fn raw_request(&self, method: &str, path: &str, headers: &str) -> Response {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\n{headers}Connection: close\r\nContent-Length: 0\r\n\r\n",
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        Response::parse(&raw)
    }

    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path, "")
    }

    /// Opens the live-reload WebSocket.
    pub fn live_reload(&self) -> tungstenite::WebSocket<TcpStream> {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let url = format!("ws://127.0.0.1:{}/__specsite/ws", self.port);
        tungstenite::client(url, stream)
            .expect("WebSocket handshake")
            .0
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let text = String::from_utf8_lossy(raw).into_owned();
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

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Polls `check` until it holds; panics with `what` after [`PATIENCE`].
pub fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Reads WebSocket messages until `want` arrives; panics on timeout.
pub fn expect_message(ws: &mut tungstenite::WebSocket<TcpStream>, want: &str) {
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
