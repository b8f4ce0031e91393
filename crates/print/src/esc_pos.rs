//! A [`Document`] as ESC/POS bytes, for a printer on USB, serial or a raw socket.
//!
//! The commands come from the `escpos` crate (built without its drivers: it
//! only appends bytes to a buffer here, so it runs in the browser too). Two
//! things are written here instead: the text, in the code page of
//! [`crate::code_page`], and the drawer pulse, because the crate's `ESC p`
//! stops after the pin (three bytes of five): a printer would take the next
//! two bytes of the receipt for the pulse's times.

use crate::code_page::{self, UnsupportedCodePage};
use crate::document::{Align, Block, Document, Size, Style};
use core::cell::RefCell;
use escpos::driver::Driver;
use escpos::printer::Printer;
use escpos::utils::{
    BarcodeFont, BarcodeHeight, BarcodeOption, BarcodePosition, BarcodeWidth, JustifyMode, Protocol,
    QRCodeCorrectionLevel, QRCodeModel, QRCodeOption,
};
use possum_contract::printers::CodePage;

/// `ESC p m t1 t2`: a pulse on pin 2 (m = 0, the drawer port's first drawer),
/// on for 100 ms (t1 × 2 ms), then off for 200 ms (t2 × 2 ms) — the ePOS
/// `pulse_100` of [`crate::epos`].
pub const DRAWER_KICK: [u8; 5] = [0x1B, b'p', 0, 50, 100];

/// `DLE DC4 1 m t`: the same pulse as a real-time command (pin 2, 100 ms):
/// the printer runs it at once, even while it cannot print (out of paper,
/// cover open), where it would keep `ESC p` in its buffer. For opening the
/// drawer alone, so a cash sale can give change when the receipt could not print.
pub const DRAWER_PULSE_REAL_TIME: [u8; 5] = [0x10, 0x14, 1, 0, 1];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error(transparent)]
    CodePage(#[from] UnsupportedCodePage),
    #[error("the ESC/POS command could not be made: {0}")]
    Command(String),
}

impl From<escpos::errors::PrinterError> for EncodeError {
    fn from(e: escpos::errors::PrinterError) -> Self {
        EncodeError::Command(e.to_string())
    }
}

/// Collects what the `escpos` printer would send.
#[derive(Default)]
struct Bytes(RefCell<Vec<u8>>);

impl Driver for Bytes {
    fn name(&self) -> String {
        "bytes".into()
    }

    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }

    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }

    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

fn justify(align: Align) -> JustifyMode {
    match align {
        Align::Left => JustifyMode::LEFT,
        Align::Center => JustifyMode::CENTER,
        Align::Right => JustifyMode::RIGHT,
    }
}

/// `(width, height)` multipliers of `GS !`.
fn magnification(size: Size) -> (u8, u8) {
    (if size.double_width() { 2 } else { 1 }, if size.double_height() { 2 } else { 1 })
}

fn align(printer: &mut Printer<Bytes>, current: &mut Style, wanted: Align) -> Result<(), EncodeError> {
    if current.align != wanted {
        current.align = wanted;
        printer.justify(justify(wanted))?;
    }
    Ok(())
}

/// The whole job: initialise (`ESC @`), select the code page (`ESC t n`),
/// then each block. A style command is sent only when the style changes.
pub fn encode(doc: &Document, page: &CodePage) -> Result<Vec<u8>, EncodeError> {
    let page_code = code_page::page_code(page).ok_or_else(|| UnsupportedCodePage(page.name().to_string()))?;
    let mut printer = Printer::new(Bytes::default(), Protocol::default(), None);
    printer.init()?.page_code(page_code)?;
    // What `ESC @` leaves: left, not bold, normal size.
    let mut current = Style::PLAIN;
    for block in doc.blocks() {
        match block {
            Block::Text(line) => {
                align(&mut printer, &mut current, line.style.align)?;
                if current.bold != line.style.bold {
                    printer.bold(line.style.bold)?;
                }
                if current.size != line.style.size {
                    let (w, h) = magnification(line.style.size);
                    printer.size(w, h)?;
                }
                current = line.style;
                printer.custom(&code_page::encode(&line.text, page)?)?.feed()?;
            }
            Block::Ean13(code) => {
                align(&mut printer, &mut current, Align::Center)?;
                let option = BarcodeOption::new(
                    BarcodeWidth::M,
                    BarcodeHeight::M,
                    BarcodeFont::A,
                    BarcodePosition::Below,
                );
                printer.ean13_option(code, option)?;
            }
            Block::Qr(data) => {
                align(&mut printer, &mut current, Align::Center)?;
                let module = doc.paper().qr_module();
                printer.qrcode_option(
                    data,
                    QRCodeOption::new(QRCodeModel::Model2, module, QRCodeCorrectionLevel::M),
                )?;
            }
            Block::Feed(lines) => {
                printer.feeds(*lines)?;
            }
            Block::Cut => {
                printer.cut()?;
            }
            Block::DrawerKick => {
                printer.custom(&DRAWER_KICK)?;
            }
        }
    }
    printer.print()?;
    Ok(printer.driver().0.into_inner())
}

/// The largest WebUSB transfer a job is cut into, in bytes. A TM printer's
/// receive buffer is a few KB; transfers of this size keep a job's deadline
/// meaningful and let a vanished printer fail the next transfer, not the whole job.
pub const MAX_USB_TRANSFER: usize = 4_096;

/// The size of each transfer to a USB bulk OUT endpoint of `packet_size`
/// bytes: the most whole packets that fit in [`MAX_USB_TRANSFER`] (64 bytes,
/// a full-speed packet, when the endpoint says 0).
pub fn usb_transfer_size(packet_size: usize) -> usize {
    let packet = if packet_size == 0 { 64 } else { packet_size.min(MAX_USB_TRANSFER) };
    MAX_USB_TRANSFER / packet * packet
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Paper;

    fn bytes(build: impl FnOnce(&mut Document)) -> Vec<u8> {
        let mut doc = Document::new(Paper::Mm80);
        build(&mut doc);
        encode(&doc, &CodePage::Pc858).unwrap()
    }

    /// What every job starts with: ESC @, ESC t 19.
    const START: [u8; 5] = [0x1B, b'@', 0x1B, b't', 19];

    #[test]
    fn text_is_styled_only_when_the_style_changes() {
        let out = bytes(|d| {
            d.text("Åre", Style::CENTER.bold().size(Size::Double))
                .text("Kaffe", Style::CENTER.bold().size(Size::Double))
                .text("öl", Style::PLAIN);
        });
        let mut expected = START.to_vec();
        expected.extend([0x1B, b'a', 1, 0x1B, b'E', 1, 0x1D, b'!', 0x11]);
        expected.extend([0x8F, b'r', b'e', 0x1B, b'd', 1]);
        expected.extend(b"Kaffe\x1Bd\x01");
        expected.extend([0x1B, b'a', 0, 0x1B, b'E', 0, 0x1D, b'!', 0x00]);
        expected.extend([0x94, b'l', 0x1B, b'd', 1]);
        assert_eq!(out, expected);
    }

    #[test]
    fn the_token_is_the_printers_own_ean13_and_the_link_its_own_qr_code() {
        let out = bytes(|d| {
            d.ean13("7310000000010").unwrap();
            d.qr("https://fb.example/r/1").unwrap();
        });
        let mut expected = START.to_vec();
        expected.extend([0x1B, b'a', 1]);
        // GS w 3, GS h 153, GS f 0 (font A), GS H 2 (digits below), GS k 2 (EAN-13) digits NUL.
        expected.extend([0x1D, b'w', 3, 0x1D, b'h', 153, 0x1D, b'f', 0, 0x1D, b'H', 2, 0x1D, b'k', 2]);
        expected.extend(b"7310000000010\0");
        // GS ( k: model 2, module 6 dots, level M, store 22 bytes (pL = 22 + 3), print.
        expected.extend([0x1D, b'(', b'k', 4, 0, 49, 65, 50, 0]);
        expected.extend([0x1D, b'(', b'k', 3, 0, 49, 67, 6]);
        expected.extend([0x1D, b'(', b'k', 3, 0, 49, 69, 49]);
        expected.extend([0x1D, b'(', b'k', 25, 0, 49, 80, 48]);
        expected.extend(b"https://fb.example/r/1");
        expected.extend([0x1D, b'(', b'k', 3, 0, 49, 81, 48]);
        assert_eq!(out, expected);
    }

    #[test]
    fn the_drawer_pulse_is_five_bytes_and_the_cut_feeds_first() {
        let out = bytes(|d| {
            d.drawer_kick().feed(3).cut();
        });
        let mut expected = START.to_vec();
        expected.extend([0x1B, b'p', 0, 50, 100]);
        expected.extend([0x1B, b'd', 3]);
        expected.extend([0x1D, b'V', b'A', 0]);
        assert_eq!(out, expected);
    }

    #[test]
    fn usb_transfers_are_whole_packets() {
        assert_eq!(usb_transfer_size(64), 4_096);
        assert_eq!(usb_transfer_size(512), 4_096);
        assert_eq!(usb_transfer_size(0), 4_096);
        assert_eq!(usb_transfer_size(1_000), 4_000);
        assert_eq!(usb_transfer_size(10_000), 4_096);
        let job = vec![0u8; 9_000];
        let sizes: Vec<usize> = job.chunks(usb_transfer_size(64)).map(<[u8]>::len).collect();
        assert_eq!(sizes, vec![4_096, 4_096, 808]);
    }

    #[test]
    fn each_code_page_is_selected_and_an_unknown_one_is_refused() {
        let mut doc = Document::new(Paper::Mm58);
        doc.text("å", Style::PLAIN);
        assert_eq!(&encode(&doc, &CodePage::Pc865).unwrap()[..5], &[0x1B, b'@', 0x1B, b't', 5]);
        assert_eq!(&encode(&doc, &CodePage::Pc437).unwrap()[..5], &[0x1B, b'@', 0x1B, b't', 0]);
        assert_eq!(
            encode(&doc, &CodePage::Unsupported("Pc1252".into())),
            Err(EncodeError::CodePage(UnsupportedCodePage("Pc1252".into())))
        );
    }
}
