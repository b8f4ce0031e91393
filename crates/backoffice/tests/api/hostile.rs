//! Hostile requests: every endpoint with no, forged, expired and foreign
//! tokens, and generated bodies (valid records with fields replaced, dropped
//! or added, and plain garbage) that must never earn a 5xx or leave a refused
//! record half-written.

use crate::common::*;
use possum_contract::activity::PushResponse;
use possum_contract::endpoints::{PullModule, PushKind};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use serde_json::{json, Value};

const NOW: &str = "2026-11-23T10:00:00Z";

/// A valid record for each push endpoint, for the demo terminal `t`.
fn samples(t: &Terminal) -> Vec<(&'static str, Value)> {
    let term = t.claims.terminal;
    let line = json!({ "ArticleNumber": "W100", "Name": "Basic wash", "Quantity": 1, "UnitPrice": 149, "Discount": 0,
        "VatPercent": 25, "LineTotal": 149, "IsWash": true, "CombinationArticleNumber": null });
    vec![
        (
            PushKind::OpenOrder.path(),
            json!({"Id": new_id(), "OpenOrderId": new_id(), "TerminalId": term, "Status": "Parked", "Label": "A",
            "CashierId": new_id(), "CustomerId": null, "PriceGroup": 1, "Lines": [line.clone()], "Total": 149, "ChangedAt": NOW}),
        ),
        (
            PushKind::Order.path(),
            json!({"Id": new_id(), "Kind": "Sale", "TerminalId": term, "ClientNumber": 1, "InvoiceNumber": 1,
            "CreatedAt": NOW, "CashierId": new_id(), "CashierName": "Anna", "CustomerId": null, "PriceGroup": 1, "Lines": [line],
            "Rounding": 0, "Total": 149, "VatTotal": 29.8, "Payments": [{"Method": 0, "Amount": 149, "Tendered": 200, "Change": 51}],
            "RefundOf": null, "SoldOffline": true, "Token": null}),
        ),
        (
            PushKind::SwishPayment.path(),
            json!({"Id": new_id(), "OrderId": new_id(), "Amount": 149, "PayerAlias": null, "Reference": "x",
            "Status": "Paid", "CreatedAt": NOW}),
        ),
        (
            PushKind::InvoiceCounter.path(),
            json!({"Id": new_id(), "TerminalId": term, "LastInvoiceNumber": 42, "UpdatedAt": NOW}),
        ),
        (
            PushKind::CashDrawerLog.path(),
            json!({"Id": new_id(), "SessionId": new_id(), "TerminalId": term, "Event": "CashIn", "Amount": 100,
            "Reason": "Change", "Counted": [], "UserId": new_id(), "CreatedAt": NOW}),
        ),
        (
            PushKind::Customer.path(),
            json!({"Id": new_id(), "CustomerId": new_id(), "Name": "Nina", "CardNumber": null, "CardUID": null,
            "LicensePlate": "NEW001", "Email": null, "Phone": null, "Birthday": null, "ChangedAt": NOW}),
        ),
        (
            PushKind::DeviceLog.path(),
            json!({"Id": new_id(), "TerminalId": term, "Level": "Info", "Category": "test", "Message": "m",
            "Context": null, "CreatedAt": NOW}),
        ),
        ("/api/Sale", sale(&[("W100", 1, "149")])),
    ]
}

/// Rows a tenant holds of what terminals sent (all zero for a fresh demo tenant).
fn written(server: &Server, t: &Terminal) -> (i64, i64, i64) {
    let db = server.state.store.tenant(t.claims.tenant).unwrap();
    db.read_blocking(|conn| {
        let count = |table: &str| {
            conn.query_row(&format!("SELECT count(*) FROM {table}"), possum_backoffice::params![], |r| {
                r.get::<i64>(0)
            })
        };
        Ok((count("orders")?, count("pushed")?, count("sales")?))
    })
    .unwrap()
}

#[tokio::test]
async fn every_endpoint_refuses_missing_forged_expired_and_foreign_tokens() {
    let server = Server::start_with(|c| possum_backoffice::Config { token_lifetime_seconds: 2, ..c }).await;
    let expired = server.demo_terminal().await;
    possum_backoffice::demo::generate(
        &server.state.store,
        "other",
        "other@possum.com",
        "Other-Secret-1",
        2,
        2,
    )
    .unwrap();
    // Expiry is checked in whole seconds (`exp < now`): wait until the second after `exp` has begun.
    let past_exp = u64::try_from(expired.claims.exp + 1).unwrap() * 1000 + 50;
    let now_ms = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(past_exp.saturating_sub(now_ms))).await;
    // Valid tokens live two seconds here too: each check signs in afresh.
    let demo = server.demo_terminal().await;
    let mut forged = demo.token.clone();
    forged.replace_range(forged.len() - 4.., "AAAA");

    let pulls = PullModule::ALL.map(|m| format!("{}?TerminalId={}", m.path(), demo.claims.terminal));
    for path in &pulls {
        let (demo, foreign) =
            (server.demo_terminal().await, server.sign_in("other@possum.com", "Other-Secret-1").await);
        let get = |token: Option<&str>| {
            let request = server.client.get(server.url(path));
            match token {
                Some(t) => request.bearer_auth(t.to_string()),
                None => request,
            }
        };
        assert_eq!(get(None).send().await.unwrap().status(), 401, "{path} without a token");
        assert_eq!(get(Some(&forged)).send().await.unwrap().status(), 401, "{path} forged");
        assert_eq!(get(Some(&expired.token)).send().await.unwrap().status(), 401, "{path} expired");
        // Another tenant's valid token asking for this terminal's window.
        assert_eq!(get(Some(&foreign.token)).send().await.unwrap().status(), 403, "{path} foreign");
        assert_eq!(get(Some(&demo.token)).send().await.unwrap().status(), 200, "{path} own");
    }
    for (path, record) in samples(&demo) {
        let foreign = server.sign_in("other@possum.com", "Other-Secret-1").await;
        let body = if path == "/api/Sale" { record } else { json!([record]) };
        let post = |token: Option<&str>| {
            let request = server.client.post(server.url(path)).json(&body);
            match token {
                Some(t) => request.bearer_auth(t.to_string()),
                None => request,
            }
        };
        assert_eq!(post(None).send().await.unwrap().status(), 401, "{path} without a token");
        assert_eq!(post(Some(&forged)).send().await.unwrap().status(), 401, "{path} forged");
        assert_eq!(post(Some(&expired.token)).send().await.unwrap().status(), 401, "{path} expired");
        let status = post(Some(&foreign.token)).send().await.unwrap().status();
        assert!(status.is_client_error() || status == 200, "{path} foreign: {status}");
    }
    // Nothing sent with someone else's token reached the demo tenant.
    assert_eq!(written(&server, &demo), (0, 0, 0));
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(|f| json!(f)),
        Just(json!("1e400")),
        Just(Value::from("9".repeat(60))),
        ".{0,24}".prop_map(Value::from),
        Just(Value::from("x".repeat(5_000))),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[A-Za-z]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A change to one record: replace, drop or add a field (by position among its keys).
#[derive(Debug, Clone)]
enum Mutation {
    Replace(usize, Value),
    Drop(usize),
    Add(String, Value),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any_json()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        any::<usize>().prop_map(Mutation::Drop),
        ("[A-Z][a-z]{0,8}", any_json()).prop_map(|(k, v)| Mutation::Add(k, v)),
    ]
}

fn apply(record: &mut Value, m: &Mutation) {
    let Some(object) = record.as_object_mut() else { return };
    let keys: Vec<String> = object.keys().cloned().collect();
    match m {
        Mutation::Replace(i, v) => {
            object.insert(keys[i % keys.len()].clone(), v.clone());
        }
        Mutation::Drop(i) => {
            object.remove(&keys[i % keys.len()]);
        }
        Mutation::Add(k, v) => {
            object.insert(k.clone(), v.clone());
        }
    }
}

fn stored_ids(server: &Server, t: &Terminal) -> Vec<String> {
    let db = server.state.store.tenant(t.claims.tenant).unwrap();
    db.read_blocking(|conn| {
        let ids: Vec<String> = conn.query_map(
            "SELECT id FROM orders UNION ALL SELECT id FROM pushed UNION ALL SELECT id FROM sales",
            possum_backoffice::params![],
            |r| r.get(0),
        )?;
        Ok(ids)
    })
    .unwrap()
}

#[test]
fn generated_bodies_never_earn_a_5xx_or_leave_a_refused_record_written() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (server, demo) = runtime.block_on(async {
        let server = Server::start().await;
        let demo = server.demo_terminal().await;
        (server, demo)
    });
    let endpoints = samples(&demo).len();
    let strategy = (
        0..endpoints,
        prop::collection::vec(mutation(), 0..4),
        1..4usize,
        any::<bool>(),
        prop::collection::vec(any::<u8>(), 0..64),
    );
    let mut runner = TestRunner::new(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    runner
        .run(&strategy, |(endpoint, mutations, copies, garbage, bytes)| {
            let (path, sample) = samples(&demo).swap_remove(endpoint);
            let mut record = sample;
            for m in &mutations {
                apply(&mut record, m);
            }
            let body = if garbage {
                bytes
            } else if path == "/api/Sale" {
                serde_json::to_vec(&record).unwrap()
            } else {
                // Several copies with fresh ids: one batch of mostly-valid records.
                let batch: Vec<Value> = (0..copies)
                    .map(|_| {
                        let mut r = record.clone();
                        if r.get("Id").is_some_and(Value::is_string) {
                            r["Id"] = json!(new_id());
                        }
                        r
                    })
                    .collect();
                serde_json::to_vec(&batch).unwrap()
            };
            runtime.block_on(async {
                let before = stored_ids(&server, &demo);
                let response = server
                    .client
                    .post(server.url(path))
                    .bearer_auth(&demo.token)
                    .header("Content-Type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                let status = response.status();
                prop_assert!(!status.is_server_error(), "{path} answered {status} to {mutations:?}");
                let text = response.text().await.unwrap();
                let after = stored_ids(&server, &demo);
                if status == 200 && path != "/api/Sale" {
                    let answer: PushResponse = serde_json::from_str(&text)
                        .map_err(|e| TestCaseError::fail(format!("{path}: {e}: {text}")))?;
                    for refused in &answer.rejected {
                        let id = refused.id.to_string();
                        prop_assert!(
                            !after.contains(&id) || before.contains(&id),
                            "{path}: refused {id} was written"
                        );
                    }
                } else if status != 200 {
                    prop_assert_eq!(before.len(), after.len(), "{} answered {} but wrote rows", path, status);
                }
                Ok(())
            })
        })
        .unwrap();
}

/// A `/Token` form from generated parts: any grant type, user names from
/// empty to past the limit, any password, a stray field or none.
fn token_form() -> impl Strategy<Value = (Vec<(String, String)>, u8)> {
    let name = prop_oneof![
        Just(possum_backoffice::demo::DEMO_USERNAME.to_string()),
        "[a-z.@]{0,40}",
        (200..400usize).prop_map(|n| "n".repeat(n)),
        any::<String>(),
    ];
    let grant =
        prop_oneof![Just("password".to_string()), Just("client_credentials".to_string()), any::<String>()];
    (grant, name, any::<String>(), prop::option::of(("[a-z_]{1,8}", any::<String>())), any::<u8>()).prop_map(
        |(grant, name, password, extra, address)| {
            let mut form =
                vec![("grant_type".into(), grant), ("username".into(), name), ("password".into(), password)];
            form.extend(extra);
            (form, address)
        },
    )
}

#[test]
fn generated_sign_ins_answer_oauth_errors_and_leave_bounded_state() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(Server::start());
    let mut runner =
        TestRunner::new(ProptestConfig { cases: 60, failure_persistence: None, ..ProptestConfig::default() });
    runner
        .run(&token_form(), |(form, address)| {
            runtime.block_on(async {
                let client = client_from(&format!("127.0.9.{}", address / 4 + 1));
                let response = server.token_from(&client, &serde_urlencoded::to_string(&form).unwrap()).await;
                let status = response.status().as_u16();
                prop_assert!([400, 429].contains(&status), "{form:?} answered {status}");
                let body: Value = response.json().await.map_err(|e| TestCaseError::fail(e.to_string()))?;
                let error = body["error"].as_str().unwrap_or_default();
                prop_assert!(
                    ["invalid_request", "unsupported_grant_type", "invalid_grant", "temporarily_unavailable"]
                        .contains(&error),
                    "{form:?}: {body}"
                );
                Ok(())
            })
        })
        .unwrap();
    // What sign-ins leave in the master database is bounded by the addresses, not the names tried.
    let rows: i64 = server
        .state
        .store
        .master
        .read_blocking(|conn| {
            Ok(conn.query_row(
                "SELECT (SELECT count(*) FROM signin_addresses) + (SELECT count(*) FROM signin_known_addresses)",
                possum_backoffice::params![],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert!(rows <= 64, "{rows} throttle rows for at most 64 addresses");
}
