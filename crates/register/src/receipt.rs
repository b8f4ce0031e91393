//! The pictures on a receipt: the wash token as an EAN-13 barcode and the
//! feedback portal URL as a QR code, both as SVG text the screen and the
//! printer show at any size.

use barcoders::generators::svg::SVG;
use barcoders::sym::ean13::EAN13;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureError {
    #[error("The wash token {0} is not a valid EAN-13 code.")]
    Token(String),
    #[error("The feedback link is too long for a QR code.")]
    Link,
}

/// The 95 modules of an EAN-13 symbol (1 = bar).
pub fn ean13_modules(code: &str) -> Result<Vec<u8>, PictureError> {
    if !possum_contract::sale::is_valid_ean13(code) {
        return Err(PictureError::Token(code.to_string()));
    }
    Ok(EAN13::new(code).map_err(|_| PictureError::Token(code.to_string()))?.encode())
}

/// The token as an SVG barcode. The quiet zone around it is the page's margin.
pub fn ean13_svg(code: &str) -> Result<String, PictureError> {
    let modules = ean13_modules(code)?;
    SVG::new(60)
        .xmlns("http://www.w3.org/2000/svg".into())
        .generate(&modules)
        .map_err(|_| PictureError::Token(code.to_string()))
}

/// The link as an SVG QR code (medium error correction, quiet zone included).
pub fn qr_svg(text: &str) -> Result<String, PictureError> {
    let code =
        QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| PictureError::Link)?;
    Ok(code.render::<svg::Color<'_>>().min_dimensions(120, 120).quiet_zone(true).build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_becomes_the_95_modules_of_ean13() {
        let modules = ean13_modules("7310000000010").unwrap();
        assert_eq!(modules.len(), 95);
        assert_eq!(&modules[..3], &[1, 0, 1], "start guard");
        assert_eq!(&modules[45..50], &[0, 1, 0, 1, 0], "centre guard");
        assert_eq!(&modules[92..], &[1, 0, 1], "end guard");
        let svg = ean13_svg("7310000000010").unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("<rect"));
    }

    #[test]
    fn a_wrong_check_digit_is_refused() {
        assert_eq!(ean13_modules("7310000000017"), Err(PictureError::Token("7310000000017".into())));
        assert!(ean13_svg("12345").is_err());
    }

    #[test]
    fn a_link_becomes_a_qr_code() {
        let svg = qr_svg("https://feedback.example.com/6f9619ff-8b86-d011-b42d-00cf4fc964ff").unwrap();
        assert!(svg.contains("<svg") && svg.contains("<path"));
        assert_eq!(qr_svg(&"x".repeat(5000)), Err(PictureError::Link));
    }
}
