//! Wash tokens: the EAN-13 on every receipt with a wash, that the wash bay
//! takes once.
//!
//! A token is `2` (GS1: a number the shop issues itself), two digits of wash
//! program, nine unguessable digits, and the check digit. The back office
//! draws the nine digits: for `api/Sale` when it answers, and ahead of time
//! for each terminal as a reserve (`GET /api/WashToken/GetWashTokens`), so a
//! wash sold offline, split between methods or to a customer created at the
//! till leaves with a working token at once. The program digits tell the bay
//! which wash to run even before the order of an offline sale has arrived.

use crate::sale::ean13_check_digit;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `GET /api/WashToken/GetWashTokens`: the calling terminal's unsold reserve, as a delta pull.
pub const WASH_TOKENS: &str = "/api/WashToken/GetWashTokens";
/// `POST /api/WashToken/PostValidation`: the wash bay asks whether a token is good, once.
pub const VALIDATE_TOKEN: &str = "/api/WashToken/PostValidation";
/// How many unsold tokens the back office keeps in a terminal's reserve.
pub const RESERVE_SIZE: usize = 20;

/// One reserved token of a terminal: the nine digits it may put in a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ReservedToken {
    pub id: Uuid,
    /// Nine digits, unique in the tenant.
    pub digits: String,
    pub issued_at: DateTime<Utc>,
}

/// The token for wash `program` (0–99; 0 when the article has none) with `digits`.
pub fn compose(program: u8, digits: &str) -> Option<String> {
    if program > 99 || digits.len() != 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let first12 = format!("2{program:02}{digits}");
    let numbers: [u8; 12] = std::array::from_fn(|i| first12.as_bytes()[i] - b'0');
    Some(format!("{first12}{}", ean13_check_digit(&numbers)))
}

/// The program and the nine digits of a well-formed token.
pub fn parse(token: &str) -> Option<(u8, String)> {
    let token = token.trim();
    if !crate::sale::is_valid_ean13(token) || !token.starts_with('2') {
        return None;
    }
    let program = token[1..3].parse().ok()?;
    Some((program, token[3..12].to_string()))
}

/// What the wash bay sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TokenValidationRequest {
    pub token: String,
}

/// The answer: valid once; the program and the wash articles it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TokenValidation {
    pub valid: bool,
    pub program: Option<u8>,
    /// The wash articles of the program (from the settings' `WashPrograms`).
    pub article_numbers: Vec<String>,
    /// Why not, in words for the bay's screen.
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_carries_its_program_and_its_digits_and_checks() {
        let token = compose(3, "123456789").unwrap();
        assert_eq!(token.len(), 13);
        assert!(crate::sale::is_valid_ean13(&token));
        assert!(token.starts_with("203123456789"));
        assert_eq!(parse(&token), Some((3, "123456789".into())));
        assert_eq!(compose(100, "123456789"), None);
        assert_eq!(compose(1, "12345678"), None);
        assert_eq!(parse("7310000000010"), None, "a product barcode is no token");
        let mut wrong = token.clone();
        wrong.replace_range(12..13, if token.ends_with('0') { "1" } else { "0" });
        assert_eq!(parse(&wrong), None);
    }
}
