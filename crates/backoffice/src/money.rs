//! Bounds and rounding of amounts the back office accepts.

use rust_decimal::{Decimal, RoundingStrategy};

/// No single amount may exceed this (in the tenant's currency): anything larger is a typo.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(10_000_000, 0, 0, false, 0);
/// No quantity on one line may exceed this.
pub const MAX_QUANTITY: i32 = 10_000;
/// Amounts carry at most this many decimals.
pub const MAX_SCALE: u32 = 4;

/// Whether `amount` is within bounds and precision; `allow_negative` for refunds and balances.
pub fn is_sane(amount: Decimal, allow_negative: bool) -> bool {
    amount.abs() <= MAX_AMOUNT
        && amount.normalize().scale() <= MAX_SCALE
        && (allow_negative || !amount.is_sign_negative() || amount.is_zero())
}

/// Rounds to cents, half away from zero.
pub fn cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}
