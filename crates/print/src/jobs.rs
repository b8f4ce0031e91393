//! What the till prints besides its receipts and reports (issue 21): what
//! a printout is as the cashier's messages name it, which mark a receipt
//! printed from the screen carries, and the test page of the Terminal screen.

use crate::document::{Document, Paper, Size, Style};
use crate::receipt::Mark;
use possum_contract::activity::OrderKind;

/// What a print was for, as the cashier reads of it when it fails: a
/// sale's receipt, a refund's, or a report ([`crate::Words::fallback`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printout {
    Sale,
    Refund,
    Report,
}

impl Printout {
    /// The receipt of an order of `kind`.
    pub fn receipt(kind: OrderKind) -> Printout {
        match kind {
            OrderKind::Sale => Printout::Sale,
            OrderKind::Refund => Printout::Refund,
        }
    }
}

/// The mark of a receipt printed from the receipt dialog: the original once
/// (after a sale or refund, and again only while the printer never took it),
/// then a copy; a reprint from the history is always a copy. So a second
/// tap on Print never prints a second original nor opens the drawer again.
pub fn receipt_mark(reprint: bool, original_printed: bool) -> Mark {
    if reprint || original_printed {
        Mark::Copy
    } else {
        Mark::Original
    }
}

/// A test page for `printer` (its name in the settings) on `paper`: the
/// name, the paper width and code page, a line of Swedish letters and the
/// time (`printed_at`, as staff read it), then the cut. It opens no drawer.
pub fn test_page(printer: &str, code_page: &str, paper: Paper, printed_at: &str) -> Document {
    let mut doc = Document::new(paper);
    doc.text("TEST PRINT", Style::CENTER.bold().size(Size::DoubleHeight))
        .text(printer, Style::CENTER)
        .rule()
        .pair("Paper", &format!("{} mm", paper.mm()), Style::PLAIN)
        .pair("Code page", code_page, Style::PLAIN)
        .pair("Printed", printed_at, Style::PLAIN)
        .text("Å Ä Ö å ä ö é ü €", Style::PLAIN)
        .feed(2);
    doc.cut();
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Block;
    use crate::Words;

    #[test]
    fn a_failed_print_says_what_is_complete_for_each_kind() {
        let (sale, refund) = (Printout::receipt(OrderKind::Sale), Printout::receipt(OrderKind::Refund));
        assert_eq!((sale, refund), (Printout::Sale, Printout::Refund));
        let en = &Words::ENGLISH;
        assert!(en.fallback(sale).starts_with("The sale is complete."));
        assert!(en.fallback(refund).starts_with("The refund is complete."));
        assert!(!en.fallback(refund).contains("sale"));
        let report = en.fallback(Printout::Report);
        assert!(report.contains("report") && !report.contains("sale") && !report.contains("receipt"));
        let sv = &Words::SWEDISH;
        assert!(sv.fallback(sale).starts_with("Köpet är klart."));
        assert!(sv.fallback(refund).starts_with("Returen är klar."));
        assert!(sv.fallback(Printout::Report).contains("rapporten"));
        // What only a printer says stays true of a report as of a receipt.
        for w in [en, sv] {
            assert!(!w.printer_garbage.contains("kvitto") && !w.printer_garbage.contains("receipt"));
            assert!(
                !w.printer_cannot_encode.contains("vitto") && !w.printer_cannot_encode.contains("eceipt")
            );
        }
    }

    #[test]
    fn the_original_prints_once_then_copies() {
        assert_eq!(receipt_mark(false, false), Mark::Original);
        assert_eq!(receipt_mark(false, true), Mark::Copy);
        assert_eq!(receipt_mark(true, false), Mark::Copy);
        assert_eq!(receipt_mark(true, true), Mark::Copy);
    }

    #[test]
    fn a_test_page_names_its_printer_cuts_and_opens_no_drawer() {
        let doc = test_page("Counter", "Pc858", Paper::Mm58, "2026-12-03 14:00");
        let preview = doc.preview();
        assert!(preview.contains("Counter") && preview.contains("58 mm") && preview.contains("å ä ö"));
        assert!(doc.blocks().contains(&Block::Cut));
        assert!(!doc.blocks().contains(&Block::DrawerKick));
    }
}
