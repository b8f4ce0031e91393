//! The wash-token reserve's pull: after the modules in each pull cycle, and
//! at once after a flush when fewer than half the sets are left
//! (`token_reserve::needs_refill`), so a tablet that sells many washes while
//! online does not run dry before the next cycle. The back office tops the
//! reserve up to `RESERVE_SIZE` on each pull of it.

use super::api;
use super::pull::window;
use crate::error::AppError;
use crate::session::Session;
use crate::storage::cache::Marker;
use crate::storage::Storage;
use chrono::Utc;
use possum_contract::wash_token;
use possum_register::token_reserve;
use uuid::Uuid;

/// Pulls the reserve to the end of its window; answers the rows and
/// tombstones stored. Each page is stored with its marker in one transaction
/// (the sets are independent: no page waits for another).
pub async fn pull_reserve(storage: &Storage, session: &Session) -> Result<u64, AppError> {
    let mut cursor = storage.reserve_marker().await?;
    // A whole pull sends every unsold set again, also those unsent orders took.
    let taken = match cursor {
        Some(_) => vec![],
        None => taken_by_unsent(storage).await?,
    };
    let mut stored = 0u64;
    loop {
        let page =
            api::pull_reserve(session, &window(cursor.as_ref(), session.terminal_id, Utc::now())).await?;
        let next = Marker::after(cursor.as_ref(), &page, Utc::now());
        storage.apply_reserve(&page, &next, &taken).await?;
        stored += (page.items.len() + page.deleted.len()) as u64;
        cursor = Some(next);
        if !page.has_more {
            return Ok(stored);
        }
    }
}

/// Pulls the reserve when it runs low; answers whether it pulled.
pub async fn refill_if_low(storage: &Storage, session: &Session) -> Result<bool, AppError> {
    if !token_reserve::needs_refill(storage.reserve_count().await?.available) {
        return Ok(false);
    }
    pull_reserve(storage, session).await?;
    Ok(true)
}

/// The reserved digits the orders still in the outbox carry, with their order.
async fn taken_by_unsent(storage: &Storage) -> Result<Vec<(String, Uuid)>, AppError> {
    let orders = storage.unsent_orders().await?;
    Ok(orders
        .iter()
        .filter_map(|o| o.token.as_deref().and_then(wash_token::parse).map(|(_, digits)| (digits, o.id)))
        .collect())
}
