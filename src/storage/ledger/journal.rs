//! The journal on the tablet: events waiting to be journaled (`journal_pending`,
//! in the order they happened) and the sealed entries (`journal`, by seq),
//! each queued for `PostJournal` in the transaction that seals it.
//!
//! Sealing is two steps because the control unit's signature is asynchronous
//! (Web Crypto) and an IndexedDB transaction cannot wait on it: the event is
//! kept pending first (a sale's in the sale's own transaction), then signed
//! outside any transaction, then sealed in one transaction that checks the
//! event is still pending, reads the head, appends, queues, and takes the
//! event off the pending list. A crash before the seal leaves it pending (it
//! is sealed at the next start); a second sealer finds it gone and stops; and
//! the journal's key is the seq, so two writers can never store one seq twice.

use super::records::{
    commit_announced, json, row, update_order, Registration, JOURNAL, ORDERS, OUTBOX, PENDING, REGISTER,
};
use super::register::{head_in, issued_in, put_head};
use crate::error::AppError;
use crate::storage::db::{read_fields, Storage};
use chrono::Utc;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use indexed_db_futures::KeyRange;
use possum_contract::endpoints::PushKind;
use possum_contract::journal::{JournalEntry, JournalKind};
use possum_register::journal::events::Pending;
use possum_register::outbox::Entry;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::JsValue;

/// A pending event as stored: its place in line, its id, its JSON.
#[derive(Serialize, Deserialize)]
struct PendingRow {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<u64>,
    id: String,
    json: String,
}

/// A journal entry as stored: its seq (the key), its id, its JSON text
/// (the wire form, so its data hashes the same on both sides).
#[derive(Serialize, Deserialize)]
struct JournalRow {
    seq: u64,
    id: String,
    json: String,
}

/// A journal row's key and id, read without its entry.
#[derive(Deserialize)]
struct EntryKey {
    seq: u64,
    id: String,
}

impl JournalRow {
    fn entry(&self) -> Result<JournalEntry, AppError> {
        serde_json::from_str(&self.json)
            .map_err(|e| AppError::unreadable(format!("journal entry {} is unreadable: {e}", self.seq)))
    }
}

/// Puts `pending` in line within `tx` (the transaction of what it records).
pub(super) fn queue_pending(tx: &Transaction<'_>, pending: &Pending) -> Result<(), AppError> {
    let row = PendingRow { key: None, id: pending.id.to_string(), json: json(pending)? };
    tx.object_store(PENDING)?.add(row).serde()?;
    Ok(())
}

/// What a seal did.
#[derive(Debug, Clone, PartialEq)]
pub enum Sealed {
    /// The event's entries, now in the journal and the outbox.
    Entries(Vec<JournalEntry>),
    /// The event was no longer pending: another tab or an earlier attempt sealed it.
    Gone,
}

/// An event made ready to seal: its entries' kinds and data (the first one
/// carries the control code), and the register it was prepared for.
pub struct Ready<'a> {
    pub key: u64,
    pub pending: &'a Pending,
    pub register_id: &'a str,
    pub control_unit_id: &'a str,
    pub entries: Vec<(Uuid, JournalKind, serde_json::Value)>,
    pub control_code: Option<String>,
}

impl Storage {
    /// Keeps `pending` in line to be journaled, in a transaction of its own.
    pub async fn add_pending(&self, pending: &Pending) -> Result<(), AppError> {
        let tx = self.readwrite(&[PENDING])?;
        queue_pending(&tx, pending)?;
        crate::storage::db::commit(tx).await
    }

    /// The events waiting to be journaled, oldest first, with their keys.
    pub async fn pending_events(&self) -> Result<Vec<(u64, Pending)>, AppError> {
        let rows: Vec<PendingRow> = self.read_all(PENDING, &["key", "id", "json"]).await?;
        rows.into_iter()
            .map(|r| {
                let pending = serde_json::from_str(&r.json).map_err(|e| {
                    AppError::unreadable(format!(
                        "a register event waiting to be journaled ({}) is unreadable: {e}",
                        r.id
                    ))
                })?;
                Ok((r.key.unwrap_or_default(), pending))
            })
            .collect()
    }

    /// Seals `ready` onto the chain: see the module's words. An event no
    /// longer pending changes nothing ([`Sealed::Gone`]); a head of another
    /// register than it was prepared for (enrolled again meanwhile) is an error
    /// and changes nothing, so it is prepared again.
    pub async fn seal(&self, ready: Ready<'_>) -> Result<Sealed, AppError> {
        let tx = self.readwrite(&[PENDING, JOURNAL, REGISTER, OUTBOX, ORDERS])?;
        let pending = tx.object_store(PENDING)?;
        let still: Option<JsValue> = pending.get(ready.key as f64).primitive()?.await?;
        if still.is_none_or(|v| v.is_undefined()) {
            return Ok(Sealed::Gone);
        }
        let head = head_in(&tx).await?.filter(|h| h.register_id == ready.register_id);
        let issued = issued_in(&tx).await?.filter(|r| r.register_id == ready.register_id);
        let (Some(mut head), Some(_)) = (head, issued) else {
            return Err(AppError::Invalid(format!(
                "The register changed while an event was being journaled for register {}; it is journaled again.",
                ready.register_id
            )));
        };
        let journal = tx.object_store(JOURNAL)?;
        let outbox = tx.object_store(OUTBOX)?;
        let now = Utc::now();
        let mut sealed = Vec::with_capacity(ready.entries.len());
        let mut code = ready.control_code.clone();
        for (id, kind, data) in ready.entries {
            let entry = head.append(id, now, kind, data, code.take());
            let text = json(&entry)?;
            journal
                .add(JournalRow { seq: entry.seq, id: entry.id.to_string(), json: text.clone() })
                .serde()?;
            outbox.add(row(&Entry::new(entry.id, PushKind::Journal, text, None, now))?).serde()?;
            sealed.push(entry);
        }
        put_head(&tx, &head)?;
        if let (true, Some(order), Some(first)) =
            (ready.pending.codes_its_order(), ready.pending.order(), sealed.first())
        {
            let registration = Registration {
                register_id: ready.register_id.to_string(),
                control_unit_id: ready.control_unit_id.to_string(),
                control_code: first.control_code.clone().unwrap_or_default(),
                journal_seq: first.seq,
            };
            update_order(&tx, order.id, |local| local.registration = Some(registration)).await?;
        }
        pending.delete(ready.key as f64).primitive()?;
        commit_announced(tx).await?;
        Ok(Sealed::Entries(sealed))
    }

    /// The journal's entries after `seq`, in order (the day's, after the last Z report's).
    pub async fn journal_after(&self, seq: u64) -> Result<Vec<JournalEntry>, AppError> {
        let rows: Vec<JournalRow> = self.read_after(JOURNAL, &["seq", "id", "json"], seq).await?;
        rows.iter().map(JournalRow::entry).collect()
    }

    /// The entry `id` (an event's, by the event's id), once sealed.
    pub async fn journal_entry(&self, id: Uuid) -> Result<Option<JournalEntry>, AppError> {
        let tx = self.read(&[JOURNAL])?;
        let found: Option<JournalRow> =
            tx.object_store(JOURNAL)?.index("by_id")?.get(id.to_string()).serde()?.await?;
        found.map(|r| r.entry()).transpose()
    }

    /// Forgets entries up to `seq` that the back office has (no longer in the
    /// outbox): the tablet keeps its journal until the back office has it, and
    /// the day's entries for its reports. Answers how many it forgot.
    pub async fn prune_journal(&self, seq: u64) -> Result<u32, AppError> {
        if seq == 0 {
            return Ok(0);
        }
        let tx = self.readwrite(&[JOURNAL, OUTBOX])?;
        let journal = tx.object_store(JOURNAL)?;
        let up_to = KeyRange::UpperBound(seq as f64, false);
        let found = journal.get_all::<JsValue>().with_query::<f64, _>(up_to).primitive()?.await?;
        let rows: Vec<EntryKey> = read_fields(found, &["seq", "id"], JOURNAL)?;
        let outbox = tx.object_store(OUTBOX)?;
        let by_id = outbox.index("by_id")?;
        let mut forgotten = 0;
        for r in rows {
            if by_id.count().with_query(r.id.as_str()).await? == 0 {
                journal.delete(r.seq as f64).primitive()?;
                forgotten += 1;
            }
        }
        crate::storage::db::commit(tx).await?;
        Ok(forgotten)
    }
}
