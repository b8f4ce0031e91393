//! The fault mode seen from a client: every kind of failure happens, and a
//! client that resends until it hears "acknowledged" gets each record stored
//! exactly once, including when the back office stored it and the answer
//! was lost.

use crate::common::*;
use possum_backoffice::faults::FaultPlan;
use possum_contract::activity::PushResponse;
use serde_json::json;

#[tokio::test]
async fn resending_until_acknowledged_stores_every_record_once_through_every_fault() {
    let plan = FaultPlan { seed: 7, rate: 0.6, max_delay_ms: 20 };
    let server = Server::start_with(|c| possum_backoffice::Config { faults: Some(plan), ..c }).await;
    let t = server.demo_terminal().await;
    let ids: Vec<String> = (0..40).map(|_| new_id()).collect();
    let (mut statuses, mut cut, mut attempts) = (std::collections::BTreeMap::<u16, u32>::new(), 0, 0);
    for id in &ids {
        let record = json!([{ "Id": id, "TerminalId": t.claims.terminal, "Level": "Info", "Category": "test", "Message": "m",
            "Context": null, "CreatedAt": "2026-11-23T10:00:00Z" }]);
        loop {
            attempts += 1;
            // A cut connection fails the request itself or the reading of its body.
            let Ok(response) = server.post_json(&t, "/api/Callback/PostDeviceLog", &record).send().await
            else {
                cut += 1;
                continue;
            };
            let status = response.status().as_u16();
            *statuses.entry(status).or_default() += 1;
            let Ok(text) = response.text().await else {
                cut += 1;
                continue;
            };
            if status == 200 {
                let answer: PushResponse = serde_json::from_str(&text).unwrap();
                if answer.acknowledged.iter().any(|a| a.to_string() == *id) {
                    break;
                }
            }
        }
    }
    // Every failure kind was met on the way…
    for code in [200, 429, 500, 502, 503] {
        assert!(statuses.contains_key(&code), "{code} in {statuses:?}");
    }
    assert!(cut > 0, "no answer was cut: {statuses:?}");
    assert!(attempts > ids.len() * 2, "{attempts} attempts");
    // …and each record is stored once.
    let db = server.state.store.tenant(t.claims.tenant).unwrap();
    let stored: Vec<String> = db
        .read_blocking(|conn| {
            let rows: Vec<String> = conn.query_map(
                "SELECT id FROM pushed WHERE kind = 'DeviceLog' ORDER BY id",
                possum_backoffice::params![],
                |r| r.get(0),
            )?;
            Ok(rows)
        })
        .unwrap();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(stored, expected);
}

/// PostgreSQL only: the database goes away under a running server (its
/// connections cut, new ones refused), then comes back.
#[tokio::test]
async fn a_database_that_goes_away_answers_503_and_the_server_recovers_when_it_is_back() {
    let server = Server::start().await;
    let Some(database) = &server.database else {
        eprintln!("skipped: POSSUM_TEST_DATABASE_URL names no PostgreSQL cluster");
        return;
    };
    let t = server.demo_terminal().await;
    let path = format!("/api/Product/GetProducts?TerminalId={}", t.claims.terminal);
    assert_eq!(server.get(&t, &path).send().await.unwrap().status(), 200);

    let admin = |sql: String| {
        let url = with_database(&cluster_url().unwrap(), "postgres");
        off_runtime(move || {
            let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            admin.batch_execute(&sql).unwrap();
        })
    };
    let name = database.url.rsplit('/').next().unwrap().to_string();
    admin(format!(
        "ALTER DATABASE {name} ALLOW_CONNECTIONS false;
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ));
    let response = server.get(&t, &path).send().await.unwrap();
    assert_eq!(response.status(), 503, "a lost database is a wait, not a failure");
    assert!(response.headers().contains_key("retry-after"));
    let body = response.text().await.unwrap();
    assert!(!body.contains("postgres") && !body.contains(&name), "no internals: {body}");

    admin(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"));
    let mut statuses = Vec::new();
    loop {
        let status = server.get(&t, &path).send().await.unwrap().status().as_u16();
        statuses.push(status);
        if status == 200 {
            break;
        }
        assert!(status == 503 && statuses.len() < 40, "{statuses:?}");
    }
    let sale = server.post_json(&t, "/api/Sale", &sale(&[("W100", 1, "149.00")])).send().await.unwrap();
    assert_eq!(sale.status(), 200, "writes work again too");
}

#[test]
fn a_wrong_or_unreachable_database_url_stops_the_start_with_one_clear_line() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    for (url, says) in [
        // Nothing listens on a port just freed.
        (format!("postgres://possum:secret@127.0.0.1:{port}/possum"), "cannot use the database"),
        ("postgres://possum@127.0.0.1:notaport/possum".to_string(), "is not valid"),
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_possum-backoffice"))
            .args(["serve", "--addr", "127.0.0.1:0", "--database-url", &url])
            .env("RUST_LOG", "off")
            .output()
            .unwrap();
        assert!(!output.status.success(), "{url} must not start");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(!stderr.contains("secret"), "the password is never shown: {stderr}");
    }
}
