//! The tenant's change clock: the `changed_at` of every synced row.
//!
//! One writer at a time changes a tenant's data: SQLite lets one writer into
//! a database, and on PostgreSQL every write transaction of a tenant first
//! locks the clock's row (`Db::write`), which holds across instances. Every
//! write that a terminal must see takes its stamp inside its own write
//! transaction as `max(now, last + 1)`. Stamps are therefore unique per transaction and grow
//! in commit order: a transaction that started early but commits late still
//! gets a stamp above every stamp a reader has already been handed. Rows of one
//! transaction share a stamp and are told apart by id.

use super::sql::{self, Tx};
use chrono::{DateTime, TimeZone, Utc};

pub fn now_us() -> i64 {
    Utc::now().timestamp_micros()
}

/// Takes the next stamp; call once per write transaction.
pub fn next_stamp(tx: &Tx<'_>) -> sql::Result<i64> {
    let sql = match tx.dialect() {
        sql::Dialect::Sqlite => "UPDATE change_clock SET last_us = max(?1, last_us + 1) RETURNING last_us",
        sql::Dialect::Postgres => {
            "UPDATE change_clock SET last_us = GREATEST(?1, last_us + 1) RETURNING last_us"
        }
    };
    tx.query_row(sql, crate::params![now_us()], |row| row.get(0))
}

/// The newest stamp committed: everything at or below it is visible.
pub fn high_water_mark(tx: &Tx<'_>) -> sql::Result<i64> {
    tx.query_row("SELECT last_us FROM change_clock", &[], |row| row.get(0))
}

pub fn to_datetime(us: i64) -> DateTime<Utc> {
    Utc.timestamp_micros(us).single().unwrap_or(DateTime::<Utc>::MIN_UTC)
}

pub fn from_datetime(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}
