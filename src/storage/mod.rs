//! IndexedDB, the terminal's durable memory, from the bottom up: `db.rs` (the
//! `Storage` handle and its transaction and JSON helpers; it knows no store),
//! `values.rs` (small values: the session, the cashier, counters), `cache/`
//! (what the pulls bring), `reserve.rs` (the wash-token reserve, taken by
//! the ledger as it stores a sale), `ledger/` (what the terminal produces), `schema.rs`
//! (the only module that knows every store: opening, upgrades, repair), then
//! `shared.rs` (the connection kept open for look-ups) and `selfcheck.rs`.

pub mod cache;
pub mod db;
pub mod ledger;
pub mod reserve;
pub mod schema;
pub mod selfcheck;
pub mod shared;
pub mod values;

pub use db::Storage;
pub use schema::{expected_stores, DB_NAME, DB_VERSION};
