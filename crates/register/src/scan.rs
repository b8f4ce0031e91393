//! The barcode scanner path. A scanner is a keyboard that types a code and
//! Enter within a few milliseconds; [`ScanBuffer`] tells it from a person
//! typing, and [`lookups`] says where a code may belong, in the order the
//! terminal tries them.

use possum_contract::customer::normalise_plate;
use possum_contract::sale::is_valid_ean13;

/// Keys further apart than this are a person typing, not a scanner.
pub const MAX_GAP_MS: f64 = 50.0;
/// Shorter bursts are not taken for a scan.
pub const MIN_LENGTH: usize = 4;

/// Collects the keys of a scan as they arrive.
#[derive(Debug, Default, Clone)]
pub struct ScanBuffer {
    code: String,
    last_ms: Option<f64>,
}

impl ScanBuffer {
    /// Feeds one key press (`key` as the DOM names it) at `at_ms`. Returns the
    /// code when Enter ends a fast enough burst.
    pub fn key(&mut self, key: &str, at_ms: f64) -> Option<String> {
        let fast = self.last_ms.is_some_and(|last| at_ms - last <= MAX_GAP_MS);
        if !fast {
            self.code.clear();
        }
        self.last_ms = Some(at_ms);
        if key == "Enter" {
            let code = std::mem::take(&mut self.code);
            self.last_ms = None;
            return (fast && code.chars().count() >= MIN_LENGTH).then_some(code);
        }
        let mut chars = key.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_alphanumeric() || c == '-' || c == ' ' => self.code.push(c),
            _ => {
                self.code.clear();
                self.last_ms = None;
            }
        }
        None
    }
}

/// A place a scanned code may be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    ProductBarcode(String),
    ArticleNumber(String),
    CustomerCard(String),
    CustomerUid(u64),
    LicensePlate(String),
}

/// Where to look for `code`, first match wins. A thirteen-digit code whose
/// EAN-13 check digit is wrong is never taken for a product barcode (it was
/// misread); it may still be a customer card number.
pub fn lookups(code: &str) -> Vec<Lookup> {
    let code = code.trim();
    let mut out = Vec::new();
    if code.is_empty() {
        return out;
    }
    let digits = code.bytes().all(|b| b.is_ascii_digit());
    if !(digits && code.len() == 13) || is_valid_ean13(code) {
        out.push(Lookup::ProductBarcode(code.to_string()));
    }
    out.push(Lookup::ArticleNumber(code.to_string()));
    out.push(Lookup::CustomerCard(code.to_string()));
    if digits {
        if let Ok(uid) = code.parse() {
            out.push(Lookup::CustomerUid(uid));
        }
    }
    let plate = normalise_plate(code);
    if (2..=10).contains(&plate.len()) {
        out.push(Lookup::LicensePlate(plate));
    }
    out
}

/// Whether a code nothing matched looks like a misread barcode.
pub fn looks_misread(code: &str) -> bool {
    let code = code.trim();
    code.len() == 13 && code.bytes().all(|b| b.is_ascii_digit()) && !is_valid_ean13(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(buffer: &mut ScanBuffer, keys: &[&str], start: f64, gap: f64) -> Option<String> {
        let mut out = None;
        for (i, k) in keys.iter().enumerate() {
            out = buffer.key(k, start + gap * i as f64);
        }
        out
    }

    #[test]
    fn a_fast_burst_ending_in_enter_is_a_scan() {
        let mut b = ScanBuffer::default();
        let keys = ["7", "3", "1", "0", "0", "0", "0", "0", "0", "0", "0", "1", "0", "Enter"];
        assert_eq!(feed(&mut b, &keys, 0.0, 5.0).as_deref(), Some("7310000000010"));
    }

    #[test]
    fn a_person_typing_is_not_a_scan() {
        let mut b = ScanBuffer::default();
        assert_eq!(feed(&mut b, &["1", "2", "3", "4", "5", "Enter"], 0.0, 180.0), None);
        // A slow start does not spoil a fast scan that follows.
        assert_eq!(feed(&mut b, &["9"], 1000.0, 0.0), None);
        assert_eq!(feed(&mut b, &["1", "0", "0", "1", "Enter"], 2000.0, 4.0).as_deref(), Some("1001"));
        assert_eq!(feed(&mut b, &["1", "2", "Enter"], 3000.0, 4.0), None, "too short");
        assert_eq!(
            feed(&mut b, &["1", "2", "Shift", "3", "4", "Enter"], 4000.0, 4.0),
            None,
            "broken by another key"
        );
    }

    #[test]
    fn codes_are_routed_in_order() {
        assert_eq!(
            lookups("7310000000010"),
            [
                Lookup::ProductBarcode("7310000000010".into()),
                Lookup::ArticleNumber("7310000000010".into()),
                Lookup::CustomerCard("7310000000010".into()),
                Lookup::CustomerUid(7310000000010),
            ]
        );
        assert_eq!(lookups("abc-123").last(), Some(&Lookup::LicensePlate("ABC123".into())));
        assert!(!lookups("7310000000017").contains(&Lookup::ProductBarcode("7310000000017".into())));
        assert!(looks_misread("7310000000017"));
        assert!(!looks_misread("7310000000010"));
        assert!(lookups("   ").is_empty());
    }
}
