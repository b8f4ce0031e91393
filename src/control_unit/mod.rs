//! The control unit's port (kontrollenhet, SKVFS 2014:9 with SKVFS 2016:1 and
//! 2020:9): every receipt is registered with the control unit before it is
//! shown or printed, and the code the unit answers is printed on it.
//!
//! [`ControlUnit`] is the one driver interface: the unit's id (printed on
//! every receipt) and `register`, which takes what the rules have a unit
//! register of a receipt ([`ControlData`]: organisation number, register,
//! receipt number, time, kind, total, VAT per rate) and answers the control
//! code. The terminal calls it from `sync::journal` only, between keeping the
//! receipt's event and sealing its journal entry, so whatever the driver,
//! no receipt is shown without its code and none is registered twice.
//!
//! [`web_crypto::SigningModule`] is the implementation this project can
//! build: an ECDSA P-256 key made on the tablet by Web Crypto (its private
//! half not extractable), whose signature over [`ControlData::canonical`] is
//! the code; the back office verifies every code with the register's public
//! key when the journal arrives. It works offline. **It is NOT a certified
//! control unit**: Skatteverket accepts only a certified control unit
//! (hardware, SKVFS 2016:1) or a certified control system (SKVFS 2020:9), and
//! certification is not something a project can give itself.
//!
//! What a certified unit's driver plugs into: a type implementing
//! [`ControlUnit`], e.g. a unit on the shop's network or on USB/serial (the
//! transports of `printing/` show how a tablet reaches such a device), or a
//! certified control system's server over HTTPS. Its `id` is the unit's
//! serial number (manufacturing number) that the receipt prints; `register`
//! sends the unit the receipt's data in the unit's own protocol and answers
//! its control code as text. `sync::journal::seal_pending` would take it in
//! place of the signing module, and enrolment would send the unit's id
//! instead of a public key. Nothing else changes: the journal, its chain and
//! its export keep working as they are, the code simply comes from the unit.

pub mod web_crypto;

use crate::error::AppError;
use possum_contract::register::ControlData;
use std::future::Future;

/// A control unit: registers receipts and answers their control codes.
pub trait ControlUnit {
    /// The unit's id as printed on every receipt (a certified unit's serial number).
    fn id(&self) -> &str;

    /// Registers one receipt and answers its control code. A failure means the
    /// receipt is not registered: it must not be shown or printed.
    fn register(&self, data: &ControlData) -> impl Future<Output = Result<String, AppError>>;
}
