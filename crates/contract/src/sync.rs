//! The pull window of the seed (000, steps 2 and 4) and the page a pull answers.
//!
//! Boundary rule (decided here, served by the back office): every row carries
//! the server time of its last change, unique per tenant and strictly
//! increasing in commit order. A pull answers the rows whose change time is
//! after `LastExecutedDate` (and, on the same instant, whose id sorts after
//! `AfterId`), in (change time, id) order, up to `PageSize`. The answer's
//! `NextLastExecutedDate`/`NextAfterId` is what the terminal sends next; once
//! `HasMore` is false it is the server's change clock, so no row written
//! during or after the pull can fall behind it. `CurrentDate` is the terminal's
//! clock: it is recorded, never trusted as a bound.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The query string of every pull: `?LastExecutedDate=…&CurrentDate=…&TerminalId=…`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SyncWindow {
    /// The cursor of the last successful pull of this module; absent for a full pull.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_executed_date: Option<DateTime<Utc>>,
    /// The terminal's clock when it asked (informational).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_date: Option<DateTime<Utc>>,
    /// Must equal the terminal id in the token.
    pub terminal_id: Uuid,
    /// Continues a page: the last id seen at `LastExecutedDate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_id: Option<Uuid>,
    /// Rows per page; the server caps it at `endpoints::MAX_PAGE_SIZE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
}

/// One page of a pull: upserted rows, deleted ids (tombstones) and the cursor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SyncPage<T> {
    pub items: Vec<T>,
    /// Ids of rows deleted inside the window. A full pull (no `LastExecutedDate`) has none.
    pub deleted: Vec<Uuid>,
    /// Send as `LastExecutedDate` next.
    pub next_last_executed_date: DateTime<Utc>,
    /// Send as `AfterId` next (set while `HasMore`).
    pub next_after_id: Option<Uuid>,
    /// More rows wait in this window: ask again at once with the cursor above.
    pub has_more: bool,
    /// The server's clock when it answered (for the status area; never a cursor).
    pub server_time: DateTime<Utc>,
}

impl<T> SyncPage<T> {
    /// The same page with each row turned into another form (or the first failure).
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<SyncPage<U>, E> {
        Ok(SyncPage {
            items: self.items.into_iter().map(f).collect::<Result<_, _>>()?,
            deleted: self.deleted,
            next_last_executed_date: self.next_last_executed_date,
            next_after_id: self.next_after_id,
            has_more: self.has_more,
            server_time: self.server_time,
        })
    }
}
