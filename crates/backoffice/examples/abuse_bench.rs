//! Bench lines of issue 16 (`bash scripts/bench.sh` runs this, release build):
//! 1. the back office's peak memory while 200 anonymous sign-ins with made-up
//!    names arrive at once, each from its own address (so that none is turned
//!    away cheaply by the per-address throttle: the worst case for memory);
//! 2. a second tenant's pull latency, quiet and while the first tenant is
//!    flooded with queued requests: its writes stuck behind a long write
//!    transaction (as a big import holds one), 600 of its pushes in flight
//!    all the time, each refused one coming back after its `Retry-After` as
//!    a terminal does (the case: 600 queued requests of one tenant
//!    made another's pulls take 14-18 s).
//!
//! The server runs in this process on its own runtime; memory is the
//! process's peak resident set (`VmHWM`, reset before the burst), so the
//! figure includes the 200 clients too: an upper bound for the server.
//!
//! `cargo run --release -p possum-backoffice --example abuse_bench`

use possum_backoffice::{demo, AppState, Config};
use reqwest::Client;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SIGN_INS: usize = 200;
const FLOOD: usize = 600;
const PULLS: usize = 60;

fn main() {
    let dir = tempfile::tempdir().expect("a temporary data folder");
    let mut config = Config::new(dir.path());
    config.limits.max_connections =
        possum_backoffice::limits::raise_open_file_limit(config.limits.max_connections);
    let limits = config.limits.clone();
    let state = AppState::open(config).expect("open the data folder");
    demo::ensure_demo(&state.store).expect("the demo tenant");
    demo::generate(&state.store, "quiet", "quiet@possum.com", "Quiet-Secret-123", 2_000, 1_000)
        .expect("a second tenant");

    // The server on a runtime of its own, as in `serve`.
    let (address_tx, address_rx) = std::sync::mpsc::channel();
    let server_state = state.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().expect("server runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            address_tx.send(listener.local_addr().expect("address")).expect("report the address");
            possum_backoffice::serve(listener, server_state, std::future::pending()).await.expect("serve");
        });
    });
    let url = format!("http://{}", address_rx.recv().expect("the server's address"));

    let client = tokio::runtime::Runtime::new().expect("client runtime");
    let memory = client.block_on(sign_in_burst(&url, &state));
    let busy = state.store.find_tenant(demo::DEMO_TENANT).expect("master").expect("the demo tenant");
    let busy_database = dir.path().join("tenants").join(format!("{}.sqlite", busy.id));
    let pulls = client.block_on(pulls_beside_a_flood(&url, busy_database));

    println!();
    println!(
        "Back office under anonymous abuse (issue 16), {} hash threads, line of {}:",
        limits.hash_threads, limits.hash_queue
    );
    println!("| figure | measured | target |");
    println!("|---|---|---|");
    println!(
        "| peak memory (RSS), {SIGN_INS} anonymous sign-ins at once | {:.0} MB (before: {:.0} MB; {}) | < 300 MB |",
        memory.peak_mb, memory.before_mb, memory.answers
    );
    println!(
        "| second tenant's pull, median / p95, quiet | {:.1} / {:.1} ms | |",
        pulls.quiet.0, pulls.quiet.1
    );
    println!(
        "| second tenant's pull, median / p95, first tenant flooded ({FLOOD} queued pushes) | {:.1} / {:.1} ms | unchanged within noise |",
        pulls.flooded.0, pulls.flooded.1
    );
    println!("| first tenant during the flood | {} | |", pulls.flood_answers);
}

struct Memory {
    before_mb: f64,
    peak_mb: f64,
    answers: String,
}

/// `VmRSS` or `VmHWM` of this process, in MB.
fn status_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

async fn sign_in_burst(url: &str, state: &AppState) -> Memory {
    // "5" resets the peak resident set to the current one (Linux 4.0+).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before_mb = status_mb("VmRSS:");
    let started = Instant::now();
    let server: std::net::SocketAddr =
        url.trim_start_matches("http://").parse().expect("the server's address");
    // Plain sockets rather than 200 HTTP clients, so that the figure is the server's.
    let tasks: Vec<_> = (0..SIGN_INS)
        .map(|i| {
            let address: std::net::IpAddr = format!("127.1.{}.{}", i / 250, i % 250 + 1).parse().expect("ip");
            let form = format!("grant_type=password&username=nobody{i}%40example.com&password=guess{i}");
            tokio::spawn(async move { raw_sign_in(address, server, &form).await.unwrap_or(0) })
        })
        .collect();
    let mut by_status = std::collections::BTreeMap::new();
    for task in tasks {
        *by_status.entry(task.await.unwrap_or(0)).or_insert(0usize) += 1;
    }
    let answers = by_status.iter().map(|(s, n)| format!("{n} × {s}")).collect::<Vec<_>>().join(", ");
    Memory {
        before_mb,
        peak_mb: status_mb("VmHWM:"),
        answers: format!(
            "{answers} in {:.1} s, at most {} checks at once",
            started.elapsed().as_secs_f64(),
            state.hashes.peak_running()
        ),
    }
}

/// A sign-in over a plain socket from `from`: the answer's status.
async fn raw_sign_in(
    from: std::net::IpAddr,
    server: std::net::SocketAddr,
    form: &str,
) -> std::io::Result<u16> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind(std::net::SocketAddr::new(from, 0))?;
    let mut stream = socket.connect(server).await?;
    let request = format!(
        "POST /Token HTTP/1.1\r\nHost: possum\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    let status = String::from_utf8_lossy(&answer).split(' ').nth(1).and_then(|s| s.parse().ok());
    Ok(status.unwrap_or(0))
}

struct Pulls {
    quiet: (f64, f64),
    flooded: (f64, f64),
    flood_answers: String,
}

async fn sign_in(url: &str, username: &str, password: &str) -> (String, String) {
    let form = format!("grant_type=password&username={}&password={password}", username.replace('@', "%40"));
    let token: serde_json::Value = Client::new()
        .post(format!("{url}/Token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .expect("sign in")
        .json()
        .await
        .expect("a token");
    let token = token["access_token"].as_str().expect("access_token").to_string();
    let claims = possum_contract::token::TokenClaims::read_unverified(&token).expect("claims");
    (token, claims.terminal.to_string())
}

/// Median and 95th percentile of `PULLS` sequential pulls, in ms.
async fn pull_times(client: &Client, url: &str, token: &str, terminal: &str) -> (f64, f64) {
    let mut times = Vec::with_capacity(PULLS);
    for _ in 0..PULLS {
        let started = Instant::now();
        let response = client
            .get(format!("{url}/api/Product/GetProducts?TerminalId={terminal}&PageSize=500"))
            .bearer_auth(token)
            .send()
            .await
            .expect("pull");
        assert_eq!(response.status(), 200, "the quiet tenant's pull");
        response.bytes().await.expect("the page");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (times[PULLS / 2], times[PULLS * 95 / 100])
}

/// Holds the write lock of the database at `path` from a connection of its
/// own until the returned sender is dropped.
fn hold_write_lock(path: std::path::PathBuf) -> std::sync::mpsc::Sender<()> {
    let (release, released) = std::sync::mpsc::channel::<()>();
    let (held, is_held) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut conn = rusqlite::Connection::open(path).expect("open the busy tenant");
        let tx =
            conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).expect("write lock");
        held.send(()).expect("report the lock");
        let _ = released.recv();
        drop(tx);
    });
    is_held.recv().expect("the write lock is held");
    release
}

async fn pulls_beside_a_flood(url: &str, busy_database: std::path::PathBuf) -> Pulls {
    let (quiet_token, quiet_terminal) = sign_in(url, "quiet@possum.com", "Quiet-Secret-123").await;
    let (busy_token, busy_terminal) = sign_in(url, demo::DEMO_USERNAME, demo::DEMO_PASSWORD).await;
    let quiet_client = Client::new();
    pull_times(&quiet_client, url, &quiet_token, &quiet_terminal).await; // warm up
    let quiet = pull_times(&quiet_client, url, &quiet_token, &quiet_terminal).await;

    // The first tenant: its writer stuck behind a long write elsewhere, and
    // FLOOD pushes in flight all the time.
    let stuck = hold_write_lock(busy_database);
    let stop = Arc::new(AtomicBool::new(false));
    let (answered, refused) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let busy_client = Client::builder().pool_max_idle_per_host(FLOOD).build().expect("client");
    let flood: Vec<_> = (0..FLOOD)
        .map(|i| {
            let (client, url, token, terminal) =
                (busy_client.clone(), url.to_string(), busy_token.clone(), busy_terminal.clone());
            let (stop, answered, refused) = (Arc::clone(&stop), Arc::clone(&answered), Arc::clone(&refused));
            tokio::spawn(async move {
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let log = serde_json::json!([{"Id": uuid::Uuid::new_v4(), "TerminalId": terminal,
                        "Level": "Info", "Category": "flood", "Message": format!("{i}/{n}"), "Context": null,
                        "CreatedAt": "2026-11-23T10:00:00Z"}]);
                    let request = client.post(format!("{url}/api/Callback/PostDeviceLog")).json(&log);
                    match request.bearer_auth(&token).send().await {
                        Ok(response) if response.status() == 503 => {
                            refused.fetch_add(1, Ordering::Relaxed);
                            tokio::time::sleep(Duration::from_secs(1)).await; // Retry-After
                        }
                        Ok(response) => {
                            let _ = response.bytes().await;
                            answered.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let flooded_started = Instant::now();
    let flooded = pull_times(&quiet_client, url, &quiet_token, &quiet_terminal).await;
    let seconds = flooded_started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    drop(stuck);
    for task in flood {
        let _ = task.await;
    }
    Pulls {
        quiet,
        flooded,
        flood_answers: format!(
            "{} answered, {} refused with 503 (over {:.1} s in all)",
            answered.load(Ordering::Relaxed),
            refused.load(Ordering::Relaxed),
            seconds + 2.0
        ),
    }
}
