//! Wire types of the POSSUM back-office API.
//!
//! Everything the terminal and the bundled back office say to each other is
//! defined here once, so the two can never drift. Names, casing and codes come
//! from the seed documents (`../shared/seeds/`); where the seed is silent the
//! shape is this project's decision, written down in `docs/openapi.yaml`.
//!
//! Money is `rust_decimal::Decimal` everywhere. JSON numbers are read and
//! written with their exact digits (serde_json's `arbitrary_precision`), so a
//! price never passes through a float.

pub mod activity;
pub mod approval;
pub mod campaign;
pub mod catalogue;
pub mod customer;
pub mod endpoints;
pub mod error;
pub mod journal;
pub mod lookup;
pub mod loyalty;
pub mod printers;
pub mod register;
pub mod sale;
pub mod settings;
pub mod sync;
pub mod token;
pub mod wash_token;
pub mod xml;

pub use rust_decimal::Decimal;
