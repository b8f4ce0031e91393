//! A printer's state as plain values, from either of the two ways a printer
//! tells it: the status word of an ePOS-Print answer (Epson's ASB bits) and
//! the one-byte answers to ESC/POS real-time status requests (`DLE EOT n`).
//!
//! The drawer: both report the level of pin 3 of the drawer port. Epson's
//! default (`DRAWER_OPEN_LEVEL_LOW`) takes a low pin for an open drawer, and
//! so does [`PrinterStatus::drawer_open`].

use escpos::utils::{RealTimeStatusRequest, RealTimeStatusResponse};

/// The ASB bits of an ePOS-Print `status` (Epson ePOS-Print XML manual).
pub mod asb {
    pub const NO_RESPONSE: u32 = 0x0000_0001;
    pub const PRINT_SUCCESS: u32 = 0x0000_0002;
    /// Drawer port pin 3 is high.
    pub const DRAWER_KICK: u32 = 0x0000_0004;
    pub const OFF_LINE: u32 = 0x0000_0008;
    pub const COVER_OPEN: u32 = 0x0000_0020;
    pub const PAPER_FEED: u32 = 0x0000_0040;
    pub const WAIT_ON_LINE: u32 = 0x0000_0100;
    pub const PANEL_SWITCH: u32 = 0x0000_0200;
    pub const MECHANICAL_ERR: u32 = 0x0000_0400;
    pub const AUTOCUTTER_ERR: u32 = 0x0000_0800;
    pub const UNRECOVER_ERR: u32 = 0x0000_2000;
    pub const AUTORECOVER_ERR: u32 = 0x0000_4000;
    pub const RECEIPT_NEAR_END: u32 = 0x0002_0000;
    pub const RECEIPT_END: u32 = 0x0008_0000;
    pub const SPOOLER_IS_STOPPED: u32 = 0x8000_0000;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PrinterStatus {
    /// The printer did not answer the print server (ePOS only).
    pub no_response: bool,
    pub offline: bool,
    pub cover_open: bool,
    pub paper_end: bool,
    pub paper_near_end: bool,
    pub drawer_open: bool,
    pub cutter_error: bool,
    pub mechanical_error: bool,
    pub unrecoverable_error: bool,
}

/// What a cashier is told about a printer, worst first ([`crate::Words::problem`] has the words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrinterProblem {
    NoResponse,
    PaperEnd,
    CoverOpen,
    CutterError,
    Unrecoverable,
    Offline,
    /// A warning: it still prints.
    PaperNearEnd,
}

impl PrinterStatus {
    /// The state an ePOS-Print answer's `status` word describes.
    pub fn from_asb(bits: u32) -> PrinterStatus {
        let has = |bit: u32| bits & bit != 0;
        PrinterStatus {
            no_response: has(asb::NO_RESPONSE),
            offline: has(asb::OFF_LINE),
            cover_open: has(asb::COVER_OPEN),
            paper_end: has(asb::RECEIPT_END),
            paper_near_end: has(asb::RECEIPT_NEAR_END),
            drawer_open: !has(asb::DRAWER_KICK),
            cutter_error: has(asb::AUTOCUTTER_ERR),
            mechanical_error: has(asb::MECHANICAL_ERR),
            unrecoverable_error: has(asb::UNRECOVER_ERR),
        }
    }

    /// What is wrong, worst first; empty when the printer is ready.
    pub fn problems(&self) -> Vec<PrinterProblem> {
        [
            (self.no_response, PrinterProblem::NoResponse),
            (self.paper_end, PrinterProblem::PaperEnd),
            (self.cover_open, PrinterProblem::CoverOpen),
            (self.cutter_error, PrinterProblem::CutterError),
            (self.unrecoverable_error || self.mechanical_error, PrinterProblem::Unrecoverable),
            (self.offline, PrinterProblem::Offline),
            (self.paper_near_end, PrinterProblem::PaperNearEnd),
        ]
        .into_iter()
        .filter_map(|(set, problem)| set.then_some(problem))
        .collect()
    }

    /// Whether a job sent now would print (a near end still prints).
    pub fn can_print(&self) -> bool {
        self.problems().iter().all(|p| *p == PrinterProblem::PaperNearEnd)
    }

    /// Folds the answer to a real-time status request into this state; the
    /// fields the request does not cover keep their values. `answer` is what
    /// the printer sent back: exactly one status byte.
    pub fn read_real_time(&mut self, request: StatusRequest, answer: &[u8]) -> Result<(), StatusError> {
        let byte = match answer {
            [] => return Err(StatusError::NoAnswer),
            [byte] => *byte,
            more => return Err(StatusError::Length(more.len())),
        };
        let flags = RealTimeStatusResponse::parse(request.escpos(), byte)
            .map_err(|_| StatusError::NotAStatus(byte))?;
        let flag = |f: RealTimeStatusResponse| flags.get(&f).copied().unwrap_or(false);
        match request {
            StatusRequest::Printer => {
                self.offline = !flag(RealTimeStatusResponse::Online);
                self.drawer_open = flag(RealTimeStatusResponse::DrawerKickOutConnectorPin3Low);
            }
            StatusRequest::OfflineCause => {
                self.cover_open = !flag(RealTimeStatusResponse::CoverClosed);
                self.paper_end = flag(RealTimeStatusResponse::PrintingStopsDueToPaperEnd);
            }
            StatusRequest::ErrorCause => {
                self.cutter_error = flag(RealTimeStatusResponse::AutocutterErrorOccurred);
                self.unrecoverable_error = flag(RealTimeStatusResponse::UnrecoverableErrorOccurred);
                self.mechanical_error = flag(RealTimeStatusResponse::RecoverableErrorOccurred);
            }
            StatusRequest::RollPaper => {
                self.paper_near_end = !flag(RealTimeStatusResponse::RollPaperNearEndSensorPaperAdequate);
                self.paper_end = !flag(RealTimeStatusResponse::RollPaperEndSensorPaperPresent);
            }
        }
        Ok(())
    }
}

/// The real-time status an ESC/POS printer is asked for (`DLE EOT n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusRequest {
    /// n = 1: online, drawer pin 3.
    Printer,
    /// n = 2: cover, paper end stop.
    OfflineCause,
    /// n = 3: cutter, unrecoverable errors.
    ErrorCause,
    /// n = 4: roll paper near end and end.
    RollPaper,
}

impl StatusRequest {
    pub const ALL: [StatusRequest; 4] = [
        StatusRequest::Printer,
        StatusRequest::OfflineCause,
        StatusRequest::ErrorCause,
        StatusRequest::RollPaper,
    ];

    fn escpos(self) -> RealTimeStatusRequest {
        match self {
            StatusRequest::Printer => RealTimeStatusRequest::Printer,
            StatusRequest::OfflineCause => RealTimeStatusRequest::OfflineCause,
            StatusRequest::ErrorCause => RealTimeStatusRequest::ErrorCause,
            StatusRequest::RollPaper => RealTimeStatusRequest::RollPaperSensor,
        }
    }

    /// The bytes that ask for it: `DLE EOT n`.
    pub fn command(self) -> [u8; 3] {
        let (n, _) = <(u8, u8)>::from(self.escpos());
        [0x10, 0x04, n]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusError {
    #[error("the printer sent nothing back")]
    NoAnswer,
    #[error("the printer sent {0} bytes where one status byte was expected")]
    Length(usize),
    #[error("{0:#04x} is not a status byte (its fixed bits are not 0xx1xx10)")]
    NotAStatus(u8),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_epos_status_word_becomes_plain_values() {
        // What a TM printer answers when all is well: printed, drawer closed (pin 3 high), online.
        let ready = PrinterStatus::from_asb(asb::PRINT_SUCCESS | asb::DRAWER_KICK | 0x0F00_0000);
        assert_eq!(ready, PrinterStatus::default());
        assert!(ready.can_print() && ready.problems().is_empty());

        let empty = PrinterStatus::from_asb(asb::OFF_LINE | asb::RECEIPT_END | asb::DRAWER_KICK);
        assert!(empty.paper_end && empty.offline && !empty.drawer_open);
        assert_eq!(empty.problems(), vec![PrinterProblem::PaperEnd, PrinterProblem::Offline]);
        assert!(!empty.can_print());

        let cover = PrinterStatus::from_asb(asb::OFF_LINE | asb::COVER_OPEN);
        assert_eq!(cover.problems(), vec![PrinterProblem::CoverOpen, PrinterProblem::Offline]);
        assert!(cover.drawer_open, "pin 3 low: the drawer is open");

        let low = PrinterStatus::from_asb(asb::PRINT_SUCCESS | asb::DRAWER_KICK | asb::RECEIPT_NEAR_END);
        assert_eq!(low.problems(), vec![PrinterProblem::PaperNearEnd]);
        assert!(low.can_print());

        let silent = PrinterStatus::from_asb(asb::NO_RESPONSE);
        assert_eq!(silent.problems()[0], PrinterProblem::NoResponse);
        let broken = PrinterStatus::from_asb(asb::AUTOCUTTER_ERR | asb::UNRECOVER_ERR | asb::DRAWER_KICK);
        assert_eq!(broken.problems(), vec![PrinterProblem::CutterError, PrinterProblem::Unrecoverable]);
    }

    #[test]
    fn real_time_status_bytes_fill_in_the_state() {
        assert_eq!(StatusRequest::Printer.command(), [0x10, 0x04, 1]);
        assert_eq!(StatusRequest::RollPaper.command(), [0x10, 0x04, 4]);

        let mut status = PrinterStatus::default();
        // n=1: 0b0001_1110 = offline (bit 3), pin 3 high (bit 2).
        status.read_real_time(StatusRequest::Printer, &[0b0001_1110]).unwrap();
        assert!(status.offline && !status.drawer_open);
        // n=2: cover open (bit 2) and stopped for paper end (bit 5).
        status.read_real_time(StatusRequest::OfflineCause, &[0b0011_0110]).unwrap();
        assert!(status.cover_open && status.paper_end);
        // n=3: autocutter error (bit 3).
        status.read_real_time(StatusRequest::ErrorCause, &[0b0001_1010]).unwrap();
        assert!(status.cutter_error && !status.unrecoverable_error);
        // n=4: near end (bits 2, 3), paper present (bits 5, 6 clear).
        status.read_real_time(StatusRequest::RollPaper, &[0b0001_1110]).unwrap();
        assert!(status.paper_near_end && !status.paper_end);
        // All clear again.
        status.read_real_time(StatusRequest::Printer, &[0b0001_0010]).unwrap();
        status.read_real_time(StatusRequest::OfflineCause, &[0b0001_0010]).unwrap();
        assert!(!status.offline && status.drawer_open && !status.cover_open);
    }

    #[test]
    fn garbage_is_no_status_and_changes_nothing() {
        let mut status = PrinterStatus { paper_near_end: true, ..PrinterStatus::default() };
        let before = status;
        assert_eq!(status.read_real_time(StatusRequest::Printer, &[]), Err(StatusError::NoAnswer));
        assert_eq!(status.read_real_time(StatusRequest::Printer, &[0x12, 0x12]), Err(StatusError::Length(2)));
        // Fixed bits wrong: bit 0 set, bit 1 clear, bit 4 clear, bit 7 set.
        for byte in [0x00, 0xFF, 0x13, 0x02, 0x92] {
            assert_eq!(
                status.read_real_time(StatusRequest::RollPaper, &[byte]),
                Err(StatusError::NotAStatus(byte)),
                "{byte:#04x}"
            );
        }
        assert_eq!(status, before);
    }
}
