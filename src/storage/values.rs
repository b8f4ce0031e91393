//! The terminal's small values, each one record under its key in one store:
//! the session, the cashier on duty, the PIN lock, counters, the cart being
//! rung up, the drawer's shift (the ledger keeps its own keys here too).

use super::db::{commit, put_json, Storage};
use crate::error::AppError;
use crate::session::Session;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;

/// The store of small values (named for the first value it held).
pub(crate) const VALUES: &str = "session";
const SESSION_KEY: &str = "current";

impl Storage {
    /// Keeps one small record of the terminal's own state (the session, the
    /// cashier, the PIN lock) under `key`, durably.
    pub async fn save_value<T: serde::Serialize>(&self, key: &str, value: &T) -> Result<(), AppError> {
        let tx = self.readwrite(&[VALUES])?;
        put_json(&tx, VALUES, key, value)?;
        commit(tx).await
    }

    pub async fn load_value<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>, AppError> {
        self.read_json(VALUES, key).await
    }

    pub async fn remove_value(&self, key: &str) -> Result<(), AppError> {
        let tx = self.db().transaction(VALUES).with_mode(TransactionMode::Readwrite).build()?;
        let store = tx.object_store(VALUES)?;
        store.delete(key).await?;
        commit(tx).await
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
}
