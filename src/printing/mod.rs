//! The terminal's printing layer (issue 21): receipts, reports and the
//! drawer's pulse on the cash desk's own printers, with the browser's print
//! dialog as the fallback. One capability per module:
//!
//! - [`service`]: `print(job, printers, options)`: the printer of the job's
//!   role from the desk's settings, laid out for its paper, encoded for its
//!   connection, sent within a deadline; `check` (status without printing),
//!   `pair` (choose a USB or serial device once per tablet).
//! - [`serial`] (Web Serial), [`usb`] (WebUSB, the printer class's bulk OUT
//!   endpoint), [`network`] (Epson ePOS-Print over HTTP): the transports.
//! - [`link`]: what serial and USB share: the printer's real-time status
//!   before a job, then the job.
//! - [`fallback`]: the browser's print dialog.
//! - [`remembered`]: which device is a printer's, per tablet (localStorage).
//! - [`deadline`]: every print ends by its deadline.
//! - [`error`]: `PrintError`, typed, and its words for the cashier.
//!
//! A print never blocks or loses a sale: the sale is stored first, a failed
//! print is an answer the screen shows with the fallback beside it, and
//! the history prints the receipt again. The layouts, encodings and status
//! parsers are possum-print's (plain Rust, tested natively); the drawer's
//! rule is `possum_register::drawer::opening`.
//!
//! Layering: below `screens/`, beside `sync/`; it uses `browser`-level APIs
//! only and no storage. The screens call it (see `service`).

pub mod deadline;
pub mod error;
pub mod fallback;
pub mod link;
pub mod network;
pub mod remembered;
pub mod serial;
pub mod service;
pub mod usb;

pub use error::PrintError;
pub use service::{check, choose, desk_printers, pair, print, prints_on_desk, Job, PrintOptions, Printed};
