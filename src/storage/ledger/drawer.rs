//! The cash drawer's shift, stored with the event that changed it.

use super::records::{commit_announced, json, row, OUTBOX};
use crate::error::AppError;
use crate::storage::db::Storage;
use crate::storage::values::VALUES;
use indexed_db_futures::prelude::*;
use possum_contract::activity::CashDrawerLog;
use possum_contract::endpoints::PushKind;
use possum_register::drawer::Shift;
use possum_register::outbox::Entry;

const SHIFT_KEY: &str = "drawer-shift";

impl Storage {
    /// Stores the drawer's new state (`None`: the shift ended) and queues
    /// the event that changed it, in one transaction.
    pub async fn drawer_event(&self, shift: Option<&Shift>, log: &CashDrawerLog) -> Result<(), AppError> {
        let tx = self.readwrite(&[VALUES, OUTBOX])?;
        let session = tx.object_store(VALUES)?;
        match shift {
            Some(shift) => drop(session.put(json(shift)?).with_key(SHIFT_KEY).primitive()?),
            None => drop(session.delete(SHIFT_KEY).primitive()?),
        }
        let entry = Entry::new(log.id, PushKind::CashDrawerLog, json(log)?, None, log.created_at);
        tx.object_store(OUTBOX)?.add(row(&entry)?).serde()?;
        commit_announced(tx).await
    }

    /// The drawer's shift, while one is open or waiting for its Z report.
    pub async fn shift(&self) -> Result<Option<Shift>, AppError> {
        self.load_value(SHIFT_KEY).await
    }
}
