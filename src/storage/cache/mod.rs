//! The pulled cache: what the back office sends, kept so the terminal sells
//! offline. `rows.rs` says what each module stores and its look-up keys,
//! `blocks.rs` how rows sit on disk, `marker.rs` where each pull stands,
//! `apply.rs` stores a pull, `read.rs` reads it back, `migrate.rs` moves an
//! older tablet's rows into blocks during the upgrade.

mod apply;
mod blocks;
mod marker;
mod migrate;
mod read;
mod rows;

pub(crate) use blocks::BlockWriter;
pub use blocks::{BLOCK_ROWS, BY_ID};
pub use marker::{Marker, Staged};
pub(crate) use marker::{MARKERS, STAGING};
pub(crate) use migrate::migrate_rows;
pub use rows::{index_field, indexes, json_array, store_name, stored_page, Cached, Codec, Keys, StoredRow};
