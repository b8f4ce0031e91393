//! Amounts as staff type and read them; the rounding rules themselves live in
//! `possum-pricing` (the back office applies the same ones).

use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;

pub use possum_pricing::money::{gross_price, round, round_cash, vat_of_gross};

/// Why a typed amount was refused, in the words staff read (English; the
/// terminal shows it in the language on screen: `possum_terminal::error::words::amount`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("Type an amount.")]
    Empty,
    #[error("“{0}” is not an amount: type digits with a comma or a point, such as 49,50.")]
    NotANumber(String),
    #[error("An amount has at most {0} decimals.")]
    TooManyDecimals(u32),
    #[error("An amount cannot be negative here.")]
    Negative,
    #[error("{0} is more than any one amount may be.")]
    TooLarge(String),
    #[error("“{0}” is not a percentage from 0 to 100.")]
    NotAPercentage(String),
}

/// The largest amount staff may type (the back office's bound on any amount).
pub const MAX_TYPED_AMOUNT: Decimal = Decimal::from_parts(10_000_000, 0, 0, false, 0);

/// Reads a decimal as staff type it: digits, one decimal comma or point, spaces
/// between digit groups ("1 234,50", "49.50", "-20"). Nothing else.
fn parse_decimal(text: &str) -> Option<Decimal> {
    let compact: String = text.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}')).collect();
    let (negative, digits) = match compact.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    let mut parts = digits.split([',', '.']);
    let whole = parts.next()?;
    let fraction = parts.next();
    let valid = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if parts.next().is_some() || !valid(whole) || !fraction.is_none_or(valid) {
        return None;
    }
    if whole.is_empty() && fraction.is_none_or(str::is_empty) {
        return None;
    }
    let text = format!(
        "{}{}.{}",
        if negative { "-" } else { "" },
        if whole.is_empty() { "0" } else { whole },
        fraction.unwrap_or("0")
    );
    text.parse().ok()
}

/// An amount as staff type it ("149", "149.5", "149,50", "1 234,50"): at most
/// the settings' decimals, never above [`MAX_TYPED_AMOUNT`], and negative only
/// where `allow_negative` says so. Every typed amount of the terminal (payment,
/// float, count, price change) goes through here.
pub fn parse_amount(
    text: &str,
    allow_negative: bool,
    settings: &TerminalSettings,
) -> Result<Decimal, AmountError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(AmountError::Empty);
    }
    let amount = parse_decimal(trimmed).ok_or_else(|| AmountError::NotANumber(trimmed.to_string()))?;
    if amount.normalize().scale() > settings.price_decimals {
        return Err(AmountError::TooManyDecimals(settings.price_decimals));
    }
    if amount.is_sign_negative() && !amount.is_zero() && !allow_negative {
        return Err(AmountError::Negative);
    }
    if amount.abs() > MAX_TYPED_AMOUNT {
        return Err(AmountError::TooLarge(trimmed.to_string()));
    }
    Ok(round(amount, settings))
}

/// A percentage as staff type it ("15", "12,5", "15 %"), from 0 to 100.
pub fn parse_percent(text: &str) -> Result<Decimal, AmountError> {
    let trimmed = text.trim().trim_end_matches('%').trim();
    match parse_decimal(trimmed) {
        Some(p) if !p.is_sign_negative() && p <= Decimal::ONE_HUNDRED && p.normalize().scale() <= 4 => Ok(p),
        _ => Err(AmountError::NotAPercentage(text.trim().to_string())),
    }
}

/// How staff read an amount: two decimals and the currency ("149.00 SEK").
pub fn format(amount: Decimal, settings: &TerminalSettings) -> String {
    let digits = settings.price_decimals as usize;
    // Nothing taken out is "0.00", never "-0.00" (a sum of no cash outs is negative zero).
    let rounded = amount.round_dp(settings.price_decimals);
    let amount = if rounded.is_zero() { rounded.abs() } else { amount };
    format!("{:.*} {}", digits, amount, settings.currency)
}

/// An amount as the language `lang` writes it, the way the browser's
/// `Intl.NumberFormat(lang, {style: "currency"})` does for kronor, so a
/// printed receipt reads like the screen: Swedish "1 234,50 kr" (grouped with
/// a no-break space, a minus sign U+2212), anything else "SEK 1,234.50".
pub fn format_in(amount: Decimal, settings: &TerminalSettings, lang: &str) -> String {
    let digits = settings.price_decimals as usize;
    let text = format!("{:.*}", digits, amount.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let swedish = lang.to_ascii_lowercase().starts_with("sv");
    let separator = if swedish { '\u{a0}' } else { ',' };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(separator);
        }
        grouped.push(c);
    }
    let number = if fraction.is_empty() {
        grouped
    } else {
        format!("{grouped}{}{fraction}", if swedish { ',' } else { '.' })
    };
    let negative = amount.is_sign_negative() && !amount.is_zero();
    match (swedish, settings.currency.as_str()) {
        (true, "SEK") => format!("{}{number}\u{a0}kr", if negative { "\u{2212}" } else { "" }),
        (true, currency) => format!("{}{number}\u{a0}{currency}", if negative { "\u{2212}" } else { "" }),
        (false, currency) => format!("{}{currency}\u{a0}{number}", if negative { "-" } else { "" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn zero_is_never_negative() {
        let s = TerminalSettings::default();
        assert_eq!(format(-dec!(0.00), &s), format(dec!(0), &s));
        assert_eq!(format(dec!(-0.001), &s), format(dec!(0), &s));
        assert!(format(dec!(-0.01), &s).starts_with("-0.01"));
    }

    #[test]
    fn parses_what_staff_type_and_refuses_the_rest() {
        let s = TerminalSettings::default();
        let ok = |t: &str| parse_amount(t, true, &s).map(|d| d.to_string());
        assert_eq!(ok(" 149,5 "), Ok("149.50".into()));
        assert_eq!(ok("49,50"), ok("49.50"));
        assert_eq!(ok("49,50"), Ok("49.50".into()));
        assert_eq!(ok("1 234,50"), Ok("1234.50".into()));
        assert_eq!(ok("1\u{a0}234,50"), Ok("1234.50".into()));
        assert_eq!(ok(",5"), Ok("0.50".into()));
        assert_eq!(ok("-20"), Ok("-20.00".into()));
        assert_eq!(parse_amount("-20", false, &s), Err(AmountError::Negative));
        assert_eq!(parse_amount("", true, &s), Err(AmountError::Empty));
        assert_eq!(parse_amount("1.234", true, &s), Err(AmountError::TooManyDecimals(2)));
        assert_eq!(parse_amount("99999999", true, &s), Err(AmountError::TooLarge("99999999".into())));
        for bad in ["abc", "1e3", "1.234,50", "1,2,3", "12a", "-", ",", "+5", "0x10"] {
            assert_eq!(parse_amount(bad, true, &s), Err(AmountError::NotANumber(bad.into())), "{bad}");
        }
    }

    #[test]
    fn percentages_are_from_zero_to_a_hundred() {
        assert_eq!(parse_percent("15"), Ok(dec!(15)));
        assert_eq!(parse_percent("12,5 %"), Ok(dec!(12.5)));
        assert_eq!(parse_percent("100%"), Ok(dec!(100)));
        for bad in ["101", "-5", "abc", ""] {
            assert!(parse_percent(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn amounts_read_as_the_language_writes_them() {
        let s = TerminalSettings::default();
        assert_eq!(format_in(dec!(1234.5), &s, "sv-SE"), "1\u{a0}234,50\u{a0}kr");
        assert_eq!(format_in(dec!(149), &s, "sv"), "149,00\u{a0}kr");
        assert_eq!(format_in(dec!(-59), &s, "sv"), "\u{2212}59,00\u{a0}kr");
        assert_eq!(format_in(dec!(1234567.891), &s, "en"), "SEK\u{a0}1,234,567.89");
        assert_eq!(format_in(dec!(0), &s, "en-GB"), "SEK\u{a0}0.00");
    }

    #[test]
    fn formats_with_the_currency() {
        assert_eq!(format(dec!(149), &TerminalSettings::default()), "149.00 SEK");
    }
}
