//! Prices, VAT and the checks of a sold order, in plain Rust.
//!
//! The till computes what a customer pays with these functions, online or
//! offline; the back office recomputes every order it receives with the same
//! functions from its own catalogue and refuses what does not match. One
//! module on both sides is what makes "the price at the till is the price the
//! back office checks" true by construction.
//!
//! - [`money`]: rounding as the tenant's settings say, VAT out of gross amounts.
//! - [`limits`]: the documented upper bounds of amounts, quantities and counters.
//! - [`article`]: something that can be sold (a product, or a combination with its parts) and its price.
//! - [`lines`]: a sold line as order lines: a combination's price shared out over its parts, exactly.
//! - [`promotions`]: campaigns and discount programs, each line's best single promotion.
//! - [`shop`]: the shop's time (its `TimeZone`) and the customer as the promotions see them.
//! - [`verify`]: the back office's checks of a sold order and of a refund against its sale.

pub mod article;
pub mod limits;
pub mod lines;
pub mod money;
pub mod promotions;
pub mod shop;
pub mod verify;
