//! The HTTP side of `serve`: answers GET and HEAD from the current snapshot (405 for
//! anything else), never leaves the site (a path that climbs, is absolute, encodes a
//! climb or uses backslashes gets 404; only routes of the site exist, so there are no
//! directory listings), sends correct content types and no CORS headers, and pushes
//! reload signals over the `/__specsite/ws` WebSocket.

use super::guard::Allowed;
use super::inject::{WS_PATH, inject};
use super::state::{Page, Signal, State};
use axum::Router;
use axum::body::Body;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use std::sync::Arc;
use tokio::sync::broadcast;

/// The application: the WebSocket and, for every other path, the site; each only for
/// requests addressed to this server (see [`guard`](super::guard)).
pub fn router(state: Arc<State>, allowed: Allowed) -> Router {
    Router::new()
        .route(WS_PATH, axum::routing::get(live_reload))
        .fallback(site)
        .layer(axum::middleware::from_fn(move |request, next| {
            addressed_here(allowed, request, next)
        }))
        .layer(axum::Extension(allowed))
        .with_state(state)
}

/// Answers 421 Misdirected Request unless the request names this server: one `Host`
/// that [`Allowed::authority`] accepts, and the same for an absolute request target.
async fn addressed_here(
    allowed: Allowed,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(h), None) => h.to_str().ok(),
        _ => None,
    };
    let target = request.uri().authority().map(|a| a.as_str());
    let named_here =
        host.is_some_and(|h| allowed.authority(h)) && target.is_none_or(|t| allowed.authority(t));
    if named_here {
        return next.run(request).await;
    }
    respond(
        StatusCode::MISDIRECTED_REQUEST,
        "text/plain; charset=utf-8",
        b"misdirected request: this preview answers only requests addressed to it as \
          localhost, a loopback address or its --bind address, with its port\n"
            .to_vec(),
        request.method() == Method::HEAD,
    )
}

/// Decodes and checks a request path. Returns the site path without the leading `/`
/// (`features/pay-101/`), or `None` when the path is not one a site can have: it climbs
/// (`..`, also percent-encoded), has empty or `.` segments (`//etc/passwd`), contains
/// a backslash, a NUL or a drive letter, or is not UTF-8.
pub fn site_path(raw: &str) -> Option<String> {
    let decoded = percent_decode(raw)?;
    let rest = decoded.strip_prefix('/')?;
    if rest.contains(['\\', '\0', ':']) {
        return None;
    }
    let mut segments = rest.split('/').peekable();
    while let Some(seg) = segments.next() {
        let last = segments.peek().is_none();
        match seg {
            "." | ".." => return None,
            "" if !last => return None,
            _ => {}
        }
    }
    Some(rest.to_string())
}

fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The content type of a site file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "csv" => "text/csv; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

fn respond(status: StatusCode, kind: &'static str, body: Vec<u8>, head: bool) -> Response {
    let len = body.len();
    let mut response = if head {
        Response::new(Body::empty())
    } else {
        Response::new(Body::from(body))
    };
    *response.status_mut() = status;
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    // A preview must always show the latest build.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

async fn site(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    method: Method,
    uri: Uri,
) -> Response {
    let head = method == Method::HEAD;
    if method != Method::GET && !head {
        let mut r = respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            b"method not allowed: the preview only answers GET and HEAD\n".to_vec(),
            false,
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let snapshot = state.current();
    let Some(path) = site_path(uri.path()) else {
        return not_found(&snapshot, head).await;
    };
    // Rendering may take a few milliseconds (an index of a large site): keep it off the
    // threads that answer other requests.
    let lookup = (snapshot.clone(), path.clone());
    let page = tokio::task::spawn_blocking(move || lookup.0.page(&lookup.1)).await;
    let version = page.as_ref().map_or(snapshot.version(), |(_, v)| *v);
    match page.map(|(page, _)| page) {
        Ok(Page::Found { bytes, html }) => {
            let kind = if html {
                "text/html; charset=utf-8"
            } else {
                content_type(&path)
            };
            let body = if html {
                inject(&bytes, &snapshot.errors, version)
            } else {
                bytes.to_vec()
            };
            respond(StatusCode::OK, kind, body, head)
        }
        Ok(Page::Folder) => {
            let mut r = respond(
                StatusCode::PERMANENT_REDIRECT,
                "text/plain; charset=utf-8",
                Vec::new(),
                head,
            );
            // Relative links in pages need the trailing slash.
            if let Ok(v) = HeaderValue::from_str(&format!("/{path}/")) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Ok(Page::NotFound) => not_found(&snapshot, head).await,
        Ok(Page::Failed(d)) => {
            let text = format!(
                "<!doctype html><title>Render error</title><body><h1>This page failed to \
                 render</h1><pre>{}: {}</pre></body>",
                crate::escape::html(&d.file),
                crate::escape::html(&d.message)
            );
            respond(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/html; charset=utf-8",
                inject(text.as_bytes(), &snapshot.errors, version),
                head,
            )
        }
        Err(_) => respond(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/plain; charset=utf-8",
            b"internal error\n".to_vec(),
            head,
        ),
    }
}

async fn not_found(snapshot: &Arc<super::state::Snapshot>, head: bool) -> Response {
    let published = snapshot.published.clone();
    let page = tokio::task::spawn_blocking(move || published.not_found())
        .await
        .ok()
        .flatten();
    let body = match page {
        Some(bytes) => inject(&bytes, &snapshot.errors, snapshot.version()),
        None => b"not found\n".to_vec(),
    };
    respond(
        StatusCode::NOT_FOUND,
        "text/html; charset=utf-8",
        body,
        head,
    )
}

/// Upgrades to the live-reload WebSocket. Pages from other sites may not listen in: a
/// browser always sends `Origin`, and it must be a page of this server (a client that
/// is not a browser sends none).
async fn live_reload(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    axum::Extension(allowed): axum::Extension<Allowed>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let mut origins = headers.get_all(header::ORIGIN).iter();
    let origin_ok = match (origins.next(), origins.next()) {
        (None, _) => true,
        (Some(o), None) => o.to_str().is_ok_and(|o| allowed.origin(o)),
        _ => false,
    };
    if !origin_ok {
        return respond(
            StatusCode::FORBIDDEN,
            "text/plain; charset=utf-8",
            b"forbidden: the live-reload socket is only for pages of this preview\n".to_vec(),
            false,
        );
    }
    // Subscribe before answering, so no signal sent after the handshake is missed.
    let signals = state.signals.subscribe();
    ws.on_upgrade(move |socket| forward(socket, signals))
}

/// How often the live-reload socket pings the browser, which answers by itself: the
/// connection never sits idle long enough for [`super::conn::IDLE_TIMEOUT`], and a
/// browser that stopped answering (a laptop put to sleep) is let go.
const PING_EVERY: std::time::Duration = std::time::Duration::from_secs(25);

async fn forward(mut socket: WebSocket, mut signals: broadcast::Receiver<Signal>) {
    let mut ping = tokio::time::interval(PING_EVERY);
    let mut heard = tokio::time::Instant::now();
    loop {
        tokio::select! {
            _ = ping.tick() => {
                if heard.elapsed() > PING_EVERY * 2 {
                    break;
                }
                if socket.send(Message::Ping(Default::default())).await.is_err() {
                    break;
                }
            }
            signal = signals.recv() => {
                let text = match signal {
                    Ok(s) => s.as_str(),
                    // Missed some: a reload covers them all.
                    Err(broadcast::error::RecvError::Lagged(_)) => Signal::Reload.as_str(),
                    Err(broadcast::error::RecvError::Closed) => break,
                };
                if socket.send(Message::Text(text.into())).await.is_err() {
                    break;
                }
            }
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
                Some(Ok(_)) => heard = tokio::time::Instant::now(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        assert_eq!(site_path("/").as_deref(), Some(""));
        assert_eq!(
            site_path("/features/pay-101/").as_deref(),
            Some("features/pay-101/")
        );
        assert_eq!(
            site_path("/files/a%20b.png").as_deref(),
            Some("files/a b.png")
        );
        for bad in [
            "/../etc/passwd",
            "/features/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2fetc%2fpasswd",
            "//etc/passwd",
            "/a//b",
            "/./a",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/C:/Windows",
            "/a%00b",
            "/%zz",
            "/%ff",
            "relative",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn content_types_follow_extensions() {
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("api/specs.json"), "application/json");
        assert_eq!(content_type("files/a.SVG"), "image/svg+xml");
        assert_eq!(content_type("files/blob"), "application/octet-stream");
    }
}
