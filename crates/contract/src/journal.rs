//! The journal (SKVFS 2014:9 and the journal export of SKVFS 2021:16): an
//! append-only record of every register event, each entry chained to the one
//! before by a SHA-256 hash, so a missing or changed entry is detectable.
//!
//! The chain is defined here once, in words both sides compute: an entry's
//! hash is SHA-256 of [`JournalEntry::canonical`], hex in lower case; the
//! first entry of a register follows [`GENESIS_HASH`]. Both sides hash it
//! with the `sha2` crate (`possum_register::journal::chain` on the tablet);
//! only the control unit's signature uses Web Crypto.
//! Entries travel in the outbox (`POST /api/Journal/PostJournal`) and the
//! back office refuses one that does not continue its register's chain.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// What the first entry of every register's chain follows.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum JournalKind {
    /// A receipt of a sale.
    Sale,
    /// A receipt of a return (refund).
    Return,
    /// A copy of a receipt (KOPIA).
    Copy,
    /// A training receipt (ÖVNING): no sale.
    Training,
    /// A pro forma receipt (EJ KVITTO).
    ProForma,
    /// A sale cancelled before payment (an unfinished sale).
    Cancelled,
    /// A cart parked (an unfinished sale).
    Parked,
    /// The cash drawer opened (with the reason).
    DrawerOpened,
    /// A price changed at the till (a manager's override).
    PriceChange,
    XReport,
    ZReport,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct JournalEntry {
    pub id: Uuid,
    /// The register (registreringsenhet) that wrote it.
    pub register_id: String,
    /// 1, 2, 3… within the register, without gaps.
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub kind: JournalKind,
    /// What happened: the receipt, the report, the reason (JSON).
    pub data: Value,
    pub prev_hash: String,
    pub hash: String,
    /// The control unit's code for a receipt (see `register.rs`).
    pub control_code: Option<String>,
}

impl JournalEntry {
    /// The text the hash is taken of: one field a line, the data as
    /// canonical JSON (keys sorted, no spaces), the time in RFC 3339 UTC to
    /// the microsecond.
    pub fn canonical(&self) -> String {
        format!(
            "{}\n{}\n{}\n{:?}\n{}\n{}\n{}",
            self.seq,
            self.register_id,
            self.at.to_rfc3339_opts(SecondsFormat::Micros, true),
            self.kind,
            canonical_json(&self.data),
            self.control_code.as_deref().unwrap_or(""),
            self.prev_hash
        )
    }
}

/// JSON with object keys sorted at every level and no whitespace: the same
/// text for the same value, whatever map order a serialiser keeps.
pub fn canonical_json(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical_json(&map[k])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => {
            format!("[{}]", items.iter().map(canonical_json).collect::<Vec<_>>().join(","))
        }
        other => other.to_string(),
    }
}

/// Why an entry does not continue its register's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// An entry is missing before this one (or it came twice).
    Gap { expected: u64, found: u64 },
    /// It does not point at the hash of the entry before.
    WrongLink,
    /// Its own hash is not the hash of its content: it was changed.
    Altered,
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Gap { expected, found } => {
                write!(f, "entry {found} came where entry {expected} was due")
            }
            ChainBreak::WrongLink => write!(f, "it does not follow the entry before it"),
            ChainBreak::Altered => write!(f, "its content does not match its hash"),
        }
    }
}

/// Whether `entry` continues a chain whose last entry was `(seq, hash)`
/// (`None` for an empty register), given `hash_of(canonical text)`.
pub fn continues(
    last: Option<(u64, &str)>,
    entry: &JournalEntry,
    hash_of: impl Fn(&str) -> String,
) -> Result<(), ChainBreak> {
    let (expected, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS_HASH),
    };
    if entry.seq != expected {
        return Err(ChainBreak::Gap { expected, found: entry.seq });
    }
    if entry.prev_hash != prev {
        return Err(ChainBreak::WrongLink);
    }
    if hash_of(&entry.canonical()) != entry.hash {
        return Err(ChainBreak::Altered);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let a = json!({"b": 1, "a": {"d": [1, {"z": 2, "y": 3}], "c": "x"}});
        assert_eq!(canonical_json(&a), r#"{"a":{"c":"x","d":[1,{"y":3,"z":2}]},"b":1}"#);
    }

    #[test]
    fn a_chain_breaks_at_a_gap_a_wrong_link_or_a_changed_entry() {
        // A stand-in hash for the chain logic (the real one is SHA-256).
        let hash = |text: &str| {
            format!("{:064x}", text.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))))
        };
        let mut first = JournalEntry {
            id: Uuid::nil(),
            register_id: "R1".into(),
            seq: 1,
            at: "2026-12-03T10:00:00Z".parse().unwrap(),
            kind: JournalKind::Sale,
            data: json!({"Total": 149}),
            prev_hash: GENESIS_HASH.into(),
            hash: String::new(),
            control_code: Some("code".into()),
        };
        first.hash = hash(&first.canonical());
        assert_eq!(continues(None, &first, hash), Ok(()));
        let mut second =
            JournalEntry { seq: 2, prev_hash: first.hash.clone(), kind: JournalKind::Copy, ..first.clone() };
        second.hash = hash(&second.canonical());
        assert_eq!(continues(Some((1, &first.hash)), &second, hash), Ok(()));
        assert_eq!(continues(None, &second, hash), Err(ChainBreak::Gap { expected: 1, found: 2 }));
        let wrong = JournalEntry { prev_hash: GENESIS_HASH.into(), ..second.clone() };
        assert_eq!(continues(Some((1, &first.hash)), &wrong, hash), Err(ChainBreak::WrongLink));
        let mut changed = second.clone();
        changed.data = json!({"Total": 1});
        assert_eq!(continues(Some((1, &first.hash)), &changed, hash), Err(ChainBreak::Altered));
    }
}
