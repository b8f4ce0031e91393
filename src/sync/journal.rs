//! The journal's steps on the tablet, one function per register event for
//! the screens: a sale's or refund's receipt (kept pending by the ledger in
//! the sale's own transaction), a copy, a training sale, a drawer opening, a
//! parked or cancelled cart, an X report, a Z report.
//!
//! Every step runs under the journal's Web Lock (`possum-journal`): the tabs
//! take turns, so the head is read and moved by one writer at a time (the
//! store's key is the seq besides, so a second writer of a seq could never
//! commit). Within the lock, every event still pending is sealed first, in
//! the order it happened, so an event left pending by a crash is journaled
//! before anything newer — and at the next start, by [`seal_pending`].

use crate::browser::tabs;
use crate::control_unit::web_crypto::SigningModule;
use crate::control_unit::ControlUnit;
use crate::error::AppError;
use crate::storage::ledger::{LocalOrder, Ready, Registration, Sealed};
use crate::storage::Storage;
use chrono::{DateTime, NaiveDate, Utc};
use possum_contract::catalogue::{Category, Product, ProductCombination};
use possum_contract::journal::{JournalEntry, JournalKind};
use possum_contract::register::Register;
use possum_contract::settings::TerminalSettings;
use possum_register::journal::chain::ZRefusal;
use possum_register::journal::events::{x_report_data, Pending};
use possum_register::journal::{day_report, z_report_data, DayReport};
use rust_decimal::Decimal;
use serde_json::Value;
use uuid::Uuid;

const LOCK: &str = "possum-journal";

/// A register's article groups (the category of each article sold), read
/// per receipt from the cache's indexes.
struct Groups {
    categories: Vec<Category>,
}

impl Groups {
    async fn load(storage: &Storage) -> Result<Self, AppError> {
        Ok(Groups { categories: storage.all().await? })
    }

    async fn of_order(
        &self,
        storage: &Storage,
        pending: &Pending,
    ) -> Result<Vec<(String, String)>, AppError> {
        let mut found = Vec::new();
        for line in pending.order().map(|o| o.lines.as_slice()).unwrap_or_default() {
            let article = &line.article_number;
            let category = match storage.find::<Product>("by_article", article).await? {
                Some(product) => product.category_id,
                None => storage
                    .find::<ProductCombination>("by_article", article)
                    .await?
                    .and_then(|c| c.category_id),
            };
            if let Some(name) = category.and_then(|id| self.categories.iter().find(|c| c.id == id)) {
                found.push((article.clone(), name.name.clone()));
            }
        }
        Ok(found)
    }
}

/// Seals every pending event, oldest first (the lock is held by the caller).
async fn seal_all(storage: &Storage) -> Result<Vec<JournalEntry>, AppError> {
    let pending = storage.pending_events().await?;
    if pending.is_empty() {
        return Ok(vec![]);
    }
    // Before enrolment nothing can be sealed; the ledger keeps nothing pending then.
    let Some(register) = storage.register().await? else { return Ok(vec![]) };
    let device = storage
        .device()
        .await?
        .ok_or_else(|| AppError::Invalid("This tablet's register key is missing: enrol it again.".into()))?;
    let unit = SigningModule { key: device.private_key, control_unit_id: register.control_unit_id.clone() };
    let settings = storage.settings().await?;
    let groups = Groups::load(storage).await?;
    let mut sealed = Vec::new();
    for (key, event) in &pending {
        let named = groups.of_order(storage, event).await?;
        let group_of = |article: &str| named.iter().find(|(a, _)| a == article).map(|(_, g)| g.clone());
        let prepared = event.prepare(&register.register_id, group_of, &settings);
        let control_code = match &prepared.control {
            Some(data) => Some(unit.register(data).await?),
            None => None,
        };
        let ready = Ready {
            key: *key,
            pending: event,
            register_id: &register.register_id,
            control_unit_id: unit.id(),
            entries: prepared.entries,
            control_code,
        };
        if let Sealed::Entries(entries) = storage.seal(ready).await? {
            sealed.extend(entries);
        }
    }
    Ok(sealed)
}

/// Runs `work` on the journal under its lock, after sealing what is pending.
async fn with_journal<T: 'static>(
    work: impl AsyncFnOnce(&Storage) -> Result<T, AppError> + 'static,
) -> Result<T, AppError> {
    tabs::in_turn(LOCK, async move {
        let storage = Storage::open_default().await?;
        seal_all(&storage).await?;
        work(&storage).await
    })
    .await
}

/// Journals every event still pending (at start, after enrolment, after a sale).
pub async fn seal_pending() -> Result<(), AppError> {
    with_journal(async |_| Ok(())).await
}

/// The receipt of a sale or refund the ledger just stored, registered: its
/// control code and the register's facts are on it when this answers. A
/// receipt that could not be registered is an error, never a receipt.
pub async fn register_receipt(local: LocalOrder) -> Result<LocalOrder, AppError> {
    let id = local.order.id;
    with_journal(async move |storage| {
        let stored = storage.order(id).await?.unwrap_or(local);
        match stored.registration {
            Some(_) => Ok(stored),
            None => Err(AppError::Invalid(format!(
                "Receipt {} is stored but not registered with the control unit yet, so it cannot be shown. Try again.",
                stored.order.invoice_number
            ))),
        }
    })
    .await
}

/// A copy (KOPIA) of `local`'s receipt, registered and counted: the order
/// with the copy's own control code, to show or print.
pub async fn record_copy(local: &LocalOrder) -> Result<LocalOrder, AppError> {
    let order = local.order.clone();
    let mut copy = local.clone();
    let entry = with_journal(async move |storage| {
        require(storage).await?;
        let pending = Pending::receipt(&order, true, false, Utc::now());
        storage.add_pending(&pending).await?;
        seal_all(storage).await?;
        storage
            .journal_entry(pending.id)
            .await?
            .ok_or_else(|| AppError::Invalid("The copy was not journaled.".into()))
    })
    .await?;
    let register = Storage::open_default().await?.register().await?;
    copy.registration = Some(Registration {
        register_id: entry.register_id.clone(),
        control_unit_id: register.map(|r| r.control_unit_id).unwrap_or_default(),
        control_code: entry.control_code.clone().unwrap_or_default(),
        journal_seq: entry.seq,
    });
    Ok(copy)
}

async fn require(storage: &Storage) -> Result<Register, AppError> {
    super::register::require(storage).await
}

/// Journals an event that is not a receipt (a drawer opening, a parked or
/// cancelled cart…). A tablet that is not a register yet has no journal:
/// nothing is recorded then (it cannot have sold either).
pub async fn record(kind: JournalKind, data: Value) -> Result<(), AppError> {
    with_journal(async move |storage| {
        if storage.register().await?.is_none() {
            return Ok(());
        }
        storage.add_pending(&Pending::record(kind, data, Utc::now())).await?;
        seal_all(storage).await.map(|_| ())
    })
    .await
}

/// [`record`] from a screen that does not wait: a failure goes to the device log.
pub fn spawn_record(terminal_id: Uuid, kind: JournalKind, data: Value) {
    leptos::task::spawn_local(async move {
        if let Err(e) = record(kind, data).await {
            let text = format!("A {kind:?} event could not be journaled: {e}");
            super::device_log::write(
                terminal_id,
                possum_contract::activity::LogLevel::Error,
                "journal",
                &text,
                None,
            )
            .await;
        }
    });
}

/// The day's report so far (an X report): the entries since the last Z
/// report, continuing its grand totals.
pub async fn day_so_far(settings: &TerminalSettings) -> Result<DayReport, AppError> {
    let settings = settings.clone();
    with_journal(async move |storage| {
        let head = storage
            .journal_head()
            .await?
            .ok_or_else(|| AppError::Invalid(crate::storage::ledger::NOT_A_REGISTER.into()))?;
        let entries = storage.journal_after(head.day_starts_after()).await?;
        Ok(day_report(&entries, head.grand_totals(), &settings))
    })
    .await
}

/// Journals an X report taken (shown or printed) of `day`.
pub async fn record_x_report(day: NaiveDate, report: &DayReport) -> Result<(), AppError> {
    record(JournalKind::XReport, x_report_data(day, report)).await
}

/// A Z report taken of `day`: numbered after the last one, once per shop
/// day, its grand totals continuing the last one's; journaled, and the
/// entries before the previous Z that the back office has are forgotten.
pub async fn take_z_report(
    settings: &TerminalSettings,
    day: NaiveDate,
    float: Decimal,
    at: DateTime<Utc>,
) -> Result<(i64, DayReport), AppError> {
    let settings = settings.clone();
    with_journal(async move |storage| {
        require(storage).await?;
        let head = storage
            .journal_head()
            .await?
            .ok_or_else(|| AppError::Invalid(crate::storage::ledger::NOT_A_REGISTER.into()))?;
        let number = head.next_z(day).map_err(|refusal| AppError::Invalid(refusal.to_string()))?;
        let entries = storage.journal_after(head.day_starts_after()).await?;
        let report = DayReport { float, ..day_report(&entries, head.grand_totals(), &settings) };
        let pending = Pending::record(JournalKind::ZReport, z_report_data(number, day, &report), at);
        storage.add_pending(&pending).await?;
        seal_all(storage).await?;
        storage.prune_journal(head.day_starts_after()).await?;
        Ok((number, report))
    })
    .await
}

/// The number the Z report of `day` would take, or why none may be taken
/// (one was taken that day, or the clock is before the last one's day):
/// asked before a manager is troubled for an approval. The refusal is the
/// rule's own, for the screen to say in its language.
pub async fn next_z(day: NaiveDate) -> Result<Result<i64, ZRefusal>, AppError> {
    let storage = Storage::open_default().await?;
    let head = storage
        .journal_head()
        .await?
        .ok_or_else(|| AppError::Invalid(crate::storage::ledger::NOT_A_REGISTER.into()))?;
    Ok(head.next_z(day))
}
