//! The IndexedDB cache in headless Chromium: pages, tombstones, indexes, markers, upgrades.

use chrono::Utc;
use possum_contract::catalogue::{GroupPrice, Product};
use possum_contract::customer::Customer;
use possum_contract::endpoints::PullModule;
use possum_contract::sync::SyncPage;
use possum_terminal::storage::cache::Marker;
use possum_terminal::storage::cache::{stored_page, Cached, StoredRow};
use possum_terminal::storage::Storage;
use rust_decimal::Decimal;
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh() -> Storage {
    Storage::open(&format!("possum-test-cache-{}", Uuid::new_v4())).await.expect("open IndexedDB")
}

fn product(article: &str, name: &str, price: &str) -> Product {
    Product {
        id: Uuid::from_u128(
            article.bytes().fold(1u128, |a, b| a.wrapping_mul(131).wrapping_add(u128::from(b))),
        ),
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
    SyncPage {
        items,
        deleted,
        next_last_executed_date: Utc::now(),
        next_after_id,
        has_more,
        server_time: Utc::now(),
    }
}

/// A typed page in the form the cache takes it.
fn stored<T: Cached>(p: SyncPage<T>) -> SyncPage<StoredRow> {
    stored_page(p).expect("rows serialise")
}

async fn apply<T: Cached>(store: &Storage, p: SyncPage<T>) -> Marker {
    let previous = store.marker(T::MODULE).await.unwrap();
    let marker = Marker::after(previous.as_ref(), &p, Utc::now());
    store.apply_page(T::MODULE, stored(p), &marker).await.expect("apply a page");
    marker
}

#[wasm_bindgen_test]
async fn pages_upsert_rows_and_tombstones_delete_them() {
    let store = fresh().await;
    let wash = product("W100", "Basic wash", "149.00");
    apply(&store, page(vec![wash.clone(), product("S100", "Microfibre cloth", "89.90")], vec![], false))
        .await;
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
async fn a_pull_that_brings_nothing_moves_only_the_marker() {
    let store = fresh().await;
    let wash = product("W100", "Basic wash", "149.00");
    let first = apply(&store, page(vec![wash.clone()], vec![], false)).await;
    let later = apply(&store, page(Vec::<Product>::new(), vec![], false)).await;
    assert_ne!(first, later);
    assert_eq!(store.marker(PullModule::Products).await, Ok(Some(later)));
    assert_eq!(store.all::<Product>().await, Ok(vec![wash]));
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
        loyalty: vec![],
    };
    apply(&store, page(vec![eva.clone()], vec![], false)).await;
    for (index, key) in [
        ("by_card", "10000001"),
        ("by_uid", "3735928559"),
        ("by_plate", "ABC123"),
        ("by_name", "eva ek"),
        ("by_word", "ek"),
    ] {
        assert_eq!(store.find::<Customer>(index, key).await, Ok(Some(eva.clone())), "{index}");
    }
    store.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_paged_pull_is_staged_and_changes_nothing_until_its_last_page() {
    let store = fresh().await;
    let old = product("A0", "Old", "1.00");
    apply(&store, page(vec![old.clone()], vec![], false)).await;
    let before = store.marker(PullModule::Products).await.unwrap();

    let first_page = page(vec![product("A1", "One", "1.00")], vec![old.id], true);
    let first = Marker::after(before.as_ref(), &first_page, Utc::now());
    store.stage_page(PullModule::Products, &stored(first_page.clone()), &first, 0).await.unwrap();
    let second_page = page(vec![product("A2", "Two", "2.00")], vec![], true);
    let second = Marker::after(Some(&first), &second_page, Utc::now());
    store.stage_page(PullModule::Products, &stored(second_page.clone()), &second, 1).await.unwrap();
    // Half-way: the cache, its marker and its tombstoned row are as they were.
    assert_eq!(store.all::<Product>().await.unwrap(), vec![old.clone()]);
    assert_eq!(store.marker(PullModule::Products).await.unwrap(), before);
    let staged = store.staged(PullModule::Products).await.unwrap().expect("a staged pull");
    assert_eq!((staged.cursor.clone(), staged.pages), (second.clone(), 2));
    let window = possum_terminal::sync::pull::window(Some(&staged.cursor), Uuid::nil(), Utc::now());
    assert_eq!((window.last_executed_date, window.after_id), (Some(second.last_executed), second.after_id));

    let last_page = page(vec![product("A3", "Three", "3.00")], vec![], false);
    let last = Marker::after(Some(&second), &last_page, Utc::now());
    store.apply_staged(PullModule::Products, stored(last_page), &last, staged.pages).await.unwrap();
    let mut articles: Vec<String> =
        store.all::<Product>().await.unwrap().into_iter().map(|p| p.article_number).collect();
    articles.sort();
    assert_eq!(articles, ["A1", "A2", "A3"], "staged rows in, the tombstoned row gone");
    assert_eq!(last.rows, 3, "rows count across the pages of one pull");
    assert!(last.after_id.is_none() && last.completed_at.is_some());
    assert_eq!(store.marker(PullModule::Products).await, Ok(Some(last)));
    assert_eq!(store.staged(PullModule::Products).await, Ok(None));
    store.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_staged_pull_survives_a_closed_tab_and_a_missing_page_changes_nothing() {
    let name = format!("possum-test-staging-{}", Uuid::new_v4());
    let store = Storage::open(&name).await.unwrap();
    let first_page = page(vec![product("B1", "One", "1.00")], vec![], true);
    let first = Marker::after(None, &first_page, Utc::now());
    store.stage_page(PullModule::Products, &stored(first_page.clone()), &first, 0).await.unwrap();
    drop(store);

    let reopened = Storage::open(&name).await.unwrap();
    let staged = reopened.staged(PullModule::Products).await.unwrap().expect("still staged");
    assert_eq!(staged.pages, 1);
    // A staging area that lost a page (cleared by hand, a bug) refuses to finish
    // and stores nothing; the staged pull is dropped so the next one starts over.
    let last_page = page(vec![product("B2", "Two", "2.00")], vec![], false);
    let last = Marker::after(Some(&staged.cursor), &last_page, Utc::now());
    assert!(reopened.apply_staged(PullModule::Products, stored(last_page), &last, 2).await.is_err());
    assert_eq!(reopened.count(PullModule::Products).await, Ok(0));
    assert_eq!(reopened.marker(PullModule::Products).await, Ok(None));
    assert_eq!(reopened.staged(PullModule::Products).await, Ok(None));
    reopened.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_staged_page_in_an_older_form_is_dropped_and_the_pull_starts_over() {
    use indexed_db_futures::prelude::*;
    let name = format!("possum-test-staging-old-{}", Uuid::new_v4());
    let store = Storage::open(&name).await.unwrap();
    let first_page = page(vec![product("C1", "One", "1.00")], vec![], true);
    let first = Marker::after(None, &first_page, Utc::now());
    store.stage_page(PullModule::Products, &stored(first_page.clone()), &first, 0).await.unwrap();
    drop(store);
    // Version 4 kept a staged page as an object, not as text.
    let db = indexed_db_futures::database::Database::open(&name).await.unwrap();
    let tx = db
        .transaction("staging")
        .with_mode(indexed_db_futures::transaction::TransactionMode::Readwrite)
        .build()
        .unwrap();
    let object = js_sys::Object::new();
    tx.object_store("staging")
        .unwrap()
        .put(wasm_bindgen::JsValue::from(object))
        .with_key("products/000000")
        .primitive()
        .unwrap()
        .await
        .unwrap();
    tx.commit().await.unwrap();
    db.close();

    let reopened = Storage::open(&name).await.unwrap();
    let last_page = page(vec![product("C2", "Two", "2.00")], vec![], false);
    let last = Marker::after(Some(&first), &last_page, Utc::now());
    let failed = reopened.apply_staged(PullModule::Products, stored(last_page), &last, 1).await.unwrap_err();
    assert!(failed.to_string().contains("pulled again"), "{failed}");
    assert_eq!(reopened.count(PullModule::Products).await, Ok(0));
    assert_eq!(reopened.staged(PullModule::Products).await, Ok(None));
    reopened.delete().await.unwrap();
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
    for expected in [
        "session",
        "markers",
        "staging",
        "outbox",
        "orders",
        "parked",
        "cache:products",
        "cache:customers",
        "cache:users",
        "cache:categories",
        "cache:combinations",
        "cache:settings",
        "cache:deposits",
    ] {
        assert!(stores.contains(&expected.to_string()), "{expected} in {stores:?}");
    }
    assert_eq!(v2.load_session().await, Ok(Some(session)));
    v2.delete().await.unwrap();
}

fn customer(n: u32) -> Customer {
    let mut c = Customer::new(Uuid::from_u128(u128::from(n) + 1), format!("Customer {n}"));
    c.card_number = Some(format!("{}", 50_000_000 + n));
    c.license_plate = Some(format!("ABC {n:03}"));
    c
}

#[wasm_bindgen_test]
async fn a_look_up_by_several_indexes_answers_with_the_first_that_finds_a_row() {
    let store = fresh().await;
    let rows: Vec<Customer> = (0..450).map(customer).collect();
    apply(&store, page(rows.clone(), vec![], false)).await;
    // Row 7's card is tried before row 420's plate, and a miss is skipped.
    let both = [("by_card", "NOPE"), ("by_card", "50000007"), ("by_plate", "ABC420")];
    assert_eq!(store.find_first::<Customer>(&both).await, Ok(Some((1, rows[7].clone()))));
    assert_eq!(store.find_first::<Customer>(&both[2..]).await, Ok(Some((0, rows[420].clone()))));
    assert_eq!(store.find_first::<Customer>(&[("by_card", "NOPE"), ("by_plate", "NOPE")]).await, Ok(None));
    assert!(
        store.find_first::<Customer>(&[("by_shoe_size", "42")]).await.is_err(),
        "an index the store lacks is an error"
    );
    store.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn rows_go_into_blocks_changes_stay_in_their_block_and_new_rows_fill_the_last() {
    use possum_terminal::storage::cache::BLOCK_ROWS;
    let store = fresh().await;
    let first: Vec<Customer> = (0..450).map(customer).collect();
    apply(&store, page(first.clone(), vec![], false)).await;
    assert_eq!(
        store.block_sizes(PullModule::Customers).await.unwrap(),
        vec![BLOCK_ROWS as u32, BLOCK_ROWS as u32, 50]
    );
    assert_eq!(store.count(PullModule::Customers).await, Ok(450));

    // A delta: one changed row (in the first block), one deleted, two new ones.
    let mut renamed = customer(7);
    renamed.name = "Renamed Seven".into();
    apply(&store, page(vec![renamed.clone(), customer(1000), customer(1001)], vec![customer(300).id], false))
        .await;
    assert_eq!(
        store.block_sizes(PullModule::Customers).await.unwrap(),
        vec![200, 199, 52],
        "in place, out of its block, into the last"
    );
    assert_eq!(store.count(PullModule::Customers).await, Ok(451));
    assert_eq!(store.find::<Customer>("by_card", "50000007").await, Ok(Some(renamed)));
    assert_eq!(
        store.find::<Customer>("by_plate", "ABC300").await,
        Ok(None),
        "the deleted row is gone from the look-ups"
    );
    assert_eq!(store.find::<Customer>("by_card", "50001001").await, Ok(Some(customer(1001))));
    let all: Vec<Customer> = store.all().await.unwrap();
    assert_eq!(all.len(), 451);
    assert_eq!(all.iter().filter(|c| c.id == customer(7).id).count(), 1, "a changed row is stored once");
    store.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_row_sent_twice_in_one_pull_is_stored_once() {
    let store = fresh().await;
    let mut later = customer(3);
    later.name = "Changed during the pull".into();
    apply(&store, page(vec![customer(1), customer(3), customer(5), later.clone()], vec![], false)).await;
    assert_eq!(store.count(PullModule::Customers).await, Ok(3));
    assert_eq!(store.find::<Customer>("by_card", "50000003").await, Ok(Some(later)));
    store.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_version_4_cache_of_rows_moves_into_blocks_and_keeps_its_marker() {
    use indexed_db_futures::prelude::*;
    let name = format!("possum-test-v4-{}", Uuid::new_v4());
    // Version 4 as it was: a store per module with a record per row and plain indexes.
    let db = indexed_db_futures::database::Database::open(&name)
        .with_version(4u32)
        .with_on_upgrade_needed(|_, db| {
            for store in ["session", "markers", "staging"] {
                db.create_object_store(store).build()?;
            }
            possum_terminal::storage::ledger::create_stores(&db, &[])?;
            let products = db.create_object_store("products").with_key_path("id".into()).build()?;
            products.create_index("by_article", "article".into()).build()?;
            db.create_object_store("customers").with_key_path("id".into()).build()?;
            Ok(())
        })
        .await
        .unwrap();
    let tx = db
        .transaction(["products", "markers"])
        .with_mode(indexed_db_futures::transaction::TransactionMode::Readwrite)
        .build()
        .unwrap();
    let rows: Vec<Product> =
        (0..250).map(|n| product(&format!("P{n:04}"), &format!("Product {n}"), "10.00")).collect();
    for p in &rows {
        let row = js_sys::Object::new();
        js_sys::Reflect::set(&row, &"id".into(), &p.id.to_string().into()).unwrap();
        js_sys::Reflect::set(&row, &"json".into(), &serde_json::to_string(p).unwrap().into()).unwrap();
        js_sys::Reflect::set(&row, &"article".into(), &p.article_number.clone().into()).unwrap();
        tx.object_store("products").unwrap().put(wasm_bindgen::JsValue::from(row)).primitive().unwrap();
    }
    let marker = Marker::after(None, &page::<Product>(vec![], vec![], false), Utc::now());
    tx.object_store("markers")
        .unwrap()
        .put(serde_json::to_string(&marker).unwrap())
        .with_key("products")
        .primitive()
        .unwrap();
    tx.commit().await.unwrap();
    db.close();
    let migrated = Storage::open(&name).await.unwrap();
    assert_eq!(migrated.db_version(), possum_terminal::storage::DB_VERSION);
    let names = migrated.store_names();
    assert!(
        !names.contains(&"products".to_string()) && names.contains(&"cache:products".to_string()),
        "{names:?}"
    );
    let mut all: Vec<Product> = migrated.all().await.unwrap();
    all.sort_by(|a, b| a.article_number.cmp(&b.article_number));
    assert_eq!(all, rows);
    assert_eq!(migrated.find::<Product>("by_article", "P0123").await, Ok(Some(rows[123].clone())));
    assert_eq!(migrated.block_sizes(PullModule::Products).await.unwrap(), vec![200, 50]);
    assert_eq!(
        migrated.marker(PullModule::Products).await,
        Ok(Some(marker)),
        "no full pull needed after the update"
    );
    migrated.delete().await.unwrap();
}
