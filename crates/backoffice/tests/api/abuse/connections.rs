//! Slow and idle connections: half-sent headers, half-sent bodies, idle
//! keep-alive connections, and more connections than the server takes.

use crate::common::*;
use possum_backoffice::limits::Limits;
use possum_backoffice::Config;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn short_limits() -> Limits {
    Limits {
        header_timeout: Duration::from_millis(500),
        body_idle_timeout: Duration::from_millis(300),
        body_timeout: Duration::from_millis(1200),
        ..Limits::default()
    }
}

async fn server_with(limits: Limits) -> Server {
    Server::start_with(|c| Config { limits, ..c }).await
}

async fn connect(server: &Server) -> TcpStream {
    TcpStream::connect(server.url.trim_start_matches("http://")).await.unwrap()
}

/// Everything the server sends until it closes the connection, or `None`
/// when it is still open after `patience`.
async fn until_closed(stream: &mut TcpStream, patience: Duration) -> Option<String> {
    let mut received = Vec::new();
    let read = tokio::time::timeout(patience, async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    read.ok().map(|()| String::from_utf8_lossy(&received).to_string())
}

#[tokio::test]
async fn a_half_sent_header_is_closed_after_the_header_timeout() {
    let server = server_with(short_limits()).await;
    let mut stream = connect(&server).await;
    stream.write_all(b"GET /health HTTP/1.1\r\nHost: possum\r\nX-Slow: ").await.unwrap();
    let started = Instant::now();
    assert!(until_closed(&mut stream, Duration::from_secs(3)).await.is_some(), "still open after 3 s");
    assert!(started.elapsed() >= Duration::from_millis(400));
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let server = server_with(short_limits()).await;
    let mut stream = connect(&server).await;
    stream.write_all(b"GET /health HTTP/1.1\r\nHost: possum\r\n\r\n").await.unwrap();
    let mut first = [0u8; 12];
    stream.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    assert!(
        until_closed(&mut stream, Duration::from_secs(3)).await.is_some(),
        "idle and still open after 3 s"
    );
}

async fn token_with_slow_body(server: &Server, pieces: &[&[u8]], pause: Duration) -> Option<String> {
    let mut stream = connect(server).await;
    stream
        .write_all(
            b"POST /Token HTTP/1.1\r\nHost: possum\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n",
        )
        .await
        .unwrap();
    for piece in pieces {
        // The server may answer and close before the client has sent everything.
        if stream.write_all(piece).await.is_err() {
            break;
        }
        tokio::time::sleep(pause).await;
    }
    until_closed(&mut stream, Duration::from_secs(3)).await
}

#[tokio::test]
async fn a_half_sent_body_answers_408_and_closes() {
    let server = server_with(short_limits()).await;
    let answer = token_with_slow_body(&server, &[b"grant_type=pass"], Duration::ZERO).await;
    let answer = answer.expect("still open after 3 s");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("not sent in time"), "{answer}");
}

#[tokio::test]
async fn a_trickled_body_answers_408_at_the_body_deadline() {
    // A byte every 100 ms never pauses past the idle timeout (1 s, wide enough for a
    // loaded CI machine's late timers), but the whole body has 1.5 s.
    let limits = Limits {
        body_idle_timeout: Duration::from_millis(1000),
        body_timeout: Duration::from_millis(1500),
        ..short_limits()
    };
    let server = server_with(limits).await;
    let started = Instant::now();
    let trickle: Vec<&[u8]> = std::iter::repeat_n(&b"x"[..], 40).collect();
    let answer = token_with_slow_body(&server, &trickle, Duration::from_millis(100)).await;
    let answer = answer.expect("still open after the trickle");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() >= Duration::from_millis(1400), "answered before the body deadline");
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_for_a_free_one() {
    let limits =
        Limits { max_connections: 2, header_timeout: Duration::from_millis(700), ..Limits::default() };
    let server = server_with(limits).await;
    // Two silent connections take both places …
    let _silent = (connect(&server).await, connect(&server).await);
    tokio::time::sleep(Duration::from_millis(50)).await;
    // … so a third is served only once the header timeout has closed one.
    let started = Instant::now();
    let response = reqwest::get(server.url("/health")).await.unwrap();
    assert_eq!(response.status(), 200);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(500), "served after {waited:?}: the limit did not hold");
}

#[tokio::test]
async fn a_request_under_way_finishes_through_a_graceful_shutdown() {
    let server = server_with(Limits::default()).await;
    let form = grant(possum_backoffice::demo::DEMO_USERNAME, possum_backoffice::demo::DEMO_PASSWORD);
    let (first, rest) = form.split_at(10);
    let mut stream = connect(&server).await;
    let head = format!(
        "POST /Token HTTP/1.1\r\nHost: possum\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{first}",
        form.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The shutdown begins while the sign-in's body is still on its way …
    let shutdown = tokio::spawn(server.shutdown());
    tokio::time::sleep(Duration::from_millis(100)).await;
    stream.write_all(rest.as_bytes()).await.unwrap();
    // … and the sign-in is answered before the server stops.
    let answer = until_closed(&mut stream, Duration::from_secs(5)).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    tokio::time::timeout(Duration::from_secs(5), shutdown).await.expect("the server stops").unwrap();
}
