//! Everything that talks to the back office: `api.rs` (every HTTP call),
//! `pull.rs` (the pull cycle), `flush.rs` (sending the outbox), `checkout.rs`
//! (completing a sale or refund), `device_log.rs` (logs for support).

pub mod api;
pub mod checkout;
pub mod device_log;
pub mod flush;
pub mod pull;
