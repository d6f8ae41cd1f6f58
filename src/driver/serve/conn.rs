//! How the preview accepts and keeps connections: HTTP/1.1 through hyper, with limits
//! on how long a client may hold a connection without using it, so a client that
//! opens connections and sends nothing (or a header a byte at a time) cannot pin them.
//!
//! `axum::serve` offers no timeouts, so the connections are served with hyper's own
//! builder, which axum runs on anyway (no new dependency): its header-read timeout
//! covers a request's head and the wait for the next request on a kept-alive
//! connection, and [`Idle`] closes any connection, a WebSocket included, on which no
//! byte moves either way for [`IDLE_TIMEOUT`].

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// How long a client has to send a request's whole head, counted from when the server
/// starts waiting for it (a new connection, or the end of the last response).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a connection may move no byte in either direction (a reader that stopped
/// reading, a WebSocket whose browser went away) before it is closed. The live-reload
/// socket pings more often than this.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Accepts connections on `listener` until `stop` completes, serving `app` on each.
pub async fn serve(listener: tokio::net::TcpListener, app: Router, stop: impl Future<Output = ()>) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let accept = async {
        loop {
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                // Out of file descriptors or the like: give the open connections a
                // moment to close instead of spinning.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let io = TokioIo::new(Idle::new(stream, IDLE_TIMEOUT));
            let connection = http
                .serve_connection(io, TowerToHyperService::new(app.clone()))
                .with_upgrades();
            tokio::spawn(async move {
                // A connection's end (timeouts included) concerns no one else.
                let _ = connection.await;
            });
        }
    };
    tokio::select! {
        () = accept => {}
        () = stop => {}
    }
}

/// A connection that fails with `TimedOut` once nothing was read or written for its
/// timeout while the server waits on it.
pub struct Idle<T> {
    io: T,
    timeout: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl<T> Idle<T> {
    pub fn new(io: T, timeout: Duration) -> Idle<T> {
        Idle {
            io,
            timeout,
            deadline: Box::pin(tokio::time::sleep(timeout)),
        }
    }

    /// Something moved: the connection is in use.
    fn moved<R>(&mut self, ready: R) -> Poll<R> {
        self.deadline.as_mut().reset(Instant::now() + self.timeout);
        Poll::Ready(ready)
    }

    /// Nothing moved: pending until the deadline, then an error that ends the
    /// connection.
    fn waiting<R>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<R>> {
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "connection idle for too long",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Idle<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.io).poll_read(cx, buf) {
            Poll::Ready(r) => this.moved(r),
            Poll::Pending => this.waiting(cx),
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Idle<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.io).poll_write(cx, buf) {
            Poll::Ready(r) => this.moved(r),
            Poll::Pending => this.waiting(cx),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.io).poll_write_vectored(cx, bufs) {
            Poll::Ready(r) => this.moved(r),
            Poll::Pending => this.waiting(cx),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.io).poll_flush(cx) {
            Poll::Ready(r) => this.moved(r),
            Poll::Pending => this.waiting(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read_some(idle: &mut Idle<tokio::net::TcpStream>) -> io::Result<usize> {
        std::future::poll_fn(|cx| {
            let mut bytes = [0u8; 16];
            let mut buf = ReadBuf::new(&mut bytes);
            Pin::new(&mut *idle)
                .poll_read(cx, &mut buf)
                .map_ok(|()| buf.filled().len())
        })
        .await
    }

    #[test]
    fn a_connection_that_moves_nothing_times_out_and_one_that_moves_does_not() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let client = tokio::net::TcpStream::connect(addr).await.unwrap();
            let (server, _) = listener.accept().await.unwrap();
            let timeout = Duration::from_millis(300);
            let mut idle = Idle::new(server, timeout);
            // A byte arriving before the deadline is read and restarts the clock.
            let started = Instant::now();
            tokio::time::sleep(timeout / 2).await;
            client.try_write(b"x").unwrap();
            assert_eq!(read_some(&mut idle).await.unwrap(), 1);
            // Then nothing: the read fails, one whole timeout after that byte.
            let waited = Instant::now();
            let err = read_some(&mut idle).await.unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::TimedOut);
            assert!(
                waited.elapsed() >= timeout * 9 / 10,
                "{:?}",
                waited.elapsed()
            );
            assert!(started.elapsed() >= timeout * 14 / 10);
            drop(client);
        });
    }
}
