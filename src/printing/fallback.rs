//! The browser's print dialog, when no printer is set or a print failed:
//! what the terminal did before issue 21, and still the way a receipt
//! reaches paper on any printer the tablet's system knows.
//!
//! It prints what `screens/receipt.rs` shows: its `ReceiptDialog` is the
//! receipt on screen, and the stylesheet's `@media print` keeps only the
//! receipt on the page. So a screen first shows the receipt (as it does
//! after every sale and in the history), then calls [`print_dialog`], as the
//! receipt's own Print button does.

/// Opens the browser's print dialog for the page as it is. The dialog is
/// the browser's: this returns when it opens (or, in some browsers, closes);
/// whether anything was printed is never known.
pub fn print_dialog() -> Result<(), String> {
    let window = web_sys::window().ok_or("no browser window")?;
    window.print().map_err(|e| format!("the browser would not print: {e:?}"))
}
