//! Where each module's pull stands: its `Marker` (the server's cursor,
//! stored with the module's rows) and, during a pull of several pages, the
//! staged cursor to resume from.

use crate::error::AppError;
use crate::storage::db::{put_json, Storage};
use chrono::{DateTime, Utc};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use possum_contract::endpoints::PullModule;
use possum_contract::sync::SyncPage;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One marker per pull module: the cursor of its last stored page.
pub(crate) const MARKERS: &str = "markers";
/// Pages of a multi-page pull waiting for its last page (see `apply.rs`).
pub(crate) const STAGING: &str = "staging";

/// Where a module's pull stands: the server's cursor (never the tablet clock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    /// The back office's `NextLastExecutedDate` of the last stored page.
    pub last_executed: DateTime<Utc>,
    /// Set while a pull is between pages.
    pub after_id: Option<Uuid>,
    /// When the module last finished a pull (the tablet's clock, for display only).
    pub completed_at: Option<DateTime<Utc>>,
    /// Rows stored by the pull under way or last finished.
    pub rows: u64,
}

impl Marker {
    /// The marker after storing `page` on top of `previous`.
    pub fn after<T>(previous: Option<&Marker>, page: &SyncPage<T>, now: DateTime<Utc>) -> Marker {
        let continuing = previous.is_some_and(|m| m.after_id.is_some());
        let rows = if continuing { previous.map_or(0, |m| m.rows) } else { 0 } + page.items.len() as u64;
        Marker {
            last_executed: page.next_last_executed_date,
            after_id: page.next_after_id,
            completed_at: if page.has_more { previous.and_then(|m| m.completed_at) } else { Some(now) },
            rows,
        }
    }
}

/// A multi-page pull under way: the cursor of its last staged page and how many pages wait.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staged {
    pub cursor: Marker,
    pub pages: u32,
}

/// The key of page `page_no` of a staged pull of `module` in the staging store.
pub(super) fn staged_key(module: PullModule, page_no: u32) -> String {
    format!("{}/{page_no:06}", module.name())
}

/// The key of the staged cursor of `module` in the markers store.
pub(super) fn staging_marker(module: PullModule) -> String {
    format!("staging:{}", module.name())
}

impl Storage {
    /// Where a staged pull of `module` stands, if one is under way.
    pub async fn staged(&self, module: PullModule) -> Result<Option<Staged>, AppError> {
        self.read_json(MARKERS, &staging_marker(module)).await
    }

    pub async fn marker(&self, module: PullModule) -> Result<Option<Marker>, AppError> {
        self.read_json(MARKERS, module.name()).await
    }
}

/// The module's new marker, and no staged pull of it left, within `tx` (which includes MARKERS).
pub(super) fn set_marker(tx: &Transaction<'_>, module: PullModule, marker: &Marker) -> Result<(), AppError> {
    put_json(tx, MARKERS, module.name(), marker)?;
    tx.object_store(MARKERS)?.delete(staging_marker(module)).primitive()?;
    Ok(())
}
