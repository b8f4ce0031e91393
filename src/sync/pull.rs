//! The pull cycle of the seed (000, step 2): every module, page by page, each
//! module stored whole with its marker in one transaction; then the
//! wash-token reserve (`wash_tokens.rs`).

use super::api;
use crate::error::AppError;
use crate::session::Session;
use crate::storage::cache::{Codec, Marker};
use crate::storage::Storage;
use chrono::{DateTime, Utc};
use possum_contract::endpoints::PullModule;
use possum_contract::sync::SyncWindow;
use uuid::Uuid;

/// Rows asked for per page: large pages mean fewer, larger IndexedDB transactions.
pub const PAGE_SIZE: u32 = 5_000;

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
        let window = window(cursor.as_ref(), session.terminal_id, Utc::now());
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
    super::register::prepare(storage, session).await.map_err(|e| e.in_step("the register"))?;
    super::journal::seal_pending().await.map_err(|e| e.in_step("the journal"))?;
    let mut total = 0;
    for module in PullModule::ALL {
        total += pull_module(storage, session, module, on_progress).await.map_err(|e| e.in_module(module))?;
    }
    // The wash-token reserve last: the back office tops it up on each pull.
    total += super::wash_tokens::pull_reserve(storage, session)
        .await
        .map_err(|e| e.in_step("the wash-token reserve"))?;
    Ok(total)
}
