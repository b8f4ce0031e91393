//! Printing a job on the cash desk's printer: choose the printer of the
//! job's role from the desk's settings (skipping misconfigured rows), lay
//! the job out for its paper with possum-print, encode it for its
//! connection (ESC/POS in its code page for USB and serial, ePOS-Print XML
//! for the network), send it within a deadline, and answer what happened.
//!
//! A failure is answered, never thrown past the sale: the caller has stored
//! the sale before printing, shows [`PrintError::words`] and offers the
//! browser's print dialog ([`super::fallback`]); the history prints again.

use super::deadline::Deadline;
use super::error::PrintError;
use super::link::Bytes;
use super::{network, serial, usb};
use possum_contract::printers::{Connection, Printer, PrinterRole};
use possum_contract::settings::TerminalSettings;
use possum_print::receipt::{self, Receipt};
use possum_print::report::{self, DayPaper, XReport};
use possum_print::status::PrinterProblem;
use possum_print::{epos, esc_pos, Block, Document, Paper};

/// How a print is made (leptos-use style: options with defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrintOptions {
    /// The whole job, from finding the device to the printer's answer, in ms.
    pub deadline_ms: u32,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions { deadline_ms: 10_000 }
    }
}

/// What is printed. A job is laid out only once its printer is known: the
/// paper width comes from the printer, and so does whether the drawer hangs on it.
#[derive(Debug, Clone)]
pub enum Job<'a> {
    /// A sale's or refund's receipt, or a copy (its `mark`). Its
    /// `drawer_attached` is set from the chosen printer.
    Receipt(Receipt<'a>),
    /// The shift's X report (the drawer screen).
    ShiftReport(XReport<'a>),
    /// The register's X or Z day report.
    DayReport(DayPaper<'a>),
    /// Only the drawer's pulse: cash in or out, or a manager's "open drawer"
    /// (the rule is `possum_register::drawer::opening`; the caller asked it first).
    OpenDrawer,
}

impl Job<'_> {
    pub fn role(&self) -> PrinterRole {
        match self {
            Job::Receipt(_) | Job::OpenDrawer => PrinterRole::Receipt,
            Job::ShiftReport(_) | Job::DayReport(_) => PrinterRole::Report,
        }
    }

    /// The job laid out for `printer`'s paper.
    pub fn document(&self, printer: &Printer, paper: Paper) -> Document {
        match self {
            Job::Receipt(r) => {
                receipt::layout(&Receipt { drawer_attached: printer.cash_drawer, ..r.clone() }, paper)
            }
            Job::ShiftReport(x) => report::layout(x, paper),
            Job::DayReport(day) => report::day_layout(day, paper),
            Job::OpenDrawer => {
                let mut doc = Document::new(paper);
                doc.drawer_kick();
                doc
            }
        }
    }
}

/// What a print did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    /// The printer's name in the settings.
    pub printer: String,
    /// The drawer's pulse was sent (and the printer took the job): record the
    /// opening (`Recorder::order_opening`, `cash_move_opening`, `manager_opening`).
    pub drawer_kicked: bool,
    /// What the printer warns of while it still prints (a paper roll nearly empty).
    pub warnings: Vec<PrinterProblem>,
}

/// The printers of this terminal's cash desk (none when the desk is not in the settings).
pub fn desk_printers(settings: &TerminalSettings, client_number: u8) -> &[Printer] {
    settings.cash_desk(client_number).map(|d| d.printers.as_slice()).unwrap_or_default()
}

/// Whether `printer` may take a job of `role`: a printer of that role, or
/// the receipt printer (a report on a desk without a report printer).
fn serves(printer: &Printer, role: &PrinterRole) -> bool {
    printer.role == *role || printer.role == PrinterRole::Receipt
}

/// Whether a job of `role` goes to one of the desk's `printers` rather than
/// the browser's print dialog. A misconfigured printer counts: its problem
/// is shown, with the browser's dialog beside it.
pub fn prints_on_desk(printers: &[Printer], role: PrinterRole) -> bool {
    printers.iter().any(|p| serves(p, &role))
}

/// The printer `job` goes to among a desk's `printers`: only rows without
/// problems count. A receipt prefers the printer with the drawer, a report
/// goes to a report printer or else to a receipt printer, the drawer's
/// pulse goes to the printer the drawer hangs on.
pub fn choose<'p>(printers: &'p [Printer], job: &Job<'_>) -> Result<&'p Printer, PrintError> {
    let usable = |p: &&Printer| p.problems().is_empty();
    let of_role = |role: PrinterRole| printers.iter().filter(move |p| p.role == role);
    let found = match job {
        Job::OpenDrawer => printers.iter().filter(|p| p.cash_drawer).find(usable),
        Job::Receipt(_) => of_role(PrinterRole::Receipt)
            .filter(|p| p.cash_drawer)
            .find(usable)
            .or_else(|| of_role(PrinterRole::Receipt).find(usable)),
        Job::ShiftReport(_) | Job::DayReport(_) => {
            of_role(PrinterRole::Report).find(usable).or_else(|| of_role(PrinterRole::Receipt).find(usable))
        }
    };
    if let Some(printer) = found {
        return Ok(printer);
    }
    let candidates: Vec<&Printer> = match job {
        Job::OpenDrawer => printers.iter().filter(|p| p.cash_drawer).collect(),
        _ => printers.iter().filter(|p| serves(p, &job.role())).collect(),
    };
    if candidates.is_empty() {
        return Err(PrintError::NoPrinter(match job {
            Job::OpenDrawer => "the cash drawer",
            Job::Receipt(_) => "receipts",
            Job::ShiftReport(_) | Job::DayReport(_) => "reports",
        }));
    }
    Err(PrintError::Misconfigured(candidates.iter().flat_map(|p| p.problems()).collect()))
}

/// Prints `job` on the right printer among the desk's `printers`.
pub async fn print(
    job: &Job<'_>,
    printers: &[Printer],
    options: PrintOptions,
) -> Result<Printed, PrintError> {
    let printer = choose(printers, job)?;
    let deadline = Deadline::after(options.deadline_ms);
    let paper = Paper::from_mm(printer.paper_width_mm)
        .ok_or_else(|| PrintError::Misconfigured(printer.problems()))?;
    let document = job.document(printer, paper);
    let warnings = match (job, &printer.connection) {
        // The drawer alone opens even when the printer cannot print (out of
        // paper after a cash sale: the change must still be given).
        (Job::OpenDrawer, Connection::Usb) => {
            usb::send(printer, Bytes::RealTime(&esc_pos::DRAWER_PULSE_REAL_TIME), deadline).await?
        }
        (Job::OpenDrawer, Connection::Serial) => {
            serial::send(printer, Bytes::RealTime(&esc_pos::DRAWER_PULSE_REAL_TIME), deadline).await?
        }
        _ => send(printer, &document, deadline).await?,
    };
    Ok(Printed {
        printer: printer.name.clone(),
        drawer_kicked: document.blocks().contains(&Block::DrawerKick),
        warnings,
    })
}

/// Sends a laid-out document to `printer` in the form its connection takes.
pub async fn send(
    printer: &Printer,
    document: &Document,
    deadline: Deadline,
) -> Result<Vec<PrinterProblem>, PrintError> {
    let escpos =
        || esc_pos::encode(document, &printer.code_page).map_err(|e| PrintError::Encode(e.to_string()));
    match &printer.connection {
        Connection::Network => {
            let address = printer.address.as_deref().unwrap_or_default();
            network::send(address, epos::encode(document), deadline).await
        }
        Connection::Usb => usb::send(printer, Bytes::Job(&escpos()?), deadline).await,
        Connection::Serial => serial::send(printer, Bytes::Job(&escpos()?), deadline).await,
        Connection::Unsupported(_) => Err(PrintError::Misconfigured(printer.problems())),
    }
}

/// The printer's state now, without printing (an empty job: a network
/// printer answers its status, a USB or serial one its real-time status).
/// What stops printing is the error; what only warns is the answer. A USB
/// or serial printer that does not answer status questions reads as ready.
pub async fn check(printer: &Printer, options: PrintOptions) -> Result<Vec<PrinterProblem>, PrintError> {
    let problems = printer.problems();
    if !problems.is_empty() {
        return Err(PrintError::Misconfigured(problems));
    }
    let paper = Paper::from_mm(printer.paper_width_mm).unwrap_or(Paper::Mm80);
    send(printer, &Document::new(paper), Deadline::after(options.deadline_ms)).await
}

/// Staff choose the device of a USB or serial `printer` on this tablet (from
/// a click: the browser's picker needs a user gesture). A network printer
/// needs no pairing: its address is in the settings.
pub async fn pair(printer: &Printer) -> Result<(), PrintError> {
    match printer.connection {
        Connection::Usb => usb::pair(printer).await.map(drop),
        Connection::Serial => serial::pair(printer).await.map(drop),
        Connection::Network => Ok(()),
        Connection::Unsupported(_) => Err(PrintError::Misconfigured(printer.problems())),
    }
}

/// Whether this browser can reach `printer` at all (Web Serial or WebUSB present).
pub fn reachable_here(printer: &Printer) -> bool {
    match printer.connection {
        Connection::Usb => usb::supported(),
        Connection::Serial => serial::supported(),
        Connection::Network => true,
        Connection::Unsupported(_) => false,
    }
}
