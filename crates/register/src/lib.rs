//! The till's logic, kept out of the browser so it tests natively and fast.
//!
//! The terminal (`possum-terminal`) calls into these modules from its screens;
//! nothing here touches IndexedDB, the DOM or the network.

pub mod approval;
pub mod backoff;
pub mod cart;
pub mod deals;
pub mod drawer;
pub mod history;
pub mod journal;
pub mod messages;
pub mod money;
pub mod new_customer;
pub mod order;
pub mod outbox;
pub mod payment;
pub mod quick_cash;
pub mod ratelimit;
pub mod receipt;
pub mod refund;
pub mod scan;
pub mod search;
pub mod staff_time;
pub mod subscription;
pub mod token_reserve;
pub mod training;
