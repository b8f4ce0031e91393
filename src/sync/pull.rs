//! The pull cycle of the seed (000, step 2): every module, page by page, each
//! module stored whole with its marker in one transaction.

use crate::api;
use crate::cached::Codec;
use crate::error::AppError;
use crate::session::Session;
use crate::storage::Storage;
use chrono::{DateTime, Utc};
use possum_contract::endpoints::PullModule;
use possum_contract::sync::{SyncPage, SyncWindow};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Rows asked for per page: large pages mean fewer, larger IndexedDB transactions.
pub const PAGE_SIZE: u32 = 5_000;

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
    /// The window of the next request: from the marker, or a full pull without one.
    pub fn window(marker: Option<&Marker>, terminal_id: Uuid, now: DateTime<Utc>) -> SyncWindow {
        SyncWindow {
            last_executed_date: marker.map(|m| m.last_executed),
            current_date: Some(now),
            terminal_id,
            after_id: marker.and_then(|m| m.after_id),
            page_size: Some(PAGE_SIZE),
        }
    }

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

/// How far a pull has come, for the status area.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Progress {
    pub module: Option<PullModule>,
    pub rows: u64,
    /// The module's window is drained: what it holds may be shown now.
    pub module_done: bool,
    /// Rows and tombstones this pull of the module brought so far (0: nothing changed).
    pub changes: u64,
}

/// Pulls one module to the end of its window. A pull of one page is stored
/// at once; a longer one is staged page by page and stored whole with its
/// last page, so a failure half-way leaves the cache as it was before the
/// module's pull, and the next cycle resumes from the staged cursor.
async fn pull_module(
    storage: &Storage,
    session: &Session,
    module: PullModule,
    on_progress: &dyn Fn(Progress),
) -> Result<u64, AppError> {
    let codec = Codec::of(module);
    let (mut cursor, mut staged_pages) = match storage.staged(module).await? {
        Some(staged) => (Some(staged.cursor), staged.pages),
        None => (storage.marker(module).await?, 0),
    };
    let mut fetched = 0u64;
    loop {
        let window = Marker::window(cursor.as_ref(), session.terminal_id, Utc::now());
        let page = api::pull_page(session, codec, &window).await?;
        let next = Marker::after(cursor.as_ref(), &page, Utc::now());
        fetched += (page.items.len() + page.deleted.len()) as u64;
        let done = !page.has_more;
        if done {
            storage.apply_staged(module, page, &next, staged_pages).await?;
        } else {
            storage.stage_page(module, &page, &next, staged_pages).await?;
            staged_pages += 1;
        }
        on_progress(Progress { module: Some(module), rows: next.rows, module_done: done, changes: fetched });
        cursor = Some(next);
        if done {
            return Ok(fetched);
        }
    }
}

/// One pull cycle over every module, in the seed's order; answers how many
/// rows and tombstones it stored. Stops at the first failure: modules stored
/// before it stay stored, the failing one is left as it was, and the next
/// cycle resumes there.
pub async fn pull_all(
    storage: &Storage,
    session: &Session,
    on_progress: &dyn Fn(Progress),
) -> Result<u64, AppError> {
    resume_invoice_numbers(storage, session).await.map_err(|e| match e {
        AppError::Unauthorized => e,
        other => AppError::Pull { module: "the invoice counter", error: Box::new(other) },
    })?;
    let mut total = 0;
    for module in PullModule::ALL {
        total += pull_module(storage, session, module, on_progress).await.map_err(|e| e.in_module(module))?;
    }
    Ok(total)
}

/// Before the pulls: a tablet that lost its storage (or was restored from
/// an old copy) continues after the highest invoice number the back office
/// has seen from it, before a cashier can sell again (the users it signs in
/// against are pulled after this). Staff and support hear of it.
async fn resume_invoice_numbers(storage: &Storage, session: &Session) -> Result<(), AppError> {
    let Some(issued) = api::issued_invoices(session).await? else { return Ok(()) };
    if let Some(local) = storage.resume_invoice_numbers(issued.last_invoice_number).await? {
        let message = format!(
            "This tablet's invoice counter ({local}) was behind the back office's ({}): invoice numbers go on from {}.",
            issued.last_invoice_number,
            issued.last_invoice_number + 1
        );
        crate::device_log::write(
            session.terminal_id,
            possum_contract::activity::LogLevel::Warning,
            "invoice counter",
            &message,
            None,
        )
        .await;
    }
    Ok(())
}
