//! `POST /Token` under attack: floods of made-up names, guessing bursts,
//! strangers locking the shop out, spraying names, huge names.

use crate::common::*;
use possum_backoffice::demo::{DEMO_PASSWORD, DEMO_USERNAME};
use possum_backoffice::limits::Limits;
use possum_backoffice::signin::{ADDRESS_FAILURES_PER_WINDOW, FAILURES_BEFORE_LOCK, MAX_USERNAME_BYTES};
use possum_backoffice::Config;
use serde_json::Value;
use std::time::Duration;

/// Status, `Retry-After` and body of a sign-in.
async fn outcome(response: reqwest::Response) -> (u16, Option<u64>, Value) {
    let status = response.status().as_u16();
    let retry = response.headers().get("retry-after").map(|v| v.to_str().unwrap().parse().unwrap());
    (status, retry, response.json().await.unwrap())
}

fn description(body: &Value) -> &str {
    body["error_description"].as_str().unwrap_or_default()
}

/// Sign-ins with `form`s, all at once, each from its own address `127.0.<subnet>.<i+1>`.
async fn burst(server: &Server, subnet: u8, forms: Vec<String>) -> Vec<(u16, Option<u64>, Value)> {
    let tasks: Vec<_> = forms
        .into_iter()
        .enumerate()
        .map(|(i, form)| {
            let (url, client) = (server.url("/Token"), client_from(&format!("127.0.{subnet}.{}", i + 1)));
            tokio::spawn(async move {
                let response = client
                    .post(url)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(form)
                    .send()
                    .await
                    .unwrap();
                outcome(response).await
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    outcomes
}

#[tokio::test]
async fn a_flood_of_made_up_names_never_runs_more_checks_than_the_pool_has_threads() {
    let limits = Limits { hash_threads: 2, hash_queue: 2, ..Limits::default() };
    let server = Server::start_with(|c| Config { limits, ..c }).await;
    let forms = (0..24).map(|i| grant(&format!("nobody{i}@example.com"), "guess")).collect();
    let outcomes = burst(&server, 1, forms).await;

    let busy: Vec<_> = outcomes.iter().filter(|(status, _, _)| *status == 503).collect();
    assert!(!busy.is_empty(), "24 at once with room for 4: some are refused at once");
    for (_, retry, body) in &busy {
        assert_eq!(*retry, Some(1), "503 says when to come back");
        assert_eq!(body["error"], "temporarily_unavailable", "in the OAuth style of /Token: {body}");
    }
    for (status, _, body) in &outcomes {
        assert!(*status == 503 || (*status == 400 && body["error"] == "invalid_grant"), "{status} {body}");
    }
    let peak = server.state.hashes.peak_running();
    assert!((1..=2).contains(&peak), "at most 2 argon2 checks (19 MiB each) ran at once, not {peak}");
}

#[tokio::test]
async fn forty_simultaneous_guesses_get_exactly_the_checks_before_the_lock() {
    let limits = Limits { hash_queue: 64, ..Limits::default() };
    let server = Server::start_with(|c| Config { limits, ..c }).await;
    let forms = (0..40).map(|i| grant(DEMO_USERNAME, &format!("guess {i}"))).collect();
    let outcomes = burst(&server, 2, forms).await;
    let checked = outcomes.iter().filter(|(_, _, b)| description(b).contains("incorrect")).count();
    let locked =
        outcomes.iter().filter(|(_, _, b)| description(b).contains("Too many failed sign-ins")).count();
    assert_eq!(checked as i64, FAILURES_BEFORE_LOCK, "{outcomes:?}");
    assert_eq!(locked, 40 - checked);
}

/// The failures counted against a login so far.
async fn failures(server: &Server, username: &'static str) -> i64 {
    let query = "SELECT failures FROM terminals WHERE username = ?1";
    server
        .state
        .store
        .master
        .read(move |tx| Ok(tx.query_row(query, possum_backoffice::params![username], |r| r.get(0))?))
        .await
        .unwrap()
}

#[tokio::test]
async fn the_right_password_inside_a_burst_of_wrong_ones_is_refused_once_the_lock_is_reached() {
    // One hash thread: the burst's checks are still under way when the right password comes.
    let limits = Limits { hash_threads: 1, hash_queue: 64, ..Limits::default() };
    let server = Server::start_with(|c| Config { limits, ..c }).await;
    let wrong = (0..24).map(|i| grant(DEMO_USERNAME, &format!("guess {i}"))).collect();
    // Once five tries are counted, the right password comes beside the burst, from a new address.
    let right = async {
        while failures(&server, DEMO_USERNAME).await < FAILURES_BEFORE_LOCK {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        outcome(server.token_from(&client_from("127.0.3.200"), &grant(DEMO_USERNAME, DEMO_PASSWORD)).await)
            .await
    };
    let (outcomes, (status, _, body)) = tokio::join!(burst(&server, 3, wrong), right);
    assert_eq!(status, 400, "{body}");
    assert!(description(&body).contains("Too many failed sign-ins"), "{body}");
    let checked = outcomes.iter().filter(|(_, _, b)| description(b).contains("incorrect")).count();
    assert_eq!(checked as i64, FAILURES_BEFORE_LOCK);
}

#[tokio::test]
async fn a_stranger_cannot_lock_the_shop_out() {
    let server = Server::start().await;
    let shop = client_from("127.0.4.1");
    let (status, _, _) = outcome(server.token_from(&shop, &grant(DEMO_USERNAME, DEMO_PASSWORD)).await).await;
    assert_eq!(status, 200, "the shop's tablet signed in from here before");

    let stranger = client_from("127.0.4.2");
    for i in 0..FAILURES_BEFORE_LOCK + 2 {
        server.token_from(&stranger, &grant(DEMO_USERNAME, &format!("guess {i}"))).await;
    }
    let (_, _, body) =
        outcome(server.token_from(&stranger, &grant(DEMO_USERNAME, DEMO_PASSWORD)).await).await;
    assert!(description(&body).contains("Too many failed sign-ins"), "the stranger is locked out: {body}");
    let (_, _, body) =
        outcome(server.token_from(&client_from("127.0.4.3"), &grant(DEMO_USERNAME, DEMO_PASSWORD)).await)
            .await;
    assert!(description(&body).contains("Too many failed sign-ins"), "so is a device never seen: {body}");

    let (status, _, body) =
        outcome(server.token_from(&shop, &grant(DEMO_USERNAME, DEMO_PASSWORD)).await).await;
    assert_eq!(status, 200, "the shop's own tablet signs in all the same: {body}");
    let (status, _, _) =
        outcome(server.token_from(&client_from("127.0.4.3"), &grant(DEMO_USERNAME, DEMO_PASSWORD)).await)
            .await;
    assert_eq!(status, 200, "and its success lifts the lock for everyone");
}

#[tokio::test]
async fn spraying_names_from_one_address_is_throttled_and_a_success_does_not_reset_it() {
    let server = Server::start().await;
    let sprayer = client_from("127.0.5.1");
    let half = ADDRESS_FAILURES_PER_WINDOW / 2;
    for i in 0..half {
        let (status, _, _) =
            outcome(server.token_from(&sprayer, &grant(&format!("n{i}@x.se"), "pw")).await).await;
        assert_eq!(status, 400);
    }
    // The attacker's own valid login in between takes back only its own try.
    let (status, _, _) =
        outcome(server.token_from(&sprayer, &grant(DEMO_USERNAME, DEMO_PASSWORD)).await).await;
    assert_eq!(status, 200);
    for i in half..ADDRESS_FAILURES_PER_WINDOW {
        let (status, _, _) =
            outcome(server.token_from(&sprayer, &grant(&format!("n{i}@x.se"), "pw")).await).await;
        assert_eq!(status, 400);
    }
    for form in [grant("one-more@x.se", "pw"), grant(DEMO_USERNAME, DEMO_PASSWORD)] {
        let (status, retry, body) = outcome(server.token_from(&sprayer, &form).await).await;
        assert_eq!(status, 429, "{body}");
        assert_eq!(body["error"], "temporarily_unavailable");
        assert!(retry.is_some_and(|s| s > 0 && s <= 600), "Retry-After: {retry:?}");
    }
    let (status, _, _) =
        outcome(server.token_from(&client_from("127.0.5.2"), &grant(DEMO_USERNAME, DEMO_PASSWORD)).await)
            .await;
    assert_eq!(status, 200, "another address is not affected");
}

/// Every text value in the master database.
async fn master_text(server: &Server) -> String {
    use possum_backoffice::store::sql::{Dialect, Value};
    server
        .state
        .store
        .master
        .read(|tx| {
            let list = match tx.dialect() {
                Dialect::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
                Dialect::Postgres => {
                    "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()"
                }
            };
            let tables: Vec<String> = tx.query_map(list, possum_backoffice::params![], |r| r.get(0))?;
            let mut text = String::new();
            for table in tables {
                let rows = tx.query_map(&format!("SELECT * FROM \"{table}\""), possum_backoffice::params![], |row| {
                    Ok(row.clone())
                })?;
                for row in rows {
                    for value in row.values() {
                        if let Value::Text(t) = value {
                            text.push_str(t);
                            text.push('\n');
                        }
                    }
                }
            }
            Ok(text)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn long_names_are_refused_before_storage_and_made_up_names_are_not_kept() {
    let server = Server::start().await;
    for length in [MAX_USERNAME_BYTES + 1, 1024 * 1024] {
        let name = "n".repeat(length);
        let (status, _, body) = outcome(server.token_raw(&grant(&name, "pw")).await).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("invalid_request")), "{length} bytes");
    }
    let names: Vec<String> = (0..12).map(|i| format!("made-up-{i}-{}", "x".repeat(200))).collect();
    for name in &names {
        assert_eq!(server.token_raw(&grant(name, "pw")).await.status(), 400);
    }
    let stored = master_text(&server).await;
    for name in &names {
        assert!(!stored.contains(name.as_str()), "a name that is no login is not kept");
    }
    assert!(!stored.contains(&"n".repeat(MAX_USERNAME_BYTES)));
}

/// What the back office logs, from the first test that asks on (one subscriber for the whole binary).
fn captured_log() -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    use std::sync::{Arc, Mutex, OnceLock};
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Arc::new(Mutex::new(Vec::new()));
        let writer = {
            let log = Arc::clone(&log);
            move || Capture(Arc::clone(&log))
        };
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter("possum_backoffice=debug,tower_http=debug")
            .with_writer(writer)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other subscriber in this binary");
        log
    })
    .clone()
}

struct Capture(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_user_name_tried_is_ever_logged() {
    let log = captured_log();
    let server = Server::start().await;
    let tenant = server.state.store.find_tenant("demo").unwrap().unwrap();
    let login = format!("till-{}@example.com", new_id());
    possum_backoffice::auth::add_terminal(
        &server.state.store,
        tenant.id,
        &login,
        "Long-Enough-Secret-42",
        1,
        "Till",
    )
    .unwrap();
    let made_up = format!("made-up-{}", new_id());
    for i in 0..FAILURES_BEFORE_LOCK + 1 {
        server.token_raw(&grant(&login, &format!("guess {i}"))).await;
        server.token_raw(&grant(&made_up, "guess")).await;
    }
    let log = String::from_utf8_lossy(&log.lock().unwrap()).to_string();
    assert!(log.contains("failed sign-in"), "failures are logged (by terminal id)");
    assert!(!log.contains(&login) && !log.contains(&made_up), "no name is");
}
