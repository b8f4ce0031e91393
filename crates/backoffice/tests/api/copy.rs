//! `admin copy-tenant`: a shop's SQLite tenant moves to the chain's
//! PostgreSQL, and its tablets go on there as if nothing happened.

use crate::common::*;
use crate::push::order;
use possum_backoffice::demo::{DEMO_PASSWORD, DEMO_TENANT, DEMO_USERNAME};
use serde_json::{json, Value};
use std::process::Command;

fn copy_cli(shop: &Server, url: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_possum-backoffice"))
        .args(["admin", "--tenant", DEMO_TENANT, "--data-dir"])
        .arg(shop.data_dir())
        .args(["--database-url", url, "copy-tenant"])
        .env("RUST_LOG", "off")
        .output()
        .unwrap()
}

#[tokio::test]
async fn a_shop_copied_to_postgres_keeps_its_logins_rows_and_money() {
    let Some(cluster) = cluster_url() else {
        eprintln!("skipped: POSSUM_TEST_DATABASE_URL names no PostgreSQL cluster");
        return;
    };
    // The shop sells on SQLite: an api/Sale on a prepaid card, a pushed order.
    let shop = Server::start_on_sqlite().await;
    let t = shop.demo_terminal().await;
    let mut request = sale(&[("W100", 1, "149.00")]);
    request["PaymentMethod"] = 3.into();
    request["CardNumber"] = "10000001".into();
    let sold =
        shop.post_json(&t, "/api/Sale", &request).header("Idempotency-Key", new_id()).send().await.unwrap();
    assert_eq!(sold.status(), 200);
    let order_id = new_id();
    let pushed =
        shop.post_json(&t, "/api/Order/PostOrder", &json!([order(&t, &order_id, 1, "S100", "89.90", false)]));
    assert_eq!(pushed.send().await.unwrap().status(), 200);
    let (before, _, _) = shop.pull_all(&t, "/api/Customer/GetCustomers", None, 1000).await;

    let chain = TestDatabase::create(&cluster);
    let copied = copy_cli(&shop, &chain.url);
    let printed = String::from_utf8_lossy(&copied.stdout);
    assert!(copied.status.success(), "{copied:?}");
    assert!(printed.contains("verified"), "{printed}");
    for line in ["orders", "sales", "customers: Balance"] {
        assert!(printed.lines().any(|l| l.starts_with(line)), "{line} counted: {printed}");
    }
    let again = copy_cli(&shop, &chain.url);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has a tenant"), "{again:?}");

    // The same tablet signs in on the chain with its password and finds everything.
    let url = chain.url.clone();
    let on_chain = Server::start_on(Some(chain), |c| c).await;
    let tablet = on_chain.sign_in(DEMO_USERNAME, DEMO_PASSWORD).await;
    assert_eq!(tablet.claims.tenant, t.claims.tenant, "the tenant keeps its id");
    let (after, _, _) = on_chain.pull_all(&tablet, "/api/Customer/GetCustomers", None, 1000).await;
    let by_id = |rows: &[Value]| {
        let mut rows: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
        rows.sort();
        rows
    };
    assert_eq!(by_id(&after), by_id(&before), "every customer, balance for balance");
    let again = on_chain.post_json(
        &tablet,
        "/api/Order/PostOrder",
        &json!([order(&t, &order_id, 1, "S100", "89.90", false)]),
    );
    let answer: Value = again.send().await.unwrap().json().await.unwrap();
    assert_eq!(answer["Acknowledged"][0], order_id.as_str(), "an order sent again is known there: {answer}");
    assert_eq!(possum_backoffice::admin::orders(&on_chain.state.store, DEMO_TENANT).unwrap().len(), 1);
    assert!(url.contains("possum_test_"));
}
