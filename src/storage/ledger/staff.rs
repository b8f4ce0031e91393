//! Staff time: each clock event and cashier sign-in or sign-out is queued
//! in the outbox, with the tablet's note of each person's last clock event
//! (`possum_register::staff_time`), in one transaction.

use super::records::{commit_announced, row, OUTBOX};
use crate::error::AppError;
use crate::storage::db::{put_json, Storage};
use crate::storage::values::VALUES;
use indexed_db_futures::prelude::*;
use possum_contract::activity::EmployeeLog;
use possum_register::staff_time::{self, LastClock};

/// Each person's last clock event on this tablet.
const CLOCK_KEY: &str = "staff-clock";

impl Storage {
    /// Queues `log` durably. A clock-in or clock-out that repeats the
    /// person's last one on this tablet is refused and nothing is stored.
    pub async fn record_staff_time(&self, log: &EmployeeLog) -> Result<(), AppError> {
        let tx = self.readwrite(&[OUTBOX, VALUES])?;
        let saved: Option<String> = tx.object_store(VALUES)?.get(CLOCK_KEY).primitive()?.await?;
        // Only a hint for the buttons: a note that no longer reads starts afresh
        // rather than keeping staff from clocking.
        let last: Vec<LastClock> = saved.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
        let next = staff_time::after(&last, log).map_err(|e| AppError::Invalid(e.to_string()))?;
        if next != last {
            put_json(&tx, VALUES, CLOCK_KEY, &next)?;
        }
        tx.object_store(OUTBOX)?.add(row(&staff_time::entry(log))?).serde()?;
        commit_announced(tx).await
    }

    /// Each person's last clock event on this tablet (who shows "Clock out").
    pub async fn staff_clock(&self) -> Result<Vec<LastClock>, AppError> {
        Ok(self.read_json(VALUES, CLOCK_KEY).await.ok().flatten().unwrap_or_default())
    }
}
