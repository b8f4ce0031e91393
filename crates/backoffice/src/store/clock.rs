//! The tenant's change clock: the `changed_at` of every synced row.
//!
//! SQLite lets one writer at a time into a database, and every write that a
//! terminal must see takes its stamp inside its own write transaction as
//! `max(now, last + 1)`. Stamps are therefore unique per transaction and grow
//! in commit order: a transaction that started early but commits late still
//! gets a stamp above every stamp a reader has already been handed. Rows of one
//! transaction share a stamp and are told apart by id.

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::Transaction;

pub fn now_us() -> i64 {
    Utc::now().timestamp_micros()
}

/// Takes the next stamp; call once per write transaction.
pub fn next_stamp(tx: &Transaction<'_>) -> rusqlite::Result<i64> {
    tx.query_row(
        "UPDATE change_clock SET last_us = max(?1, last_us + 1) RETURNING last_us",
        [now_us()],
        |row| row.get(0),
    )
}

/// The newest stamp committed: everything at or below it is visible.
pub fn high_water_mark(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT last_us FROM change_clock", [], |row| row.get(0))
}

pub fn to_datetime(us: i64) -> DateTime<Utc> {
    Utc.timestamp_micros(us).single().unwrap_or(DateTime::<Utc>::MIN_UTC)
}

pub fn from_datetime(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}
