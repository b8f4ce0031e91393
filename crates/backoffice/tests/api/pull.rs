use crate::common::*;
use possum_backoffice::admin;
use possum_contract::endpoints::PullModule;
use std::collections::BTreeSet;

fn articles(items: &[serde_json::Value]) -> BTreeSet<String> {
    items.iter().map(|p| p["ArticleNumber"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn every_pull_endpoint_answers_a_page() {
    let server = Server::start().await;
    let terminal = server.demo_terminal().await;
    for module in PullModule::ALL {
        let (items, deleted, _) = server.pull_all(&terminal, module.path(), None, 1000).await;
        assert!(!items.is_empty(), "{} has demo rows", module.name());
        assert!(deleted.is_empty(), "a full pull answers no tombstones");
    }
}

#[tokio::test]
async fn pages_split_rows_of_the_same_instant_by_id_and_lose_none() {
    let server = Server::start().await;
    let terminal = server.demo_terminal().await;
    // The demo data was written in one transaction: every row shares one stamp.
    let (all_at_once, _, cursor_a) =
        server.pull_all(&terminal, "/api/Customer/GetCustomers", None, 10_000).await;
    let (paged, _, cursor_b) = server.pull_all(&terminal, "/api/Customer/GetCustomers", None, 3).await;
    assert_eq!(paged.len(), all_at_once.len());
    let ids: BTreeSet<&str> = paged.iter().map(|c| c["Id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), paged.len(), "no row twice");
    assert_eq!(cursor_a, cursor_b);
}

#[tokio::test]
async fn a_delta_carries_changes_and_tombstones_and_nothing_else() {
    let server = Server::start().await;
    let terminal = server.demo_terminal().await;
    let store = &server.state.store;
    let (_, _, cursor) = server.pull_all(&terminal, "/api/Product/GetProducts", None, 1000).await;

    let (nothing, gone, same_cursor) =
        server.pull_all(&terminal, "/api/Product/GetProducts", Some(&cursor), 1000).await;
    assert!(nothing.is_empty() && gone.is_empty());
    assert_eq!(same_cursor, cursor, "an empty window keeps the cursor");

    admin::set_price(store, "demo", "W200", 1, "239.00".parse().unwrap()).unwrap();
    let deleted_id = admin::delete_product(store, "demo", "S300").unwrap();
    let (changed, deleted, next) =
        server.pull_all(&terminal, "/api/Product/GetProducts", Some(&cursor), 1000).await;
    assert_eq!(articles(&changed), BTreeSet::from(["W200".to_string()]));
    assert_eq!(changed[0]["Prices"][0]["Price"].to_string(), "239.00");
    assert_eq!(deleted, vec![deleted_id.to_string()]);
    assert!(next > cursor);

    let (full, _, _) = server.pull_all(&terminal, "/api/Product/GetProducts", None, 1000).await;
    assert!(!articles(&full).contains("S300"), "a full pull leaves deleted rows out");
}

#[tokio::test]
async fn a_row_written_during_a_paged_pull_arrives_in_this_pull_or_the_next() {
    let server = Server::start().await;
    let terminal = server.demo_terminal().await;
    let path = "/api/Product/GetProducts";
    let query =
        [("TerminalId".to_string(), terminal.claims.terminal.to_string()), ("PageSize".into(), "4".into())];
    let first: serde_json::Value =
        server.get(&terminal, path).query(&query).send().await.unwrap().json().await.unwrap();
    assert_eq!(first["HasMore"], true);
    let mut seen = articles(first["Items"].as_array().unwrap());
    // While the terminal is between pages, the operator changes an article it already has.
    let already = seen.iter().next().unwrap().clone();
    admin::set_price(&server.state.store, "demo", &already, 1, "1.00".parse().unwrap()).unwrap();
    let (rest, _, cursor) = server
        .pull_from(
            &terminal,
            path,
            first["NextLastExecutedDate"].as_str().map(str::to_string),
            first["NextAfterId"].as_str().map(str::to_string),
            4,
        )
        .await;
    seen.extend(articles(&rest));
    let (next, _, _) = server.pull_all(&terminal, path, Some(&cursor), 100).await;
    let changed_seen = rest.iter().chain(next.iter()).any(|p| {
        p["ArticleNumber"] == already.as_str()
            && serde_json::to_string(&p["Prices"][0]["Price"]).is_ok_and(|price| price == "1.00")
    });
    assert!(changed_seen, "the change made during the pull arrives");
    assert_eq!(seen.len(), 13, "every demo product arrives once the pull completes");
}

#[tokio::test]
async fn a_row_stamped_before_a_pull_ended_but_committed_after_it_arrives_with_the_next_delta() {
    use possum_backoffice::store::{clock, entity, Store};
    use possum_contract::catalogue::Product;
    use std::sync::mpsc;

    let server = Server::start().await;
    let terminal = server.demo_terminal().await;
    let path = "/api/Product/GetProducts";
    let (_, _, before) = server.pull_all(&terminal, path, None, 1000).await;

    // A second process (as the admin CLI is) opens a write, takes its change
    // stamp and is slow to commit: its row carries a time from before the
    // terminal's next pull ends.
    let (stamped, stamped_rx) = mpsc::channel();
    let (commit, commit_rx) = mpsc::channel::<()>();
    let storage = server.storage();
    let writer = std::thread::spawn(move || {
        let other = Store::open_storage(&storage, &Default::default()).unwrap();
        let tenant = other.find_tenant("demo").unwrap().unwrap();
        other
            .tenant(tenant.id)
            .unwrap()
            .write_blocking(move |tx| {
                let stamp = clock::next_stamp(tx)?;
                let mut product: Product = entity::find_by(tx, "article_number", "W300")?.unwrap();
                product.name = "Ultimate wash (late)".into();
                entity::upsert(tx, stamp, &product)?;
                stamped.send(stamp).unwrap();
                commit_rx.recv().unwrap();
                Ok(stamp)
            })
            .unwrap()
    });
    let stamp = tokio::task::spawn_blocking(move || stamped_rx.recv().unwrap()).await.unwrap();

    // The terminal's pull runs to its end while that write is open, and sees nothing of it.
    let (during, _, cursor) = server.pull_all(&terminal, path, Some(&before), 1000).await;
    let pull_ended = chrono::Utc::now();
    assert!(during.is_empty(), "an uncommitted row is not handed out");
    assert!(clock::to_datetime(stamp) < pull_ended, "the row's time is older than the end of the pull");
    let cursor_at: chrono::DateTime<chrono::Utc> = cursor.parse().unwrap();
    assert!(
        clock::to_datetime(stamp) > cursor_at,
        "yet above the cursor the pull handed out: stamps follow commit order"
    );

    commit.send(()).unwrap();
    assert_eq!(tokio::task::spawn_blocking(move || writer.join().unwrap()).await.unwrap(), stamp);
    let (after, _, _) = server.pull_all(&terminal, path, Some(&cursor), 1000).await;
    assert_eq!(after.len(), 1, "the late row arrives with the next delta");
    assert_eq!(after[0]["Name"], "Ultimate wash (late)");
}

#[tokio::test]
async fn a_malformed_window_answers_400() {
    let server = Server::start().await;
    let terminal = server.demo_terminal().await;
    for query in [
        "",
        "TerminalId=nope",
        "LastExecutedDate=yesterday&TerminalId=00000000-0000-0000-0000-000000000000",
        "TerminalId=x&Foo=1",
    ] {
        let response =
            server.get(&terminal, &format!("/api/Product/GetProducts?{query}")).send().await.unwrap();
        assert_eq!(response.status(), 400, "{query}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body["Message"].as_str().unwrap().contains("sync window"));
    }
}
