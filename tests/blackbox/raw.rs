//! A raw HTTP/1.1 client over TCP, for what reqwest will not send: a length it never sends, a
//! body that stops, a 100 KB URL, headers over any limit.

use serde_json::Value;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// One response: its status, headers (names lowercase) and JSON body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, value)| value.as_str())
    }
}

/// Sends `request` to `addr` and reads one response, which must come within `deadline`. The
/// connection stays open meanwhile (a body that stops is not a body that ends), and a write the
/// server cuts short by answering is no error: the answer is what counts.
pub async fn exchange(addr: &str, request: Vec<u8>, deadline: Duration) -> Answer {
    let stream = TcpStream::connect(addr).await.expect("the server accepts a connection");
    let (mut reader, mut writer) = stream.into_split();
    // The task keeps the write half (so the connection stays open) until the answer is read.
    let writing = tokio::spawn(async move {
        let _ = writer.write_all(&request).await;
        writer
    });
    let answer = timeout(deadline, read_response(&mut reader)).await;
    drop(writing);
    answer.unwrap_or_else(|_| panic!("no answer within {deadline:?}"))
}

async fn read_response(reader: &mut (impl AsyncReadExt + Unpin)) -> Answer {
    let mut received = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let n = reader.read(&mut chunk).await.expect("the answer can be read");
        assert!(n > 0, "the connection closed before a response head: {:?}", String::from_utf8_lossy(&received));
        received.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(received[..head_end].to_vec()).expect("a textual head");
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|line| line.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("a status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .map(|(_, value)| value.parse().expect("a numeric content-length"))
        .expect("a content-length");
    let mut body = received[head_end + 4..].to_vec();
    while body.len() < length {
        let n = reader.read(&mut chunk).await.expect("the body can be read");
        assert!(n > 0, "the connection closed within the body");
        body.extend_from_slice(&chunk[..n]);
    }
    let body = serde_json::from_slice(&body[..length]).expect("a JSON body");
    Answer { status, headers, body }
}
