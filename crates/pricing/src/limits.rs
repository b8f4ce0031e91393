//! The documented upper bounds (docs/openapi.yaml, "Limits"). The terminal
//! refuses input beyond them and the back office refuses records beyond them,
//! so neither side can be handed a number the other cannot hold.

use rust_decimal::Decimal;

/// No single amount may exceed this (in the tenant's currency): anything larger is a typo or an attack.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(10_000_000, 0, 0, false, 0);
/// Amounts carry at most this many decimals.
pub const MAX_SCALE: u32 = 4;
/// No quantity on one line may exceed this.
pub const MAX_QUANTITY: i32 = 10_000;
/// The most items one `api/Sale` request may carry.
pub const MAX_SALE_ITEMS: usize = 500;
/// The most lines one pushed order (or parked cart) may carry.
pub const MAX_ORDER_LINES: usize = 1_000;
/// The highest invoice number a terminal may use: nine digits, room for a
/// thousand sales a day for two thousand years, and far from any overflow.
pub const MAX_INVOICE_NUMBER: i64 = 999_999_999;

/// Whether `amount` is within bounds and precision; `allow_negative` for refunds and balances.
pub fn is_sane(amount: Decimal, allow_negative: bool) -> bool {
    amount.abs() <= MAX_AMOUNT
        && amount.normalize().scale() <= MAX_SCALE
        && (allow_negative || !amount.is_sign_negative() || amount.is_zero())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn amounts_are_bounded_in_size_precision_and_sign() {
        assert!(is_sane(dec!(149.00), false));
        assert!(is_sane(dec!(-0), false));
        assert!(!is_sane(dec!(-1), false));
        assert!(is_sane(dec!(-1), true));
        assert!(!is_sane(dec!(10000000.01), true));
        assert!(!is_sane(dec!(1.00001), false));
        assert!(is_sane(dec!(1.10000), false));
    }
}
