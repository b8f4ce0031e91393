//! One file per screen.

pub mod home;
pub mod setup;
