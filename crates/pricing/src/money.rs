//! Rounding the way the tenant's settings say. Every amount is a `Decimal`.

use possum_contract::settings::{RoundingMode, TerminalSettings};
use rust_decimal::{Decimal, RoundingStrategy};

fn strategy(mode: RoundingMode) -> RoundingStrategy {
    match mode {
        RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        RoundingMode::Down => RoundingStrategy::ToZero,
    }
}

/// An amount rounded to the settings' decimals with the settings' rule.
/// The result always carries exactly that many decimals ("182.00", not "182").
pub fn round(amount: Decimal, settings: &TerminalSettings) -> Decimal {
    let mut rounded =
        amount.round_dp_with_strategy(settings.price_decimals, strategy(settings.rounding_mode));
    rounded.rescale(settings.price_decimals);
    rounded
}

/// A cash amount rounded to the settings' cash unit (e.g. whole kronor);
/// unchanged when cash rounding is off.
pub fn round_cash(amount: Decimal, settings: &TerminalSettings) -> Decimal {
    let unit = settings.cash_rounding;
    if unit <= Decimal::ZERO {
        return amount;
    }
    let units = (amount / unit).round_dp_with_strategy(0, strategy(settings.rounding_mode));
    round(units * unit, settings)
}

/// The VAT contained in a VAT-inclusive amount at `percent`.
pub fn vat_of_gross(gross: Decimal, percent: Decimal, settings: &TerminalSettings) -> Decimal {
    if percent.is_zero() {
        return Decimal::ZERO;
    }
    round(gross * percent / (Decimal::ONE_HUNDRED + percent), settings)
}

/// A catalogue price as the till sells it: VAT included (a net catalogue's
/// price gets its VAT added once, rounded as the settings say).
pub fn gross_price(catalogue_price: Decimal, vat_percent: Decimal, settings: &TerminalSettings) -> Decimal {
    if settings.prices_include_vat {
        catalogue_price
    } else {
        round(catalogue_price * (Decimal::ONE_HUNDRED + vat_percent) / Decimal::ONE_HUNDRED, settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn settings(mode: RoundingMode, cash: Decimal) -> TerminalSettings {
        TerminalSettings { rounding_mode: mode, cash_rounding: cash, ..TerminalSettings::default() }
    }

    #[test]
    fn rounds_with_the_configured_rule() {
        let up = settings(RoundingMode::HalfUp, Decimal::ZERO);
        let even = settings(RoundingMode::HalfEven, Decimal::ZERO);
        let down = settings(RoundingMode::Down, Decimal::ZERO);
        assert_eq!(round(dec!(2.345), &up), dec!(2.35));
        assert_eq!(round(dec!(2.345), &even), dec!(2.34));
        assert_eq!(round(dec!(2.349), &down), dec!(2.34));
        assert_eq!(round(dec!(-2.345), &up), dec!(-2.35));
    }

    #[test]
    fn cash_rounds_to_the_unit() {
        let whole = settings(RoundingMode::HalfUp, Decimal::ONE);
        assert_eq!(round_cash(dec!(148.50), &whole), dec!(149.00));
        assert_eq!(round_cash(dec!(148.50), &whole).to_string(), "149.00");
        assert_eq!(round_cash(dec!(148.49), &whole), dec!(148.00));
        let half = settings(RoundingMode::HalfUp, dec!(0.5));
        assert_eq!(round_cash(dec!(10.26), &half), dec!(10.50));
        assert_eq!(round_cash(dec!(10.24), &settings(RoundingMode::HalfUp, Decimal::ZERO)), dec!(10.24));
    }

    #[test]
    fn vat_is_taken_out_of_gross_prices() {
        let s = TerminalSettings::default();
        assert_eq!(vat_of_gross(dec!(125), dec!(25), &s), dec!(25.00));
        assert_eq!(vat_of_gross(dec!(99), dec!(25), &s), dec!(19.80));
        assert_eq!(vat_of_gross(dec!(50), dec!(12), &s), dec!(5.36));
        assert_eq!(vat_of_gross(dec!(50), Decimal::ZERO, &s), Decimal::ZERO);
    }

    #[test]
    fn net_catalogue_prices_get_vat_added_once() {
        let net = TerminalSettings { prices_include_vat: false, ..TerminalSettings::default() };
        assert_eq!(gross_price(dec!(79.99), dec!(25), &net), dec!(99.99));
        assert_eq!(gross_price(dec!(79.99), dec!(25), &TerminalSettings::default()), dec!(79.99));
    }
}
