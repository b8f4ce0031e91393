//! Staff time for the back office (`POST /api/Callback/PostEmployeeLog`):
//! what the clock buttons and the cashier sign-in, sign-out and switch call.
//! The record goes into the durable outbox and the flush sends it in the
//! seed's order, after the device logs.

use crate::error::AppError;
use crate::storage::Storage;
use chrono::Utc;
use possum_contract::activity::{EmployeeEvent, EmployeeLog};
use possum_register::staff_time;
use uuid::Uuid;

/// Records `event` of `user` at this terminal, now. A clock-in or clock-out
/// repeating the person's last one on this tablet is refused
/// (`AppError::Invalid`, in staff's words) and nothing is queued.
pub async fn record(terminal_id: Uuid, event: EmployeeEvent, user: Uuid) -> Result<EmployeeLog, AppError> {
    let log = staff_time::log(terminal_id, user, event, Utc::now());
    Storage::open_default().await?.record_staff_time(&log).await?;
    Ok(log)
}

/// Whether `user` is clocked in, as far as this tablet knows (the button shows "Clock out").
pub async fn is_clocked_in(user: Uuid) -> Result<bool, AppError> {
    let last = Storage::open_default().await?.staff_clock().await?;
    Ok(staff_time::is_clocked_in(&last, user))
}
