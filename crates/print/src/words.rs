//! Every word this crate prints or says, in one place. A language is one
//! value of [`Words`]; issue 20 (the Swedish market) adds Swedish beside
//! [`Words::ENGLISH`] without touching a layout.

use crate::status::PrinterProblem;
use possum_contract::sale::PaymentMethod;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub receipt: &'static str,
    pub refund: &'static str,
    /// The mark of a reprint, printed at twice the height of the amounts.
    pub copy: &'static str,
    pub invoice: &'static str,
    pub date: &'static str,
    pub cashier: &'static str,
    pub sold_offline: &'static str,
    pub discount: &'static str,
    pub rounding: &'static str,
    pub total: &'static str,
    /// "VAT 25% of 400.00 SEK".
    pub vat: &'static str,
    pub of: &'static str,
    pub received: &'static str,
    pub change: &'static str,
    pub wash_token: &'static str,
    pub token_pending: &'static str,
    pub feedback: &'static str,
    pub x_report: &'static str,
    pub shift_opened: &'static str,
    pub opened_by: &'static str,
    pub printed: &'static str,
    pub sales: &'static str,
    pub refunds: &'static str,
    pub turnover: &'static str,
    pub payments: &'static str,
    pub cash_in: &'static str,
    pub cash_out: &'static str,
    pub expected_in_drawer: &'static str,
    pub cash: &'static str,
    pub card: &'static str,
    pub credit: &'static str,
    pub prepaid: &'static str,
    pub swish: &'static str,
    pub birthday_wash: &'static str,
    pub subscription: &'static str,
    pub unknown_method: &'static str,
    pub printer_no_response: &'static str,
    pub printer_offline: &'static str,
    pub printer_cover_open: &'static str,
    pub printer_paper_end: &'static str,
    pub printer_paper_near_end: &'static str,
    pub printer_cutter: &'static str,
    pub printer_broken: &'static str,
}

impl Words {
    pub const ENGLISH: Words = Words {
        receipt: "RECEIPT",
        refund: "REFUND",
        copy: "COPY",
        invoice: "Invoice",
        date: "Date",
        cashier: "Cashier",
        sold_offline: "Sold offline",
        discount: "Discount",
        rounding: "Rounding",
        total: "TOTAL",
        vat: "VAT",
        of: "of",
        received: "Received",
        change: "Change",
        wash_token: "Wash token",
        token_pending: "The wash token will be issued when the terminal is back online; it will appear in the sale history.",
        feedback: "Tell us how we did:",
        x_report: "X REPORT",
        shift_opened: "Shift opened",
        opened_by: "Opened by",
        printed: "Printed",
        sales: "Sales",
        refunds: "Refunds",
        turnover: "Turnover",
        payments: "Payments",
        cash_in: "Cash in",
        cash_out: "Cash out",
        expected_in_drawer: "Expected in the drawer",
        cash: "Cash",
        card: "Card",
        credit: "Customer credit",
        prepaid: "Prepaid card",
        swish: "Swish",
        birthday_wash: "Birthday wash",
        subscription: "Wash club",
        unknown_method: "Unknown method",
        printer_no_response: "The printer does not answer.",
        printer_offline: "The printer is offline.",
        printer_cover_open: "The printer's cover is open: close it.",
        printer_paper_end: "The printer is out of paper: put in a new roll.",
        printer_paper_near_end: "The printer's paper roll is nearly empty.",
        printer_cutter: "The printer's cutter is stuck: open the cover and clear it.",
        printer_broken: "The printer reports an error it cannot recover from: switch it off and on.",
    };

    pub fn method(&self, method: PaymentMethod) -> &'static str {
        match method {
            PaymentMethod::CashPayment => self.cash,
            PaymentMethod::CardPayment => self.card,
            PaymentMethod::CreditPayment => self.credit,
            PaymentMethod::PrepaidPayment => self.prepaid,
            PaymentMethod::SwishPayment => self.swish,
            PaymentMethod::BirthdayWashPayment => self.birthday_wash,
            PaymentMethod::SubscriptionPayment => self.subscription,
            PaymentMethod::Unsupported(_) => self.unknown_method,
        }
    }

    /// What the cashier reads about a printer's state.
    pub fn problem(&self, problem: PrinterProblem) -> &'static str {
        match problem {
            PrinterProblem::NoResponse => self.printer_no_response,
            PrinterProblem::Offline => self.printer_offline,
            PrinterProblem::CoverOpen => self.printer_cover_open,
            PrinterProblem::PaperEnd => self.printer_paper_end,
            PrinterProblem::PaperNearEnd => self.printer_paper_near_end,
            PrinterProblem::CutterError => self.printer_cutter,
            PrinterProblem::Unrecoverable => self.printer_broken,
        }
    }
}

impl Default for Words {
    fn default() -> Self {
        Words::ENGLISH
    }
}
