//! The flush: sends the outbox to the back office in the seed's order, one
//! tab at a time, and settles each record by what the answer says; then
//! tops the wash-token reserve up if it ran low.
//!
//! The rules (order, dependencies, what a failure means, backoff) are plain
//! Rust in `possum_register::outbox`; this module applies them to IndexedDB
//! and the network.

use super::api;
use super::device_log;
use super::wash_tokens;
use crate::browser::tabs;
use crate::error::AppError;
use crate::session::Session;
use crate::storage::ledger::Settlement;
use crate::storage::Storage;
use possum_contract::activity::LogLevel;
use possum_contract::endpoints::{PushKind, MAX_PUSH_BATCH};
use possum_register::outbox::{self, Failure};
use std::cell::RefCell;
use std::rc::Rc;

/// What one flush did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlushReport {
    /// The flush did not run: another tab is flushing.
    pub skipped: bool,
    pub delivered: usize,
    pub rejected: usize,
    /// Why it stopped early (the records stay queued).
    pub stopped: Option<AppError>,
}

/// Flushes everything that can go now. Returns when the outbox holds nothing
/// sendable, or at the first transient failure or 401.
pub async fn flush(session: &Session) -> FlushReport {
    let report = Rc::new(RefCell::new(FlushReport::default()));
    let session = session.clone();
    let out = report.clone();
    let ran = tabs::exclusively(async move {
        let mut done = FlushReport::default();
        if let Err(e) = run(&session, &mut done).await {
            done.stopped = Some(e);
        }
        *out.borrow_mut() = done;
    })
    .await;
    let mut report = report.take();
    report.skipped = !ran;
    report
}

async fn run(session: &Session, report: &mut FlushReport) -> Result<(), AppError> {
    let storage = Storage::open_default().await?;
    // A batch refused as a whole is split, so only its bad record is set aside.
    let mut limit = MAX_PUSH_BATCH;
    loop {
        let queue = storage.outbox().await?;
        let plain = queue.plain();
        let Some((kind, batch)) = outbox::next_batch(&plain, limit) else {
            // Nothing more can go: the back office answered, and the orders that took
            // reserved tokens are in. A failure here is the next pull cycle's to report.
            let _ = wash_tokens::refill_if_low(&storage, session).await;
            return Ok(());
        };
        let ids: Vec<uuid::Uuid> = batch.iter().map(|e| e.id).collect();
        let bodies: Vec<&str> = batch.iter().map(|e| e.body.as_str()).collect();
        let seq = |id: uuid::Uuid| queue.seq_of(id).expect("planned from this queue");
        let entry =
            |id: uuid::Uuid| plain.iter().find(|e| e.id == id).cloned().expect("planned from this queue");
        let mut settlement = Settlement::default();
        match api::push(session, kind, &bodies).await {
            Ok(answer) => {
                let settled = outbox::settle(&ids, &answer);
                for id in &settled.delivered {
                    let receipt = answer.receipts.iter().find(|r| r.order_id == *id).cloned();
                    settlement.delivered(seq(*id), &entry(*id), receipt);
                }
                for (id, reason) in &settled.rejected {
                    settlement.refused(seq(*id), entry(*id), reason.clone());
                }
                report.delivered += settled.delivered.len();
                report.rejected += settled.rejected.len();
                // Support sees refusals too (not of device logs: a refused log must not beget logs).
                let refusals: Vec<String> = settled
                    .rejected
                    .iter()
                    .map(|(id, reason)| format!("{} {id}: {reason}", kind.record_name()))
                    .collect();
                let unanswered = !settled.unanswered.is_empty();
                for id in settled.unanswered {
                    let why = "The back office did not answer for this record; it is sent again.";
                    settlement.again(seq(id), entry(id), why.into());
                }
                storage.settle(settlement).await?;
                if kind != PushKind::DeviceLog {
                    for refusal in refusals {
                        device_log::write(
                            session.terminal_id,
                            LogLevel::Warning,
                            "outbox",
                            &format!("The back office refused {refusal}"),
                            None,
                        )
                        .await;
                    }
                }
                if unanswered {
                    return Err(AppError::BadAnswer(
                        "the back office left records of a batch unanswered".into(),
                    ));
                }
            }
            Err(error) => match error.failure() {
                Failure::Permanent if ids.len() > 1 => limit = 1,
                Failure::Permanent => {
                    settlement.refused(seq(ids[0]), entry(ids[0]), error.to_string());
                    report.rejected += 1;
                    storage.settle(settlement).await?;
                }
                Failure::Transient | Failure::Unauthorized => {
                    for id in &ids {
                        settlement.again(seq(*id), entry(*id), error.to_string());
                    }
                    storage.settle(settlement).await?;
                    return Err(error);
                }
            },
        }
    }
}
