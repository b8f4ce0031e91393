//! What a manager's approval covers, counted the way the back office counts
//! it (docs/openapi.yaml, "Staff approvals"): the money an approval moves,
//! whether the tablet may approve that much on its own while the back office
//! cannot be reached, and the discount no approval can exceed.

use crate::cart::{Cart, CartLine};
use crate::money;
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;

/// The money a cart gives away below the prices its customer is entitled to
/// (their own price group, else the default one): what an approval of its
/// prices moves, as `possum_pricing::verify` counts `given_away`. A price
/// raised by hand gives nothing away.
pub fn given_away(cart: &Cart, settings: &TerminalSettings) -> Decimal {
    let entitled_group =
        cart.customer.as_ref().and_then(|c| c.customer.price_group).unwrap_or(settings.default_price_group);
    cart.lines
        .iter()
        .map(|l| {
            let entitled = l.article.price(entitled_group, settings).unwrap_or(l.list_price);
            ((entitled - l.unit_price) * Decimal::from(l.quantity)).max(Decimal::ZERO)
        })
        .sum()
}

/// A line taking more off its list price than the settings' `MaxDiscountPercent`
/// allows: the back office refuses it whoever approved it, so the till does too.
pub fn over_max_discount<'a>(cart: &'a Cart, settings: &TerminalSettings) -> Option<&'a CartLine> {
    cart.lines.iter().find(|l| {
        l.overridden
            && l.unit_price < l.list_price
            && (l.list_price - l.unit_price) * Decimal::ONE_HUNDRED
                > l.list_price * settings.max_discount_percent
    })
}

/// Why a manager cannot approve something on the tablet alone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "This moves {amount}, more than the {limit} a manager may approve while the back office cannot be \
     reached. It needs the back office: try again when the terminal is online."
)]
pub struct OverOfflineLimit {
    /// The money moved, formatted.
    pub amount: String,
    /// The settings' `OfflineApprovalLimit`, formatted.
    pub limit: String,
}

/// Whether an approval moving `amount` (given away or paid back) may be given
/// offline: the back office accepts an offline approval only within the
/// settings' `OfflineApprovalLimit` per order.
pub fn offline_allowed(amount: Decimal, settings: &TerminalSettings) -> Result<(), OverOfflineLimit> {
    if amount.abs() <= settings.offline_approval_limit {
        return Ok(());
    }
    Err(OverOfflineLimit {
        amount: money::format(amount.abs(), settings),
        limit: money::format(settings.offline_approval_limit, settings),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cart::tests::product;
    use crate::cart::{Article, AttachedCustomer, IdentifiedBy};
    use possum_contract::catalogue::Role;
    use possum_contract::customer::Customer;
    use rust_decimal_macros::dec;
    use uuid::Uuid;

    fn washes() -> (Cart, u32, TerminalSettings) {
        let s = TerminalSettings::default();
        let mut cart = Cart::new(1);
        let wash = Article::from_product(&product("W300", &[(1, dec!(299)), (3, dec!(249))], dec!(25)));
        let key = cart.add(wash.clone(), &s).unwrap();
        cart.add(wash, &s).unwrap();
        (cart, key, s)
    }

    #[test]
    fn a_discount_gives_away_what_it_takes_off_the_entitled_price() {
        let (mut cart, key, s) = washes();
        assert_eq!(given_away(&cart, &s), Decimal::ZERO);
        cart.discount_percent(key, dec!(10), Role::Manager, &s).unwrap();
        // 2 × (299.00 − 269.10)
        assert_eq!(given_away(&cart, &s), dec!(59.80));
        cart.override_price(key, dec!(350), Role::Manager, &s).unwrap();
        assert_eq!(given_away(&cart, &s), Decimal::ZERO, "a raised price gives nothing away");
    }

    #[test]
    fn another_price_group_gives_away_the_difference_unless_it_is_the_customers() {
        let (mut cart, _, s) = washes();
        cart.set_price_group(3, &s);
        assert_eq!(given_away(&cart, &s), dec!(100));
        let fleet = Customer { price_group: Some(3), ..Customer::new(Uuid::new_v4(), "Fleet AB") };
        cart.customer = Some(AttachedCustomer { customer: fleet, by: IdentifiedBy::CardNumber });
        assert_eq!(given_away(&cart, &s), Decimal::ZERO);
    }

    #[test]
    fn the_offline_limit_is_inclusive_and_says_what_it_would_take() {
        let s = TerminalSettings::default();
        assert_eq!(offline_allowed(dec!(200), &s), Ok(()));
        assert_eq!(offline_allowed(dec!(-200), &s), Ok(()), "a refund's amount counts by its size");
        let over = offline_allowed(dec!(200.01), &s).unwrap_err();
        assert_eq!((over.amount.as_str(), over.limit.as_str()), ("200.01 SEK", "200.00 SEK"));
        assert!(over.to_string().contains("needs the back office"), "{over}");
    }

    #[test]
    fn no_approval_takes_more_than_the_maximum_discount_off_a_line() {
        let (mut cart, key, s) = washes();
        cart.discount_percent(key, dec!(50), Role::Manager, &s).unwrap();
        assert_eq!(over_max_discount(&cart, &s), None, "50 % is the demo's maximum, allowed");
        cart.discount_percent(key, dec!(51), Role::Manager, &s).unwrap();
        assert_eq!(over_max_discount(&cart, &s).map(|l| l.key), Some(key));
        cart.override_price(key, dec!(0), Role::Manager, &s).unwrap();
        assert!(over_max_discount(&cart, &s).is_some(), "a price of nothing is a 100 % discount");
    }
}
