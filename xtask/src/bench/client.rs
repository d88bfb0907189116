//! A minimal HTTP/1.1 keep-alive client over `std::net::TcpStream` (loopback only), enough to poll health, log in,
//! seed the hierarchy, follow `next` tokens and obtain the peer's token; responses must carry `Content-Length`
//! (axum's and Flask's JSON bodies do).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

/// Where the requests go and as whom: a loopback port and, behind authentication, the `Authorization` header value
/// (`Bearer <token>`) every request carries.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub port: u16,
    pub authorization: Option<String>,
}

impl Endpoint {
    /// A new keep-alive connection that sends this endpoint's `Authorization` header.
    pub fn connect(&self) -> Result<Conn> {
        let conn = Conn::open(self.port)?;
        Ok(match &self.authorization {
            Some(authorization) => conn.with_header(format!("Authorization: {authorization}")),
            None => conn,
        })
    }
}

/// One keep-alive connection to 127.0.0.1:`port`.
pub struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    /// A header line sent with every request (the credentials).
    header: Option<String>,
}

impl Conn {
    /// An anonymous connection (health probes, login).
    pub fn open(port: u16) -> Result<Self> {
        let stream = TcpStream::connect(("127.0.0.1", port)).context("could not connect")?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        Ok(Conn { reader: BufReader::new(stream.try_clone()?), writer: stream, header: None })
    }

    /// Sends `line` (`Name: value`) with every request.
    pub fn with_header(mut self, line: String) -> Self {
        self.header = Some(line);
        self
    }

    /// Gives up on a response after `limit` (the default is 60 s) with an error, so that a hang is reported.
    pub fn with_timeout(self, limit: Duration) -> Result<Self> {
        self.writer.set_read_timeout(Some(limit))?;
        Ok(self)
    }

    pub fn get(&mut self, path: &str) -> Result<(u16, Vec<u8>)> {
        let response = self.request("GET", path, None)?;
        Ok((response.status, response.body))
    }

    /// POSTs a JSON body; returns the status and the parsed JSON answer.
    pub fn post_json(&mut self, path: &str, body: &Value) -> Result<(u16, Value)> {
        let response = self.post(path, body)?;
        Ok((response.status, serde_json::from_slice(&response.body).unwrap_or(Value::Null)))
    }

    /// POSTs a JSON body; the whole response (for its headers).
    pub fn post(&mut self, path: &str, body: &Value) -> Result<Response> {
        self.request("POST", path, Some(body.to_string().as_bytes()))
    }

    fn request(&mut self, method: &str, path: &str, body: Option<&[u8]>) -> Result<Response> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if let Some(header) = &self.header {
            head.push_str(&format!("{header}\r\n"));
        }
        if let Some(body) = body {
            head.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        let mut out = head.into_bytes();
        out.extend_from_slice(body.unwrap_or_default());
        self.writer.write_all(&out)?;

        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .with_context(|| format!("bad status line {line:?}"))?;
        let mut length = None;
        let mut headers = Vec::new();
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                bail!("connection closed in the response head");
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                headers.push((name.trim().to_owned(), value.trim().to_owned()));
                if name.eq_ignore_ascii_case("content-length") {
                    length = Some(value.trim().parse::<usize>()?);
                } else if name.eq_ignore_ascii_case("transfer-encoding") {
                    bail!("chunked responses are not supported by the bench client");
                }
            }
        }
        let mut body = vec![0; length.unwrap_or(0)];
        self.reader.read_exact(&mut body)?;
        Ok(Response { status, headers, body })
    }
}

/// A response as read: status, headers in order, body.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The value of the first header named `name` (case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// GETs `path` and parses the JSON body, failing on a status other than 200.
pub fn get_json(conn: &mut Conn, path: &str) -> Result<Value> {
    let (status, body) = conn.get(path)?;
    if status != 200 {
        bail!("GET {path} answered {status}: {}", String::from_utf8_lossy(&body));
    }
    serde_json::from_slice(&body).with_context(|| format!("GET {path}: body is not JSON"))
}

/// Logs in on `POST /api/v01/auth/login`; the `Authorization` header value of the new session (`Bearer <token>`).
pub fn login(port: u16, email: &str, password: &str) -> Result<String> {
    let body = json!({ "username": email, "password": password });
    let (status, answer) = Conn::open(port)?.post_json("/api/v01/auth/login", &body)?;
    match answer.get("token").and_then(Value::as_str) {
        Some(token) if status == 200 => Ok(format!("Bearer {token}")),
        // The answer of a failed login holds no secret, only the error envelope.
        _ => bail!("login as {email} answered {status}: {answer}"),
    }
}
