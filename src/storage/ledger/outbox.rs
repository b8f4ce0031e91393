//! What the terminal produces, kept in IndexedDB: completed orders (the sale
//! history), parked carts, the invoice counter and the outbox that carries it
//! all to the back office.
//!
//! Every record enters the outbox in the same strict transaction that stores
//! the thing itself, so a sale the screen calls done is on disk and queued.

use crate::blocks::BlockWriter;
use crate::cached::{store_name, StoredRow};
use crate::error::AppError;
use crate::storage::{read_fields, storage_error, Storage, SESSION};
use chrono::{DateTime, Utc};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use possum_contract::activity::{CashDrawerLog, InvoiceCounter, Order, OrderReceipt};
use possum_contract::customer::{Customer, CustomerChange};
use possum_contract::endpoints::{PullModule, PushKind};
use possum_register::cart::Cart;
use possum_register::drawer::Shift;
use possum_register::outbox::{summary_of, Entry, State, Summary};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

const OUTBOX: &str = "outbox";
const ORDERS: &str = "orders";
const PARKED: &str = "parked";
const COUNTER_KEY: &str = "invoice-counter";
/// The seq of the pending invoice-counter record, which a newer one replaces.
const COUNTER_ENTRY_KEY: &str = "invoice-counter-entry";
const CART_KEY: &str = "cart";
const SHIFT_KEY: &str = "drawer-shift";
/// The ids of the newest orders, newest first: what the sale history shows,
/// kept beside the orders so it never reads them all.
const RECENT_KEY: &str = "recent-orders";
/// How many ids the list keeps (the history shows fewer).
const RECENT_KEEP: usize = 200;

/// The recent-orders list as `tx` sees it. Orders stored before the list
/// existed (or a list that no longer parses) rebuild it from the orders.
async fn recent_ids(tx: &Transaction<'_>) -> Result<Vec<Uuid>, AppError> {
    let saved: Option<String> = tx
        .object_store(SESSION)
        .map_err(storage_error)?
        .get(RECENT_KEY)
        .primitive()
        .map_err(storage_error)?
        .await
        .map_err(storage_error)?;
    if let Some(ids) = saved.and_then(|text| serde_json::from_str(&text).ok()) {
        return Ok(ids);
    }
    let found = tx
        .object_store(ORDERS)
        .map_err(storage_error)?
        .get_all::<wasm_bindgen::JsValue>()
        .primitive()
        .map_err(storage_error)?
        .await
        .map_err(storage_error)?;
    let rows: Vec<JsonRow> = read_fields(found, &["id", "json"], ORDERS)?;
    let mut dated: Vec<(DateTime<Utc>, Uuid)> = rows
        .iter()
        .filter_map(|r| serde_json::from_str::<LocalOrder>(&r.json).ok())
        .map(|o| (o.order.created_at, o.order.id))
        .collect();
    dated.sort_by(|a, b| b.cmp(a));
    Ok(dated.into_iter().map(|(_, id)| id).take(RECENT_KEEP).collect())
}

/// Changes the stored order `id` within `tx` (an order this terminal does not keep is left alone).
async fn update_order(
    tx: &Transaction<'_>,
    id: Uuid,
    change: impl FnOnce(&mut LocalOrder),
) -> Result<(), AppError> {
    let orders = tx.object_store(ORDERS).map_err(storage_error)?;
    let stored: Option<JsonRow> =
        orders.get(id.to_string()).serde().map_err(storage_error)?.await.map_err(storage_error)?;
    let Some(stored) = stored else { return Ok(()) };
    let mut local: LocalOrder = serde_json::from_str(&stored.json).map_err(storage_error)?;
    change(&mut local);
    orders
        .put(JsonRow { id: stored.id, json: json(&local)? })
        .serde()
        .map_err(storage_error)?
        .await
        .map_err(storage_error)?;
    Ok(())
}

/// The last unsent `PostCustomer` record among `entries` for `customer_id`.
fn customer_change_in(entries: impl Iterator<Item = Entry>, customer_id: Uuid) -> Option<Uuid> {
    entries
        .filter(|e| e.kind == PushKind::Customer)
        .filter(|e| {
            serde_json::from_str::<CustomerChange>(&e.body).is_ok_and(|c| c.customer_id == customer_id)
        })
        .last()
        .map(|e| e.id)
}

/// The stores of what the terminal produces.
pub const STORES: [&str; 3] = [OUTBOX, ORDERS, PARKED];

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
    Ok(())
}

/// An outbox row: the queue position IndexedDB assigns, the record's id, and
/// the entry in two parts: its head (kind, state, attempts, age: what the
/// status needs, read after every sale) and its body (the record itself,
/// read only to send, export or correct it). Rows written before the split
/// hold the whole entry in `json`; they are read as well.
#[derive(Serialize, Deserialize)]
struct OutboxRow {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seq: Option<u64>,
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
    fn of(seq: Option<u64>, entry: &Entry) -> Result<Self, AppError> {
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
    fn entry(&self) -> Result<Entry, String> {
        match (&self.head, &self.body, &self.json) {
            (Some(head), Some(body), _) => serde_json::from_str::<Head>(head)
                .map(|h| h.with_body(body.clone()))
                .map_err(|e| self.unreadable(e)),
            (_, _, Some(whole)) => serde_json::from_str(whole).map_err(|e| self.unreadable(e)),
            _ => Err(self.unreadable("it has no entry")),
        }
    }

    /// The head alone (the row may have been read without its body).
    fn head(&self) -> Result<Head, String> {
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
struct JsonRow {
    id: String,
    json: String,
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
}

/// A parked cart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parked {
    pub id: Uuid,
    pub label: String,
    pub cart: Cart,
    pub cashier_name: String,
    pub parked_at: DateTime<Utc>,
}

/// The outbox as read: entries in queue order, and rows that no longer parse
/// (kept, counted as needing attention, never dropped).
#[derive(Debug, Default, Clone)]
pub struct Outbox {
    pub entries: Vec<(u64, Entry)>,
    pub unreadable: Vec<(u64, String)>,
}

impl Outbox {
    pub fn plain(&self) -> Vec<Entry> {
        self.entries.iter().map(|(_, e)| e.clone()).collect()
    }

    pub fn seq_of(&self, id: Uuid) -> Option<u64> {
        self.entries.iter().find(|(_, e)| e.id == id).map(|(s, _)| *s)
    }
}

/// What the status shows of the outbox: every record's head (kind, state,
/// age), and the records that need attention in full, for staff to retry,
/// correct or void. Sending and exporting read the whole outbox instead.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct OutboxView {
    pub heads: Vec<(u64, Head)>,
    pub attention: Vec<(u64, Entry)>,
    pub unreadable: Vec<(u64, String)>,
}

impl OutboxView {
    pub fn summary(&self) -> Summary {
        summary_of(self.heads.iter().map(|(_, h)| (h.kind, h.state, h.created_at)))
    }

    /// The queue position of the newest record shown.
    pub fn last_seq(&self) -> u64 {
        let seqs = self.heads.iter().map(|(s, _)| *s).chain(self.unreadable.iter().map(|(s, _)| *s));
        seqs.max().unwrap_or(0)
    }

    /// This view followed by `newer`, the records queued since it was read.
    /// A new invoice counter replaces a pending older one, as
    /// [`Storage::record_order`] does on disk.
    pub fn followed_by(&mut self, newer: OutboxView) {
        if newer.heads.iter().any(|(_, h)| h.kind == PushKind::InvoiceCounter) {
            self.heads.retain(|(_, h)| !(h.kind == PushKind::InvoiceCounter && h.state == State::Pending));
        }
        self.heads.extend(newer.heads);
        self.attention.extend(newer.attention);
        self.unreadable.extend(newer.unreadable);
    }

    /// Queued records of `kind` (their ids), sent or not.
    pub fn ids_of(&self, kind: PushKind) -> impl Iterator<Item = Uuid> + '_ {
        self.heads.iter().filter(move |(_, h)| h.kind == kind).map(|(_, h)| h.id)
    }
}

/// The fields of an outbox row that make its whole entry (old rows: `json`).
const WHOLE_ROW: &[&str] = &["seq", "id", "head", "body", "json"];
/// The fields that make its head.
const HEAD_ROW: &[&str] = &["seq", "id", "head", "json"];

/// The queued entries of `kind` in full, in queue order: found by their heads,
/// so the bodies of the rest of the outbox are never parsed.
async fn entries_of(
    outbox: &indexed_db_futures::object_store::ObjectStore<'_>,
    kind: PushKind,
) -> Result<Vec<Entry>, AppError> {
    let found = outbox
        .get_all::<wasm_bindgen::JsValue>()
        .primitive()
        .map_err(storage_error)?
        .await
        .map_err(storage_error)?;
    let heads: Vec<OutboxRow> = read_fields(found, HEAD_ROW, OUTBOX)?;
    let mut out = Vec::new();
    for seq in heads.iter().filter(|r| r.head().is_ok_and(|h| h.kind == kind)).filter_map(|r| r.seq) {
        let row: Option<OutboxRow> =
            outbox.get(seq as f64).serde().map_err(storage_error)?.await.map_err(storage_error)?;
        out.extend(row.and_then(|r| r.entry().ok()));
    }
    Ok(out)
}

/// What one flush round changes: entries removed, entries rewritten, orders updated.
#[derive(Debug, Default)]
pub struct Settlement {
    pub remove: Vec<u64>,
    pub update: Vec<(u64, Entry)>,
    pub orders: Vec<(Uuid, OrderSync, Option<OrderReceipt>, Option<String>)>,
}

/// The last invoice number this tablet issued (0 before the first).
async fn last_invoice_number(
    session: &indexed_db_futures::object_store::ObjectStore<'_>,
) -> Result<i64, AppError> {
    let last: Option<String> =
        session.get(COUNTER_KEY).primitive().map_err(storage_error)?.await.map_err(storage_error)?;
    match last {
        Some(text) => text.parse().map_err(|_| {
            AppError::Storage(format!(
                "the invoice counter is unreadable ({text}); sales stop until it is repaired"
            ))
        }),
        None => Ok(0),
    }
}

fn json<T: Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(storage_error)
}

fn row(entry: &Entry) -> Result<OutboxRow, AppError> {
    OutboxRow::of(None, entry)
}

impl Storage {
    fn read(&self, stores: &[&str]) -> Result<Transaction<'_>, AppError> {
        self.db().transaction(stores).build().map_err(storage_error)
    }

    /// Stores a completed order with the next invoice number and queues it, its
    /// `extra` records (a Swish payment…) and the new invoice counter, all in one
    /// strict transaction. Two tabs cannot get the same number: IndexedDB runs
    /// overlapping read-write transactions one after the other.
    pub async fn record_order(
        &self,
        build: impl FnOnce(i64) -> Order,
        sync: OrderSync,
        feedback_portal_url: Option<String>,
        extra: Vec<Entry>,
    ) -> Result<LocalOrder, AppError> {
        let tx = self.readwrite(&[ORDERS, OUTBOX, SESSION])?;
        let session = tx.object_store(SESSION).map_err(storage_error)?;
        let number = last_invoice_number(&session).await? + 1;
        let order = build(number);
        let now = order.created_at;
        let local = LocalOrder { order, sync, feedback_portal_url, problem: None };
        // Read before the order is stored: a list rebuilt from the orders must not hold it yet.
        let mut recent = recent_ids(&tx).await?;
        tx.object_store(ORDERS)
            .map_err(storage_error)?
            .put(JsonRow { id: local.order.id.to_string(), json: json(&local)? })
            .serde()
            .map_err(storage_error)?;
        recent.retain(|id| *id != local.order.id);
        recent.insert(0, local.order.id);
        recent.truncate(RECENT_KEEP);
        session.put(json(&recent)?).with_key(RECENT_KEY).primitive().map_err(storage_error)?;

        let outbox = tx.object_store(OUTBOX).map_err(storage_error)?;
        // A refund is sent after the sale it refunds (the back office checks it
        // against that sale); a sale to a customer created here, after the customer.
        let after = match (local.order.refund_of, local.order.customer_id) {
            (Some(sale), _) => Some(sale),
            (None, Some(customer)) => {
                customer_change_in(entries_of(&outbox, PushKind::Customer).await?.into_iter(), customer)
            }
            (None, None) => None,
        };
        let order_entry = Entry::new(local.order.id, PushKind::Order, json(&local.order)?, after, now);
        for entry in std::iter::once(&order_entry).chain(extra.iter()) {
            outbox.add(row(entry)?).serde().map_err(storage_error)?;
        }
        // Only the newest counter matters: a pending older one is replaced.
        let previous: Option<String> = session
            .get(COUNTER_ENTRY_KEY)
            .primitive()
            .map_err(storage_error)?
            .await
            .map_err(storage_error)?;
        if let Some(seq) = previous.and_then(|s| s.parse::<u64>().ok()) {
            let old: Option<OutboxRow> =
                outbox.get(seq as f64).serde().map_err(storage_error)?.await.map_err(storage_error)?;
            let pending = old.and_then(|r| r.head().ok()).is_some_and(|h| h.state == State::Pending);
            if pending {
                outbox.delete(seq as f64).await.map_err(storage_error)?;
            }
        }
        let counter = InvoiceCounter {
            id: Uuid::new_v4(),
            terminal_id: local.order.terminal_id,
            last_invoice_number: number,
            updated_at: now,
        };
        let counter_entry = Entry::new(counter.id, PushKind::InvoiceCounter, json(&counter)?, None, now);
        let seq: u64 = outbox
            .add(row(&counter_entry)?)
            .with_key_type::<u64>()
            .serde()
            .map_err(storage_error)?
            .await
            .map_err(storage_error)?;
        session.put(number.to_string()).with_key(COUNTER_KEY).await.map_err(storage_error)?;
        session.put(seq.to_string()).with_key(COUNTER_ENTRY_KEY).await.map_err(storage_error)?;
        tx.commit().await.map_err(storage_error)?;
        Ok(local)
    }

    /// Raises the invoice counter to `issued`, the highest number the back
    /// office has seen from this terminal, when the tablet remembers a lower
    /// one (its storage was wiped or restored from an old copy): no number is
    /// ever issued twice. Never lowers it. Answers the counter it replaced.
    pub async fn resume_invoice_numbers(&self, issued: i64) -> Result<Option<i64>, AppError> {
        let tx = self.readwrite(&[SESSION])?;
        let session = tx.object_store(SESSION).map_err(storage_error)?;
        let local = last_invoice_number(&session).await?;
        if issued <= local {
            return Ok(None);
        }
        session.put(issued.to_string()).with_key(COUNTER_KEY).await.map_err(storage_error)?;
        tx.commit().await.map_err(storage_error)?;
        Ok(Some(local))
    }

    /// Queues records that are their own thing (a device log, a customer
    /// change, a cash-drawer event), durably.
    pub async fn enqueue(&self, entries: &[Entry]) -> Result<(), AppError> {
        let tx = self.readwrite(&[OUTBOX])?;
        let outbox = tx.object_store(OUTBOX).map_err(storage_error)?;
        for entry in entries {
            outbox.add(row(entry)?).serde().map_err(storage_error)?.await.map_err(storage_error)?;
        }
        tx.commit().await.map_err(storage_error)
    }

    /// Stores the drawer's new state (`None`: the shift ended) and queues
    /// the event that changed it, in one transaction.
    pub async fn drawer_event(&self, shift: Option<&Shift>, log: &CashDrawerLog) -> Result<(), AppError> {
        let tx = self.readwrite(&[SESSION, OUTBOX])?;
        let session = tx.object_store(SESSION).map_err(storage_error)?;
        match shift {
            Some(shift) => {
                drop(session.put(json(shift)?).with_key(SHIFT_KEY).primitive().map_err(storage_error)?)
            }
            None => drop(session.delete(SHIFT_KEY).primitive().map_err(storage_error)?),
        }
        let entry = Entry::new(log.id, PushKind::CashDrawerLog, json(log)?, None, log.created_at);
        tx.object_store(OUTBOX).map_err(storage_error)?.add(row(&entry)?).serde().map_err(storage_error)?;
        tx.commit().await.map_err(storage_error)
    }

    /// The drawer's shift, while one is open or waiting for its Z report.
    pub async fn shift(&self) -> Result<Option<Shift>, AppError> {
        self.load_value(SHIFT_KEY).await
    }

    /// Caches a customer created at this terminal (so it is found and can buy
    /// at once) and queues its `PostCustomer` record, in one transaction.
    pub async fn create_customer(
        &self,
        customer: &Customer,
        change: &CustomerChange,
    ) -> Result<(), AppError> {
        let customers = store_name(PullModule::Customers);
        let tx = self.readwrite(&[customers, OUTBOX])?;
        let store = tx.object_store(customers).map_err(storage_error)?;
        let mut writer = BlockWriter::new(&store, PullModule::Customers).await?;
        writer.upsert(StoredRow::of(customer).map_err(storage_error)?).await?;
        writer.flush().await?;
        let entry = Entry::new(change.id, PushKind::Customer, json(change)?, None, change.changed_at);
        tx.object_store(OUTBOX).map_err(storage_error)?.add(row(&entry)?).serde().map_err(storage_error)?;
        tx.commit().await.map_err(storage_error)
    }

    /// The queued record that creates or edits `customer_id`, while it is unsent.
    pub async fn pending_customer_change(&self, customer_id: Uuid) -> Result<Option<Uuid>, AppError> {
        let tx = self.read(&[OUTBOX])?;
        let outbox = tx.object_store(OUTBOX).map_err(storage_error)?;
        Ok(customer_change_in(entries_of(&outbox, PushKind::Customer).await?.into_iter(), customer_id))
    }

    /// The whole outbox, bodies included (to send, export or plan with).
    pub async fn outbox(&self) -> Result<Outbox, AppError> {
        let rows: Vec<OutboxRow> = self.read_all(OUTBOX, WHOLE_ROW).await?;
        let mut out = Outbox::default();
        for r in rows {
            let seq = r.seq.unwrap_or_default();
            match r.entry() {
                Ok(entry) => out.entries.push((seq, entry)),
                Err(why) => out.unreadable.push((seq, why)),
            }
        }
        Ok(out)
    }

    /// The outbox as the status shows it: every record's head, and in full
    /// only the records that need attention.
    pub async fn outbox_view(&self) -> Result<OutboxView, AppError> {
        self.view_of(self.read_all(OUTBOX, HEAD_ROW).await?).await
    }

    /// The records queued after position `after`, as [`Self::outbox_view`]
    /// shows them: what a sale just added, read without the rest of the
    /// outbox, so a tablet with thousands queued sells as quickly as an empty one.
    pub async fn outbox_view_after(&self, after: u64) -> Result<OutboxView, AppError> {
        self.view_of(self.read_after(OUTBOX, HEAD_ROW, after).await?).await
    }

    async fn view_of(&self, rows: Vec<OutboxRow>) -> Result<OutboxView, AppError> {
        let mut view = OutboxView::default();
        let mut attention = Vec::new();
        for r in rows {
            let seq = r.seq.unwrap_or_default();
            match r.head() {
                Ok(head) => {
                    if head.state == State::Attention {
                        attention.push(seq);
                    }
                    view.heads.push((seq, head));
                }
                Err(why) => view.unreadable.push((seq, why)),
            }
        }
        if !attention.is_empty() {
            let tx = self.read(&[OUTBOX])?;
            let outbox = tx.object_store(OUTBOX).map_err(storage_error)?;
            for seq in attention {
                let row: Option<OutboxRow> =
                    outbox.get(seq as f64).serde().map_err(storage_error)?.await.map_err(storage_error)?;
                match row.map(|r| r.entry()) {
                    Some(Ok(entry)) => view.attention.push((seq, entry)),
                    Some(Err(why)) => view.unreadable.push((seq, why)),
                    None => {}
                }
            }
        }
        Ok(view)
    }

    /// Applies one flush round in one transaction.
    pub async fn settle(&self, s: Settlement) -> Result<(), AppError> {
        let tx = self.readwrite(&[OUTBOX, ORDERS])?;
        let outbox = tx.object_store(OUTBOX).map_err(storage_error)?;
        for seq in &s.remove {
            outbox.delete(*seq as f64).await.map_err(storage_error)?;
        }
        for (seq, entry) in &s.update {
            outbox
                .put(OutboxRow::of(Some(*seq), entry)?)
                .serde()
                .map_err(storage_error)?
                .await
                .map_err(storage_error)?;
        }
        for (id, sync, receipt, problem) in s.orders {
            update_order(&tx, id, |local| {
                local.sync = sync;
                local.problem = problem;
                if let Some(receipt) = receipt {
                    local.order.token = local.order.token.take().or(receipt.token);
                    local.feedback_portal_url =
                        local.feedback_portal_url.take().or(receipt.feedback_portal_url);
                }
            })
            .await?;
        }
        tx.commit().await.map_err(storage_error)
    }

    /// Puts back a record staff corrected (see `outbox::edited`); an edited
    /// order replaces the terminal's copy too, so history and receipt agree.
    pub async fn replace_entry(&self, seq: u64, entry: &Entry) -> Result<(), AppError> {
        let tx = self.readwrite(&[OUTBOX, ORDERS])?;
        tx.object_store(OUTBOX)
            .map_err(storage_error)?
            .put(OutboxRow::of(Some(seq), entry)?)
            .serde()
            .map_err(storage_error)?;
        if entry.kind == PushKind::Order {
            let order: Order = serde_json::from_str(&entry.body).map_err(storage_error)?;
            update_order(&tx, entry.id, |local| {
                local.order = order;
                local.sync = OrderSync::Queued;
                local.problem = None;
            })
            .await?;
        }
        tx.commit().await.map_err(storage_error)
    }

    /// Takes a refused record out of the outbox for good, queueing `log` (a
    /// device log that carries the record, so the back office still learns of
    /// it); a voided order says so in the history.
    pub async fn void_entry(&self, seq: u64, entry: &Entry, log: &Entry) -> Result<(), AppError> {
        let tx = self.readwrite(&[OUTBOX, ORDERS])?;
        let outbox = tx.object_store(OUTBOX).map_err(storage_error)?;
        outbox.delete(seq as f64).primitive().map_err(storage_error)?;
        outbox.add(row(log)?).serde().map_err(storage_error)?;
        if entry.kind == PushKind::Order {
            let reason = entry.last_error.clone();
            update_order(&tx, entry.id, |local| {
                local.sync = OrderSync::Voided;
                local.problem = reason;
            })
            .await?;
        }
        tx.commit().await.map_err(storage_error)
    }

    /// The `limit` newest orders, newest first (the sale history).
    pub async fn recent_orders(&self, limit: usize) -> Result<Vec<LocalOrder>, AppError> {
        let tx = self.read(&[SESSION, ORDERS])?;
        let ids = recent_ids(&tx).await?;
        let orders = tx.object_store(ORDERS).map_err(storage_error)?;
        // Every request is made before the first answer is awaited: the
        // transaction answers them in one go, not one event-loop turn each.
        let mut requests = Vec::with_capacity(limit);
        for id in ids.into_iter().take(limit) {
            requests.push((id, orders.get(id.to_string()).serde().map_err(storage_error)?));
        }
        let mut out = Vec::with_capacity(requests.len());
        for (id, request) in requests {
            let stored: Option<JsonRow> = request.await.map_err(storage_error)?;
            if let Some(row) = stored {
                out.push(
                    serde_json::from_str(&row.json)
                        .map_err(|e| AppError::Storage(format!("order {id} is unreadable: {e}")))?,
                );
            }
        }
        Ok(out)
    }

    /// Every order kept on this terminal, newest first.
    pub async fn orders(&self) -> Result<Vec<LocalOrder>, AppError> {
        let mut all: Vec<LocalOrder> = self.json_rows(ORDERS).await?;
        all.sort_by_key(|o| std::cmp::Reverse(o.order.created_at));
        Ok(all)
    }

    pub async fn order(&self, id: Uuid) -> Result<Option<LocalOrder>, AppError> {
        let tx = self.read(&[ORDERS])?;
        let stored: Option<JsonRow> = tx
            .object_store(ORDERS)
            .map_err(storage_error)?
            .get(id.to_string())
            .serde()
            .map_err(storage_error)?
            .await
            .map_err(storage_error)?;
        stored
            .map(|r| {
                serde_json::from_str(&r.json)
                    .map_err(|e| AppError::Storage(format!("order {id} is unreadable: {e}")))
            })
            .transpose()
    }

    async fn json_rows<T: serde::de::DeserializeOwned>(&self, store: &str) -> Result<Vec<T>, AppError> {
        let rows: Vec<JsonRow> = self.read_all(store, &["id", "json"]).await?;
        rows.iter()
            .map(|r| {
                serde_json::from_str(&r.json).map_err(|e| {
                    AppError::Storage(format!("a record of {store} ({}) is unreadable: {e}", r.id))
                })
            })
            .collect()
    }

    /// Parks a cart and queues its `PostOpenOrder` record in one transaction.
    pub async fn park(&self, parked: &Parked, record: &Entry) -> Result<(), AppError> {
        let tx = self.readwrite(&[PARKED, OUTBOX, SESSION])?;
        tx.object_store(PARKED)
            .map_err(storage_error)?
            .put(JsonRow { id: parked.id.to_string(), json: json(parked)? })
            .serde()
            .map_err(storage_error)?;
        tx.object_store(OUTBOX).map_err(storage_error)?.add(row(record)?).serde().map_err(storage_error)?;
        tx.object_store(SESSION).map_err(storage_error)?.delete(CART_KEY).await.map_err(storage_error)?;
        tx.commit().await.map_err(storage_error)
    }

    /// Takes a parked cart back (resumed or cancelled) and queues that change.
    pub async fn unpark(&self, id: Uuid, record: &Entry) -> Result<(), AppError> {
        let tx = self.readwrite(&[PARKED, OUTBOX])?;
        tx.object_store(PARKED)
            .map_err(storage_error)?
            .delete(id.to_string())
            .await
            .map_err(storage_error)?;
        tx.object_store(OUTBOX).map_err(storage_error)?.add(row(record)?).serde().map_err(storage_error)?;
        tx.commit().await.map_err(storage_error)
    }

    pub async fn parked(&self) -> Result<Vec<Parked>, AppError> {
        let mut all: Vec<Parked> = self.json_rows(PARKED).await?;
        all.sort_by_key(|p| p.parked_at);
        Ok(all)
    }

    /// The cart being rung up, so a reload or a crash does not lose it.
    pub async fn save_cart(&self, cart: &Cart) -> Result<(), AppError> {
        if cart.is_empty() && cart.customer.is_none() {
            self.remove_value(CART_KEY).await
        } else {
            self.save_value(CART_KEY, cart).await
        }
    }

    pub async fn load_cart(&self) -> Result<Option<Cart>, AppError> {
        self.load_value(CART_KEY).await
    }

    pub async fn clear_cart(&self) -> Result<(), AppError> {
        self.remove_value(CART_KEY).await
    }
}
