//! Everything that talks to the back office: `api.rs` (every HTTP call),
//! `pull.rs` (the pull cycle), `flush.rs` (sending the outbox), `checkout.rs`
//! (completing a sale or refund), `approval.rs` (a manager's approval, online
//! or within the offline limit), `device_log.rs` (logs for support),
//! `employee_log.rs` (staff time queued), `wash_tokens.rs` (the token
//! reserve's pull), `register.rs` (this tablet as a register: enrolment),
//! `journal.rs` (the journal's steps: receipts registered by the control
//! unit, copies, drawer openings, X and Z reports), and
//! the reactive side: `status.rs` (what the status strip shows) and
//! `controller.rs` (when to pull and send: intervals, backoff, online).

pub mod api;
pub mod approval;
pub mod checkout;
pub mod controller;
pub mod device_log;
pub mod employee_log;
pub mod flush;
pub mod journal;
pub mod pull;
pub mod register;
pub mod status;
pub mod wash_tokens;
