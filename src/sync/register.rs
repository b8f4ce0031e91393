//! This tablet as a register (registreringsenhet, SKVFS 2014:9): enrolment
//! with the back office, which issues the register id and the control unit's
//! id, and keeps the receipt series going after a wiped or restored counter.
//!
//! The rule (a decision, docs/swedish-rules.md): every receipt is registered
//! before it is shown, and only an enrolled tablet has a register id to
//! register it under, so **a tablet sells only once it has reached the back
//! office once** (like its first pull). Enrolment runs first in every pull
//! cycle until it succeeds; after that, once per start, to take up the
//! register's last receipt number. The device id and the key pair are made
//! once, on the first attempt, and kept (`storage::ledger::register`).

use super::{api, device_log};
use crate::control_unit::web_crypto;
use crate::error::AppError;
use crate::session::Session;
use crate::storage::ledger::{Device, NOT_A_REGISTER};
use crate::storage::Storage;
use possum_contract::activity::LogLevel;
use possum_contract::register::{Enrolment, Register};
use std::cell::Cell;

thread_local! {
    /// The register was confirmed by the back office since this page started.
    static CONFIRMED: Cell<bool> = const { Cell::new(false) };
}

/// This tablet's device, made now if it never was (the key pair with it).
pub async fn device(storage: &Storage) -> Result<Device, AppError> {
    if let Some(device) = storage.device().await? {
        return Ok(device);
    }
    let (private_key, public_key) = web_crypto::generate().await?;
    // Another tab may have made one meanwhile: the first one kept is the device.
    storage.keep_device(Device { id: uuid::Uuid::new_v4(), private_key, public_key }).await
}

/// Makes this tablet a register, or confirms it is one (first in a pull
/// cycle). A tablet not yet enrolled fails here, so the status strip says
/// why it cannot sell; an enrolled one that cannot confirm goes on as it is.
pub async fn prepare(storage: &Storage, session: &Session) -> Result<(), AppError> {
    let enrolled = storage.register().await?.is_some();
    if enrolled && CONFIRMED.get() {
        return Ok(());
    }
    let answer = async {
        let device = device(storage).await?;
        let enrolment = Enrolment { device_id: device.id, public_key: device.public_key };
        api::enrol(session, &enrolment).await
    }
    .await;
    let register = match answer {
        Ok(register) => register,
        Err(e) if enrolled && !e.is_unauthorized() => return Ok(()),
        // A back office without registers (the seed's contract has none): the
        // tablet keeps one invoice series and goes on after what it has seen.
        Err(AppError::Refused { status: 404, .. }) => return resume_invoice_numbers(storage, session).await,
        Err(e) => return Err(e),
    };
    keep(storage, session, &register).await?;
    CONFIRMED.set(true);
    Ok(())
}

/// Keeps the register answered; a counter that was behind the register's
/// series is raised, and support hears of it.
async fn keep(storage: &Storage, session: &Session, register: &Register) -> Result<(), AppError> {
    if let Some(local) = storage.keep_register(register).await? {
        let message = format!(
            "This tablet's receipt counter ({local}) was behind register {}'s series ({}): receipt numbers go on from {}.",
            register.register_id,
            register.last_receipt_number,
            register.last_receipt_number + 1
        );
        device_log::write(session.terminal_id, LogLevel::Warning, "register", &message, None).await;
    }
    Ok(())
}

/// The register, or why this tablet cannot issue a receipt yet (checked
/// before a sale is charged: a sale must never be charged and then stored
/// without a register to number it).
pub async fn require(storage: &Storage) -> Result<Register, AppError> {
    storage.register().await?.ok_or_else(|| AppError::Invalid(NOT_A_REGISTER.into()))
}

/// For a back office without registers: a tablet that lost its storage (or
/// was restored from an old copy) continues after the highest invoice
/// number the back office has seen from it (`GET
/// /api/Setting/GetInvoiceCounter`), before a cashier can sell again.
/// Staff and support hear of it.
async fn resume_invoice_numbers(storage: &Storage, session: &Session) -> Result<(), AppError> {
    let Some(issued) = api::issued_invoices(session).await? else { return Ok(()) };
    if let Some(local) = storage.resume_invoice_numbers(issued.last_invoice_number).await? {
        let message = format!(
            "This tablet's invoice counter ({local}) was behind the back office's ({}): invoice numbers go on from {}.",
            issued.last_invoice_number,
            issued.last_invoice_number + 1
        );
        device_log::write(session.terminal_id, LogLevel::Warning, "invoice counter", &message, None).await;
    }
    Ok(())
}
