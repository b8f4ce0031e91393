//! One tenant's flood stalls no other tenant, nor the master look-up.

use crate::common::*;
use possum_backoffice::limits::Limits;
use possum_backoffice::Config;
use serde_json::json;
use std::time::{Duration, Instant};

async fn pull_time(server: &Server, t: &Terminal) -> Duration {
    let started = Instant::now();
    let path = format!("/api/Product/GetProducts?TerminalId={}", t.claims.terminal);
    let response = server.get(t, &path).send().await.unwrap();
    assert_eq!(response.status(), 200);
    started.elapsed()
}

#[tokio::test]
async fn a_flooded_tenant_answers_503_beyond_its_line_and_another_tenant_pulls_as_fast() {
    let limits = Limits { db_queue: 4, ..Limits::default() };
    let server = Server::start_with(|c| Config { limits, ..c }).await;
    let other =
        possum_backoffice::demo::generate(&server.state.store, "b", "b@possum.com", "B-Secret-123", 50, 10)
            .unwrap();
    let (a, b) = (server.demo_terminal().await, server.sign_in("b@possum.com", "B-Secret-123").await);
    let quiet = pull_time(&server, &b).await;

    // Tenant A's writes are stuck behind a lock held elsewhere; 40 of them arrive.
    let release = server.hold_tenant_writes(a.claims.tenant);
    let flood: Vec<_> = (0..40)
        .map(|i| {
            let log = json!([{"Id": new_id(), "TerminalId": a.claims.terminal, "Level": "Info", "Category": "flood",
                "Message": format!("{i}"), "Context": null, "CreatedAt": "2026-11-23T10:00:00Z"}]);
            let request = server.post_json(&a, "/api/Callback/PostDeviceLog", &log);
            tokio::spawn(async move {
                let response = request.send().await.unwrap();
                let retry = response.headers().get("retry-after").cloned();
                (response.status().as_u16(), retry)
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Tenant B pulls as if nothing happened, through the master look-up.
    let flooded = pull_time(&server, &b).await;
    assert!(flooded < quiet + Duration::from_secs(1), "B's pull took {flooded:?} (quiet: {quiet:?})");
    assert_eq!(other.name, "b");

    drop(release);
    let mut refused = 0;
    for task in flood {
        let (status, retry) = task.await.unwrap();
        match status {
            200 => {}
            503 => {
                assert_eq!(retry.unwrap(), "1");
                refused += 1;
            }
            other => panic!("A's request answered {other}"),
        }
    }
    // One writing, four waiting: the other 35 were refused at once rather than parked on a thread.
    assert!(refused >= 30, "only {refused} of 40 refused");
}

#[tokio::test]
async fn the_master_look_up_does_not_wait_behind_a_stuck_sign_in() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let release = server.hold_master_writes();
    // Sign-ins count their tries in the master database: these wait for its write lock.
    let stuck: Vec<_> = (0..5)
        .map(|i| {
            let (client, url) = (server.client.clone(), server.url("/Token"));
            tokio::spawn(async move {
                client
                    .post(url)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(grant(&format!("n{i}@x.se"), "pw"))
                    .send()
                    .await
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let took = pull_time(&server, &t).await;
    assert!(took < Duration::from_secs(1), "an authorised pull took {took:?} behind stuck sign-ins");
    drop(release);
    for task in stuck {
        task.await.unwrap().unwrap();
    }
}
