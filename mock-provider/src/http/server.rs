//! The accept loop: each connection served by hyper's HTTP/1 with a header-read timeout, and the
//! peer address handed to the router as axum's `ConnectInfo` (the admin guard needs it).
//!
//! Why not `axum::serve`: it offers no header-read timeout, so a client that opens connections
//! and never finishes a request line holds each one forever (3,000 half-open connections were
//! all kept). hyper closes a connection whose headers do not arrive in time, idle keep-alive
//! connections included.

use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tower::ServiceExt;

/// Serves `router` on `listener` until the listener fails.
pub(crate) async fn serve(listener: tokio::net::TcpListener, router: Router, header_read_timeout: Duration) -> std::io::Result<()> {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(conn) => conn,
            Err(e) if is_per_connection(&e) => continue,
            Err(_) => {
                // Out of file descriptors or similar: wait for connections to close, as
                // `axum::serve` does, instead of spinning.
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                router.clone().oneshot(req)
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_read_timeout)
                .serve_connection(TokioIo::new(stream), service);
            // A connection's end (closed, timed out, malformed) is the client's business.
            let _ = conn.await;
        });
    }
}

fn is_per_connection(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(e.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset | Interrupted | WouldBlock)
}
