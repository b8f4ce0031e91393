//! Registers (one per tablet), their journals and Z reports (SKVFS 2014:9;
//! see `possum_contract::register` and `possum_contract::journal`).
//!
//! A register is issued to a tablet once (by its device id) with the public
//! key of its signing module. Its journal arrives entry by entry; each must
//! continue the register's chain, a receipt's control code must verify with
//! the register's key, and a Z report must follow the previous one (numbered
//! in turn, one per shop day, its grand totals continuing the last ones).

use crate::error::{ApiError, ApiResult};
use crate::params;
use crate::store::clock;
use crate::store::sql::{self, OptionalExtension, Tx};
use base64::Engine;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::pkcs8::DecodePublicKey;
use possum_contract::journal::{continues, JournalEntry, JournalKind, GENESIS_HASH};
use possum_contract::register::{ControlData, Enrolment, Register};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use std::str::FromStr;
use uuid::Uuid;

/// SHA-256 of `text`, hex, as the journal's hashes are written.
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn key(public_key: &str) -> Result<VerifyingKey, String> {
    let der = base64::engine::general_purpose::STANDARD
        .decode(public_key.trim())
        .map_err(|_| "PublicKey is not base64.".to_string())?;
    VerifyingKey::from_public_key_der(&der)
        .map_err(|_| "PublicKey is not an ECDSA P-256 public key (SPKI DER).".into())
}

/// Whether `code` (base64 of an IEEE P1363 signature, as Web Crypto makes it)
/// is the register's signature of `data`.
pub fn verify_code(public_key: &str, data: &ControlData, code: &str) -> Result<(), String> {
    let key = key(public_key)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(code)
        .map_err(|_| "the control code is not base64")?;
    let signature = Signature::from_slice(&bytes).map_err(|_| "the control code is not a signature")?;
    key.verify(data.canonical().as_bytes(), &signature)
        .map_err(|_| "the control code is not the register's".to_string())
}

/// Issues (or finds again) the register of the tablet `enrolment.device_id`.
pub fn enrol(tx: &Tx<'_>, tenant_name: &str, terminal: Uuid, enrolment: &Enrolment) -> ApiResult<Register> {
    key(&enrolment.public_key).map_err(ApiError::BadRequest)?;
    let existing: Option<String> = tx
        .query_row(
            "SELECT id FROM registers WHERE device_id = ?1",
            params![enrolment.device_id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = existing {
        return register(tx, &id)?.ok_or_else(|| ApiError::Internal("a register vanished".into()));
    }
    let number: i64 =
        tx.query_row("SELECT coalesce(max(number), 0) + 1 FROM registers", params![], |r| r.get(0))?;
    let prefix: String =
        tenant_name.chars().filter(|c| c.is_ascii_alphanumeric()).take(12).collect::<String>().to_uppercase();
    let id = format!("POSSUM-{prefix}-{number:04}");
    let fingerprint = &sha256_hex(&enrolment.public_key)[..12];
    tx.execute(
        "INSERT INTO registers (id, number, terminal_id, device_id, public_key, control_unit_id, created_at, last_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            number,
            terminal.to_string(),
            enrolment.device_id.to_string(),
            enrolment.public_key,
            format!("POSSUM-SM-{}", fingerprint.to_uppercase()),
            clock::now_us(),
            GENESIS_HASH
        ],
    )?;
    register(tx, &id)?.ok_or_else(|| ApiError::Internal("a register vanished".into()))
}

pub fn register(conn: &Tx<'_>, id: &str) -> sql::Result<Option<Register>> {
    conn.query_row(
        "SELECT r.id, r.terminal_id, r.control_unit_id, r.last_seq, r.last_hash,
                coalesce((SELECT max(invoice_number) FROM orders WHERE register_id = r.id), 0)
         FROM registers r WHERE r.id = ?1",
        params![id],
        |r| {
            Ok(Register {
                register_id: r.get(0)?,
                terminal_id: r.get::<String>(1)?.parse().unwrap_or_default(),
                control_unit_id: r.get(2)?,
                last_journal_seq: r.get::<i64>(3)? as u64,
                last_journal_hash: r.get(4)?,
                last_receipt_number: r.get(5)?,
            })
        },
    )
    .optional()
}

/// The register of an order or journal entry must be one of this terminal login's.
pub fn owned_by(conn: &Tx<'_>, register_id: &str, terminal: Uuid) -> sql::Result<bool> {
    let owner: Option<String> = conn
        .query_row("SELECT terminal_id FROM registers WHERE id = ?1", params![register_id], |r| r.get(0))
        .optional()?;
    Ok(owner.as_deref() == Some(terminal.to_string().as_str()))
}

/// Checks and keeps one journal entry; why not, naming the register and the entry.
pub fn append(tx: &Tx<'_>, terminal: Uuid, entry: &JournalEntry) -> Result<(), String> {
    let named =
        |why: String| format!("Journal of register {}, entry {}: {why}.", entry.register_id, entry.seq);
    let state = RegisterState::read(tx, &entry.register_id).map_err(|e| e.to_string())?;
    let Some(state) = state else {
        return Err(named("it is not a register of this tenant".into()));
    };
    if state.owner != terminal.to_string() {
        return Err(named("the register belongs to another terminal login".into()));
    }
    let last = (state.last_seq > 0).then_some((state.last_seq as u64, state.last_hash.as_str()));
    continues(last, entry, sha256_hex).map_err(|why| named(why.to_string()))?;
    if let Some(code) = &entry.control_code {
        let control: ControlData =
            serde_json::from_value(entry.data.get("Control").cloned().unwrap_or_default())
                .map_err(|_| named("a receipt's entry carries no control data".into()))?;
        verify_code(&state.public_key, &control, code).map_err(|why| named(why.to_string()))?;
    } else if receipt_kind(entry.kind) {
        return Err(named("a receipt without a control code".into()));
    }
    if entry.kind == JournalKind::ZReport {
        let z = ZReport::read(&entry.data).map_err(|why| named(why.to_string()))?;
        z.follows(&state).map_err(named)?;
        tx.execute(
            "UPDATE registers SET last_z_number = ?2, last_z_day = ?3, grand_sales = ?4, grand_returns = ?5 WHERE id = ?1",
            params![entry.register_id, z.number, z.day, z.grand_sales.to_string(), z.grand_returns.to_string()],
        )
        .map_err(|e| e.to_string())?;
    }
    let body = serde_json::to_string(entry).map_err(|e| e.to_string())?;
    tx.execute(
        "INSERT INTO journal (register_id, seq, id, at, kind, body, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            entry.register_id,
            entry.seq as i64,
            entry.id.to_string(),
            clock::from_datetime(entry.at),
            format!("{:?}", entry.kind),
            body,
            clock::now_us()
        ],
    )
    .map_err(|e| e.to_string())?;
    tx.execute(
        "UPDATE registers SET last_seq = ?2, last_hash = ?3 WHERE id = ?1",
        params![entry.register_id, entry.seq as i64, entry.hash],
    )
    .map_err(|e| e.to_string())?;
    Ok(())
}

/// Where a register's journal and Z reports stand.
struct RegisterState {
    owner: String,
    last_seq: i64,
    last_hash: String,
    public_key: String,
    last_z: i64,
    last_z_day: Option<String>,
    grand_sales: Decimal,
    grand_returns: Decimal,
}

impl RegisterState {
    fn read(conn: &Tx<'_>, id: &str) -> sql::Result<Option<Self>> {
        conn.query_row(
            "SELECT terminal_id, last_seq, last_hash, public_key, last_z_number, last_z_day, grand_sales, grand_returns
             FROM registers WHERE id = ?1",
            params![id],
            |r| {
                let amount = |i: usize| -> sql::Result<Decimal> {
                    Ok(Decimal::from_str(&r.get::<String>(i)?).unwrap_or_default())
                };
                Ok(Self {
                    owner: r.get(0)?,
                    last_seq: r.get(1)?,
                    last_hash: r.get(2)?,
                    public_key: r.get(3)?,
                    last_z: r.get(4)?,
                    last_z_day: r.get(5)?,
                    grand_sales: amount(6)?,
                    grand_returns: amount(7)?,
                })
            },
        )
        .optional()
    }
}

fn receipt_kind(kind: JournalKind) -> bool {
    matches!(
        kind,
        JournalKind::Sale
            | JournalKind::Return
            | JournalKind::Copy
            | JournalKind::Training
            | JournalKind::ProForma
    )
}

/// What the back office reads of a Z report's entry to keep the series honest.
struct ZReport {
    number: i64,
    day: String,
    grand_sales: Decimal,
    grand_returns: Decimal,
    /// The grand totals the report says it continues.
    before_sales: Decimal,
    before_returns: Decimal,
}

impl ZReport {
    fn read(data: &serde_json::Value) -> Result<Self, &'static str> {
        let amount = |path: &str| -> Result<Decimal, &'static str> {
            let value = data.pointer(path).ok_or("a Z report without its grand totals")?;
            Decimal::from_str(value.to_string().trim_matches('"'))
                .map_err(|_| "a Z report's grand total is not an amount")
        };
        Ok(Self {
            number: data.get("Number").and_then(|n| n.as_i64()).ok_or("a Z report without its number")?,
            day: data.get("Day").and_then(|d| d.as_str()).ok_or("a Z report without its day")?.to_string(),
            grand_sales: amount("/GrandTotals/Sales")?,
            grand_returns: amount("/GrandTotals/Returns")?,
            before_sales: amount("/GrandTotalsBefore/Sales")?,
            before_returns: amount("/GrandTotalsBefore/Returns")?,
        })
    }

    fn follows(&self, register: &RegisterState) -> Result<(), String> {
        let last = register.last_z;
        if self.number != last + 1 {
            return Err(format!("Z report {} came where Z report {} was due", self.number, last + 1));
        }
        if register.last_z_day.as_deref() == Some(self.day.as_str()) {
            return Err(format!("a Z report was already taken on {}", self.day));
        }
        let (sales, returns) = (register.grand_sales, register.grand_returns);
        if self.before_sales != sales || self.before_returns != returns {
            return Err("its grand totals do not continue the previous Z report's".into());
        }
        if self.grand_sales < sales || self.grand_returns < returns {
            return Err("grand totals never go down".into());
        }
        Ok(())
    }
}

/// The journal of `register` between two instants, as XML for Skatteverket's
/// journal export (SKVFS 2021:16 asks for its own format from 2027; this is
/// the project's documented stand-in: every entry with its chain and code).
pub fn export_xml(conn: &Tx<'_>, register: &str, from_us: i64, to_us: i64) -> ApiResult<String> {
    let r = self::register(conn, register)?
        .ok_or_else(|| ApiError::NotFound(format!("no register {register}")))?;
    let public_key: String =
        conn.query_row("SELECT public_key FROM registers WHERE id = ?1", params![register], |row| {
            row.get(0)
        })?;
    let bodies: Vec<String> = conn.query_map(
        "SELECT body FROM journal WHERE register_id = ?1 AND at >= ?2 AND at < ?3 ORDER BY seq",
        params![register, from_us, to_us],
        |row| row.get(0),
    )?;
    let escape = |text: &str| {
        text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
    };
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str(&format!(
        "<Journal RegisterId=\"{}\" ControlUnitId=\"{}\" PublicKey=\"{}\">\n",
        escape(&r.register_id),
        escape(&r.control_unit_id),
        escape(&public_key)
    ));
    for body in bodies {
        let entry: JournalEntry = serde_json::from_str(&body)?;
        xml.push_str(&format!(
            "  <Entry Id=\"{}\" Seq=\"{}\" At=\"{}\" Kind=\"{:?}\" PrevHash=\"{}\" Hash=\"{}\"{}>\n    <Data>{}</Data>\n  </Entry>\n",
            entry.id,
            entry.seq,
            entry.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            entry.kind,
            entry.prev_hash,
            entry.hash,
            entry.control_code.as_deref().map(|c| format!(" ControlCode=\"{}\"", escape(c))).unwrap_or_default(),
            escape(&possum_contract::journal::canonical_json(&entry.data)),
        ));
    }
    xml.push_str("</Journal>\n");
    Ok(xml)
}
