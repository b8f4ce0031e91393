//! Bench lines of issue 22 (`bash scripts/bench.sh` runs this, release build):
//! `api/Sale` per second and pull rows per second on SQLite, on PostgreSQL
//! with one instance and with two, and with 1,000 generated tenants.
//!
//! Each instance is a server with its own runtime, pool and tenant map, in
//! this process (two instances share nothing but the database, as two
//! processes would). The clients run in this process too, on the same two
//! cores: the figures are lower bounds of what a server machine does.
//!
//! PostgreSQL rows need `POSSUM_BENCH_DATABASE_URL` (a cluster URL; each
//! scenario makes a database of its own there). Sizes: `BENCH_STORAGE_SALES`
//! (sales per client, 250), `BENCH_STORAGE_ROWS` (products and customers of
//! the pulled tenant, 20,000 each), `BENCH_TENANTS` (1,000).
//!
//! `cargo run --release -p possum-backoffice --example storage_bench`

use possum_backoffice::{demo, AppState, Config};
use reqwest::Client;
use serde_json::{json, Value};
use std::time::Instant;

const SALE_CLIENTS: usize = 8;
const PULL_CLIENTS: usize = 4;
/// Generated tenants' logins share this password.
const PASSWORD: &str = "Bench-Secret-123";

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// One server on a loopback port, on a runtime of its own; answers its URL.
fn start_instance(config: Config) -> (String, AppState) {
    let state = AppState::open(config).expect("open the storage");
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
    (format!("http://{}", address_rx.recv().expect("the server's address")), state)
}

/// A fresh database in the cluster at `cluster`, answered as its URL.
fn fresh_database(cluster: &str, name: &str) -> String {
    let mut admin = postgres::Client::connect(cluster, postgres::NoTls).expect("the bench cluster answers");
    // (One statement a call: neither runs inside a transaction block.)
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let (base, _) = cluster.rsplit_once('/').expect("a URL with a database");
    format!("{base}/{name}")
}

struct Terminal {
    token: String,
    terminal: String,
}

async fn sign_in(client: &Client, url: &str, username: &str) -> Terminal {
    let form = serde_urlencoded::to_string([
        ("grant_type", "password"),
        ("username", username),
        ("password", PASSWORD),
    ])
    .unwrap();
    let response = client
        .post(format!("{url}/Token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .expect("sign in");
    let body: Value = response.json().await.expect("a token");
    let token = body["access_token"].as_str().expect("a token").to_string();
    let claims = possum_contract::token::TokenClaims::read_unverified(&token).expect("claims");
    Terminal { token, terminal: claims.terminal.to_string() }
}

/// A cash sale of one generated article at its list price.
fn sale() -> Value {
    json!({"PriceGroup": 1, "Items": [{"ArticleNumber": "P000001", "Quantity": 1, "Price": 89.19}],
        "CashierCardNumber": "1001", "PaymentMethod": 0, "CardNumber": null, "CardUID": null,
        "LicensePlate": null, "ClientNumber": 1})
}

/// Sales per second: `SALE_CLIENTS` clients at once, each its own terminal
/// (round robin over `terminals`), its requests round robin over `urls`.
async fn sales_per_second(
    client: &Client,
    urls: &[String],
    terminals: &[Terminal],
    per_client: usize,
) -> f64 {
    let started = Instant::now();
    let tasks: Vec<_> = (0..SALE_CLIENTS)
        .map(|c| {
            let (client, urls) = (client.clone(), urls.to_vec());
            let token = terminals[c % terminals.len()].token.clone();
            tokio::spawn(async move {
                for i in 0..per_client {
                    let url = &urls[(c + i) % urls.len()];
                    let response = client
                        .post(format!("{url}/api/Sale"))
                        .bearer_auth(&token)
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
                        .body(sale().to_string())
                        .send()
                        .await
                        .expect("a sale");
                    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap_or_default());
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a sale client");
    }
    (SALE_CLIENTS * per_client) as f64 / started.elapsed().as_secs_f64()
}

/// Rows per second of full pulls (products and customers, pages of 5,000),
/// `PULL_CLIENTS` at once round robin over `urls`.
async fn pull_rows_per_second(client: &Client, urls: &[String], terminals: &[Terminal]) -> (f64, usize) {
    let started = Instant::now();
    let tasks: Vec<_> = (0..PULL_CLIENTS)
        .map(|c| {
            let (client, url) = (client.clone(), urls[c % urls.len()].clone());
            let terminal = &terminals[c % terminals.len()];
            let (token, id) = (terminal.token.clone(), terminal.terminal.clone());
            tokio::spawn(async move {
                let mut rows = 0;
                for path in ["/api/Product/GetProducts", "/api/Customer/GetCustomers"] {
                    let (mut cursor, mut after) = (None::<String>, None::<String>);
                    loop {
                        let mut query = vec![("TerminalId", id.clone()), ("PageSize", "5000".into())];
                        query.extend(cursor.clone().map(|c| ("LastExecutedDate", c)));
                        query.extend(after.clone().map(|a| ("AfterId", a)));
                        let page: Value = client
                            .get(format!("{url}{path}"))
                            .bearer_auth(&token)
                            .query(&query)
                            .send()
                            .await
                            .expect("a page")
                            .json()
                            .await
                            .expect("a page of JSON");
                        rows += page["Items"].as_array().map_or(0, Vec::len);
                        cursor = page["NextLastExecutedDate"].as_str().map(str::to_string);
                        after = page["NextAfterId"].as_str().map(str::to_string);
                        if page["HasMore"] != true {
                            break;
                        }
                    }
                }
                rows
            })
        })
        .collect();
    let mut rows = 0;
    for task in tasks {
        rows += task.await.expect("a pull client");
    }
    (rows as f64 / started.elapsed().as_secs_f64(), rows)
}

/// One scenario: `instances` servers over `database_url` (SQLite in a temporary folder when `None`).
fn scenario(
    runtime: &tokio::runtime::Runtime,
    database_url: Option<String>,
    instances: usize,
) -> (f64, f64, usize) {
    let dir = tempfile::tempdir().expect("a temporary data folder");
    let rows = env_number("BENCH_STORAGE_ROWS", 20_000) as u32;
    let config = || Config { database_url: database_url.clone(), ..Config::new(dir.path()) };
    let (first, state) = start_instance(config());
    demo::generate(&state.store, "bench", "bench@possum.com", PASSWORD, rows, rows)
        .expect("the pulled tenant");
    demo::generate(&state.store, "bench2", "bench2@possum.com", PASSWORD, 50, 10).expect("a second tenant");
    let mut urls = vec![first];
    for _ in 1..instances {
        urls.push(start_instance(config()).0);
    }
    let client = Client::new();
    runtime.block_on(async {
        let terminals = vec![
            sign_in(&client, &urls[0], "bench@possum.com").await,
            sign_in(&client, &urls[0], "bench2@possum.com").await,
        ];
        let sales =
            sales_per_second(&client, &urls, &terminals, env_number("BENCH_STORAGE_SALES", 250)).await;
        let (pulled, total) = pull_rows_per_second(&client, &urls, &terminals[..1]).await;
        (sales, pulled, total)
    })
}

/// 1,000 tenants over two instances: how long they take to create, then
/// sales spread over 100 of them and each one's full pull.
fn many_tenants(runtime: &tokio::runtime::Runtime, database_url: String) -> (usize, f64, f64, f64, usize) {
    let dir = tempfile::tempdir().expect("a temporary data folder");
    let count = env_number("BENCH_TENANTS", 1_000);
    let config = || Config { database_url: Some(database_url.clone()), ..Config::new(dir.path()) };
    let (first, state) = start_instance(config());
    let started = Instant::now();
    for n in 0..count {
        demo::generate(
            &state.store,
            &format!("shop{n:04}"),
            &format!("shop{n:04}@possum.com"),
            PASSWORD,
            20,
            20,
        )
        .expect("a generated tenant");
    }
    let created = started.elapsed().as_secs_f64();
    let urls = vec![first, start_instance(config()).0];
    let client = Client::new();
    runtime.block_on(async {
        let mut terminals = Vec::new();
        for n in (0..count).step_by((count / 100).max(1)) {
            terminals.push(sign_in(&client, &urls[n % 2], &format!("shop{n:04}@possum.com")).await);
        }
        let sales =
            sales_per_second(&client, &urls, &terminals, env_number("BENCH_STORAGE_SALES", 250)).await;
        let (pulled, _) = pull_rows_per_second(&client, &urls, &terminals).await;
        (count, created, sales, pulled, terminals.len())
    })
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("client runtime");
    let cluster = std::env::var("POSSUM_BENCH_DATABASE_URL").ok().filter(|u| !u.is_empty());
    let mut lines = vec![];
    let (sales, pulled, rows) = scenario(&runtime, None, 1);
    lines.push(format!("| SQLite, one instance | {sales:.0} | {pulled:.0} ({rows} rows) |"));
    if let Some(cluster) = &cluster {
        let (sales, pulled, rows) = scenario(&runtime, Some(fresh_database(cluster, "possum_bench_one")), 1);
        lines.push(format!("| PostgreSQL, one instance | {sales:.0} | {pulled:.0} ({rows} rows) |"));
        let (sales, pulled, rows) = scenario(&runtime, Some(fresh_database(cluster, "possum_bench_two")), 2);
        lines.push(format!("| PostgreSQL, two instances | {sales:.0} | {pulled:.0} ({rows} rows) |"));
        let (count, created, sales, pulled, spread) =
            many_tenants(&runtime, fresh_database(cluster, "possum_bench_many"));
        lines.push(format!(
            "| PostgreSQL, two instances, {count} tenants (created in {created:.0} s; sales over {spread} of them) | {sales:.0} | {pulled:.0} |"
        ));
    } else {
        lines.push("| PostgreSQL | not measured: POSSUM_BENCH_DATABASE_URL is not set | |".into());
    }
    println!();
    println!("Back office storage (issue 22), {SALE_CLIENTS} sale clients, {PULL_CLIENTS} pull clients:");
    println!("| storage | api/Sale per second | pull rows per second |");
    println!("|---|---|---|");
    for line in lines {
        println!("{line}");
    }
}
