//! EAN-13 wash tokens, unique within a tenant.

use possum_contract::sale::ean13_check_digit;
use rand::Rng;
use rusqlite::{params, Transaction};
use uuid::Uuid;

/// Draws a fresh token and reserves it for `order_id`. The leading 2 is the
/// GS1 prefix for numbers a store issues itself, so a token can never be
/// mistaken for a product barcode.
pub fn issue_token(tx: &Transaction<'_>, order_id: Uuid, now_us: i64) -> rusqlite::Result<String> {
    let mut rng = rand::thread_rng();
    loop {
        let mut digits = [0u8; 12];
        digits[0] = 2;
        for d in digits.iter_mut().skip(1) {
            *d = rng.gen_range(0..10);
        }
        let check = ean13_check_digit(&digits);
        let token: String =
            digits.iter().chain(std::iter::once(&check)).map(|d| char::from(b'0' + d)).collect();
        let inserted = tx.execute(
            "INSERT INTO wash_tokens (token, order_id, created_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            params![token, order_id.to_string(), now_us],
        )?;
        if inserted == 1 {
            return Ok(token);
        }
    }
}
