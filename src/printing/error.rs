//! Why a print failed, as a type a screen can match on and in words a
//! cashier reads: [`PrintError::text`] and [`problem_text`] in the language
//! on screen (`sync.printer.*` in `locales/`). `Display` is the developer's
//! account, for device logs. (Receipts themselves are printed in the
//! tenant's receipt language, `possum_print::Words`.)

use crate::i18n::*;
use crate::language;
use possum_print::jobs::Printout;
use possum_print::status::PrinterProblem;
use possum_print::Words;
use wasm_bindgen::{JsCast, JsValue};

/// A print that did not happen (or may not have). The sale or refund it
/// was for is complete and stored either way: the screen offers the browser's print
/// dialog ([`super::fallback`]) and the history prints it again later.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    /// The cash desk has no usable printer for this job: print in the browser.
    #[error("no printer is set for {0} on this cash desk")]
    NoPrinter(&'static str),
    /// Every printer for the job is misconfigured; each problem in the settings' words.
    #[error("the printer settings are wrong: {}", .0.join(" "))]
    Misconfigured(Vec<String>),
    /// This browser (or page) has no Web Serial or WebUSB.
    #[error("this browser has no {0}")]
    Unsupported(&'static str),
    /// No device has been chosen for this printer on this tablet (or its permission was revoked).
    #[error("the printer has not been chosen on this tablet")]
    NotPaired,
    /// Another tab or program holds the device.
    #[error("the printer is in use: {0}")]
    Busy(String),
    /// The device went away before or while printing.
    #[error("the printer was disconnected: {0}")]
    Gone(String),
    /// No answer within the deadline (ms); the job may or may not have printed.
    #[error("the printer did not answer within {0} ms")]
    Timeout(u32),
    /// A network printer that cannot be reached (no route, refused, blocked by the browser).
    #[error("the printer cannot be reached: {0}")]
    Unreachable(String),
    /// An answer that is not a printer's; the job may or may not have printed.
    #[error("the printer's answer makes no sense: {0}")]
    Garbage(String),
    /// The printer said why it cannot print (worst first).
    #[error("the printer cannot print: {0:?}")]
    Printer(Vec<PrinterProblem>),
    /// The printer refused the job without a status reason (its code, or the HTTP status).
    #[error("the printer refused the job: {0}")]
    Refused(String),
    /// The document could not be made for this printer (a code page it lacks).
    #[error("the printout could not be made for this printer: {0}")]
    Encode(String),
}

/// What the printer said of itself, in `locale`.
pub fn problem_text(problem: PrinterProblem, locale: Locale) -> &'static str {
    match problem {
        PrinterProblem::NoResponse => td_string!(locale, sync.printer.no_response),
        PrinterProblem::Offline => td_string!(locale, sync.printer.offline),
        PrinterProblem::CoverOpen => td_string!(locale, sync.printer.cover_open),
        PrinterProblem::PaperEnd => td_string!(locale, sync.printer.paper_end),
        PrinterProblem::PaperNearEnd => td_string!(locale, sync.printer.paper_near_end),
        PrinterProblem::CutterError => td_string!(locale, sync.printer.cutter),
        PrinterProblem::Unrecoverable => td_string!(locale, sync.printer.broken),
    }
}

/// That what was printed is safe and how else to print it, in `locale`.
fn fallback_text(what: Printout, locale: Locale) -> &'static str {
    match what {
        Printout::Sale => td_string!(locale, sync.printer.fallback_sale),
        Printout::Refund => td_string!(locale, sync.printer.fallback_refund),
        Printout::Report => td_string!(locale, sync.printer.fallback_report),
    }
}

impl PrintError {
    /// What the cashier reads after a failed print of `what`, in `locale`:
    /// what went wrong, then that the sale or refund is complete (a report:
    /// nothing to complete) and how else to print it.
    pub fn text(&self, locale: Locale, what: Printout) -> String {
        format!("{} {}", self.problem_text(locale), fallback_text(what, locale))
    }

    /// What went wrong alone, in `locale` (a test print, a check, the
    /// drawer's pulse: nothing else to speak of).
    pub fn problem_text(&self, locale: Locale) -> String {
        let words = |w: &'static str| w.to_string();
        match self {
            PrintError::NoPrinter(_) => words(td_string!(locale, sync.printer.none)),
            PrintError::Misconfigured(problems) => {
                format!("{} {}", td_string!(locale, sync.printer.misconfigured), problems.join(" "))
            }
            PrintError::Unsupported(_) => words(td_string!(locale, sync.printer.unsupported)),
            PrintError::NotPaired => words(td_string!(locale, sync.printer.not_paired)),
            PrintError::Busy(_) => words(td_string!(locale, sync.printer.busy)),
            PrintError::Gone(_) => words(td_string!(locale, sync.printer.gone)),
            PrintError::Timeout(_) => words(td_string!(locale, sync.printer.no_response)),
            PrintError::Unreachable(_) => words(td_string!(locale, sync.printer.unreachable)),
            PrintError::Garbage(_) => words(td_string!(locale, sync.printer.garbage)),
            PrintError::Printer(problems) if problems.is_empty() => {
                words(td_string!(locale, sync.printer.refused))
            }
            // A TM printer goes offline when out of paper or with its cover
            // open: "offline" is said only when nothing else explains it.
            PrintError::Printer(problems) => problems
                .iter()
                .filter(|p| problems.len() == 1 || **p != PrinterProblem::Offline)
                .map(|p| problem_text(*p, locale))
                .collect::<Vec<_>>()
                .join(" "),
            PrintError::Refused(_) => words(td_string!(locale, sync.printer.refused)),
            PrintError::Encode(why) => format!("{} {why}", td_string!(locale, sync.printer.cannot_encode)),
        }
    }

    /// [`PrintError::text`] in the language of `w` (callers that still hold
    /// a `Words`; a screen passes its own language to `text` instead).
    pub fn words(&self, w: &Words, what: Printout) -> String {
        self.text(language::of_tag(w.lang), what)
    }

    /// [`PrintError::problem_text`] in the language of `w`.
    pub fn problem_words(&self, w: &Words) -> String {
        self.problem_text(language::of_tag(w.lang))
    }

    /// Whether the job may have printed all the same (the printer was asked
    /// and its answer was lost): the screen says so rather than "not printed".
    pub fn may_have_printed(&self) -> bool {
        matches!(self, PrintError::Timeout(_) | PrintError::Garbage(_) | PrintError::Gone(_))
    }

    /// A failure of a Web Serial or WebUSB call, by the `DOMException` name the
    /// specifications give it.
    pub(crate) fn from_device(error: JsValue) -> PrintError {
        let (name, message) = match error.dyn_ref::<js_sys::Error>() {
            Some(e) => (String::from(e.name()), String::from(e.message())),
            None => (String::new(), error.as_string().unwrap_or_else(|| format!("{error:?}"))),
        };
        match name.as_str() {
            // No device chosen in the picker, or it is no longer there.
            "NotFoundError"
                if message.contains("No port selected") || message.contains("No device selected") =>
            {
                PrintError::NotPaired
            }
            "NotFoundError" | "NetworkError" => PrintError::Gone(message),
            "InvalidStateError" => PrintError::Busy(message),
            // No user gesture, or the page may not use the API (permissions policy, insecure origin).
            "SecurityError" | "NotAllowedError" => PrintError::NotPaired,
            "AbortError" => PrintError::Gone(message),
            _ => PrintError::Gone(if name.is_empty() { message } else { format!("{name}: {message}") }),
        }
    }
}
