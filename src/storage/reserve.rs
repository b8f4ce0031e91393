//! The wash-token reserve (`GET /api/WashToken/GetWashTokens`): nine-digit
//! sets the back office set aside for this terminal, one record each, so an
//! order takes one inside the transaction that stores it.
//!
//! A taken set stays in the store, marked with the order that took it, until
//! the back office's tombstone says the order arrived: a later pull that
//! sends the set again (a full pull after the marker was lost) can then never
//! make it available a second time. Rules (which order, which set, when to
//! refill) are `possum_register::token_reserve`.

use super::cache::{Marker, MARKERS};
use super::db::{commit, put_json, read_fields, Storage};
use crate::error::AppError;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use possum_contract::sync::SyncPage;
use possum_contract::wash_token::ReservedToken;
use possum_register::token_reserve;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::JsValue;

/// The reserve's store: a record per reserved set, by its id.
pub(crate) const RESERVE: &str = "wash_tokens";
/// The reserve's pull marker, in the markers store beside the modules'.
const MARKER_KEY: &str = "wash_tokens";

/// A reserved set as stored: the contract row's JSON, and the order that took it.
#[derive(Debug, Serialize, Deserialize)]
struct ReserveRow {
    id: String,
    json: String,
    #[serde(default)]
    taken_by: Option<String>,
}

impl ReserveRow {
    fn token(&self) -> Result<ReservedToken, AppError> {
        serde_json::from_str(&self.json)
            .map_err(|e| AppError::unreadable(format!("reserved wash token {} is unreadable: {e}", self.id)))
    }
}

/// Creates the reserve's store (schema upgrade).
pub(crate) fn create_store(db: &Database) -> indexed_db_futures::Result<()> {
    db.create_object_store(RESERVE).with_key_path("id".into()).build()?;
    Ok(())
}

/// How many sets the reserve holds, and how many of them are not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReserveCount {
    pub held: usize,
    pub available: usize,
}

async fn rows(tx: &Transaction<'_>) -> Result<Vec<ReserveRow>, AppError> {
    let found = tx.object_store(RESERVE)?.get_all::<JsValue>().primitive()?.await?;
    read_fields(found, &["id", "json", "taken_by"], RESERVE)
}

/// Takes the next reserved set for `order_id` within `tx` (which includes
/// [`RESERVE`]) and answers its token for wash `program`; `None` when the
/// reserve is empty. Two tabs never take the same set: IndexedDB runs
/// overlapping read-write transactions on a store one after the other.
pub(crate) async fn take(
    tx: &Transaction<'_>,
    program: u8,
    order_id: Uuid,
) -> Result<Option<String>, AppError> {
    let free: Vec<(ReserveRow, ReservedToken)> = rows(tx)
        .await?
        .into_iter()
        .filter(|r| r.taken_by.is_none())
        .filter_map(|r| r.token().ok().map(|t| (r, t)))
        .collect();
    let tokens: Vec<ReservedToken> = free.iter().map(|(_, t)| t.clone()).collect();
    let Some(chosen) = token_reserve::pick(&tokens) else { return Ok(None) };
    let token = token_reserve::token(program, chosen);
    let (row, _) = free.into_iter().find(|(_, t)| t.id == chosen.id).expect("picked from these");
    let taken = ReserveRow { taken_by: Some(order_id.to_string()), ..row };
    tx.object_store(RESERVE)?.put(taken).serde()?;
    Ok(token)
}

impl Storage {
    /// Stores a page of the reserve's pull with its marker, in one
    /// transaction: new sets are added, a set this terminal took stays taken,
    /// and a tombstone (the set was sold or used) removes it. `taken` are the
    /// digits unsent orders carry, with their order: a set among them arrives
    /// taken (a full pull after the store was lost sends them again).
    pub async fn apply_reserve(
        &self,
        page: &SyncPage<ReservedToken>,
        marker: &Marker,
        taken: &[(String, Uuid)],
    ) -> Result<(), AppError> {
        let tx = self.readwrite(&[RESERVE, MARKERS])?;
        let store = tx.object_store(RESERVE)?;
        for token in &page.items {
            let id = token.id.to_string();
            let existing: Option<ReserveRow> = store.get(id.as_str()).serde()?.await?;
            if existing.is_some_and(|r| r.taken_by.is_some()) {
                continue;
            }
            let taken_by =
                taken.iter().find(|(digits, _)| *digits == token.digits).map(|(_, o)| o.to_string());
            store.put(ReserveRow { id, json: serde_json::to_string(token)?, taken_by }).serde()?;
        }
        for id in &page.deleted {
            store.delete(id.to_string()).primitive()?;
        }
        put_json(&tx, MARKERS, MARKER_KEY, marker)?;
        commit(tx).await
    }

    /// Forgets where the reserve's pull stands, so the next pull sends it whole.
    pub async fn forget_reserve_marker(&self) -> Result<(), AppError> {
        let tx = self.readwrite(&[MARKERS])?;
        tx.object_store(MARKERS)?.delete(MARKER_KEY).primitive()?;
        commit(tx).await
    }

    /// Where the reserve's pull stands.
    pub async fn reserve_marker(&self) -> Result<Option<Marker>, AppError> {
        self.read_json(MARKERS, MARKER_KEY).await
    }

    pub async fn reserve_count(&self) -> Result<ReserveCount, AppError> {
        let tx = self.read(&[RESERVE])?;
        let all = rows(&tx).await?;
        Ok(ReserveCount { held: all.len(), available: all.iter().filter(|r| r.taken_by.is_none()).count() })
    }

    /// The sets not taken yet (for the status and tests).
    pub async fn reserve(&self) -> Result<Vec<ReservedToken>, AppError> {
        let tx = self.read(&[RESERVE])?;
        rows(&tx).await?.iter().filter(|r| r.taken_by.is_none()).map(ReserveRow::token).collect()
    }
}
