//! The cash drawer's shift, stored with the event that changed it.

use super::records::{commit_announced, json, row, OUTBOX};
use crate::error::AppError;
use crate::storage::db::Storage;
use crate::storage::values::VALUES;
use indexed_db_futures::prelude::*;
use possum_contract::activity::CashDrawerLog;
use possum_contract::endpoints::PushKind;
use possum_register::drawer::opening::Opening;
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

    /// Records an opening of the drawer itself (issue 21) on the shift: read,
    /// counted and stored with its `DrawerOpened` record queued, in one
    /// transaction, so an opening in another tab is never lost. Answers
    /// whether a shift took it (with no shift, there is no X report to count
    /// it in: the register's journal still has it).
    pub async fn drawer_opened(&self, opening: &Opening) -> Result<bool, AppError> {
        let tx = self.readwrite(&[VALUES, OUTBOX])?;
        let values = tx.object_store(VALUES)?;
        let stored: Option<String> = values.get(SHIFT_KEY).primitive()?.await?;
        let Some(stored) = stored else { return Ok(false) };
        let mut shift: Shift = serde_json::from_str(&stored)
            .map_err(|e| AppError::unreadable(format!("the saved drawer shift is unreadable: {e}")))?;
        let log = shift.record_opening(opening);
        drop(values.put(json(&shift)?).with_key(SHIFT_KEY).primitive()?);
        let entry = Entry::new(log.id, PushKind::CashDrawerLog, json(&log)?, None, log.created_at);
        tx.object_store(OUTBOX)?.add(row(&entry)?).serde()?;
        commit_announced(tx).await?;
        Ok(true)
    }

    /// The drawer's shift, while one is open or waiting for its Z report.
    pub async fn shift(&self) -> Result<Option<Shift>, AppError> {
        self.load_value(SHIFT_KEY).await
    }
}
