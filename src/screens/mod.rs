//! One file per screen, plus the status area every screen shows.

pub mod approval;
pub mod cashier;
pub mod choice;
pub mod commerce_info;
pub mod day_report;
pub mod drawer;
pub mod history;
pub mod language_picker;
pub mod modal;
pub mod outbox;
pub mod paper;
pub mod pin_pad;
pub mod printers;
pub mod receipt;
pub mod refund;
pub mod sale;
pub mod setup;
pub mod staff_time;
pub mod status;
pub mod terminal;
pub mod terminal_info;
pub mod why_price;
