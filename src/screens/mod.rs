//! One file per screen, plus the status area every screen shows.

pub mod cart;
pub mod cashier;
pub mod deposits;
pub mod drawer;
pub mod history;
pub mod modal;
pub mod new_customer;
pub mod outbox;
pub mod payment;
pub mod product_list;
pub mod receipt;
pub mod refund;
pub mod sale;
pub mod setup;
pub mod status;
pub mod terminal;
pub mod terminal_info;
