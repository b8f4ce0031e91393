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

/// An amount as staff type it ("149", "149.5", "149,50"), or `None`. At
/// most the settings' decimals, and never above what the back office takes.
pub fn parse(text: &str, settings: &TerminalSettings) -> Option<Decimal> {
    let text = text.trim().replace(',', ".");
    let digits = text.strip_prefix('-').unwrap_or(&text);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let amount: Decimal = text.parse().ok()?;
    (amount.scale() <= settings.price_decimals && amount.abs() <= Decimal::from(10_000_000))
        .then(|| round(amount, settings))
}

/// How staff read an amount: two decimals and the currency ("149.00 SEK").
pub fn format(amount: Decimal, settings: &TerminalSettings) -> String {
    let digits = settings.price_decimals as usize;
    format!("{:.*} {}", digits, amount, settings.currency)
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
    fn parses_what_staff_type_and_refuses_the_rest() {
        let s = TerminalSettings::default();
        assert_eq!(parse(" 149,5 ", &s).map(|d| d.to_string()), Some("149.50".into()));
        assert_eq!(parse("-20", &s), Some(dec!(-20.00)));
        for bad in ["", "abc", "1.234", "1e3", "99999999"] {
            assert_eq!(parse(bad, &s), None, "{bad}");
        }
    }

    #[test]
    fn formats_with_the_currency() {
        assert_eq!(format(dec!(149), &TerminalSettings::default()), "149.00 SEK");
    }
}
