//! The `Storage` handle: one open IndexedDB connection, and the transaction
//! and JSON helpers every store of the terminal uses. It knows no store by
//! name: `schema.rs` opens and upgrades the database, `values.rs`, `cache/`
//! and `ledger/` keep their records in it.
//!
//! Records are stored as their contract JSON text, so money keeps its exact
//! decimal digits (a JS number would not) and the stored form is the wire form.

use crate::error::{AppError, StorageError};
use indexed_db_futures::database::Database;
use indexed_db_futures::error::{Error as DbError, UnexpectedDataError};
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};
use wasm_bindgen::{JsCast, JsValue};

/// Writes that must survive a crash are flushed to disk before they count
/// (Chromium's default is "relaxed").
pub(crate) fn strict() -> TransactionOptions {
    let mut options = TransactionOptions::new();
    options.set_durability(TransactionDurability::Strict);
    options
}

/// Commits `tx` and waits until it is on disk. A commit that ends in an
/// abort is classified by the transaction's own error: Chromium reports a
/// full disk only there, the commit itself says no more than "aborted".
pub(crate) async fn commit(tx: Transaction<'_>) -> Result<(), AppError> {
    let raw: web_sys::IdbTransaction = tx.as_sys().clone().unchecked_into();
    match tx.commit().await {
        Err(DbError::MissingData(UnexpectedDataError::TransactionAborted)) => {
            Err(StorageError::aborted(raw.error()).into())
        }
        done => Ok(done?),
    }
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
        .map_err(|_| AppError::Encoding("records could not be prepared for storing".into()))?;
    let mut last = None;
    for (i, object) in objects.iter().enumerate() {
        let request = store.put(object).primitive()?;
        if (i as u32 + 1).is_multiple_of(PUT_CHUNK) {
            request.await?;
        } else {
            last = Some(request);
        }
    }
    if let Some(request) = last {
        request.await?;
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
        all.push(&object?);
    }
    let keep: js_sys::Array = fields.iter().map(|f| JsValue::from_str(f)).collect();
    let text = js_sys::JSON::stringify_with_replacer(&all, &keep)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| AppError::unreadable(format!("the records of {what} could not be read")))?;
    serde_json::from_str(&text)
        .map_err(|e| AppError::unreadable(format!("the records of {what} are unreadable: {e}")))
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
    /// Takes over an open connection (closed when the handle is dropped).
    pub(crate) fn from_db(db: Database) -> Self {
        Self { db: Some(db) }
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
    pub(crate) fn readwrite(&self, stores: &[&str]) -> Result<Transaction<'_>, AppError> {
        Ok(self
            .db()
            .transaction(stores.to_vec())
            .with_mode(TransactionMode::Readwrite)
            .with_options(strict())
            .build()?)
    }

    /// A JSON record of `store` under `key`; one that no longer parses is
    /// reported, not silently taken for "absent".
    pub(crate) async fn read_json<T: serde::de::DeserializeOwned>(
        &self,
        store: &str,
        key: &str,
    ) -> Result<Option<T>, AppError> {
        let tx = self.db().transaction(store).build()?;
        let json: Option<String> = tx.object_store(store)?.get(key).primitive()?.await?;
        json.map(|j| {
            serde_json::from_str(&j)
                .map_err(|e| AppError::unreadable(format!("the saved {key} is unreadable: {e}")))
        })
        .transpose()
    }

    /// Every object of `store`, read as `R` from only its `fields` (see [`read_fields`]).
    pub(crate) async fn read_all<R: serde::de::DeserializeOwned>(
        &self,
        store: &str,
        fields: &[&str],
    ) -> Result<Vec<R>, AppError> {
        let tx = self.db().transaction(store).build()?;
        let found = tx.object_store(store)?.get_all::<JsValue>().primitive()?.await?;
        read_fields(found, fields, store)
    }

    /// [`Self::read_all`] of the records whose (numeric) key is above `after`.
    pub(crate) async fn read_after<R: serde::de::DeserializeOwned>(
        &self,
        store: &str,
        fields: &[&str],
        after: u64,
    ) -> Result<Vec<R>, AppError> {
        let tx = self.db().transaction(store).build()?;
        let above = indexed_db_futures::KeyRange::LowerBound(after as f64, true);
        let found =
            tx.object_store(store)?.get_all::<JsValue>().with_query::<f64, _>(above).primitive()?.await?;
        read_fields(found, fields, store)
    }

    pub(crate) fn db(&self) -> &Database {
        self.db.as_ref().expect("open until dropped")
    }

    /// A read-only transaction over `stores`.
    pub(crate) fn read(&self, stores: &[&str]) -> Result<Transaction<'_>, AppError> {
        Ok(self.db().transaction(stores).build()?)
    }

    /// Closes and deletes the database (tests).
    pub async fn delete(mut self) -> Result<(), AppError> {
        let db = self.db.take().expect("open until dropped");
        let name = db.name();
        db.close();
        Ok(Database::delete_by_name(&name)?.await?)
    }
}

/// Puts `value` as JSON text under `key` in `store` of `tx` (awaited by the commit).
pub(crate) fn put_json<T: serde::Serialize>(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    store: &str,
    key: &str,
    value: &T,
) -> Result<(), AppError> {
    let json = serde_json::to_string(value)?;
    tx.object_store(store)?.put(json).with_key(key).primitive()?;
    Ok(())
}
