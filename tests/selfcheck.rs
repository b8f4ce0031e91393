//! The start-up self-check in headless Chromium: lost stores come back,
//! unreadable cache is forgotten and pulled again, queued records stay.

use chrono::Utc;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use possum_contract::endpoints::{PullModule, PushKind};
use possum_register::outbox::Entry;
use possum_terminal::storage::selfcheck;
use possum_terminal::storage::Storage;
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn queued() -> Entry {
    Entry::new(Uuid::new_v4(), PushKind::DeviceLog, "{}".into(), None, Utc::now())
}

/// Writes `value` straight into `store` (under `key`, or under its key path), past the terminal's own checks.
async fn corrupt(name: &str, store: &str, key: Option<&str>, value: wasm_bindgen::JsValue) {
    let db = Database::open(name).await.unwrap();
    let tx = db.transaction(store).with_mode(TransactionMode::Readwrite).build().unwrap();
    let s = tx.object_store(store).unwrap();
    match key {
        Some(k) => drop(s.put(value).with_key(k).primitive().unwrap()),
        None => drop(s.put(value).primitive().unwrap()),
    }
    tx.commit().await.unwrap();
    db.close();
}

fn text(text: &str) -> wasm_bindgen::JsValue {
    wasm_bindgen::JsValue::from_str(text)
}

#[wasm_bindgen_test]
async fn unreadable_cache_is_forgotten_and_queued_records_are_kept() {
    let name = format!("possum-test-selfcheck-{}", Uuid::new_v4());
    let storage = Storage::open(&name).await.unwrap();
    let entry = queued();
    storage.enqueue(std::slice::from_ref(&entry)).await.unwrap();
    drop(storage);
    corrupt(&name, "markers", Some("products"), text("not a marker")).await;
    let block =
        js_sys::JSON::parse(r#"{"id": "00000000", "rows": "{broken", "n": 1, "ids": ["x"]}"#).unwrap();
    corrupt(&name, "cache:categories", None, block).await;
    corrupt(&name, "session", Some("cart"), text("{broken")).await;

    let (storage, report) = selfcheck::run(Storage::open(&name).await.unwrap()).await.unwrap();
    assert_eq!(report.problems.len(), 3, "{:?}", report.problems);
    assert!(report.problems[0].contains("products will be pulled again"), "{:?}", report.problems);
    assert_eq!(storage.marker(PullModule::Products).await, Ok(None));
    assert_eq!(storage.count(PullModule::Categories).await, Ok(0));
    assert_eq!(storage.load_cart().await, Ok(None));
    assert_eq!(storage.outbox().await.unwrap().plain(), vec![entry]);
    // A second start finds nothing left to repair.
    let (storage, again) = selfcheck::run(storage).await.unwrap();
    assert_eq!(again.problems, Vec::<String>::new());
    storage.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn lost_stores_are_re_created_without_touching_the_outbox() {
    let name = format!("possum-test-selfcheck-{}", Uuid::new_v4());
    let storage = Storage::open(&name).await.unwrap();
    let entry = queued();
    storage.enqueue(std::slice::from_ref(&entry)).await.unwrap();
    let version = storage.db_version();
    drop(storage);
    // Something (a browser bug, a half-finished upgrade) dropped two stores.
    let damaged = Database::open(&name)
        .with_version(version + 1)
        .with_on_upgrade_needed(|_, db| {
            db.delete_object_store("cache:customers")?;
            db.delete_object_store("staging")
        })
        .await
        .unwrap();
    damaged.close();

    let (storage, report) = selfcheck::run(Storage::open(&name).await.unwrap()).await.unwrap();
    assert_eq!(report.problems, vec!["missing stores re-created: staging, cache:customers".to_string()]);
    let stores = storage.store_names();
    assert!(stores.contains(&"cache:customers".to_string()) && stores.contains(&"staging".to_string()));
    assert!(
        storage.find::<possum_contract::customer::Customer>("by_plate", "ABC123").await.is_ok(),
        "indexes are back"
    );
    assert_eq!(storage.outbox().await.unwrap().plain(), vec![entry]);
    storage.delete().await.unwrap();
}
