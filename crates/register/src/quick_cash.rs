//! Quick cash: the amounts a customer is likely to hand over, offered as
//! buttons in the payment dialog so that an exact cash sale is Pay, the
//! amount, Complete.
//!
//! The rule (docs/counter.md, "Quick cash"):
//!
//! 1. the exact amount due in cash comes first (cash-rounded when the whole
//!    sale goes in cash, as `Checkout::remaining_with` says);
//! 2. then the amount rounded up to the next 10 kr (a coin), 50 kr, 100 kr,
//!    500 kr and 1 000 kr, the sums a customer hands over in Swedish notes
//!    and coins (20, 50, 100, 200, 500 and 1 000 kr notes; 10 kr coins);
//! 3. each strictly more than the one before (so none repeats and none is
//!    below what is due), at most [`MAX`] in all.
//!
//! Due 149 gives 149, 150, 200, 500; due 38 gives 38, 40, 50, 100; due 200
//! gives 200, 500, 1 000; nothing is offered when nothing is due.

use rust_decimal::Decimal;

/// The most suggestions the dialog shows (the exact amount included).
pub const MAX: usize = 4;

/// The steps an amount is rounded up to, smallest first, in whole kronor.
pub const STEPS: [u32; 5] = [10, 50, 100, 500, 1_000];

/// The cash amounts to offer for `due`, smallest (the exact amount) first.
pub fn suggestions(due: Decimal) -> Vec<Decimal> {
    if due <= Decimal::ZERO {
        return vec![];
    }
    let mut out = vec![due];
    for step in STEPS.map(Decimal::from) {
        let up = (due / step).ceil() * step;
        if out.last().is_some_and(|last| up > *last) {
            out.push(up);
        }
        if out.len() == MAX {
            break;
        }
    }
    out
}

/// How a suggestion reads on its button: whole kronor without decimals,
/// grouped by thousands with a space ("1 000"); an amount with öre keeps
/// them ("89.90").
pub fn label(amount: Decimal, decimals: u32) -> String {
    let text = if amount.fract().is_zero() {
        amount.trunc().to_string()
    } else {
        format!("{:.*}", decimals as usize, amount)
    };
    let (whole, fraction) = text.split_once('.').map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) => format!("{grouped}.{f}"),
        None => grouped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn shown(due: Decimal) -> Vec<String> {
        suggestions(due).into_iter().map(|a| label(a, 2)).collect()
    }

    #[test]
    fn the_exact_amount_then_the_next_notes_up() {
        assert_eq!(shown(dec!(149)), ["149", "150", "200", "500"]);
        assert_eq!(shown(dec!(38)), ["38", "40", "50", "100"]);
        assert_eq!(shown(dec!(229)), ["229", "230", "250", "300"]);
        assert_eq!(shown(dec!(1234)), ["1 234", "1 240", "1 250", "1 300"]);
        assert_eq!(shown(dec!(89.90)), ["89.90", "90", "100", "500"]);
    }

    #[test]
    fn round_amounts_are_not_offered_twice() {
        assert_eq!(shown(dec!(200)), ["200", "500", "1 000"]);
        assert_eq!(shown(dec!(150)), ["150", "200", "500", "1 000"]);
        assert_eq!(shown(dec!(1000)), ["1 000"]);
        assert_eq!(shown(dec!(999.50)), ["999.50", "1 000"]);
    }

    #[test]
    fn every_suggestion_covers_what_is_due_and_they_grow() {
        for cents in (1..300_000).step_by(997) {
            let due = Decimal::new(cents, 2);
            let s = suggestions(due);
            assert!(!s.is_empty() && s.len() <= MAX, "{due}: {s:?}");
            assert_eq!(s[0], due);
            assert!(s.windows(2).all(|w| w[0] < w[1]), "{due}: {s:?}");
        }
    }

    #[test]
    fn nothing_is_offered_when_nothing_is_due() {
        assert!(suggestions(Decimal::ZERO).is_empty());
        assert!(suggestions(dec!(-10)).is_empty());
    }
}
