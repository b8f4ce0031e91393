//! The back office through HTTP: each test starts the real server on a
//! loopback port with a fresh data folder and the demo tenant.

mod abuse;
mod approvals;
mod commerce;
mod common;
mod copy;
mod docs;
mod faults;
mod hostile;
mod input;
mod instances;
mod money;
mod pull;
mod push;
mod registers;
mod sale;
mod till;
mod token;
