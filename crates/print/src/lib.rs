//! Receipts and reports for the shop's receipt printer (issue 21).
//!
//! A layout ([`receipt::layout`], [`report::layout`]) builds a printer-independent
//! [`Document`]: lines of text with alignment, bold, double height and width;
//! the wash token as an EAN-13 barcode; the feedback link as a QR code; feed,
//! cut and the cash drawer's pulse. An encoder turns it into what a printer reads:
//!
//! - [`esc_pos::encode`]: ESC/POS bytes, for Epson TM, Star (in its ESC/POS
//!   mode) and compatible printers on USB or serial (Web USB, Web Serial) or a
//!   raw socket. Barcode (`GS k`), QR code (`GS ( k`), cut (`GS V`) and drawer
//!   pulse (`ESC p`) are the printer's own commands, so it renders them sharp.
//! - [`epos::encode`]: Epson ePOS-Print XML, posted to a network printer's
//!   HTTP interface ([`epos::SERVICE_PATH`]); [`epos::answer::parse`] reads the
//!   printer's answer.
//!
//! A printer's state (cover open, paper end or near end, offline, drawer)
//! comes back as a [`status::PrinterStatus`], from the ePOS answer's status
//! word or from ESC/POS real-time status bytes (`DLE EOT n`,
//! [`status::PrinterStatus::read_real_time`]); [`Words::problem`] says it in
//! words a cashier reads.
//!
//! **Code page.** ESC/POS text is sent in PC858 (`ESC t 19`) unless the
//! printer's settings name another (PC865 Nordic, PC850, PC437): see
//! [`code_page`] for why. The no-break space, narrow no-break space and minus
//! sign that locale formatting produces are printed as a space and a hyphen
//! ([`text::printable`]); a character the page lacks prints as `?`.
//!
//! **Swedish receipts (SKVFS 2014:9).** [`Words::SWEDISH`] and [`Words::ENGLISH`]
//! (amounts as `possum_register::money::format_in` writes them: "1 234,50 kr"
//! and "SEK 1,234.50"); a receipt carries the organisation number and sales
//! address from the settings, the register, the control unit and its code
//! ([`receipt::RegisterFacts`]), and a copy (KOPIA), training (ÖVNING) or pro
//! forma (EJ KVITTO) mark in double size ([`receipt::Mark`]); the X and Z day
//! reports of a register are [`report::day_layout`].
//!
//! **Golden files.** `tests/golden/` pins the ESC/POS bytes (`.bin`), the
//! ePOS-Print XML (`.xml`) and a plain-text preview (`.txt`) of a sale, a
//! refund, a copy and an X report at 58 and 80 mm, and of a Swedish sale, a
//! training receipt and a Z report. After a deliberate change
//! of layout or encoding, regenerate them and review the diff of the `.txt` and `.xml`:
//!
//! ```text
//! UPDATE_GOLDEN=1 cargo test -p possum-print --test golden
//! ```
//!
//! No I/O, threads or clocks: the crate builds for `wasm32-unknown-unknown` and
//! the terminal runs it in the browser; the transports are the terminal's.

pub mod code_page;
pub mod document;
pub mod epos;
pub mod esc_pos;
pub mod jobs;
pub mod receipt;
pub mod report;
pub mod status;
pub mod text;
pub mod words;

pub use document::{Align, Block, Document, Line, Paper, Size, Style};
pub use words::Words;
