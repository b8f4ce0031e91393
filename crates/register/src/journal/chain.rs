//! The register's side of the hash chain (`possum_contract::journal`): where
//! the chain stands ([`Head`]), sealing the next entry onto it, the Z report
//! series (numbered, one a shop day, grand totals carried on), and checking
//! a run of entries as an auditor would.
//!
//! Hashing is SHA-256 from the `sha2` crate, not Web Crypto's `digest`: the
//! terminal seals an entry inside the IndexedDB transaction that reads the
//! head and stores the entry, and an await on a Web Crypto promise would let
//! that transaction commit half-way. The same crate hashes on the back office,
//! so both sides compute the one definition in `JournalEntry::canonical`.

use super::GrandTotals;
use chrono::{DateTime, NaiveDate, Utc};
use possum_contract::journal::{continues, ChainBreak, JournalEntry, JournalKind, GENESIS_HASH};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::str::FromStr;
use uuid::Uuid;

/// SHA-256 of `text`, lower-case hex: how every journal hash is written.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The last Z report of a register: what the next one numbers and continues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LastZ {
    pub number: i64,
    /// The shop day it closed.
    pub day: NaiveDate,
    /// Its entry: the next day report sums the entries after it.
    pub seq: u64,
    pub grand_totals: GrandTotals,
}

impl LastZ {
    /// The Z report `entry` records (`None` for any other entry, or one whose
    /// data is not a Z report's: `z_report_data` writes what is read here).
    pub fn of(entry: &JournalEntry) -> Option<Self> {
        if entry.kind != JournalKind::ZReport {
            return None;
        }
        let amount = |path: &str| {
            let value = entry.data.pointer(path)?;
            Decimal::from_str(value.to_string().trim_matches('"')).ok()
        };
        Some(LastZ {
            number: entry.data.get("Number")?.as_i64()?,
            day: entry.data.get("Day")?.as_str()?.parse().ok()?,
            seq: entry.seq,
            grand_totals: GrandTotals {
                sales: amount("/GrandTotals/Sales")?,
                returns: amount("/GrandTotals/Returns")?,
            },
        })
    }
}

/// Where a register's chain stands: its last entry and its last Z report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Head {
    pub register_id: String,
    /// The last entry's seq (0: none yet) and hash (the genesis hash then).
    pub seq: u64,
    pub hash: String,
    pub last_z: Option<LastZ>,
}

/// Why a Z report cannot be taken now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZRefusal {
    /// One was taken on this shop day already.
    AlreadyTaken(NaiveDate),
    /// The shop day is before the last Z report's (the tablet's clock went back).
    BeforeLast(NaiveDate),
}

impl std::fmt::Display for ZRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ZRefusal::AlreadyTaken(day) => {
                write!(f, "A Z report was already taken on {day}: one a day per register.")
            }
            ZRefusal::BeforeLast(day) => write!(
                f,
                "The last Z report closed {day}, a later day than this tablet's clock says: check the clock."
            ),
        }
    }
}

impl Head {
    /// A register without entries.
    pub fn genesis(register_id: &str) -> Self {
        Head { register_id: register_id.into(), seq: 0, hash: GENESIS_HASH.into(), last_z: None }
    }

    /// A register the back office already holds entries of (a tablet that
    /// enrolled again and kept its key, but lost its journal's head).
    pub fn continuing(register_id: &str, seq: u64, hash: &str) -> Self {
        Head { register_id: register_id.into(), seq, hash: hash.into(), last_z: None }
    }

    /// Seals the next entry (its seq, its link to the last one, its hash) and
    /// moves the head onto it.
    pub fn append(
        &mut self,
        id: Uuid,
        at: DateTime<Utc>,
        kind: JournalKind,
        data: Value,
        control_code: Option<String>,
    ) -> JournalEntry {
        let mut entry = JournalEntry {
            id,
            register_id: self.register_id.clone(),
            seq: self.seq + 1,
            at,
            kind,
            data,
            prev_hash: self.hash.clone(),
            hash: String::new(),
            control_code,
        };
        entry.hash = sha256_hex(&entry.canonical());
        self.seq = entry.seq;
        self.hash = entry.hash.clone();
        if let Some(z) = LastZ::of(&entry) {
            self.last_z = Some(z);
        }
        entry
    }

    /// The seq after which today's entries begin: the last Z report's.
    pub fn day_starts_after(&self) -> u64 {
        self.last_z.as_ref().map_or(0, |z| z.seq)
    }

    /// The grand totals the next report continues.
    pub fn grand_totals(&self) -> GrandTotals {
        self.last_z.as_ref().map(|z| z.grand_totals).unwrap_or_default()
    }

    /// The number of the Z report of `day`, if one may be taken.
    pub fn next_z(&self, day: NaiveDate) -> Result<i64, ZRefusal> {
        match &self.last_z {
            None => Ok(1),
            Some(z) if z.day == day => Err(ZRefusal::AlreadyTaken(day)),
            Some(z) if z.day > day => Err(ZRefusal::BeforeLast(z.day)),
            Some(z) => Ok(z.number + 1),
        }
    }
}

/// Checks `entries` (in seq order) as an auditor would: each continues the
/// one before (the first continues `after`, or the genesis). Answers the seq
/// of the first entry that does not, and why.
pub fn verify(entries: &[JournalEntry], after: Option<(u64, &str)>) -> Result<(), (u64, ChainBreak)> {
    let mut last = after.map(|(seq, hash)| (seq, hash.to_string()));
    for entry in entries {
        continues(last.as_ref().map(|(s, h)| (*s, h.as_str())), entry, sha256_hex)
            .map_err(|why| (entry.seq, why))?;
        last = Some((entry.seq, entry.hash.clone()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{day_report, z_report_data};
    use possum_contract::settings::TerminalSettings;
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn at() -> DateTime<Utc> {
        "2026-12-03T10:00:00.123456Z".parse().unwrap()
    }

    #[test]
    fn sha256_is_the_standard_digest_in_lower_case_hex() {
        assert_eq!(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn appended_entries_chain_and_verify_and_a_change_is_caught_where_it_is() {
        let mut head = Head::genesis("R1");
        let entries: Vec<JournalEntry> = (0..3)
            .map(|i| head.append(Uuid::new_v4(), at(), JournalKind::Sale, json!({"N": i}), Some("c".into())))
            .collect();
        assert_eq!((entries[0].seq, entries[0].prev_hash.as_str()), (1, GENESIS_HASH));
        assert_eq!(entries[2].prev_hash, entries[1].hash);
        assert_eq!((head.seq, head.hash.as_str()), (3, entries[2].hash.as_str()));
        assert_eq!(verify(&entries, None), Ok(()));
        assert_eq!(verify(&entries[1..], Some((1, &entries[0].hash))), Ok(()));
        let mut changed = entries.clone();
        changed[1].data = json!({"N": 7});
        assert_eq!(verify(&changed, None), Err((2, ChainBreak::Altered)));
        let gap = [entries[0].clone(), entries[2].clone()];
        assert_eq!(verify(&gap, None), Err((3, ChainBreak::Gap { expected: 2, found: 3 })));
        // A head taken over from the back office continues its chain.
        let mut again = Head::continuing("R1", 3, &entries[2].hash);
        let fourth = again.append(Uuid::new_v4(), at(), JournalKind::XReport, json!({}), None);
        assert_eq!(verify(&[fourth], Some((3, &entries[2].hash))), Ok(()));
    }

    #[test]
    fn z_reports_are_numbered_once_a_day_and_carry_the_grand_totals_on() {
        let s = TerminalSettings::default();
        let mut head = Head::genesis("R1");
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(head.next_z(day), Ok(1));
        let mut report = day_report(&[], head.grand_totals(), &s);
        report.grand_totals = GrandTotals { sales: dec!(149.00), returns: dec!(0) };
        let z = head.append(Uuid::new_v4(), at(), JournalKind::ZReport, z_report_data(1, day, &report), None);
        assert_eq!(
            head.last_z,
            Some(LastZ { number: 1, day, seq: z.seq, grand_totals: report.grand_totals })
        );
        assert_eq!(head.next_z(day), Err(ZRefusal::AlreadyTaken(day)));
        assert_eq!(head.next_z(day.pred_opt().unwrap()), Err(ZRefusal::BeforeLast(day)));
        assert_eq!(head.next_z(day.succ_opt().unwrap()), Ok(2));
        assert_eq!(head.grand_totals().sales, dec!(149.00));
        assert_eq!(head.day_starts_after(), 1);
        // An X report moves the chain, not the Z series.
        head.append(Uuid::new_v4(), at(), JournalKind::XReport, json!({"Number": 9}), None);
        assert_eq!(head.last_z.as_ref().map(|z| z.number), Some(1));
    }
}
