//! Registers (registreringsenheter) and the control unit's port (SKVFS
//! 2014:9; the control unit rules SKVFS 2016:1 and 2020:9).
//!
//! Each tablet is its own register: on first start it enrols with the back
//! office (`POST /api/Register/PostRegister`), which issues the register id,
//! and it keeps its own unbroken receipt number series. The tablet holds a
//! signing key (Web Crypto, ECDSA P-256, not extractable) that plays the
//! control unit's part: every receipt is registered with it before it is
//! shown or printed, and its signature over [`ControlData::canonical`] is the
//! receipt's control code. The back office verifies each code with the
//! register's public key when the journal arrives. This signing module is
//! NOT a certified control unit; a certified unit's driver plugs into the
//! same port (register a receipt, answer a code) — see README.

use chrono::{DateTime, SecondsFormat, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `POST /api/Register/PostRegister`.
pub const REGISTER: &str = "/api/Register/PostRegister";

/// What a tablet sends to become a register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Enrolment {
    /// The tablet's own id, made once on it: enrolling again answers the same register.
    pub device_id: Uuid,
    /// The control unit's public key: ECDSA P-256, SubjectPublicKeyInfo DER, base64.
    pub public_key: String,
}

/// The register the back office issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Register {
    /// Printed on every receipt ("POSSUM-DEMO-0001").
    pub register_id: String,
    pub terminal_id: Uuid,
    /// The control unit's id, printed on every receipt.
    pub control_unit_id: String,
    /// The highest receipt number the back office has seen from it (0 when new).
    pub last_receipt_number: i64,
    /// The last journal entry it has (0 and the genesis hash when none).
    pub last_journal_seq: u64,
    pub last_journal_hash: String,
}

/// What the control unit registers of a receipt; its signature is the control code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ControlData {
    pub organisation_number: String,
    pub register_id: String,
    pub receipt_number: i64,
    pub at: DateTime<Utc>,
    /// "Sale", "Return", "Copy", "Training"…
    pub kind: String,
    pub total: Decimal,
    /// (VAT percent, VAT amount) per rate.
    pub vat: Vec<(Decimal, Decimal)>,
}

impl ControlData {
    /// The bytes signed: one field a line, amounts with their decimals as written.
    pub fn canonical(&self) -> String {
        let vat: Vec<String> = self.vat.iter().map(|(rate, amount)| format!("{rate}:{amount}")).collect();
        format!(
            "{}\n{}\n{}\n{}\n{}\n{}\n{}",
            self.organisation_number,
            self.register_id,
            self.receipt_number,
            self.at.to_rfc3339_opts(SecondsFormat::Secs, true),
            self.kind,
            self.total,
            vat.join(";")
        )
    }
}
