//! IndexedDB: the terminal's durable memory.
//!
//! Records are stored as their contract JSON text, so money keeps its exact
//! decimal digits (a JS number would not) and the stored form is the wire form.

use crate::cached::{indexes, store_name, Cached, Row};
use crate::error::AppError;
use crate::session::Session;
use crate::sync::Marker;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{TransactionDurability, TransactionMode, TransactionOptions};
use possum_contract::endpoints::PullModule;
use possum_contract::sync::SyncPage;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

pub const DB_NAME: &str = "possum-terminal";
/// Bump with a new step in `upgrade` whenever a store or index changes.
pub const DB_VERSION: u32 = 4;

pub(crate) const SESSION: &str = "session";
const SESSION_KEY: &str = "current";
/// One marker per pull module: the cursor of its last stored page.
const MARKERS: &str = "markers";
/// Pages of a multi-page pull waiting for its last page (see [`Storage::stage_page`]).
const STAGING: &str = "staging";

/// Schema steps, each from the version before it. A tablet may skip
/// versions, so every step runs that lies above `old` and up to `target`.
/// Steps only create what is missing, so running them all again from 0
/// repairs a database that lost a store (see [`Storage::repair`]).
fn upgrade(old: u32, target: u32, db: &Database) -> indexed_db_futures::Result<()> {
    let existing: Vec<String> = db.object_store_names().collect();
    let missing = |name: &str| !existing.iter().any(|e| e == name);
    let step = |version: u32| old < version && version <= target;
    if step(1) && missing(SESSION) {
        db.create_object_store(SESSION).build()?;
    }
    if step(2) {
        if missing(MARKERS) {
            db.create_object_store(MARKERS).build()?;
        }
        for module in PullModule::ALL.into_iter().filter(|m| missing(store_name(*m))) {
            let store = db.create_object_store(store_name(module)).with_key_path("id".into()).build()?;
            for (index, field, multi_entry) in indexes(module) {
                store.create_index(*index, (*field).into()).with_multi_entry(*multi_entry).build()?;
            }
        }
    }
    if step(3) {
        crate::ledger::create_stores(db, &existing)?;
    }
    if step(4) && missing(STAGING) {
        db.create_object_store(STAGING).build()?;
    }
    Ok(())
}

/// Every object store of the current schema.
pub fn expected_stores() -> Vec<&'static str> {
    let mut all = vec![SESSION, MARKERS, STAGING];
    all.extend(PullModule::ALL.map(store_name));
    all.extend(crate::ledger::STORES);
    all
}

/// Writes that must survive a crash are flushed to disk before they count
/// (Chromium's default is "relaxed").
pub(crate) fn strict() -> TransactionOptions {
    let mut options = TransactionOptions::new();
    options.set_durability(TransactionDurability::Strict);
    options
}

pub(crate) fn storage_error(e: impl std::fmt::Display) -> AppError {
    let text = e.to_string();
    // A full disk must stop sales with its own message, not a generic failure.
    // Chromium reports the quota only on the transaction's abort, which
    // indexed_db_futures surfaces as "aborted" without the cause; our writes
    // use fresh keys, so an aborted commit is in practice the quota.
    if text.contains("QuotaExceeded") || text.contains("quota") || text.contains("but it was aborted") {
        return AppError::StorageFull;
    }
    AppError::Storage(text)
}

/// An open database. Dropping it closes the connection, so a leaked handle can
/// never block a schema upgrade or a deletion from another tab.
pub struct Storage {
    db: Option<Database>,
}

impl Drop for Storage {
    fn drop(&mut self) {
        if let Some(db) = self.db.take() {
            db.close();
        }
    }
}

impl Storage {
    pub async fn open_default() -> Result<Self, AppError> {
        Self::open(DB_NAME).await
    }

    /// Opens (creating or upgrading) the database `name`. A database already
    /// at a newer version (after a repair) is opened as it is.
    pub async fn open(name: &str) -> Result<Self, AppError> {
        match Self::open_at(name, DB_VERSION).await {
            Err(AppError::Storage(e)) if e.contains("VersionError") => {
                let db = Database::open(name).await.map_err(storage_error)?;
                Ok(Self { db: Some(db) })
            }
            opened => opened,
        }
    }

    /// Opens `name` at `version`, bringing the schema up to date on the way.
    pub async fn open_at(name: &str, version: u32) -> Result<Self, AppError> {
        let db = Database::open(name)
            .with_version(version)
            .with_on_upgrade_needed(move |event, db| upgrade(event.old_version() as u32, version, &db))
            .await
            .map_err(storage_error)?;
        Ok(Self { db: Some(db) })
    }

    /// Re-creates missing stores by opening the database one version up
    /// (IndexedDB changes stores only in an upgrade). Existing stores, and so
    /// every unsent record, are untouched.
    pub async fn repair(self) -> Result<Self, AppError> {
        let (name, version) = (self.db().name(), self.db().version() as u32);
        drop(self);
        let db = Database::open(&name)
            .with_version(version + 1)
            .with_on_upgrade_needed(|_, db| upgrade(0, DB_VERSION, &db))
            .await
            .map_err(storage_error)?;
        Ok(Self { db: Some(db) })
    }

    /// Forgets a cached module (rows, marker, staged pages) so the next pull
    /// fetches it whole. Never used on what the terminal produced.
    pub async fn forget_module(&self, module: PullModule) -> Result<(), AppError> {
        let name = store_name(module);
        let tx = self.readwrite(&[name, MARKERS, STAGING])?;
        tx.object_store(name).map_err(storage_error)?.clear().map_err(storage_error)?;
        let markers = tx.object_store(MARKERS).map_err(storage_error)?;
        markers.delete(module.name()).primitive().map_err(storage_error)?;
        markers.delete(staging_marker(module)).primitive().map_err(storage_error)?;
        tx.commit().await.map_err(storage_error)
    }

    /// The schema version on disk (the current one, or higher after a repair).
    pub fn db_version(&self) -> u32 {
        self.db().version() as u32
    }

    /// The object stores that exist (for the start-up self-check and tests).
    pub fn store_names(&self) -> Vec<String> {
        self.db().object_store_names().collect()
    }

    /// Stores a module's whole pull when it fits one page: its rows, its
    /// tombstones and the module's new marker in one strict transaction, so the
    /// marker never passes data that was not stored.
    pub async fn apply_page<E: Cached>(&self, page: &SyncPage<E>, marker: &Marker) -> Result<(), AppError> {
        self.apply_staged(page, marker, 0).await
    }

    /// Keeps page number `page_no` of a pull that has more pages aside, with the
    /// cursor to resume from, without touching the module's cached rows or its
    /// marker: until the last page arrives the cashier sees the cache exactly as
    /// it was before this pull. A closed tab resumes from the staged cursor.
    /// The page is kept as the JSON text of its stored rows: one value to
    /// write and read back, not thousands of objects.
    pub async fn stage_page<E: Cached>(&self, page: &SyncPage<E>, cursor: &Marker, page_no: u32) -> Result<(), AppError> {
        let staged = StagedPage { rows: rows_of(&page.items)?, deleted: page.deleted.iter().map(ToString::to_string).collect() };
        let text = serde_json::to_string(&staged).map_err(storage_error)?;
        let tx = self.readwrite(&[STAGING, MARKERS])?;
        let store = tx.object_store(STAGING).map_err(storage_error)?;
        store.put(text).with_key(staged_key(E::MODULE, page_no)).primitive().map_err(storage_error)?;
        let progress = Staged { cursor: cursor.clone(), pages: page_no + 1 };
        put_json(&tx, MARKERS, &staging_marker(E::MODULE), &progress)?;
        tx.commit().await.map_err(storage_error)
    }

    /// Ends a pull: the `pages` staged pages in order, then `last`, then the
    /// module's new marker, all in one strict transaction that also empties
    /// the staging area. A failure anywhere leaves the cache as it was. A
    /// staged page that is lost or unreadable (from an older version, or
    /// damaged) also drops the staged pull, so the next cycle pulls the module
    /// again from its marker instead of failing here for ever.
    pub async fn apply_staged<E: Cached>(&self, last: &SyncPage<E>, marker: &Marker, pages: u32) -> Result<(), AppError> {
        let applied = self.apply_staged_pages(last, marker, pages).await;
        if let Err(AppError::StagingLost(_)) = &applied {
            self.drop_staged(E::MODULE, pages).await?;
        }
        applied
    }

    async fn apply_staged_pages<E: Cached>(&self, last: &SyncPage<E>, marker: &Marker, pages: u32) -> Result<(), AppError> {
        let name = store_name(E::MODULE);
        let tx = self.readwrite(&[name, STAGING, MARKERS])?;
        let store = tx.object_store(name).map_err(storage_error)?;
        let staging = tx.object_store(STAGING).map_err(storage_error)?;
        for page_no in 0..pages {
            let key = staged_key(E::MODULE, page_no);
            let text: Option<JsValue> = staging.get(key.as_str()).primitive().map_err(storage_error)?.await.map_err(storage_error)?;
            let lost = |why: &str| AppError::StagingLost(format!("staged page {page_no} of {name} {why}; the module will be pulled again"));
            let text = text.ok_or_else(|| lost("is missing"))?.as_string().ok_or_else(|| lost("is not in the stored form"))?;
            let page = js_sys::JSON::parse(&text).map_err(|_| lost("does not parse"))?;
            let field = |f: &str| js_sys::Reflect::get(&page, &f.into()).ok().filter(js_sys::Array::is_array).map(JsCast::unchecked_into::<js_sys::Array>);
            let (rows, deleted) = field("rows").zip(field("deleted")).ok_or_else(|| lost("is not in the stored form"))?;
            put_rows(&store, &rows).await?;
            for id in deleted.iter() {
                store.delete(id).primitive().map_err(storage_error)?;
            }
            staging.delete(key).primitive().map_err(storage_error)?;
        }
        put_rows(&store, &js_rows(&rows_of(&last.items)?)?).await?;
        for id in &last.deleted {
            store.delete(id.to_string()).primitive().map_err(storage_error)?;
        }
        put_json(&tx, MARKERS, E::MODULE.name(), marker)?;
        tx.object_store(MARKERS).map_err(storage_error)?.delete(staging_marker(E::MODULE)).primitive().map_err(storage_error)?;
        tx.commit().await.map_err(storage_error)
    }

    /// Forgets a staged pull of `module` (its cursor and up to `pages` pages); the cache is untouched.
    async fn drop_staged(&self, module: PullModule, pages: u32) -> Result<(), AppError> {
        let tx = self.readwrite(&[STAGING, MARKERS])?;
        let staging = tx.object_store(STAGING).map_err(storage_error)?;
        for page_no in 0..pages {
            staging.delete(staged_key(module, page_no)).primitive().map_err(storage_error)?;
        }
        tx.object_store(MARKERS).map_err(storage_error)?.delete(staging_marker(module)).primitive().map_err(storage_error)?;
        tx.commit().await.map_err(storage_error)
    }

    /// Where a staged pull of `module` stands, if one is under way.
    pub async fn staged(&self, module: PullModule) -> Result<Option<Staged>, AppError> {
        self.read_json(MARKERS, &staging_marker(module)).await
    }

    /// A strict read-write transaction over `stores`.
    pub(crate) fn readwrite(&self, stores: &[&str]) -> Result<indexed_db_futures::transaction::Transaction<'_>, AppError> {
        self.db()
            .transaction(stores.to_vec())
            .with_mode(TransactionMode::Readwrite)
            .with_options(strict())
            .build()
            .map_err(storage_error)
    }

    /// A JSON record of `store` under `key`; one that no longer parses is
    /// reported, not silently taken for "absent".
    async fn read_json<T: serde::de::DeserializeOwned>(&self, store: &str, key: &str) -> Result<Option<T>, AppError> {
        let tx = self.db().transaction(store).build().map_err(storage_error)?;
        let json: Option<String> =
            tx.object_store(store).map_err(storage_error)?.get(key).primitive().map_err(storage_error)?.await.map_err(storage_error)?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| AppError::Storage(format!("the saved {key} is unreadable: {e}")))).transpose()
    }

    pub async fn marker(&self, module: PullModule) -> Result<Option<Marker>, AppError> {
        self.read_json(MARKERS, module.name()).await
    }

    /// Every cached row of `E`'s store. A row that no longer parses is reported, never skipped silently.
    pub async fn all<E: Cached>(&self) -> Result<Vec<E>, AppError> {
        let name = store_name(E::MODULE);
        let stored: Vec<StoredJson> = self.read_all(name, &["id", "json"]).await?;
        stored.iter().map(|row| parse_json(name, &row.id, &row.json)).collect()
    }

    /// Every object of `store`, read as `R` from only its `fields`. The
    /// objects leave the browser as one JSON text: one crossing into wasm for
    /// 50,000 products or 5,000 queued sales, not one for each field of each.
    pub(crate) async fn read_all<R: serde::de::DeserializeOwned>(&self, store: &str, fields: &[&str]) -> Result<Vec<R>, AppError> {
        let tx = self.db().transaction(store).build().map_err(storage_error)?;
        let found = tx.object_store(store).map_err(storage_error)?.get_all::<JsValue>().primitive().map_err(storage_error)?.await.map_err(storage_error)?;
        let objects = js_sys::Array::new();
        for object in found {
            objects.push(&object.map_err(storage_error)?);
        }
        let keep: js_sys::Array = fields.iter().map(|f| JsValue::from_str(f)).collect();
        let text = js_sys::JSON::stringify_with_replacer(&objects, &keep)
            .ok()
            .and_then(|t| t.as_string())
            .ok_or_else(|| AppError::Storage(format!("the records of {store} could not be read")))?;
        serde_json::from_str(&text).map_err(|e| AppError::Storage(format!("the records of {store} are unreadable: {e}")))
    }

    /// The row of `E` whose `index` equals `key` (a cashier's look-up).
    pub async fn find<E: Cached>(&self, index: &str, key: &str) -> Result<Option<E>, AppError> {
        let name = store_name(E::MODULE);
        let tx = self.db().transaction(name).build().map_err(storage_error)?;
        let store = tx.object_store(name).map_err(storage_error)?;
        let index = store.index(index).map_err(storage_error)?;
        let row: Option<Row> = index.get(key).serde().map_err(storage_error)?.await.map_err(storage_error)?;
        row.map(|r| parse_row(name, &r)).transpose()
    }

    /// Every row of `E` whose `index` equals `key` (a customer's deposit history).
    pub async fn find_all<E: Cached>(&self, index: &str, key: &str) -> Result<Vec<E>, AppError> {
        let name = store_name(E::MODULE);
        let tx = self.db().transaction(name).build().map_err(storage_error)?;
        let store = tx.object_store(name).map_err(storage_error)?;
        let rows: Vec<Row> = store
            .index(index)
            .map_err(storage_error)?
            .get_all()
            .with_query(key)
            .serde()
            .map_err(storage_error)?
            .await
            .map_err(storage_error)?
            .collect::<Result<_, _>>()
            .map_err(storage_error)?;
        rows.iter().map(|r| parse_row(name, r)).collect()
    }

    pub async fn count(&self, module: PullModule) -> Result<u32, AppError> {
        let name = store_name(module);
        let tx = self.db().transaction(name).build().map_err(storage_error)?;
        let store = tx.object_store(name).map_err(storage_error)?;
        store.count().await.map_err(storage_error)
    }

    pub(crate) fn db(&self) -> &Database {
        self.db.as_ref().expect("open until dropped")
    }

    /// Keeps one small record of the terminal's own state (the session, the
    /// cashier, the PIN lock) under `key`, durably.
    pub async fn save_value<T: serde::Serialize>(&self, key: &str, value: &T) -> Result<(), AppError> {
        let tx = self.readwrite(&[SESSION])?;
        put_json(&tx, SESSION, key, value)?;
        tx.commit().await.map_err(storage_error)
    }

    pub async fn load_value<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>, AppError> {
        self.read_json(SESSION, key).await
    }

    pub async fn remove_value(&self, key: &str) -> Result<(), AppError> {
        let tx = self.db().transaction(SESSION).with_mode(TransactionMode::Readwrite).build().map_err(storage_error)?;
        let store = tx.object_store(SESSION).map_err(storage_error)?;
        store.delete(key).await.map_err(storage_error)?;
        tx.commit().await.map_err(storage_error)
    }

    pub async fn save_session(&self, session: &Session) -> Result<(), AppError> {
        self.save_value(SESSION_KEY, session).await
    }

    pub async fn load_session(&self) -> Result<Option<Session>, AppError> {
        self.load_value(SESSION_KEY).await
    }

    pub async fn clear_session(&self) -> Result<(), AppError> {
        self.remove_value(SESSION_KEY).await
    }

    /// Closes and deletes the database (tests).
    pub async fn delete(mut self) -> Result<(), AppError> {
        let db = self.db.take().expect("open until dropped");
        let name = db.name();
        db.close();
        Database::delete_by_name(&name).map_err(storage_error)?.await.map_err(storage_error)
    }
}

/// Puts `value` as JSON text under `key` in `store` of `tx` (awaited by the commit).
fn put_json<T: serde::Serialize>(tx: &indexed_db_futures::transaction::Transaction<'_>, store: &str, key: &str, value: &T) -> Result<(), AppError> {
    let json = serde_json::to_string(value).map_err(storage_error)?;
    tx.object_store(store).map_err(storage_error)?.put(json).with_key(key).primitive().map_err(storage_error)?;
    Ok(())
}

/// One staged page: its rows already in stored form, its tombstones (kept as JSON text).
#[derive(Serialize)]
struct StagedPage {
    rows: Vec<Row>,
    deleted: Vec<String>,
}

/// The two fields of a cached row that reading it back needs.
#[derive(Deserialize)]
struct StoredJson {
    id: String,
    json: String,
}

/// The stored form of `items`.
fn rows_of<E: Cached>(items: &[E]) -> Result<Vec<Row>, AppError> {
    items.iter().map(Cached::to_row).collect::<Result<Vec<_>, _>>().map_err(storage_error)
}

/// `rows` as one JS array, made by one `JSON.parse` in the browser instead
/// of crossing into JS for every field of every row.
fn js_rows(rows: &[Row]) -> Result<js_sys::Array, AppError> {
    let text = serde_json::to_string(rows).map_err(storage_error)?;
    js_sys::JSON::parse(&text).map(JsCast::unchecked_into::<js_sys::Array>).map_err(|_| AppError::Storage("rows could not be prepared for storing".into()))
}

/// Rows written between two breaks of a long write: the main thread gets
/// the break, so a cashier's tap is answered while a page is stored.
const PUT_CHUNK: u32 = 500;

/// Puts every row of `rows` into `store`, waiting for the last write of
/// each chunk: the transaction stays open (a request of it is pending) and
/// the browser may run other tasks in between.
async fn put_rows(store: &indexed_db_futures::object_store::ObjectStore<'_>, rows: &js_sys::Array) -> Result<(), AppError> {
    let mut last = None;
    for (i, row) in rows.iter().enumerate() {
        let request = store.put(row).primitive().map_err(storage_error)?;
        if (i as u32 + 1) % PUT_CHUNK == 0 {
            request.await.map_err(storage_error)?;
        } else {
            last = Some(request);
        }
    }
    if let Some(request) = last {
        request.await.map_err(storage_error)?;
    }
    Ok(())
}

/// A multi-page pull under way: the cursor of its last staged page and how many pages wait.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staged {
    pub cursor: Marker,
    pub pages: u32,
}

fn staged_key(module: PullModule, page_no: u32) -> String {
    format!("{}/{page_no:06}", module.name())
}

fn staging_marker(module: PullModule) -> String {
    format!("staging:{}", module.name())
}

fn parse_row<E: Cached>(store: &str, row: &Row) -> Result<E, AppError> {
    parse_json(store, &row.id, &row.json)
}

fn parse_json<E: Cached>(store: &str, id: &str, json: &str) -> Result<E, AppError> {
    serde_json::from_str(json).map_err(|e| AppError::Storage(format!("a cached row of {store} ({id}) is unreadable: {e}")))
}
