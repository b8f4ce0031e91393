//! IndexedDB: the terminal's durable memory.
//!
//! Records are stored as their contract JSON text, so money keeps its exact
//! decimal digits (a JS number would not) and the stored form is the wire form.

use crate::error::AppError;
use crate::session::Session;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;

pub const DB_NAME: &str = "possum-terminal";
/// Bump with a new arm in `upgrade` whenever a store or index changes.
pub const DB_VERSION: u32 = 1;

const SESSION: &str = "session";
const SESSION_KEY: &str = "current";

fn storage_error(e: impl std::fmt::Display) -> AppError {
    AppError::Storage(e.to_string())
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

    /// Opens (creating or upgrading) the database `name`.
    pub async fn open(name: &str) -> Result<Self, AppError> {
        let db = Database::open(name)
            .with_version(DB_VERSION)
            .with_on_upgrade_needed(|event, db| {
                if event.old_version() < 1.0 {
                    db.create_object_store(SESSION).build()?;
                }
                Ok(())
            })
            .await
            .map_err(storage_error)?;
        Ok(Self { db: Some(db) })
    }

    fn db(&self) -> &Database {
        self.db.as_ref().expect("open until dropped")
    }

    pub fn name(&self) -> String {
        self.db().name()
    }

    pub async fn save_session(&self, session: &Session) -> Result<(), AppError> {
        let json = serde_json::to_string(session).map_err(storage_error)?;
        let tx = self.db().transaction(SESSION).with_mode(TransactionMode::Readwrite).build().map_err(storage_error)?;
        let store = tx.object_store(SESSION).map_err(storage_error)?;
        store.put(json).with_key(SESSION_KEY).await.map_err(storage_error)?;
        tx.commit().await.map_err(storage_error)
    }

    pub async fn load_session(&self) -> Result<Option<Session>, AppError> {
        let tx = self.db().transaction(SESSION).build().map_err(storage_error)?;
        let store = tx.object_store(SESSION).map_err(storage_error)?;
        let json: Option<String> = store.get(SESSION_KEY).primitive().map_err(storage_error)?.await.map_err(storage_error)?;
        // A record that no longer parses is reported, not silently taken for "signed out".
        json.map(|j| serde_json::from_str(&j).map_err(|e| AppError::Storage(format!("the saved session is unreadable: {e}"))))
            .transpose()
    }

    pub async fn clear_session(&self) -> Result<(), AppError> {
        let tx = self.db().transaction(SESSION).with_mode(TransactionMode::Readwrite).build().map_err(storage_error)?;
        let store = tx.object_store(SESSION).map_err(storage_error)?;
        store.delete(SESSION_KEY).await.map_err(storage_error)?;
        tx.commit().await.map_err(storage_error)
    }

    /// Closes and deletes the database (tests).
    pub async fn delete(mut self) -> Result<(), AppError> {
        let db = self.db.take().expect("open until dropped");
        let name = db.name();
        db.close();
        Database::delete_by_name(&name).map_err(storage_error)?.await.map_err(storage_error)
    }
}
