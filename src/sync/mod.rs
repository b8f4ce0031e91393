//! Everything that talks to the back office: `api.rs` (every HTTP call),
//! `pull.rs` (the pull cycle), `flush.rs` (sending the outbox), `checkout.rs`
//! (completing a sale or refund), `approval.rs` (a manager's approval, online
//! or within the offline limit), `device_log.rs` (logs for support),
//! `employee_log.rs` (staff time queued), `wash_tokens.rs` (the token
//! reserve's pull), and
//! the reactive side: `status.rs` (what the status strip shows) and
//! `controller.rs` (when to pull and send: intervals, backoff, online).

pub mod api;
pub mod approval;
pub mod checkout;
pub mod controller;
pub mod device_log;
pub mod employee_log;
pub mod flush;
pub mod pull;
pub mod status;
pub mod wash_tokens;
