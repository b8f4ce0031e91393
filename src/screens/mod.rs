//! One file per screen, plus the status area every screen shows.

pub mod cashier;
pub mod catalogue;
pub mod setup;
pub mod status;
pub mod terminal;
