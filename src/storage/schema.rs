//! The database's schema: its name and version, every store of it, and the
//! upgrades from each older version. The only module that knows all the
//! stores; each store's own module (`values.rs`, `cache/`, `ledger/`) says
//! what it keeps there.

use super::cache::{indexes, migrate_rows, store_name, BY_ID, MARKERS, STAGING};
use super::db::Storage;
use super::ledger;
use super::reserve::{self, RESERVE};
use super::values::VALUES;
use crate::error::{AppError, StorageError};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use possum_contract::endpoints::PullModule;
use wasm_bindgen::JsValue;

pub const DB_NAME: &str = "possum-terminal";
/// Bump with a new step in `upgrade` whenever a store or index changes.
pub const DB_VERSION: u32 = 7;

/// Schema steps, each from the version before it. A tablet may skip
/// versions, so every step runs that lies above `old` and up to `target`.
/// Steps only create what is missing, so running them all again from 0
/// repairs a database that lost a store (see [`Storage::repair`]).
///
/// 1: the session. 2: pull markers (and, until 5, a store per pulled
/// module with a record per row). 3: the ledger (outbox, orders, parked
/// carts). 4: the staging area of multi-page pulls. 5: the pulled modules
/// in blocks of rows (`cache/blocks.rs`); a version 2–4 store of rows is moved
/// into blocks in the upgrade itself, so a tablet keeps its cache (and sells
/// offline) across the update. 6: discount programs and subscriptions (two
/// more pulled modules) and the wash-token reserve (`reserve.rs`); the rest
/// of the cache and the ledger stay as they are. 7: the register's stores
/// (the journal, events waiting to be journaled, the register's values).
async fn upgrade(old: u32, target: u32, db: Database) -> Result<(), AppError> {
    let existing: Vec<String> = db.object_store_names().collect();
    // Asked of the database itself: an earlier step of this upgrade may have made the store.
    let missing = |name: &str| !db.object_store_names().any(|e| e == name);
    let step = |version: u32| old < version && version <= target;
    if step(1) && missing(VALUES) {
        db.create_object_store(VALUES).build()?;
    }
    if step(2) && missing(MARKERS) {
        db.create_object_store(MARKERS).build()?;
    }
    if step(3) {
        ledger::create_stores(&db, &existing)?;
    }
    if step(4) && missing(STAGING) {
        db.create_object_store(STAGING).build()?;
    }
    // Version 5 made a block store per module; 6 adds two modules the same way.
    if step(5) || step(6) {
        for module in PullModule::ALL.into_iter().filter(|m| missing(store_name(*m))) {
            let store = db.create_object_store(store_name(module)).with_key_path("id".into()).build()?;
            let (by_id, ids) = BY_ID;
            store.create_index(by_id, ids.into()).with_multi_entry(true).build()?;
            for (index, field) in indexes(module) {
                store.create_index(*index, (*field).into()).with_multi_entry(true).build()?;
            }
            // Version 2–4 kept this module as a record per row under its plain name.
            if existing.iter().any(|e| e == module.name()) {
                let rows = store.transaction().object_store(module.name())?;
                migrate_rows(module, &rows, &store).await?;
                db.delete_object_store(module.name())?;
            }
        }
    }
    if step(6) && missing(RESERVE) {
        reserve::create_store(&db)?;
    }
    if step(7) {
        ledger::create_stores(&db, &db.object_store_names().collect::<Vec<_>>())?;
    }
    Ok(())
}

/// An upgrade's failure in the form IndexedDB's open request reports.
fn upgrade_error(e: AppError) -> indexed_db_futures::error::Error {
    JsValue::from(js_sys::Error::new(&e.to_string())).into()
}

/// Every object store of the current schema.
pub fn expected_stores() -> Vec<&'static str> {
    let mut all = vec![VALUES, MARKERS, STAGING, RESERVE];
    all.extend(PullModule::ALL.map(store_name));
    all.extend(ledger::STORES);
    all
}

impl Storage {
    pub async fn open_default() -> Result<Self, AppError> {
        Self::open(DB_NAME).await
    }

    /// Opens (creating or upgrading) the database `name`. A database already
    /// at a newer version (after a repair) is opened as it is.
    pub async fn open(name: &str) -> Result<Self, AppError> {
        match Self::open_at(name, DB_VERSION).await {
            Err(AppError::Storage(StorageError::Version(_))) => {
                Ok(Self::from_db(Database::open(name).await?))
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
            .await?;
        Ok(Self::from_db(db))
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
            .await?;
        Ok(Self::from_db(db))
    }
}
