//! The ledger's stores and the forms its records take on disk: outbox rows
//! (a head beside a body), orders and parked carts as JSON text, and the
//! helpers several of its files use inside one transaction.

use crate::browser::tabs;
use crate::error::AppError;
use crate::storage::db::{commit, read_fields, Storage};
use chrono::{DateTime, Utc};
use indexed_db_futures::database::Database;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use possum_contract::activity::Order;
use possum_contract::customer::CustomerChange;
use possum_contract::endpoints::PushKind;
use possum_register::outbox::{Entry, State};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub(super) const OUTBOX: &str = "outbox";
pub(super) const ORDERS: &str = "orders";
pub(super) const PARKED: &str = "parked";

/// Changes the stored order `id` within `tx` (an order this terminal does not keep is left alone).
pub(super) async fn update_order(
    tx: &Transaction<'_>,
    id: Uuid,
    change: impl FnOnce(&mut LocalOrder),
) -> Result<(), AppError> {
    let orders = tx.object_store(ORDERS)?;
    let stored: Option<JsonRow> = orders.get(id.to_string()).serde()?.await?;
    let Some(stored) = stored else { return Ok(()) };
    let mut local = stored.order(id)?;
    change(&mut local);
    orders.put(JsonRow { id: stored.id, json: json(&local)? }).serde()?.await?;
    Ok(())
}

/// The last unsent `PostCustomer` record among `entries` for `customer_id`.
pub(super) fn customer_change_in(entries: impl Iterator<Item = Entry>, customer_id: Uuid) -> Option<Uuid> {
    entries
        .filter(|e| e.kind == PushKind::Customer)
        .filter(|e| {
            serde_json::from_str::<CustomerChange>(&e.body).is_ok_and(|c| c.customer_id == customer_id)
        })
        .last()
        .map(|e| e.id)
}

/// The register's own stores (schema version 7): the journal, the events
/// waiting to be journaled, and the register's values (its device key, the
/// register the back office issued, the journal's head, training mode).
pub(super) const JOURNAL: &str = "journal";
pub(super) const PENDING: &str = "journal_pending";
pub(super) const REGISTER: &str = "register";

/// The stores of what the terminal produces.
pub const STORES: [&str; 6] = [OUTBOX, ORDERS, PARKED, JOURNAL, PENDING, REGISTER];

/// Creates those of [`STORES`] missing from `existing` (schema upgrade).
pub fn create_stores(db: &Database, existing: &[String]) -> indexed_db_futures::Result<()> {
    let missing = |name: &str| !existing.iter().any(|e| e == name);
    if missing(OUTBOX) {
        let outbox =
            db.create_object_store(OUTBOX).with_key_path("seq".into()).with_auto_increment(true).build()?;
        outbox.create_index("by_id", "id".into()).with_unique(true).build()?;
    }
    for name in [ORDERS, PARKED] {
        if missing(name) {
            db.create_object_store(name).with_key_path("id".into()).build()?;
        }
    }
    // The journal is keyed by its seq, so two writers can never both store
    // entry n (the second `add` fails and its transaction stores nothing).
    if missing(JOURNAL) {
        let journal = db.create_object_store(JOURNAL).with_key_path("seq".into()).build()?;
        journal.create_index("by_id", "id".into()).with_unique(true).build()?;
    }
    if missing(PENDING) {
        db.create_object_store(PENDING).with_key_path("key".into()).with_auto_increment(true).build()?;
    }
    if missing(REGISTER) {
        db.create_object_store(REGISTER).build()?;
    }
    Ok(())
}

/// An outbox row: the queue position IndexedDB assigns, the record's id, and
/// the entry in two parts: its head (kind, state, attempts, age: what the
/// status needs, read after every sale) and its body (the record itself,
/// read only to send, export or correct it). Rows written before the split
/// hold the whole entry in `json`; they are read as well.
#[derive(Serialize, Deserialize)]
pub(super) struct OutboxRow {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) seq: Option<u64>,
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    head: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    json: Option<String>,
}

/// An entry without its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub id: Uuid,
    pub kind: PushKind,
    pub depends_on: Option<Uuid>,
    pub state: State,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Head {
    fn of(e: &Entry) -> Self {
        Head {
            id: e.id,
            kind: e.kind,
            depends_on: e.depends_on,
            state: e.state,
            attempts: e.attempts,
            last_error: e.last_error.clone(),
            created_at: e.created_at,
        }
    }

    fn with_body(self, body: String) -> Entry {
        Entry {
            id: self.id,
            kind: self.kind,
            body,
            depends_on: self.depends_on,
            state: self.state,
            attempts: self.attempts,
            last_error: self.last_error,
            created_at: self.created_at,
        }
    }
}

impl OutboxRow {
    pub(super) fn of(seq: Option<u64>, entry: &Entry) -> Result<Self, AppError> {
        Ok(OutboxRow {
            seq,
            id: entry.id.to_string(),
            head: Some(json(&Head::of(entry))?),
            body: Some(entry.body.clone()),
            json: None,
        })
    }

    fn unreadable(&self, e: impl std::fmt::Display) -> String {
        format!("queued record {} is unreadable: {e}", self.id)
    }

    /// The whole entry (the row was read with its body).
    pub(super) fn entry(&self) -> Result<Entry, String> {
        match (&self.head, &self.body, &self.json) {
            (Some(head), Some(body), _) => serde_json::from_str::<Head>(head)
                .map(|h| h.with_body(body.clone()))
                .map_err(|e| self.unreadable(e)),
            (_, _, Some(whole)) => serde_json::from_str(whole).map_err(|e| self.unreadable(e)),
            _ => Err(self.unreadable("it has no entry")),
        }
    }

    /// The head alone (the row may have been read without its body).
    pub(super) fn head(&self) -> Result<Head, String> {
        match (&self.head, &self.json) {
            (Some(head), _) => serde_json::from_str(head).map_err(|e| self.unreadable(e)),
            (None, Some(whole)) => {
                serde_json::from_str::<Entry>(whole).map(|e| Head::of(&e)).map_err(|e| self.unreadable(e))
            }
            (None, None) => Err(self.unreadable("it has no entry")),
        }
    }
}

/// A row of the orders or parked store.
#[derive(Serialize, Deserialize)]
pub(super) struct JsonRow {
    pub(super) id: String,
    pub(super) json: String,
}

impl JsonRow {
    /// The order this row of the orders store holds.
    pub(super) fn order(&self, id: Uuid) -> Result<LocalOrder, AppError> {
        serde_json::from_str(&self.json)
            .map_err(|e| AppError::unreadable(format!("order {id} is unreadable: {e}")))
    }
}

/// What became of an order on its way to the back office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderSync {
    Queued,
    Delivered,
    Attention,
    /// Refused by the back office and voided by staff: it will not be sent.
    Voided,
}

/// A sale or refund as the terminal keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalOrder {
    pub order: Order,
    pub sync: OrderSync,
    pub feedback_portal_url: Option<String>,
    /// The back office's reason, when it refused the order.
    pub problem: Option<String>,
    /// Its receipt as the control unit registered it: set when its journal
    /// entry is sealed. A receipt is never shown without it.
    #[serde(default)]
    pub registration: Option<Registration>,
    /// A training sale (ÖVNING): kept here and journaled, never sent or counted as a sale.
    #[serde(default)]
    pub training: bool,
}

/// What the control unit answered for a receipt, and where its journal entry is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub register_id: String,
    pub control_unit_id: String,
    pub control_code: String,
    pub journal_seq: u64,
}

/// The fields of an outbox row that make its whole entry (old rows: `json`).
pub(super) const WHOLE_ROW: &[&str] = &["seq", "id", "head", "body", "json"];
/// The fields that make its head.
pub(super) const HEAD_ROW: &[&str] = &["seq", "id", "head", "json"];

/// The queued entries of `kind` in full, in queue order: found by their heads,
/// so the bodies of the rest of the outbox are never parsed.
pub(super) async fn entries_of(outbox: &ObjectStore<'_>, kind: PushKind) -> Result<Vec<Entry>, AppError> {
    let found = outbox.get_all::<wasm_bindgen::JsValue>().primitive()?.await?;
    let heads: Vec<OutboxRow> = read_fields(found, HEAD_ROW, OUTBOX)?;
    let mut out = Vec::new();
    for seq in heads.iter().filter(|r| r.head().is_ok_and(|h| h.kind == kind)).filter_map(|r| r.seq) {
        let row: Option<OutboxRow> = outbox.get(seq as f64).serde()?.await?;
        out.extend(row.and_then(|r| r.entry().ok()));
    }
    Ok(out)
}

pub(super) fn json<T: Serialize>(value: &T) -> Result<String, AppError> {
    Ok(serde_json::to_string(value)?)
}

pub(super) fn row(entry: &Entry) -> Result<OutboxRow, AppError> {
    OutboxRow::of(None, entry)
}

/// Commits a transaction that changed the outbox, then tells the other tabs
/// (they show the same status). Every write to the outbox ends here, so no
/// caller can forget to announce it.
pub(super) async fn commit_announced(tx: Transaction<'_>) -> Result<(), AppError> {
    commit(tx).await?;
    tabs::announce();
    Ok(())
}

/// Every record of `store` (orders, parked carts), read back from its JSON text.
pub(super) async fn json_rows<T: serde::de::DeserializeOwned>(
    storage: &Storage,
    store: &str,
) -> Result<Vec<T>, AppError> {
    let rows: Vec<JsonRow> = storage.read_all(store, &["id", "json"]).await?;
    rows.iter()
        .map(|r| {
            serde_json::from_str(&r.json).map_err(|e| {
                AppError::unreadable(format!("a record of {store} ({}) is unreadable: {e}", r.id))
            })
        })
        .collect()
}
