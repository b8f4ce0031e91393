//! Completed orders (the sale history, read through a list of the newest)
//! and the invoice counter: a sale is numbered, stored and queued in one
//! strict transaction.

use super::journal::queue_pending;
use super::records::{
    commit_announced, customer_change_in, entries_of, json, json_rows, row, JsonRow, LocalOrder, OrderSync,
    OutboxRow, ORDERS, OUTBOX, PENDING, REGISTER,
};
use super::register::{issued_in, COUNTER_KEY};
use crate::error::AppError;
use crate::storage::db::{commit, read_fields, Storage};
use crate::storage::reserve::{self, RESERVE};
use crate::storage::values::VALUES;
use chrono::{DateTime, Utc};
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use possum_contract::activity::{InvoiceCounter, Order};
use possum_contract::endpoints::PushKind;
use possum_contract::settings::TerminalSettings;
use possum_register::journal::events::Pending;
use possum_register::outbox::{Entry, State};
use possum_register::token_reserve;
use uuid::Uuid;

/// The seq of the pending invoice-counter record, which a newer one replaces.
const COUNTER_ENTRY_KEY: &str = "invoice-counter-entry";
/// The ids of the newest orders, newest first: what the sale history shows,
/// kept beside the orders so it never reads them all.
const RECENT_KEY: &str = "recent-orders";
/// How many ids the list keeps (the history shows fewer).
const RECENT_KEEP: usize = 200;

/// The recent-orders list as `tx` sees it. Orders stored before the list
/// existed (or a list that no longer parses) rebuild it from the orders.
async fn recent_ids(tx: &Transaction<'_>) -> Result<Vec<Uuid>, AppError> {
    let saved: Option<String> = tx.object_store(VALUES)?.get(RECENT_KEY).primitive()?.await?;
    if let Some(ids) = saved.and_then(|text| serde_json::from_str(&text).ok()) {
        return Ok(ids);
    }
    let found = tx.object_store(ORDERS)?.get_all::<wasm_bindgen::JsValue>().primitive()?.await?;
    let rows: Vec<JsonRow> = read_fields(found, &["id", "json"], ORDERS)?;
    let mut dated: Vec<(DateTime<Utc>, Uuid)> = rows
        .iter()
        .filter_map(|r| serde_json::from_str::<LocalOrder>(&r.json).ok())
        .filter(|o| !o.training)
        .map(|o| (o.order.created_at, o.order.id))
        .collect();
    dated.sort_by(|a, b| b.cmp(a));
    Ok(dated.into_iter().map(|(_, id)| id).take(RECENT_KEEP).collect())
}

/// Why a tablet that is not a register yet cannot issue a receipt.
pub const NOT_A_REGISTER: &str = "This tablet is not a register yet: it needs the back office once, to be issued its register id, before it can issue receipts. Connect it and press Sync now.";

/// How [`Storage::record_order`] and its kin record an order.
struct Recording<'a> {
    sync: OrderSync,
    feedback_portal_url: Option<String>,
    extra: Vec<Entry>,
    /// The settings, for a sale that takes a wash token from the reserve.
    tokens: Option<&'a TerminalSettings>,
    training: bool,
}

/// The last invoice number this tablet issued (0 before the first).
async fn last_invoice_number(session: &ObjectStore<'_>) -> Result<i64, AppError> {
    let last: Option<String> = session.get(COUNTER_KEY).primitive()?.await?;
    match last {
        Some(text) => text.parse().map_err(|_| {
            AppError::unreadable(format!(
                "the invoice counter is unreadable ({text}); sales stop until it is repaired"
            ))
        }),
        None => Ok(0),
    }
}

impl Storage {
    /// Stores a completed order with the next invoice number and queues it, its
    /// `extra` records (a Swish payment…) and the new invoice counter, all in one
    /// strict transaction. Two tabs cannot get the same number: IndexedDB runs
    /// overlapping read-write transactions one after the other.
    ///
    /// On a tablet that is a register (enrolled), the number is the next of
    /// the register's receipt series, the order names the register, and its
    /// receipt waits in the same transaction to be journaled (signed by the
    /// control unit and sealed onto the chain: `sync::journal`), so a sale
    /// stored is a receipt that will be registered, even across a crash.
    pub async fn record_order(
        &self,
        build: impl FnOnce(i64) -> Order,
        sync: OrderSync,
        feedback_portal_url: Option<String>,
        extra: Vec<Entry>,
    ) -> Result<LocalOrder, AppError> {
        let how = Recording { sync, feedback_portal_url, extra, tokens: None, training: false };
        self.record(build, how).await
    }

    /// [`Self::record_order`] for a sale: a wash that carries no token from
    /// `api/Sale` takes one from the wash-token reserve
    /// (`token_reserve::wanted`) in the same transaction, so the set is
    /// taken exactly when the order is stored, once, whatever other tabs do.
    /// With the reserve empty the order goes without one (the back office
    /// issues it when the order arrives).
    pub async fn record_sale(
        &self,
        build: impl FnOnce(i64) -> Order,
        sync: OrderSync,
        feedback_portal_url: Option<String>,
        extra: Vec<Entry>,
        settings: &TerminalSettings,
    ) -> Result<LocalOrder, AppError> {
        let how = Recording { sync, feedback_portal_url, extra, tokens: Some(settings), training: false };
        self.record(build, how).await
    }

    /// A training sale (ÖVNING): numbered in the register's series and
    /// journaled as `Training`, kept for the history, but never queued as an
    /// order: nothing is charged, sent or counted as a sale, and it takes no
    /// wash token.
    pub async fn record_training(&self, build: impl FnOnce(i64) -> Order) -> Result<LocalOrder, AppError> {
        let how = Recording {
            sync: OrderSync::Voided,
            feedback_portal_url: None,
            extra: vec![],
            tokens: None,
            training: true,
        };
        self.record(build, how).await
    }

    async fn record(
        &self,
        build: impl FnOnce(i64) -> Order,
        how: Recording<'_>,
    ) -> Result<LocalOrder, AppError> {
        let Recording { sync, feedback_portal_url, extra, tokens, training } = how;
        // A database still at an old version (only a test opens one) has no register stores.
        let registers = self.store_names().iter().any(|s| s == REGISTER);
        let mut stores = vec![ORDERS, OUTBOX, VALUES];
        if registers {
            stores.extend([REGISTER, PENDING]);
        }
        if tokens.is_some() {
            stores.push(RESERVE);
        }
        let tx = self.readwrite(&stores)?;
        let register = if registers { issued_in(&tx).await? } else { None };
        if training && register.is_none() {
            return Err(AppError::Invalid(NOT_A_REGISTER.into()));
        }
        let session = tx.object_store(VALUES)?;
        let number = last_invoice_number(&session).await? + 1;
        let mut order = build(number);
        if let Some(register) = &register {
            order.register_id = Some(register.register_id.clone());
        }
        if let Some(program) = tokens.and_then(|s| token_reserve::wanted(&order, s)) {
            order.token = reserve::take(&tx, program, order.id).await?;
        }
        let now = order.created_at;
        let problem =
            training.then(|| "A training sale (ÖVNING): never sent, never counted as a sale.".into());
        let local = LocalOrder { order, sync, feedback_portal_url, problem, registration: None, training };
        // Read before the order is stored: a list rebuilt from the orders must not hold it yet.
        let mut recent = recent_ids(&tx).await?;
        tx.object_store(ORDERS)?
            .put(JsonRow { id: local.order.id.to_string(), json: json(&local)? })
            .serde()?;
        // A training sale stays out of the history, the drawer's cash and the
        // offers' counts: it is kept only to be registered and shown.
        if !training {
            recent.retain(|id| *id != local.order.id);
            recent.insert(0, local.order.id);
            recent.truncate(RECENT_KEEP);
            session.put(json(&recent)?).with_key(RECENT_KEY).primitive()?;
        }

        let outbox = tx.object_store(OUTBOX)?;
        if !training {
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
                outbox.add(row(entry)?).serde()?;
            }
        }
        if register.is_some() {
            queue_pending(&tx, &Pending::receipt(&local.order, false, training, now))?;
        }
        // Only the newest counter matters: a pending older one is replaced.
        let previous: Option<String> = session.get(COUNTER_ENTRY_KEY).primitive()?.await?;
        if let Some(seq) = previous.and_then(|s| s.parse::<u64>().ok()) {
            let old: Option<OutboxRow> = outbox.get(seq as f64).serde()?.await?;
            let pending = old.and_then(|r| r.head().ok()).is_some_and(|h| h.state == State::Pending);
            if pending {
                outbox.delete(seq as f64).await?;
            }
        }
        let counter = InvoiceCounter {
            id: Uuid::new_v4(),
            terminal_id: local.order.terminal_id,
            last_invoice_number: number,
            updated_at: now,
        };
        let counter_entry = Entry::new(counter.id, PushKind::InvoiceCounter, json(&counter)?, None, now);
        let seq: u64 = outbox.add(row(&counter_entry)?).with_key_type::<u64>().serde()?.await?;
        session.put(number.to_string()).with_key(COUNTER_KEY).await?;
        session.put(seq.to_string()).with_key(COUNTER_ENTRY_KEY).await?;
        commit_announced(tx).await?;
        Ok(local)
    }

    /// Raises the invoice counter to `issued`, the highest number the back
    /// office has seen from this terminal, when the tablet remembers a lower
    /// one (its storage was wiped or restored from an old copy): no number is
    /// ever issued twice. Never lowers it. Answers the counter it replaced.
    pub async fn resume_invoice_numbers(&self, issued: i64) -> Result<Option<i64>, AppError> {
        let tx = self.readwrite(&[VALUES])?;
        let session = tx.object_store(VALUES)?;
        let local = last_invoice_number(&session).await?;
        if issued <= local {
            return Ok(None);
        }
        session.put(issued.to_string()).with_key(COUNTER_KEY).await?;
        commit(tx).await?;
        Ok(Some(local))
    }

    /// The orders still in the outbox, in queue order: what this terminal
    /// sold or refunded that the back office has not seen yet. (A body that
    /// no longer reads is left out here; the outbox lists it for staff.)
    pub async fn unsent_orders(&self) -> Result<Vec<Order>, AppError> {
        let tx = self.read(&[OUTBOX])?;
        let outbox = tx.object_store(OUTBOX)?;
        let entries = entries_of(&outbox, PushKind::Order).await?;
        Ok(entries.iter().filter_map(|e| serde_json::from_str(&e.body).ok()).collect())
    }

    /// The `limit` newest orders, newest first (the sale history).
    pub async fn recent_orders(&self, limit: usize) -> Result<Vec<LocalOrder>, AppError> {
        let tx = self.read(&[VALUES, ORDERS])?;
        let ids = recent_ids(&tx).await?;
        let orders = tx.object_store(ORDERS)?;
        // Every request is made before the first answer is awaited: the
        // transaction answers them in one go, not one event-loop turn each.
        let mut requests = Vec::with_capacity(limit);
        for id in ids.into_iter().take(limit) {
            requests.push((id, orders.get(id.to_string()).serde()?));
        }
        let mut out = Vec::with_capacity(requests.len());
        for (id, request) in requests {
            let stored: Option<JsonRow> = request.await?;
            if let Some(row) = stored {
                out.push(row.order(id)?);
            }
        }
        Ok(out)
    }

    /// Every order kept on this terminal, newest first (training sales are no orders).
    pub async fn orders(&self) -> Result<Vec<LocalOrder>, AppError> {
        let mut all: Vec<LocalOrder> = json_rows(self, ORDERS).await?;
        all.retain(|o| !o.training);
        all.sort_by_key(|o| std::cmp::Reverse(o.order.created_at));
        Ok(all)
    }

    pub async fn order(&self, id: Uuid) -> Result<Option<LocalOrder>, AppError> {
        let tx = self.read(&[ORDERS])?;
        let stored: Option<JsonRow> = tx.object_store(ORDERS)?.get(id.to_string()).serde()?.await?;
        stored.map(|r| r.order(id)).transpose()
    }
}

impl Storage {
    /// The `limit` newest orders, newest first, and whether older ones are
    /// stored (the sale history's "Show older"). Within the recent-orders
    /// list this reads only the orders shown; past it, every order.
    pub async fn order_history(&self, limit: usize) -> Result<(Vec<LocalOrder>, bool), AppError> {
        let mut orders =
            if limit < RECENT_KEEP { self.recent_orders(limit + 1).await? } else { self.orders().await? };
        let more = orders.len() > limit;
        orders.truncate(limit);
        Ok((orders, more))
    }
}
