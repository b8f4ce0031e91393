//! Several back-office instances over one PostgreSQL database, as a chain
//! runs them behind one address: each instance is a real `possum-backoffice
//! serve` process. Exactly once is the database's doing (unique keys, the
//! tenant's clock lock), never an instance's memory.
//!
//! These need a cluster (`POSSUM_TEST_DATABASE_URL`); without one (the
//! SQLite run of the suite) they say so and pass. `scripts/test.sh` runs the
//! suite a second time on a cluster of its own, where they run.

use crate::common::*;
use crate::push::order;
use possum_backoffice::store::{Storage, Store};
use possum_contract::activity::PushResponse;
use possum_contract::token::{TokenClaims, TokenResponse};
use reqwest::Client;
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One `possum-backoffice serve` process on a loopback port.
struct Instance {
    url: String,
    child: Child,
}

impl Instance {
    async fn start(database: &TestDatabase) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(env!("CARGO_BIN_EXE_possum-backoffice"))
            .args([
                "serve",
                "--demo",
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--database-url",
                &database.url,
            ])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while Client::new().get(format!("{url}/api/nowhere")).send().await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "instance on port {port} did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { url, child }
    }

    /// Ends the process at once, as a crash or a pulled plug would.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The cluster's test database, or `None` (and a note) when there is no cluster.
fn database(test: &str) -> Option<TestDatabase> {
    match cluster_url() {
        Some(cluster) => Some(TestDatabase::create(&cluster)),
        None => {
            eprintln!("{test}: skipped, POSSUM_TEST_DATABASE_URL names no PostgreSQL cluster");
            None
        }
    }
}

async fn sign_in(client: &Client, base: &str) -> Terminal {
    let response = client
        .post(format!("{base}/Token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(grant(possum_backoffice::demo::DEMO_USERNAME, possum_backoffice::demo::DEMO_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let token: TokenResponse = response.json().await.unwrap();
    let claims = TokenClaims::read_unverified(&token.access_token).unwrap();
    Terminal { token: token.access_token, claims }
}

/// Counts rows of the demo tenant, through a store of its own (a third instance's view).
fn count(database: &TestDatabase, sql: &'static str) -> i64 {
    let store = Store::open_storage(&Storage::Postgres(database.url.clone()), &Default::default()).unwrap();
    let tenant = store.find_tenant("demo").unwrap().unwrap();
    let db = store.tenant(tenant.id).unwrap();
    db.read_blocking(|tx| Ok(tx.query_row(sql, possum_backoffice::params![], |r| r.get(0))?)).unwrap()
}

#[tokio::test]
async fn the_same_sale_sent_to_two_instances_at_once_is_stored_and_charged_once() {
    let Some(database) = database("two instances, one sale") else { return };
    let (a, b) = (Instance::start(&database).await, Instance::start(&database).await);
    let client = Client::new();
    // Signed in through A, the token works on B: both sign with the key kept in the database.
    let t = sign_in(&client, &a.url).await;
    for i in 0..8 {
        let key = new_id();
        let mut request = sale(&[("W100", 1, "149.00")]);
        if i == 0 {
            request["PaymentMethod"] = 3.into();
            request["CardNumber"] = "10000001".into();
        }
        let send = |base: &str| {
            client
                .post(format!("{base}/api/Sale"))
                .bearer_auth(&t.token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", &key)
                .body(request.to_string())
                .send()
        };
        let (from_a, from_b) = tokio::join!(send(&a.url), send(&b.url));
        let (from_a, from_b) = (from_a.unwrap(), from_b.unwrap());
        assert_eq!((from_a.status().as_u16(), from_b.status().as_u16()), (200, 200));
        let (from_a, from_b): (Value, Value) = (from_a.json().await.unwrap(), from_b.json().await.unwrap());
        assert_eq!(from_a, from_b, "both instances answer the one sale");
    }
    assert_eq!(count(&database, "SELECT count(*) FROM sales"), 8);
    assert_eq!(count(&database, "SELECT count(*) FROM wash_tokens"), 8, "one token per sale");
    let (customers, _, _) =
        pull_at(&client, &b.url, &t, "/api/Customer/GetCustomers", None, None, 1000).await;
    let eva = customers.iter().find(|c| c["CardNumber"] == "10000001").unwrap();
    assert_eq!(eva["Balance"].to_string(), "351.00", "charged once: 500.00 - 149.00");
}

#[tokio::test]
async fn a_change_made_through_one_instance_is_pulled_through_the_other() {
    let Some(database) = database("two instances, one change") else { return };
    let (a, b) = (Instance::start(&database).await, Instance::start(&database).await);
    let client = Client::new();
    let t = sign_in(&client, &b.url).await;
    let path = "/api/Customer/GetCustomers";
    let (_, _, cursor) = pull_at(&client, &b.url, &t, path, None, None, 1000).await;
    let customer = new_id();
    let change = json!([{"Id": new_id(), "CustomerId": customer, "Name": "Nora New", "CardNumber": "99000001",
        "CardUID": null, "LicensePlate": "NEW 001", "Email": null, "Phone": null, "Birthday": null,
        "ChangedAt": "2026-11-22T10:00:00Z"}]);
    let response = client
        .post(format!("{}/api/Customer/PostCustomer", a.url))
        .bearer_auth(&t.token)
        .header("Content-Type", "application/json")
        .body(change.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (delta, _, next) = pull_at(&client, &b.url, &t, path, Some(cursor.clone()), None, 1000).await;
    assert_eq!(delta.len(), 1, "B hands out what A stored");
    assert_eq!(delta[0]["Id"], customer);
    assert!(next > cursor);
    let (again, _, _) = pull_at(&client, &a.url, &t, path, Some(next), None, 1000).await;
    assert!(again.is_empty(), "and the cursor B gave is good on A");
}

#[tokio::test]
async fn an_instance_killed_mid_flush_loses_and_doubles_nothing_while_the_other_takes_the_pushes() {
    let Some(database) = database("an instance killed mid-flush") else { return };
    let (mut a, b) = (Instance::start(&database).await, Instance::start(&database).await);
    let client = Client::new();
    let t = sign_in(&client, &a.url).await;
    // The terminal's outbox: 80 wash orders in batches of 10, sent round robin
    // (as a load balancer would); a batch that gets no answer is sent again to
    // the other instance until it is acknowledged.
    let orders: Vec<Value> =
        (1..=80).map(|invoice| order(&t, &new_id(), invoice, "W100", "149.00", true)).collect();
    let post = |base: String, batch: Value| {
        let request = client
            .post(format!("{base}/api/Order/PostOrder"))
            .bearer_auth(&t.token)
            .header("Content-Type", "application/json")
            .body(batch.to_string());
        async move {
            let response = request.send().await.ok()?;
            if response.status() != 200 {
                return None;
            }
            response.json::<PushResponse>().await.ok()
        }
    };
    let mut tokens = std::collections::BTreeMap::new();
    let mut resent = 0;
    for (n, chunk) in orders.chunks(10).enumerate() {
        let batch = Value::Array(chunk.to_vec());
        let mut answer = if n == 3 {
            // A dies while it writes this batch.
            let in_flight = tokio::spawn(post(a.url.clone(), batch.clone()));
            tokio::time::sleep(Duration::from_millis(5)).await;
            a.kill();
            in_flight.await.unwrap()
        } else {
            let target = if n % 2 == 0 && n < 3 { &a.url } else { &b.url };
            post(target.clone(), batch.clone()).await
        };
        while answer.is_none() {
            resent += 1;
            answer = post(b.url.clone(), batch.clone()).await;
        }
        let answer = answer.unwrap();
        assert_eq!(answer.acknowledged.len(), 10, "{:?}", answer.rejected);
        for receipt in answer.receipts {
            tokens.insert(receipt.order_id, receipt.token.unwrap());
        }
    }
    assert_eq!(tokens.len(), 80);
    assert_eq!(count(&database, "SELECT count(*) FROM orders"), 80, "none lost, none doubled");
    assert_eq!(count(&database, "SELECT count(*) FROM wash_tokens"), 80, "one token per order");
    // Sent once more (an outbox that never heard), every order is recognised with its token.
    let answer = post(b.url.clone(), Value::Array(orders.clone())).await.unwrap();
    assert_eq!(answer.acknowledged.len(), 80);
    for receipt in answer.receipts {
        assert_eq!(tokens.get(&receipt.order_id), receipt.token.as_ref());
    }
    assert_eq!(count(&database, "SELECT count(*) FROM orders"), 80);
    eprintln!("an instance killed mid-flush: {resent} batch(es) sent again");
}
