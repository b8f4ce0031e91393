//! The IndexedDB cache in headless Chromium: pages, tombstones, indexes, markers, upgrades.

use chrono::Utc;
use possum_contract::catalogue::{GroupPrice, Product};
use possum_contract::customer::Customer;
use possum_contract::endpoints::PullModule;
use possum_contract::sync::SyncPage;
use possum_terminal::storage::Storage;
use possum_terminal::sync::Marker;
use rust_decimal::Decimal;
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh() -> Storage {
    Storage::open(&format!("possum-test-cache-{}", Uuid::new_v4())).await.expect("open IndexedDB")
}

fn product(article: &str, name: &str, price: &str) -> Product {
    Product {
        id: Uuid::from_u128(article.bytes().fold(1u128, |a, b| a.wrapping_mul(131).wrapping_add(u128::from(b)))),
        article_number: article.into(),
        barcode: Some(format!("73100000{article}")),
        name: name.into(),
        category_id: None,
        prices: vec![GroupPrice { price_group: 1, price: price.parse().unwrap() }],
        vat_percent: Decimal::from(25),
        is_wash: false,
        blocked: false,
        sort_order: 0,
    }
}

fn page<T>(items: Vec<T>, deleted: Vec<Uuid>, has_more: bool) -> SyncPage<T> {
    let next_after_id = if has_more { Some(Uuid::new_v4()) } else { None };
    SyncPage { items, deleted, next_last_executed_date: Utc::now(), next_after_id, has_more, server_time: Utc::now() }
}

async fn apply<T: possum_terminal::cached::Cached>(store: &Storage, p: SyncPage<T>) -> Marker {
    let previous = store.marker(T::MODULE).await.unwrap();
    let marker = Marker::after(previous.as_ref(), &p, Utc::now());
    store.apply_page(&p, &marker).await.expect("apply a page");
    marker
}

#[wasm_bindgen_test]
async fn pages_upsert_rows_and_tombstones_delete_them() {
    let store = fresh().await;
    let wash = product("W100", "Basic wash", "149.00");
    apply(&store, page(vec![wash.clone(), product("S100", "Microfibre cloth", "89.90")], vec![], false)).await;
    assert_eq!(store.count(PullModule::Products).await, Ok(2));

    let mut cheaper = wash.clone();
    cheaper.prices[0].price = "139.50".parse().unwrap();
    let cloth = product("S100", "Microfibre cloth", "89.90").id;
    apply(&store, page(vec![cheaper.clone()], vec![cloth], false)).await;
    let all: Vec<Product> = store.all().await.unwrap();
    assert_eq!(all, vec![cheaper]);
    // Money keeps its exact digits through IndexedDB.
    assert_eq!(all[0].prices[0].price.to_string(), "139.50");
    store.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn indexes_find_articles_barcodes_words_cards_uids_and_plates() {
    let store = fresh().await;
    apply(&store, page(vec![product("W200", "Premium wash", "229.00")], vec![], false)).await;
    let found: Option<Product> = store.find("by_article", "W200").await.unwrap();
    assert_eq!(found.unwrap().name, "Premium wash");
    let by_barcode: Option<Product> = store.find("by_barcode", "73100000W200").await.unwrap();
    assert!(by_barcode.is_some());
    let by_word: Option<Product> = store.find("by_word", "premium").await.unwrap();
    assert!(by_word.is_some());
    assert_eq!(store.find::<Product>("by_article", "NOPE").await, Ok(None));

    let eva = Customer {
        id: Uuid::new_v4(),
        name: "Eva Ek".into(),
        card_number: Some("10000001".into()),
        card_uid: Some(3_735_928_559),
        license_plate: Some("abc 123".into()),
        email: None,
        phone: None,
        birthday: None,
        price_group: None,
        credit_line: Decimal::ZERO,
        balance: "500.00".parse().unwrap(),
        locked: false,
        allowed_clients: vec![],
        last_birthday_wash: None,
    };
    apply(&store, page(vec![eva.clone()], vec![], false)).await;
    for (index, key) in [("by_card", "10000001"), ("by_uid", "3735928559"), ("by_plate", "ABC123"), ("by_name", "eva ek"), ("by_word", "ek")] {
        assert_eq!(store.find::<Customer>(index, key).await, Ok(Some(eva.clone())), "{index}");
    }
    store.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn the_marker_moves_with_its_page_and_resumes_a_paged_pull() {
    let store = fresh().await;
    assert_eq!(store.marker(PullModule::Products).await, Ok(None));
    let first = apply(&store, page(vec![product("A1", "One", "1.00")], vec![], true)).await;
    assert!(first.after_id.is_some() && first.completed_at.is_none());
    assert_eq!(store.marker(PullModule::Products).await, Ok(Some(first.clone())));
    let window = Marker::window(Some(&first), Uuid::nil(), Utc::now());
    assert_eq!((window.last_executed_date, window.after_id), (Some(first.last_executed), first.after_id));

    let last = apply(&store, page(vec![product("A2", "Two", "2.00")], vec![], false)).await;
    assert_eq!(last.rows, 2, "rows count across the pages of one pull");
    assert!(last.after_id.is_none() && last.completed_at.is_some());
    store.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_version_1_database_upgrades_and_keeps_the_session() {
    let name = format!("possum-test-upgrade-{}", Uuid::new_v4());
    let v1 = Storage::open_at(&name, 1).await.unwrap();
    assert_eq!(v1.store_names(), vec!["session".to_string()]);
    let session = possum_terminal::session::Session {
        base_url: "http://127.0.0.1:8080".into(),
        username: "terminal.user@possum.com".into(),
        access_token: "a.b.c".into(),
        expires: Utc::now(),
        terminal_id: Uuid::new_v4(),
        client_number: 1,
    };
    v1.save_session(&session).await.unwrap();
    drop(v1);

    let v2 = Storage::open(&name).await.unwrap();
    let stores = v2.store_names();
    for expected in ["session", "markers", "products", "customers", "users", "categories", "combinations", "settings", "deposits"] {
        assert!(stores.contains(&expected.to_string()), "{expected} in {stores:?}");
    }
    assert_eq!(v2.load_session().await, Ok(Some(session)));
    v2.delete().await.unwrap();
}
