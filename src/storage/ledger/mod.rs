//! What the terminal produces, kept in IndexedDB: completed orders (the sale
//! history), parked carts, the invoice counter, the drawer's shift, customers
//! created here, and the outbox that carries it all to the back office.
//!
//! Every record enters the outbox in the same strict transaction that stores
//! the thing itself, so a sale the screen calls done is on disk and queued.
//! `records.rs` holds the stores and the stored forms the other files share.
//! `register.rs` keeps the register's values (its device key, the register
//! issued, the journal's head, training mode) and `journal.rs` the journal:
//! events waiting to be journaled and the sealed, hash-chained entries.

mod customers;
mod drawer;
mod journal;
mod orders;
mod outbox;
mod parked;
mod records;
mod register;
mod staff;

pub use journal::{Ready, Sealed};
pub use orders::NOT_A_REGISTER;
pub use outbox::{Head, Outbox, OutboxView, Settlement};
pub use parked::Parked;
pub use records::{create_stores, LocalOrder, OrderSync, Registration, STORES};
pub use register::Device;
