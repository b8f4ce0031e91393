//! What a Web Serial port and a WebUSB printer have in common once open: a
//! byte pipe to the printer and, when the printer talks back, from it. Here
//! is what is done with it the same way for both: ask the printer's state
//! before the job (ESC/POS real-time status, `DLE EOT n`), refuse to send a
//! job it cannot print, then send the job.

use super::deadline::within;
use super::error::PrintError;
use super::remembered::{self, DeviceId};
use js_sys::{Array, Reflect};
use possum_contract::printers::Printer;
use possum_print::status::{PrinterProblem, PrinterStatus, StatusRequest};
use wasm_bindgen::{JsCast, JsValue};

/// How long a printer gets to answer one status question. A printer
/// answers in a few milliseconds; a cable or adapter that carries no data
/// back (many do) never answers, and then the job is sent without a status.
pub const STATUS_ANSWER_MS: u32 = 400;

/// The questions asked before a job: online and drawer, cover and paper-end
/// stop, the paper roll's sensors.
const QUESTIONS: [StatusRequest; 3] =
    [StatusRequest::Printer, StatusRequest::OfflineCause, StatusRequest::RollPaper];

/// `navigator.<field>` (`serial`, `usb`), where the browser has it; `api`
/// names it in the error.
pub(crate) fn navigator_api(field: &str, api: &'static str) -> Result<JsValue, PrintError> {
    let navigator = web_sys::window().map(|w| w.navigator()).ok_or(PrintError::Unsupported(api))?;
    let value = Reflect::get(&navigator, &field.into()).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() || value.is_null() {
        return Err(PrintError::Unsupported(api));
    }
    Ok(value)
}

/// Which of the `granted` devices (the array `getPorts()` or `getDevices()`
/// answered) is `printer`'s ([`remembered::pick`]).
pub(crate) fn granted_device<T: JsCast>(
    granted: JsValue,
    printer: &Printer,
    id_of: impl Fn(&T) -> DeviceId,
) -> Result<T, PrintError> {
    let devices: Vec<T> = Array::from(&granted).iter().map(JsCast::unchecked_into).collect();
    let ids: Vec<DeviceId> = devices.iter().map(id_of).collect();
    let index = remembered::pick(remembered::recall(printer).as_ref(), &ids).ok_or(PrintError::NotPaired)?;
    Ok(devices.into_iter().nth(index).expect("pick answers an index of the list"))
}

/// An open connection to a printer.
pub(crate) trait Link {
    /// Writes all of `bytes`.
    async fn write(&self, bytes: &[u8]) -> Result<(), PrintError>;
    /// What the printer sent back since the last read, waiting for at least
    /// one byte; no deadline of its own ([`ask`] gives it one).
    async fn read(&self) -> Result<Vec<u8>, PrintError>;
}

/// The printer's state, or `None` when it does not answer status questions
/// (a one-way cable): the job is then sent blind and its fate is unknown.
/// An answer that is not a status byte is garbage.
pub(crate) async fn status(link: &impl Link) -> Result<Option<PrinterStatus>, PrintError> {
    let mut status = PrinterStatus::default();
    for question in QUESTIONS {
        link.write(&question.command()).await?;
        let answer = match within(STATUS_ANSWER_MS, link.read()).await {
            Ok(answer) => answer,
            Err(PrintError::Timeout(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        status.read_real_time(question, &answer).map_err(|e| PrintError::Garbage(e.to_string()))?;
    }
    Ok(Some(status))
}

/// What the printer reported that stops a job (worst first); a near end is a warning.
pub(crate) fn stopping(status: &PrinterStatus) -> Result<Vec<PrinterProblem>, PrintError> {
    if status.can_print() {
        Ok(status.problems())
    } else {
        Err(PrintError::Printer(
            status.problems().into_iter().filter(|p| *p != PrinterProblem::PaperNearEnd).collect(),
        ))
    }
}

/// What goes to a serial or USB printer.
#[derive(Debug, Clone, Copy)]
pub enum Bytes<'a> {
    /// A job: sent only when the printer's state allows printing.
    Job(&'a [u8]),
    /// A real-time command (the drawer's pulse alone): the printer runs it
    /// whatever its state, so it is sent without asking.
    RealTime(&'a [u8]),
}

/// Sends `bytes`; a job only after asking the state, and only if the printer
/// can print it. Answers the warnings (a near end) to show beside a receipt.
pub(crate) async fn send(link: &impl Link, bytes: Bytes<'_>) -> Result<Vec<PrinterProblem>, PrintError> {
    let (warnings, bytes) = match bytes {
        Bytes::RealTime(bytes) => (Vec::new(), bytes),
        Bytes::Job(job) => match status(link).await? {
            Some(status) => (stopping(&status)?, job),
            None => (Vec::new(), job),
        },
    };
    link.write(bytes).await?;
    Ok(warnings)
}
