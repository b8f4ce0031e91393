//! The parts of a combination on an order: shared out as the catalogue
//! shares the combination's price, or (when part prices changed lately)
//! consistent and adding up to a price the combination had.

use super::sale::{known_prices, LinesCheck, StaleLine, StaleReason};
use super::{exact_unit, PriceBook, Refusal};
use crate::lines::{order_lines, Sold};
use possum_contract::activity::OrderLine;
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;

/// The parts of one combination as sold (one or more cart lines of it in a row).
pub(super) fn combination_lines(
    first: usize,
    run: &[OrderLine],
    price_group: u8,
    entitled_group: u8,
    book: &PriceBook,
    settings: &TerminalSettings,
    check: &mut LinesCheck,
) -> Result<(), Refusal> {
    let number = run[0].combination_article_number.clone().unwrap_or_default();
    let Some(combination) = book.article(&number).filter(|a| a.is_combination()) else {
        return deleted_combination(first, run, &number, price_group, book, settings, check);
    };
    let parts = &combination.parts;
    if !run.len().is_multiple_of(parts.len()) {
        return Err(Refusal::line(first, &number, "the lines are not the combination's parts"));
    }
    for (c, chunk) in run.chunks(parts.len()).enumerate() {
        let at = first + c * parts.len();
        let count = chunk[0].quantity / parts[0].quantity;
        let parts_match = chunk.iter().zip(parts).all(|(l, p)| {
            l.article_number == p.article_number && count >= 1 && l.quantity == p.quantity * count
        });
        if !parts_match {
            return Err(Refusal::line(at, &number, "the lines are not the combination's parts"));
        }
        let total: Decimal = chunk.iter().map(|l| l.line_total).sum();
        let unit = exact_unit(total, count, settings.price_decimals)
            .ok_or_else(|| Refusal::line(at, &number, "the parts do not add up to a unit price"))?;
        let (now, earlier) = known_prices(book, Some(combination), &number, price_group, settings);
        let at_list = now == Some(unit) || earlier.contains(&unit);
        let list = if at_list { unit } else { now.unwrap_or(unit) };
        let expected = order_lines(&Sold::plain(combination, count, list, unit), settings);
        let exact = expected.iter().zip(chunk).all(|(e, l)| same_amounts(e, l));
        let consistent = chunk.iter().all(|l| {
            !l.discount.is_sign_negative()
                && l.unit_price * Decimal::from(l.quantity) - l.discount == l.line_total
        });
        // A split made with older part prices is taken as sold when those prices did change lately.
        let parts_changed =
            book.changed_lately(&number) || parts.iter().any(|p| book.changed_lately(&p.article_number));
        let accepted = exact || (consistent && parts_changed);
        if !accepted {
            return Err(Refusal::line(
                at,
                &number,
                "the combination's price is not shared out over its parts as the catalogue says",
            ));
        }
        for (l, p) in chunk.iter().zip(parts) {
            if l.vat_percent != p.vat_percent || l.is_wash != p.is_wash {
                return Err(Refusal::line(
                    at,
                    &p.article_number,
                    "VatPercent or IsWash does not match the catalogue",
                ));
            }
        }
        check.has_wash |= combination.is_wash;
        if !at_list {
            check.needs_approval = true;
            if let Some(now) = now.filter(|n| unit < *n) {
                if (now - unit) * Decimal::ONE_HUNDRED > now * settings.max_discount_percent {
                    return Err(Refusal::line(
                        at,
                        &number,
                        format!("more than {}% off", settings.max_discount_percent),
                    ));
                }
            }
        }
        let entitled = combination.price(entitled_group, settings).unwrap_or(list);
        check.given_away += ((entitled - unit) * Decimal::from(count)).max(Decimal::ZERO);
        if at_list && now != Some(unit) || combination.blocked {
            check.stale.push(StaleLine {
                line: at,
                article_number: number.clone(),
                reason: if combination.blocked { StaleReason::Blocked } else { StaleReason::PriceChanged },
                quantity: count,
                sold_list_price: unit,
                catalogue_price: now.filter(|_| !combination.blocked),
            });
        }
    }
    Ok(())
}

fn same_amounts(a: &OrderLine, b: &OrderLine) -> bool {
    a.article_number == b.article_number
        && a.quantity == b.quantity
        && a.unit_price == b.unit_price
        && a.discount == b.discount
        && a.line_total == b.line_total
}

/// A combination deleted since the terminal's pull: its total must be a price
/// it had, times how many were sold.
fn deleted_combination(
    first: usize,
    run: &[OrderLine],
    number: &str,
    price_group: u8,
    book: &PriceBook,
    settings: &TerminalSettings,
    check: &mut LinesCheck,
) -> Result<(), Refusal> {
    let total: Decimal = run.iter().map(|l| l.line_total).sum();
    let count = run.iter().fold(0, |g, l| gcd(g, l.quantity));
    let unit = exact_unit(total, count, settings.price_decimals);
    let earlier = book.earlier_prices(number, price_group);
    let Some(unit) = unit.filter(|u| earlier.contains(u)) else {
        return Err(Refusal::line(first, number, "is not a combination in the catalogue"));
    };
    check.has_wash |= run.iter().any(|l| l.is_wash);
    check.stale.push(StaleLine {
        line: first,
        article_number: number.to_string(),
        reason: StaleReason::Deleted,
        quantity: count,
        sold_list_price: unit,
        catalogue_price: None,
    });
    Ok(())
}

fn gcd(a: i32, b: i32) -> i32 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}
