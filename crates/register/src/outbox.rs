//! The outbox's rules, without the storage: what to send next, what an answer
//! means for each record, how long to wait after a failure.
//!
//! The flush sends one batch of one kind at a time, in the seed's order
//! (`PushKind::ALL`), then plans again from the top. A record that depends on
//! another unsent record (a Swish payment on its order, an order on the
//! customer created for it) waits for it; everything else goes ahead, so one
//! rejected record holds back only what needs it.

use chrono::{DateTime, Utc};
use possum_contract::activity::PushResponse;
use possum_contract::endpoints::{PushKind, MAX_PUSH_BATCH};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    /// Waiting to be sent (or re-sent after a transient failure).
    Pending,
    /// Refused by the back office for good; staff must retry, edit or void it.
    Attention,
}

/// One queued record, as the terminal stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: Uuid,
    pub kind: PushKind,
    /// The record as its endpoint takes it (contract JSON).
    pub body: String,
    pub depends_on: Option<Uuid>,
    pub state: State,
    pub attempts: u32,
    /// The last failure or the back office's reason for refusing it.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Entry {
    pub fn new(id: Uuid, kind: PushKind, body: String, depends_on: Option<Uuid>, now: DateTime<Utc>) -> Self {
        Self {
            id,
            kind,
            body,
            depends_on,
            state: State::Pending,
            attempts: 0,
            last_error: None,
            created_at: now,
        }
    }
}

// Read from the text, not the parsed value: the terminal then carries one
// deserializer per kind (the one reading stored records), not two.
fn check<T: serde::de::DeserializeOwned + Serialize>(body: &str) -> Result<String, String> {
    let record: T =
        serde_json::from_str(body).map_err(|e| format!("The record does not read as its kind: {e}."))?;
    serde_json::to_string(&record).map_err(|e| e.to_string())
}

/// A record staff corrected by hand: it must read as its kind (the
/// contract's own rules, unknown fields refused) and keep its `Id`, since
/// the back office stores each id once. It goes back to pending.
pub fn edited(entry: &Entry, body: &str) -> Result<Entry, String> {
    use possum_contract::activity::*;
    use possum_contract::customer::CustomerChange;
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("That is not valid JSON: {e}."))?;
    if value.get("Id").and_then(|v| v.as_str()).and_then(|v| v.parse::<Uuid>().ok()) != Some(entry.id) {
        return Err(format!(
            "The Id must stay {}: the back office knows the record by it. Void the record instead.",
            entry.id
        ));
    }
    let body = match entry.kind {
        PushKind::OpenOrder => check::<OpenOrder>(body),
        PushKind::Order => check::<Order>(body),
        PushKind::SwishPayment => check::<SwishPayment>(body),
        PushKind::InvoiceCounter => check::<InvoiceCounter>(body),
        PushKind::CashDrawerLog => check::<CashDrawerLog>(body),
        PushKind::Customer => check::<CustomerChange>(body),
        PushKind::DeviceLog => check::<DeviceLog>(body),
        PushKind::EmployeeLog => check::<EmployeeLog>(body),
        PushKind::Journal => check::<possum_contract::journal::JournalEntry>(body),
    }?;
    Ok(Entry { body, state: State::Pending, attempts: 0, last_error: None, ..entry.clone() })
}

/// Everything not yet at the back office, for staff to save to a file when a
/// tablet must be replaced or a record cannot be sent: each record with its
/// state, its last error and its body as the endpoint takes it.
pub fn export(
    terminal_id: Uuid,
    entries: &[(u64, Entry)],
    unreadable: &[(u64, String)],
    now: DateTime<Utc>,
) -> serde_json::Value {
    let records: Vec<serde_json::Value> = entries
        .iter()
        .map(|(seq, e)| {
            let body = serde_json::from_str::<serde_json::Value>(&e.body).unwrap_or_else(|_| serde_json::Value::String(e.body.clone()));
            serde_json::json!({
                "Seq": seq, "Kind": e.kind, "Endpoint": e.kind.path(), "Id": e.id, "State": e.state,
                "Attempts": e.attempts, "LastError": e.last_error, "CreatedAt": e.created_at, "DependsOn": e.depends_on, "Body": body,
            })
        })
        .collect();
    let unreadable: Vec<serde_json::Value> =
        unreadable.iter().map(|(seq, why)| serde_json::json!({ "Seq": seq, "Problem": why })).collect();
    serde_json::json!({ "TerminalId": terminal_id, "ExportedAt": now, "Records": records, "Unreadable": unreadable })
}

/// The next batch to send: the first kind in the seed's order that has
/// pending records free of unsent dependencies, up to `limit` of them, oldest
/// first. `entries` is in queue order.
pub fn next_batch(entries: &[Entry], limit: usize) -> Option<(PushKind, Vec<&Entry>)> {
    let unsent: HashSet<Uuid> = entries.iter().map(|e| e.id).collect();
    let limit = limit.clamp(1, MAX_PUSH_BATCH);
    PushKind::ALL.into_iter().find_map(|kind| {
        let batch: Vec<&Entry> = entries
            .iter()
            .filter(|e| {
                e.kind == kind
                    && e.state == State::Pending
                    && e.depends_on.is_none_or(|d| !unsent.contains(&d))
            })
            .take(limit)
            .collect();
        (!batch.is_empty()).then_some((kind, batch))
    })
}

/// What a 200 answer means for each record of the batch.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Settled {
    /// Stored by the back office: remove from the outbox.
    pub delivered: Vec<Uuid>,
    /// Refused for good: needs attention, with the reason.
    pub rejected: Vec<(Uuid, String)>,
    /// Not named in the answer: stays pending and is sent again.
    pub unanswered: Vec<Uuid>,
}

pub fn settle(sent: &[Uuid], answer: &PushResponse) -> Settled {
    let mut out = Settled::default();
    for id in sent {
        if answer.acknowledged.contains(id) {
            out.delivered.push(*id);
        } else if let Some(r) = answer.rejected.iter().find(|r| r.id == *id) {
            let reason = match r.application_error_code {
                Some(code) => format!("{} ({code})", r.message),
                None => r.message.clone(),
            };
            out.rejected.push((*id, reason));
        } else {
            out.unanswered.push(*id);
        }
    }
    out
}

/// What a failed request means for the flush.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Network, timeout, 408, 429, 5xx: wait and send the same again.
    Transient,
    /// 401: stop until the terminal is signed in again.
    Unauthorized,
    /// Any other answer: the request itself is refused. A batch of several is
    /// split and sent one by one, so only the bad record needs attention.
    Permanent,
}

/// `status` is `None` when no answer arrived at all.
pub fn classify(status: Option<u16>) -> Failure {
    match status {
        None | Some(408) | Some(425) | Some(429) | Some(500..=599) => Failure::Transient,
        Some(401) => Failure::Unauthorized,
        Some(_) => Failure::Permanent,
    }
}

/// How many records of a kind wait, and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCount {
    pub kind: PushKind,
    pub pending: usize,
    pub attention: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub kinds: Vec<KindCount>,
    pub pending: usize,
    pub attention: usize,
    pub oldest_pending: Option<DateTime<Utc>>,
}

pub fn summary(entries: &[Entry]) -> Summary {
    summary_of(entries.iter().map(|e| (e.kind, e.state, e.created_at)))
}

/// The summary of records known by their kind, state and age alone (no body needed).
pub fn summary_of(records: impl IntoIterator<Item = (PushKind, State, DateTime<Utc>)>) -> Summary {
    let mut counts: Vec<(PushKind, usize, usize)> = PushKind::ALL.iter().map(|k| (*k, 0, 0)).collect();
    let mut s = Summary::default();
    for (kind, state, at) in records {
        let Some(count) = counts.iter_mut().find(|(k, _, _)| *k == kind) else { continue };
        match state {
            State::Pending => {
                count.1 += 1;
                s.oldest_pending = Some(s.oldest_pending.map_or(at, |oldest: DateTime<Utc>| oldest.min(at)));
            }
            State::Attention => count.2 += 1,
        }
    }
    for (kind, pending, attention) in counts {
        if pending + attention > 0 {
            s.kinds.push(KindCount { kind, pending, attention });
        }
        s.pending += pending;
        s.attention += attention;
    }
    s
}

/// "3 min" for the status area.
pub fn age(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - since).num_seconds().max(0);
    match seconds {
        0..60 => format!("{seconds} s"),
        60..3600 => format!("{} min", seconds / 60),
        3600..86400 => format!("{} h {} min", seconds / 3600, seconds % 3600 / 60),
        _ => format!("{} d {} h", seconds / 86400, seconds % 86400 / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use possum_contract::activity::PushRejection;
    use possum_contract::error::ApplicationErrorCode;

    #[test]
    fn an_edited_record_must_read_as_its_kind_and_keep_its_id() {
        let id = Uuid::new_v4();
        let log = format!(
            r#"{{"Id":"{id}","TerminalId":"{id}","Level":"Error","Category":"sync","Message":"x","Context":null,"CreatedAt":"2026-11-23T10:00:00Z"}}"#
        );
        let mut entry = Entry::new(id, PushKind::DeviceLog, log.clone(), None, Utc::now());
        entry.state = State::Attention;
        entry.last_error = Some("no".into());
        let fixed = edited(&entry, &log.replace(r#""x""#, r#""fixed""#)).unwrap();
        assert_eq!(
            (fixed.state, fixed.last_error.as_deref(), fixed.body.contains("fixed")),
            (State::Pending, None, true)
        );
        assert!(edited(&entry, "{").unwrap_err().contains("not valid JSON"));
        assert!(edited(&entry, &log.replace(&id.to_string()[..8], "00000000"))
            .unwrap_err()
            .contains("The Id must stay"));
        assert!(edited(&entry, &log.replace(r#""Level":"Error""#, r#""Level":"Loud""#))
            .unwrap_err()
            .contains("does not read as its kind"));
    }

    #[test]
    fn an_export_carries_every_unsent_record_with_its_body_as_json() {
        let a = Entry::new(
            Uuid::new_v4(),
            PushKind::Order,
            r#"{"Id":"x","Total":149.00}"#.into(),
            None,
            Utc::now(),
        );
        let out = export(
            Uuid::nil(),
            &[(7, a.clone())],
            &[(9, "queued record y is unreadable".into())],
            Utc::now(),
        );
        assert_eq!(out["Records"][0]["Seq"], 7);
        assert_eq!(out["Records"][0]["Endpoint"], "/api/Order/PostOrder");
        assert_eq!(out["Records"][0]["Body"]["Total"].to_string(), "149.00");
        assert_eq!(out["Unreadable"][0]["Seq"], 9);
    }

    fn entry(kind: PushKind, depends_on: Option<Uuid>) -> Entry {
        Entry::new(Uuid::new_v4(), kind, "{}".into(), depends_on, Utc::now())
    }

    #[test]
    fn kinds_go_in_the_seed_order_whatever_the_queue_order() {
        let log = entry(PushKind::DeviceLog, None);
        let counter = entry(PushKind::InvoiceCounter, None);
        let order = entry(PushKind::Order, None);
        let open = entry(PushKind::OpenOrder, None);
        let entries = vec![log.clone(), counter.clone(), order.clone(), open.clone()];
        let kinds: Vec<PushKind> = drain(entries).into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            kinds,
            [PushKind::OpenOrder, PushKind::Order, PushKind::InvoiceCounter, PushKind::DeviceLog]
        );
    }

    /// Plans and "delivers" batch after batch, as a flush with a healthy server would.
    fn drain(mut entries: Vec<Entry>) -> Vec<(PushKind, Vec<Uuid>)> {
        let mut sent = Vec::new();
        while let Some((kind, batch)) = next_batch(&entries, 2) {
            let ids: Vec<Uuid> = batch.iter().map(|e| e.id).collect();
            entries.retain(|e| !ids.contains(&e.id));
            sent.push((kind, ids));
        }
        sent
    }

    #[test]
    fn batches_are_capped_and_keep_queue_order() {
        let orders: Vec<Entry> = (0..5).map(|_| entry(PushKind::Order, None)).collect();
        let sent = drain(orders.clone());
        assert_eq!(sent.len(), 3);
        let flat: Vec<Uuid> = sent.into_iter().flat_map(|(_, ids)| ids).collect();
        assert_eq!(flat, orders.iter().map(|e| e.id).collect::<Vec<_>>());
    }

    #[test]
    fn a_rejected_order_holds_back_only_its_own_payment() {
        let mut bad = entry(PushKind::Order, None);
        bad.state = State::Attention;
        let good = entry(PushKind::Order, None);
        let bad_payment = entry(PushKind::SwishPayment, Some(bad.id));
        let good_payment = entry(PushKind::SwishPayment, Some(good.id));
        let log = entry(PushKind::DeviceLog, None);
        let sent =
            drain(vec![bad.clone(), good.clone(), bad_payment.clone(), good_payment.clone(), log.clone()]);
        let flat: Vec<Uuid> = sent.into_iter().flat_map(|(_, ids)| ids).collect();
        assert_eq!(flat, [good.id, good_payment.id, log.id]);
    }

    #[test]
    fn an_order_for_a_new_customer_waits_for_the_customer() {
        let customer = entry(PushKind::Customer, None);
        let order = entry(PushKind::Order, Some(customer.id));
        let sent = drain(vec![customer.clone(), order.clone()]);
        assert_eq!(sent, [(PushKind::Customer, vec![customer.id]), (PushKind::Order, vec![order.id])]);
    }

    #[test]
    fn an_answer_settles_each_record() {
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::new_v4()).collect();
        let answer = PushResponse {
            acknowledged: vec![ids[0]],
            rejected: vec![PushRejection {
                id: ids[1],
                application_error_code: Some(ApplicationErrorCode::CardLocked),
                message: "Card locked".into(),
            }],
            receipts: vec![],
        };
        let s = settle(&ids, &answer);
        assert_eq!(s.delivered, [ids[0]]);
        assert_eq!(s.rejected, [(ids[1], "Card locked (CardLocked (15))".to_string())]);
        assert_eq!(s.unanswered, [ids[2]]);
    }

    #[test]
    fn failures_are_classified() {
        for status in [None, Some(500), Some(502), Some(503), Some(429), Some(408)] {
            assert_eq!(classify(status), Failure::Transient, "{status:?}");
        }
        assert_eq!(classify(Some(401)), Failure::Unauthorized);
        for status in [400, 403, 404, 409, 413] {
            assert_eq!(classify(Some(status)), Failure::Permanent, "{status}");
        }
    }

    #[test]
    fn the_summary_counts_per_kind_and_ages_the_oldest() {
        let mut a = entry(PushKind::Order, None);
        a.created_at = Utc::now() - chrono::Duration::minutes(5);
        let mut b = entry(PushKind::Order, None);
        b.state = State::Attention;
        let c = entry(PushKind::DeviceLog, None);
        let s = summary(&[a.clone(), b, c]);
        assert_eq!((s.pending, s.attention), (2, 1));
        assert_eq!(s.kinds[0], KindCount { kind: PushKind::Order, pending: 1, attention: 1 });
        assert_eq!(s.oldest_pending, Some(a.created_at));
        assert_eq!(age(a.created_at, Utc::now()), "5 min");
    }
}
