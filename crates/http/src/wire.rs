//! The connections the server accepts. hyper refuses some HTTP/1 requests itself, before any
//! route or middleware sees them: a malformed request line or header (`400`), a URI over its
//! 64 KiB limit (`414`), a head over its buffer or with over 100 headers (`431`). It answers
//! those with an empty body, which no option changes; this wrapper of the connection puts the
//! error envelope in that body, so that every failure the server sends speaks the envelope.
//!
//! hyper's refusal is recognized as what it is: a `400`, `414` or `431` head written alone, with
//! `content-length: 0` and without `x-request-id`, which every response of the router carries.

use crate::error::ApiError;
use axum::http::StatusCode;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use uuid::Uuid;

/// A TCP listener whose connections answer hyper's own refusals in the error envelope; serve it
/// with `axum::serve`.
pub struct EnvelopeListener(TcpListener);

impl EnvelopeListener {
    pub fn new(listener: TcpListener) -> Self {
        Self(listener)
    }
}

impl axum::serve::Listener for EnvelopeListener {
    type Io = Enveloped<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, addr) = axum::serve::Listener::accept(&mut self.0).await;
        (Enveloped::new(stream), addr)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

/// The address of a connection's peer, as the router receives it (`ConnectInfo<Peer>`): serve
/// with `router.into_make_service_with_connect_info::<Peer>()`.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, EnvelopeListener>> for Peer {
    fn connect_info(stream: axum::serve::IncomingStream<'_, EnvelopeListener>) -> Self {
        Self(*stream.remote_addr())
    }
}

/// A connection that replaces hyper's empty refusals by the same status in the envelope.
pub struct Enveloped<Io> {
    inner: Io,
    /// The replacement of a refusal, and how much of it is written: hyper is told its own bytes
    /// were written, and these go out before anything else.
    pending: Vec<u8>,
    written: usize,
}

impl<Io> Enveloped<Io> {
    pub fn new(inner: Io) -> Self {
        Self { inner, pending: Vec::new(), written: 0 }
    }
}

impl<Io: AsyncWrite + Unpin> Enveloped<Io> {
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        self.pending.clear();
        self.written = 0;
        Poll::Ready(Ok(()))
    }

    /// Takes `buf` in place of its replacement when it is one of hyper's refusals.
    fn replace(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Option<Poll<io::Result<usize>>> {
        self.pending = enveloped(buf)?;
        // Started now if the socket takes it; the rest goes with the flush hyper does next.
        if let Poll::Ready(Err(err)) = self.poll_pending(cx) {
            return Some(Poll::Ready(Err(err)));
        }
        Some(Poll::Ready(Ok(buf.len())))
    }
}

impl<Io: AsyncRead + Unpin> AsyncRead for Enveloped<Io> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<Io: AsyncWrite + Unpin> AsyncWrite for Enveloped<Io> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        ready!(self.poll_pending(cx))?;
        if let Some(done) = self.replace(cx, buf) {
            return done;
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_pending(cx))?;
        // hyper writes a refusal as one buffer.
        let mut filled = bufs.iter().filter(|buf| !buf.is_empty());
        if let (Some(only), None) = (filled.next(), filled.next())
            && let Some(done) = self.replace(cx, only)
        {
            return done;
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// More than any head hyper writes for a refusal (a status line, `connection`, `content-length`
/// and `date`).
const MAX_REFUSAL_LEN: usize = 512;

/// The envelope hyper's refusal stands for.
fn refusal(status: u16) -> Option<ApiError> {
    let (status, code, message) = match status {
        400 => (StatusCode::BAD_REQUEST, "bad_request", "the request is not valid HTTP/1.1"),
        414 => (StatusCode::URI_TOO_LONG, "uri_too_long", "the request URI is longer than 64 KiB"),
        431 => (StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large", "the request headers are too large"),
        _ => return None,
    };
    Some(ApiError::new(status, code, message))
}

/// `head` with the envelope as its body, when `head` is one of hyper's empty refusals.
fn enveloped(head: &[u8]) -> Option<Vec<u8>> {
    // Cheap checks first: this looks at every write of a single buffer.
    if head.len() > MAX_REFUSAL_LEN || !head.starts_with(b"HTTP/1.") {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?.strip_suffix("\r\n\r\n")?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next()?;
    let status = status_line.strip_prefix("HTTP/1.1 ").or_else(|| status_line.strip_prefix("HTTP/1.0 "))?;
    let error = refusal(status.get(..3)?.parse().ok()?)?;
    let headers: Vec<&str> = lines.collect();
    let field = |header: &str, name: &str| {
        header.split_once(':').filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, value)| value.trim().to_owned())
    };
    let named = |header: &str, name: &str| field(header, name).is_some();
    let empty = headers.iter().any(|h| field(h, "content-length").as_deref() == Some("0"));
    if !empty || text.contains("\r\n\r\n") || headers.iter().any(|h| named(h, "x-request-id")) {
        return None;
    }
    let body = error.body().to_string();
    let request_id = Uuid::new_v4();
    tracing::info!(status = error.status.as_u16(), code = error.code, %request_id, "request refused before routing");
    let mut out = format!("{status_line}\r\n");
    for header in headers.iter().filter(|h| !named(h, "content-length")) {
        out.push_str(header);
        out.push_str("\r\n");
    }
    out.push_str("content-type: application/json\r\n");
    out.push_str(&format!("content-length: {}\r\nx-request-id: {request_id}\r\n\r\n{body}", body.len()));
    Some(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    const REFUSAL: &[u8] =
        b"HTTP/1.1 414 URI Too Long\r\nconnection: close\r\ncontent-length: 0\r\ndate: Tue, 01 Dec 2026 01:24:15 GMT\r\n\r\n";

    #[tokio::test]
    async fn an_empty_refusal_of_hyper_gets_the_envelope_and_other_writes_pass_unchanged() {
        let (near, mut far) = tokio::io::duplex(4096);
        let mut connection = Enveloped::new(near);
        connection.write_all(REFUSAL).await.unwrap();
        connection.shutdown().await.unwrap();
        let mut answer = String::new();
        far.read_to_string(&mut answer).await.unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 414 URI Too Long\r\nconnection: close\r\n"), "{head}");
        assert!(head.contains("content-type: application/json") && head.contains("x-request-id: "), "{head}");
        assert!(head.contains(&format!("content-length: {}", body.len())), "{head}");
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!((&body["error"]["code"], &body["error"]["domain"]), (&"uri_too_long".into(), &"canopy".into()));
    }

    #[test]
    fn only_hypers_own_empty_refusals_are_replaced() {
        assert!(enveloped(REFUSAL).is_some());
        let with_id = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nx-request-id: abc\r\n\r\n";
        let with_body = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}";
        let other_status = b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n";
        let two_heads =
            b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\nHTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n";
        for write in [&with_id[..], with_body, other_status, two_heads, b"HTTP/1.1 4"] {
            assert!(enveloped(write).is_none(), "{}", String::from_utf8_lossy(write));
        }
    }
}
