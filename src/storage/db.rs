//! IndexedDB: the terminal's durable memory. This module opens the database,
//! keeps its schema (versions and upgrades) and the terminal's small values
//! (the session, the cashier, counters); the pulled cache is `cache.rs`, what
//! the terminal produces is `ledger.rs`.
//!
//! Records are stored as their contract JSON text, so money keeps its exact
//! decimal digits (a JS number would not) and the stored form is the wire form.

use crate::cached::{indexes, store_name};
use crate::error::AppError;
use crate::session::Session;
use indexed_db_futures::database::Database;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{TransactionDurability, TransactionMode, TransactionOptions};
use possum_contract::endpoints::PullModule;
use wasm_bindgen::{JsCast, JsValue};

pub const DB_NAME: &str = "possum-terminal";
/// Bump with a new step in `upgrade` whenever a store or index changes.
pub const DB_VERSION: u32 = 5;

pub(crate) const SESSION: &str = "session";
const SESSION_KEY: &str = "current";
/// One marker per pull module: the cursor of its last stored page.
pub(crate) const MARKERS: &str = "markers";
/// Pages of a multi-page pull waiting for its last page (see `cache.rs`).
pub(crate) const STAGING: &str = "staging";

/// Schema steps, each from the version before it. A tablet may skip
/// versions, so every step runs that lies above `old` and up to `target`.
/// Steps only create what is missing, so running them all again from 0
/// repairs a database that lost a store (see [`Storage::repair`]).
///
/// 1: the session. 2: pull markers (and, until 5, a store per pulled
/// module with a record per row). 3: the ledger (outbox, orders, parked
/// carts). 4: the staging area of multi-page pulls. 5: the pulled modules
/// in blocks of rows (`blocks.rs`); a version 2–4 store of rows is moved
/// into blocks in the upgrade itself, so a tablet keeps its cache (and sells
/// offline) across the update.
async fn upgrade(old: u32, target: u32, db: Database) -> Result<(), AppError> {
    let existing: Vec<String> = db.object_store_names().collect();
    let missing = |name: &str| !existing.iter().any(|e| e == name);
    let step = |version: u32| old < version && version <= target;
    if step(1) && missing(SESSION) {
        db.create_object_store(SESSION).build().map_err(storage_error)?;
    }
    if step(2) && missing(MARKERS) {
        db.create_object_store(MARKERS).build().map_err(storage_error)?;
    }
    if step(3) {
        crate::ledger::create_stores(&db, &existing).map_err(storage_error)?;
    }
    if step(4) && missing(STAGING) {
        db.create_object_store(STAGING).build().map_err(storage_error)?;
    }
    if step(5) {
        for module in PullModule::ALL.into_iter().filter(|m| missing(store_name(*m))) {
            let store = db
                .create_object_store(store_name(module))
                .with_key_path("id".into())
                .build()
                .map_err(storage_error)?;
            let (by_id, ids) = crate::blocks::BY_ID;
            store.create_index(by_id, ids.into()).with_multi_entry(true).build().map_err(storage_error)?;
            for (index, field) in indexes(module) {
                store
                    .create_index(*index, (*field).into())
                    .with_multi_entry(true)
                    .build()
                    .map_err(storage_error)?;
            }
            // Version 2–4 kept this module as a record per row under its plain name.
            if !missing(module.name()) {
                let rows = store.transaction().object_store(module.name()).map_err(storage_error)?;
                crate::cache::migrate_rows(module, &rows, &store).await?;
                db.delete_object_store(module.name()).map_err(storage_error)?;
            }
        }
    }
    Ok(())
}

/// An upgrade's failure in the form IndexedDB's open request reports.
fn upgrade_error(e: AppError) -> indexed_db_futures::error::Error {
    JsValue::from(js_sys::Error::new(&e.to_string())).into()
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

/// Rows written between two breaks of a long write: the main thread gets the
/// break, so a cashier's tap is answered while a pull is stored.
const PUT_CHUNK: u32 = 250;

/// Puts every object of `json` (the JSON text of an array, parsed once by the
/// browser rather than crossing into JS field by field) into `store`, waiting
/// for the last write of each chunk: the transaction stays open (a request of
/// it is pending) and the browser runs other tasks in between.
pub(crate) async fn put_all(store: &ObjectStore<'_>, json: &str) -> Result<(), AppError> {
    let objects: js_sys::Array = js_sys::JSON::parse(json)
        .map(JsCast::unchecked_into)
        .map_err(|_| AppError::Storage("records could not be prepared for storing".into()))?;
    let mut last = None;
    for (i, object) in objects.iter().enumerate() {
        let request = store.put(object).primitive().map_err(storage_error)?;
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

/// `objects` read as `R` from only their `fields`. They leave the browser as
/// one JSON text: one crossing into wasm for thousands of records, not one
/// for each field of each.
pub(crate) fn read_fields<R: serde::de::DeserializeOwned>(
    objects: impl Iterator<Item = indexed_db_futures::Result<JsValue>>,
    fields: &[&str],
    what: &str,
) -> Result<Vec<R>, AppError> {
    let all = js_sys::Array::new();
    for object in objects {
        all.push(&object.map_err(storage_error)?);
    }
    let keep: js_sys::Array = fields.iter().map(|f| JsValue::from_str(f)).collect();
    let text = js_sys::JSON::stringify_with_replacer(&all, &keep)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| AppError::Storage(format!("the records of {what} could not be read")))?;
    serde_json::from_str(&text)
        .map_err(|e| AppError::Storage(format!("the records of {what} are unreadable: {e}")))
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
            .with_on_upgrade_needed_fut(move |event, db| async move {
                upgrade(event.old_version() as u32, version, db).await.map_err(upgrade_error)
            })
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
            .with_on_upgrade_needed_fut(|_, db| async move {
                upgrade(0, DB_VERSION, db).await.map_err(upgrade_error)
            })
            .await
            .map_err(storage_error)?;
        Ok(Self { db: Some(db) })
    }

    /// The schema version on disk (the current one, or higher after a repair).
    pub fn db_version(&self) -> u32 {
        self.db().version() as u32
    }

    /// The object stores that exist (for the start-up self-check and tests).
    pub fn store_names(&self) -> Vec<String> {
        self.db().object_store_names().collect()
    }

    /// A strict read-write transaction over `stores`.
    pub(crate) fn readwrite(
        &self,
        stores: &[&str],
    ) -> Result<indexed_db_futures::transaction::Transaction<'_>, AppError> {
        self.db()
            .transaction(stores.to_vec())
            .with_mode(TransactionMode::Readwrite)
            .with_options(strict())
            .build()
            .map_err(storage_error)
    }

    /// A JSON record of `store` under `key`; one that no longer parses is
    /// reported, not silently taken for "absent".
    pub(crate) async fn read_json<T: serde::de::DeserializeOwned>(
        &self,
        store: &str,
        key: &str,
    ) -> Result<Option<T>, AppError> {
        let tx = self.db().transaction(store).build().map_err(storage_error)?;
        let json: Option<String> = tx
            .object_store(store)
            .map_err(storage_error)?
            .get(key)
            .primitive()
            .map_err(storage_error)?
            .await
            .map_err(storage_error)?;
        json.map(|j| {
            serde_json::from_str(&j)
                .map_err(|e| AppError::Storage(format!("the saved {key} is unreadable: {e}")))
        })
        .transpose()
    }

    /// Every object of `store`, read as `R` from only its `fields` (see [`read_fields`]).
    pub(crate) async fn read_all<R: serde::de::DeserializeOwned>(
        &self,
        store: &str,
        fields: &[&str],
    ) -> Result<Vec<R>, AppError> {
        let tx = self.db().transaction(store).build().map_err(storage_error)?;
        let found = tx
            .object_store(store)
            .map_err(storage_error)?
            .get_all::<JsValue>()
            .primitive()
            .map_err(storage_error)?
            .await
            .map_err(storage_error)?;
        read_fields(found, fields, store)
    }

    /// [`Self::read_all`] of the records whose (numeric) key is above `after`.
    pub(crate) async fn read_after<R: serde::de::DeserializeOwned>(
        &self,
        store: &str,
        fields: &[&str],
        after: u64,
    ) -> Result<Vec<R>, AppError> {
        let tx = self.db().transaction(store).build().map_err(storage_error)?;
        let above = indexed_db_futures::KeyRange::LowerBound(after as f64, true);
        let found = tx
            .object_store(store)
            .map_err(storage_error)?
            .get_all::<JsValue>()
            .with_query::<f64, _>(above)
            .primitive()
            .map_err(storage_error)?
            .await
            .map_err(storage_error)?;
        read_fields(found, fields, store)
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
        let tx = self
            .db()
            .transaction(SESSION)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(storage_error)?;
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
pub(crate) fn put_json<T: serde::Serialize>(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    store: &str,
    key: &str,
    value: &T,
) -> Result<(), AppError> {
    let json = serde_json::to_string(value).map_err(storage_error)?;
    tx.object_store(store)
        .map_err(storage_error)?
        .put(json)
        .with_key(key)
        .primitive()
        .map_err(storage_error)?;
    Ok(())
}
