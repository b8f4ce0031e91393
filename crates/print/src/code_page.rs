//! Text in the printer's code page.
//!
//! An ESC/POS printer prints one byte per character from the code table
//! selected with `ESC t n`. This crate uses PC858 (`n` = 19) unless the
//! printer's settings say otherwise: it holds every Swedish, Finnish, Danish
//! and Norwegian letter, é, and the euro sign, and Epson TM printers and the
//! ESC/POS modes of Star and most compatible printers have it. PC865 Nordic
//! (`n` = 5) is among the six tables of the original ESC/POS that every
//! printer has, for those without PC858; PC850 and PC437 hold the Swedish
//! letters too. The tables come from the `oem_cp` crate. (The `escpos` crate's
//! own PC858 table maps the ASCII hyphen to 0xF0, the soft hyphen, so text
//! does not go through it.)

use escpos::utils::PageCode;
use oem_cp::code_table::{
    ENCODING_TABLE_CP437, ENCODING_TABLE_CP850, ENCODING_TABLE_CP858, ENCODING_TABLE_CP865,
};
use oem_cp::OEMCPHashMap;
use possum_contract::printers::CodePage;

/// What a character the page lacks is printed as.
pub const REPLACEMENT: u8 = b'?';

fn table(page: &CodePage) -> Option<&'static OEMCPHashMap<char, u8>> {
    match page {
        CodePage::Pc437 => Some(&ENCODING_TABLE_CP437),
        CodePage::Pc850 => Some(&ENCODING_TABLE_CP850),
        CodePage::Pc858 => Some(&ENCODING_TABLE_CP858),
        CodePage::Pc865 => Some(&ENCODING_TABLE_CP865),
        CodePage::Unsupported(_) => None,
    }
}

/// The `escpos` crate's name of the page, which gives `ESC t n` its `n`.
pub(crate) fn page_code(page: &CodePage) -> Option<PageCode> {
    match page {
        CodePage::Pc437 => Some(PageCode::PC437),
        CodePage::Pc850 => Some(PageCode::PC850),
        CodePage::Pc858 => Some(PageCode::PC858),
        CodePage::Pc865 => Some(PageCode::PC865),
        CodePage::Unsupported(_) => None,
    }
}

/// `n` of `ESC t n` for the page.
pub fn esc_t(page: &CodePage) -> Option<u8> {
    page_code(page).map(u8::from)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a code page this terminal can print in")]
pub struct UnsupportedCodePage(pub String);

/// `text` (already [`crate::text::printable`]) as bytes of `page`. Printable
/// ASCII is itself; a character the page lacks becomes `?`, or `x` for `×`,
/// so a line never grows or shifts its columns.
pub fn encode(text: &str, page: &CodePage) -> Result<Vec<u8>, UnsupportedCodePage> {
    let table = table(page).ok_or_else(|| UnsupportedCodePage(page.name().to_string()))?;
    Ok(text
        .chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            c => table.get(&c).copied().unwrap_or(if c == '×' { b'x' } else { REPLACEMENT }),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_letters_are_the_bytes_of_each_page() {
        // å ä ö Å Ä Ö é sit at the same places in all four tables.
        for page in [CodePage::Pc437, CodePage::Pc850, CodePage::Pc858, CodePage::Pc865] {
            assert_eq!(
                encode("åäöÅÄÖé", &page).unwrap(),
                vec![0x86, 0x84, 0x94, 0x8F, 0x8E, 0x99, 0x82],
                "{page:?}"
            );
        }
        assert_eq!(encode("Tvätt - 5,00 €", &CodePage::Pc858).unwrap(), b"Tv\x84tt - 5,00 \xD5".to_vec());
        assert_eq!(encode("Ørsted æ", &CodePage::Pc865).unwrap(), b"\x9Drsted \x91".to_vec());
    }

    #[test]
    fn what_a_page_lacks_keeps_its_column() {
        assert_eq!(encode("5 €", &CodePage::Pc865).unwrap(), b"5 ?".to_vec());
        assert_eq!(encode("2×3", &CodePage::Pc865).unwrap(), b"2x3".to_vec());
        assert_eq!(encode("2×3", &CodePage::Pc858).unwrap(), b"2\x9E3".to_vec());
        assert_eq!(encode("漢字", &CodePage::Pc858).unwrap(), b"??".to_vec());
        // The hyphen stays ASCII (the escpos crate's own PC858 table would send 0xF0).
        assert_eq!(encode("-", &CodePage::Pc858).unwrap(), b"-".to_vec());
    }

    #[test]
    fn each_page_has_its_esc_t_number() {
        assert_eq!(esc_t(&CodePage::Pc437), Some(0));
        assert_eq!(esc_t(&CodePage::Pc850), Some(2));
        assert_eq!(esc_t(&CodePage::Pc865), Some(5));
        assert_eq!(esc_t(&CodePage::Pc858), Some(19));
        assert_eq!(esc_t(&CodePage::Unsupported("Pc1252".into())), None);
        assert_eq!(
            encode("x", &CodePage::Unsupported("Pc1252".into())),
            Err(UnsupportedCodePage("Pc1252".into()))
        );
    }
}
