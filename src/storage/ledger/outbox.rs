//! The outbox: every record the back office has yet to hear of, in queue
//! order. The status reads heads only; sending, exporting and correcting
//! read whole entries. A flush round settles in one transaction.

use super::records::{
    commit_announced, customer_change_in, entries_of, row, update_order, OrderSync, OutboxRow, HEAD_ROW,
    ORDERS, OUTBOX, WHOLE_ROW,
};
use crate::error::AppError;
use crate::storage::db::Storage;
use indexed_db_futures::prelude::*;
use possum_contract::activity::{Order, OrderReceipt};
use possum_contract::endpoints::PushKind;
use possum_register::outbox::{summary_of, Entry, State, Summary};
use uuid::Uuid;

pub use super::records::Head;

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

/// What one flush round changes: entries removed, entries rewritten, orders updated.
#[derive(Debug, Default)]
pub struct Settlement {
    pub remove: Vec<u64>,
    pub update: Vec<(u64, Entry)>,
    pub orders: Vec<(Uuid, OrderSync, Option<OrderReceipt>, Option<String>)>,
}

impl Settlement {
    /// `entry` (at `seq`) reached the back office; an order keeps the
    /// receipt the answer gave it (its wash token).
    pub fn delivered(&mut self, seq: u64, entry: &Entry, receipt: Option<OrderReceipt>) {
        self.remove.push(seq);
        if entry.kind == PushKind::Order {
            self.orders.push((entry.id, OrderSync::Delivered, receipt, None));
        }
    }

    /// `entry` was refused: it needs attention, with the back office's
    /// reason (an order's history says so too).
    pub fn refused(&mut self, seq: u64, mut entry: Entry, reason: String) {
        if entry.kind == PushKind::Order {
            self.orders.push((entry.id, OrderSync::Attention, None, Some(reason.clone())));
        }
        entry.state = State::Attention;
        entry.last_error = Some(reason);
        self.update.push((seq, entry));
    }

    /// `entry` goes again with the next flush; `why` is what staff read meanwhile.
    pub fn again(&mut self, seq: u64, mut entry: Entry, why: String) {
        entry.attempts += 1;
        entry.last_error = Some(why);
        self.update.push((seq, entry));
    }
}

impl Storage {
    /// Queues records that are their own thing (a device log, a customer
    /// change, a cash-drawer event), durably.
    pub async fn enqueue(&self, entries: &[Entry]) -> Result<(), AppError> {
        let tx = self.readwrite(&[OUTBOX])?;
        let outbox = tx.object_store(OUTBOX)?;
        for entry in entries {
            outbox.add(row(entry)?).serde()?.await?;
        }
        commit_announced(tx).await
    }

    /// The queued record that creates or edits `customer_id`, while it is unsent.
    pub async fn pending_customer_change(&self, customer_id: Uuid) -> Result<Option<Uuid>, AppError> {
        let tx = self.read(&[OUTBOX])?;
        let outbox = tx.object_store(OUTBOX)?;
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
            let outbox = tx.object_store(OUTBOX)?;
            for seq in attention {
                let row: Option<OutboxRow> = outbox.get(seq as f64).serde()?.await?;
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
        let outbox = tx.object_store(OUTBOX)?;
        for seq in &s.remove {
            outbox.delete(*seq as f64).await?;
        }
        for (seq, entry) in &s.update {
            outbox.put(OutboxRow::of(Some(*seq), entry)?).serde()?.await?;
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
        commit_announced(tx).await
    }

    /// Puts back a record staff corrected (see `outbox::edited`); an edited
    /// order replaces the terminal's copy too, so history and receipt agree.
    pub async fn replace_entry(&self, seq: u64, entry: &Entry) -> Result<(), AppError> {
        let tx = self.readwrite(&[OUTBOX, ORDERS])?;
        tx.object_store(OUTBOX)?.put(OutboxRow::of(Some(seq), entry)?).serde()?;
        if entry.kind == PushKind::Order {
            let order: Order = serde_json::from_str(&entry.body).map_err(|e| {
                AppError::unreadable(format!("the corrected record {} is unreadable: {e}", entry.id))
            })?;
            update_order(&tx, entry.id, |local| {
                local.order = order;
                local.sync = OrderSync::Queued;
                local.problem = None;
            })
            .await?;
        }
        commit_announced(tx).await
    }

    /// Takes a refused record out of the outbox for good, queueing `log` (a
    /// device log that carries the record, so the back office still learns of
    /// it); a voided order says so in the history.
    pub async fn void_entry(&self, seq: u64, entry: &Entry, log: &Entry) -> Result<(), AppError> {
        let tx = self.readwrite(&[OUTBOX, ORDERS])?;
        let outbox = tx.object_store(OUTBOX)?;
        outbox.delete(seq as f64).primitive()?;
        outbox.add(row(log)?).serde()?;
        if entry.kind == PushKind::Order {
            let reason = entry.last_error.clone();
            update_order(&tx, entry.id, |local| {
                local.sync = OrderSync::Voided;
                local.problem = reason;
            })
            .await?;
        }
        commit_announced(tx).await
    }
}
