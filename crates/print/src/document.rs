//! What a printer is asked to print, independent of the printer: lines of
//! text with their alignment and emphasis, an EAN-13 barcode, a QR code, paper
//! feed, the cut and the cash drawer's pulse. Layouts build it; the ESC/POS
//! and ePOS-Print encoders turn it into what a printer reads.
//!
//! Text enters through the builder, which makes it printable
//! ([`crate::text::printable`]) and breaks it into lines that fit the paper, so
//! an encoder never has to measure or wrap.

use crate::text::{self, printable};
use possum_contract::sale::is_valid_ean13;

/// The paper a layout is made for. Font A is 12 dots wide on a 203 dpi
/// printer: 384 printable dots make 32 columns on 58 mm paper, 576 make 48 on 80 mm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Paper {
    Mm58,
    Mm80,
}

impl Paper {
    pub const ALL: [Paper; 2] = [Paper::Mm58, Paper::Mm80];

    /// The paper of a configured width in millimetres, if a layout exists for it.
    pub fn from_mm(mm: u16) -> Option<Paper> {
        match mm {
            58 => Some(Paper::Mm58),
            80 => Some(Paper::Mm80),
            _ => None,
        }
    }

    pub fn mm(self) -> u16 {
        match self {
            Paper::Mm58 => 58,
            Paper::Mm80 => 80,
        }
    }

    /// Characters of font A on one line.
    pub fn columns(self) -> usize {
        match self {
            Paper::Mm58 => 32,
            Paper::Mm80 => 48,
        }
    }

    /// Dots per QR module: a feedback link (QR version 5 or so) comes out 2-3 cm wide.
    pub fn qr_module(self) -> u8 {
        match self {
            Paper::Mm58 => 5,
            Paper::Mm80 => 6,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// Character size: double width halves the columns of a line, double height does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Size {
    #[default]
    Normal,
    DoubleHeight,
    DoubleWidth,
    Double,
}

impl Size {
    pub fn double_width(self) -> bool {
        matches!(self, Size::DoubleWidth | Size::Double)
    }

    pub fn double_height(self) -> bool {
        matches!(self, Size::DoubleHeight | Size::Double)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub align: Align,
    pub bold: bool,
    pub size: Size,
}

impl Style {
    pub const PLAIN: Style = Style { align: Align::Left, bold: false, size: Size::Normal };
    pub const CENTER: Style = Style { align: Align::Center, bold: false, size: Size::Normal };

    pub fn bold(self) -> Style {
        Style { bold: true, ..self }
    }

    pub fn size(self, size: Size) -> Style {
        Style { size, ..self }
    }
}

/// One printed line: printable text that fits its paper at its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub style: Style,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Text(Line),
    /// Thirteen digits with a valid check digit, printed with its digits below.
    Ean13(String),
    /// At most [`MAX_QR_BYTES`] bytes, model 2, error correction M.
    Qr(String),
    /// Blank lines.
    Feed(u8),
    /// Feed to the cutter and cut.
    Cut,
    /// The pulse that opens the cash drawer on the printer's drawer port.
    DrawerKick,
}

/// A QR code holding more than this would be too wide for 58 mm paper at a
/// module size a phone reads; a feedback link is far shorter.
pub const MAX_QR_BYTES: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("{0} is not a valid EAN-13 code")]
    Ean13(String),
    #[error("a QR code holds 1 to {MAX_QR_BYTES} bytes; this one would hold {0}")]
    QrLength(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    paper: Paper,
    blocks: Vec<Block>,
}

impl Document {
    pub fn new(paper: Paper) -> Self {
        Document { paper, blocks: Vec::new() }
    }

    pub fn paper(&self) -> Paper {
        self.paper
    }

    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// Characters that fit on one line at `size`.
    pub fn columns(&self, size: Size) -> usize {
        if size.double_width() {
            self.paper.columns() / 2
        } else {
            self.paper.columns()
        }
    }

    fn push_lines(&mut self, lines: Vec<String>, style: Style) -> &mut Self {
        self.blocks.extend(lines.into_iter().map(|text| Block::Text(Line { text, style })));
        self
    }

    /// `text` in `style`: each of its own lines (`\n`) kept, each wrapped to the paper.
    pub fn text(&mut self, text: &str, style: Style) -> &mut Self {
        let columns = self.columns(style.size);
        let lines = text.split('\n').flat_map(|line| text::wrap(&printable(line), columns)).collect();
        self.push_lines(lines, style)
    }

    /// `left` and `right` on one line (`right` against the right edge), or wrapped when they do not fit.
    pub fn pair(&mut self, left: &str, right: &str, style: Style) -> &mut Self {
        let lines = text::pair(&printable(left), &printable(right), self.columns(style.size));
        self.push_lines(lines, Style { align: Align::Left, ..style })
    }

    /// A line of dashes across the paper.
    pub fn rule(&mut self) -> &mut Self {
        let line = "-".repeat(self.paper.columns());
        self.push_lines(vec![line], Style::PLAIN)
    }

    pub fn blank(&mut self) -> &mut Self {
        self.push_lines(vec![String::new()], Style::PLAIN)
    }

    pub fn ean13(&mut self, code: &str) -> Result<&mut Self, CodeError> {
        if !is_valid_ean13(code) {
            return Err(CodeError::Ean13(code.to_string()));
        }
        self.blocks.push(Block::Ean13(code.to_string()));
        Ok(self)
    }

    pub fn qr(&mut self, data: &str) -> Result<&mut Self, CodeError> {
        if data.is_empty() || data.len() > MAX_QR_BYTES {
            return Err(CodeError::QrLength(data.len()));
        }
        self.blocks.push(Block::Qr(data.to_string()));
        Ok(self)
    }

    pub fn feed(&mut self, lines: u8) -> &mut Self {
        self.blocks.push(Block::Feed(lines));
        self
    }

    pub fn cut(&mut self) -> &mut Self {
        self.blocks.push(Block::Cut);
        self
    }

    pub fn drawer_kick(&mut self) -> &mut Self {
        self.blocks.push(Block::DrawerKick);
        self
    }

    /// The document as plain text, one printed line per line, for people
    /// reviewing a layout (the golden files keep one beside each encoding):
    /// lines as they sit on the paper, the codes, feeds, cut and pulse in brackets.
    pub fn preview(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            let line = match block {
                Block::Text(Line { text, style }) => {
                    let columns = self.columns(style.size);
                    let placed = match style.align {
                        Align::Left => text.clone(),
                        Align::Center => format!("{text:^columns$}").trim_end().to_string(),
                        Align::Right => format!("{text:>columns$}"),
                    };
                    let mark = match (style.size, style.bold) {
                        (Size::Normal, false) => "",
                        (Size::Normal, true) => "  [bold]",
                        (Size::DoubleHeight, _) => "  [double height]",
                        (Size::DoubleWidth, _) => "  [double width]",
                        (Size::Double, _) => "  [double]",
                    };
                    let spread: String = if style.size.double_width() {
                        placed.chars().flat_map(|c| [c, ' ']).collect::<String>().trim_end().to_string()
                    } else {
                        placed
                    };
                    format!("{spread}{mark}")
                }
                Block::Ean13(code) => format!("[EAN-13 {code}]"),
                Block::Qr(data) => format!("[QR {data}]"),
                Block::Feed(n) => format!("[feed {n}]"),
                Block::Cut => "[cut]".to_string(),
                Block::DrawerKick => "[drawer kick]".to_string(),
            };
            out.push_str(&line);
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_its_line_breaks_and_fits_the_paper_at_its_size() {
        let mut doc = Document::new(Paper::Mm58);
        doc.text("Storgatan 1\n831\u{00A0}30 Östersund", Style::CENTER);
        doc.text("KOPIA KOPIA KOPIA KOPIA", Style::CENTER.size(Size::Double));
        let lines: Vec<&Line> = doc
            .blocks()
            .iter()
            .filter_map(|b| match b {
                Block::Text(l) => Some(l),
                _ => None,
            })
            .collect();
        assert_eq!(lines[0].text, "Storgatan 1");
        assert_eq!(lines[1].text, "831 30 Östersund");
        // Sixteen columns at double width.
        assert_eq!(lines[2].text, "KOPIA KOPIA");
        assert_eq!(lines[3].text, "KOPIA KOPIA");
        assert_eq!(doc.columns(Size::Double), 16);
        assert_eq!(doc.columns(Size::DoubleHeight), 32);
    }

    #[test]
    fn codes_are_checked_before_they_reach_a_printer() {
        let mut doc = Document::new(Paper::Mm80);
        assert!(doc.ean13("7310000000010").is_ok());
        assert_eq!(doc.ean13("7310000000017").unwrap_err(), CodeError::Ean13("7310000000017".into()));
        assert_eq!(doc.ean13("731000000001").unwrap_err(), CodeError::Ean13("731000000001".into()));
        assert!(doc.qr("https://feedback.example.com/r/1").is_ok());
        assert_eq!(doc.qr("").unwrap_err(), CodeError::QrLength(0));
        assert_eq!(doc.qr(&"x".repeat(301)).unwrap_err(), CodeError::QrLength(301));
        assert_eq!(doc.blocks().len(), 2);
    }

    #[test]
    fn the_preview_shows_the_paper() {
        let mut doc = Document::new(Paper::Mm58);
        doc.text("KVITTO", Style::CENTER.bold().size(Size::DoubleHeight))
            .pair("Total", "149.00 SEK", Style::PLAIN)
            .text("COPY", Style::CENTER.size(Size::Double))
            .drawer_kick()
            .cut();
        assert_eq!(
            doc.preview(),
            "             KVITTO  [double height]\nTotal                 149.00 SEK\n            C O P Y  [double]\n[drawer kick]\n[cut]\n"
        );
        assert_eq!(Paper::from_mm(58), Some(Paper::Mm58));
        assert_eq!(Paper::from_mm(76), None);
    }
}
