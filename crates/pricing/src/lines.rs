//! A sold line as the order lines the back office receives.
//!
//! A product is one order line. A combination is one order line per part,
//! the combination's price shared out by the parts' list prices, the last part
//! taking what rounding leaves so the sum is exact. An order line's unit price
//! is the list price and its discount what was taken off (never below zero):
//! sold above the list price, the unit price is what it was sold for.

use crate::article::Article;
use crate::money;
use possum_contract::activity::{OrderLine, Promotion};
use possum_contract::settings::TerminalSettings;
use rust_decimal::{Decimal, RoundingStrategy};

/// One article as sold: what a cart line holds.
#[derive(Debug, Clone, Copy)]
pub struct Sold<'a> {
    pub article: &'a Article,
    pub quantity: i32,
    /// The price group's price, VAT included.
    pub list_price: Decimal,
    /// What one unit was sold for before any promotion (the list price unless a manager set it).
    pub unit_price: Decimal,
    /// What a promotion took off the whole line, and which (see `promotions`).
    pub promotion: Option<(&'a Promotion, Decimal)>,
}

impl<'a> Sold<'a> {
    /// A line at `unit_price` with no promotion.
    pub fn plain(article: &'a Article, quantity: i32, list_price: Decimal, unit_price: Decimal) -> Self {
        Self { article, quantity, list_price, unit_price, promotion: None }
    }

    pub fn total(&self) -> Decimal {
        self.unit_price * Decimal::from(self.quantity) - self.promotion.map_or(Decimal::ZERO, |(_, off)| off)
    }
}

/// The line's amount split by VAT rate: `(gross, percent)`, one entry for a
/// product, one per part for a combination.
pub fn line_amounts(sold: &Sold<'_>, settings: &TerminalSettings) -> Vec<(Decimal, Decimal)> {
    let total = sold.total();
    let parts = &sold.article.parts;
    if parts.is_empty() {
        return vec![(total, sold.article.vat_percent)];
    }
    let by_price: Vec<Decimal> = parts.iter().map(|p| p.list_price * Decimal::from(p.quantity)).collect();
    let weights: Vec<Decimal> = if by_price.iter().sum::<Decimal>().is_zero() {
        parts.iter().map(|p| Decimal::from(p.quantity)).collect()
    } else {
        by_price
    };
    let sum: Decimal = weights.iter().sum();
    let mut left = total;
    let mut out = Vec::with_capacity(parts.len());
    for (i, (part, weight)) in parts.iter().zip(&weights).enumerate() {
        let share = if i + 1 == parts.len() { left } else { money::round(total * weight / sum, settings) };
        left -= share;
        out.push((share, part.vat_percent));
    }
    out
}

/// The order lines of a sold line.
pub fn order_lines(sold: &Sold<'_>, settings: &TerminalSettings) -> Vec<OrderLine> {
    let article = sold.article;
    if article.parts.is_empty() {
        let unit = sold.list_price.max(sold.unit_price);
        let total = sold.total();
        return vec![OrderLine {
            article_number: article.article_number.clone(),
            name: article.name.clone(),
            quantity: sold.quantity,
            unit_price: unit,
            discount: unit * Decimal::from(sold.quantity) - total,
            vat_percent: article.vat_percent,
            line_total: total,
            is_wash: article.is_wash,
            combination_article_number: None,
            promotion: sold.promotion.map(|(p, _)| p.clone()),
        }];
    }
    article
        .parts
        .iter()
        .zip(line_amounts(sold, settings))
        .map(|(part, (share, vat))| {
            let quantity = part.quantity * sold.quantity;
            let per_unit = (share / Decimal::from(quantity))
                .round_dp_with_strategy(settings.price_decimals, RoundingStrategy::AwayFromZero);
            let unit = part.list_price.max(per_unit);
            OrderLine {
                article_number: part.article_number.clone(),
                name: part.name.clone(),
                quantity,
                unit_price: unit,
                discount: unit * Decimal::from(quantity) - share,
                vat_percent: vat,
                line_total: share,
                is_wash: part.is_wash,
                combination_article_number: Some(article.article_number.clone()),
                promotion: sold.promotion.map(|(p, _)| p.clone()),
            }
        })
        .collect()
}

/// Gross amount and VAT per rate of some order lines, lowest rate first.
pub fn vat_by_rate(lines: &[OrderLine], settings: &TerminalSettings) -> Vec<(Decimal, Decimal, Decimal)> {
    let mut rates: Vec<(Decimal, Decimal)> = Vec::new();
    for line in lines {
        match rates.iter_mut().find(|(p, _)| *p == line.vat_percent) {
            Some((_, gross)) => *gross += line.line_total,
            None => rates.push((line.vat_percent, line.line_total)),
        }
    }
    rates.sort_by_key(|(p, _)| *p);
    rates.into_iter().map(|(p, gross)| (p, gross, money::vat_of_gross(gross, p, settings))).collect()
}

/// The VAT of some order lines: per rate, rounded once per rate.
pub fn vat_total(lines: &[OrderLine], settings: &TerminalSettings) -> Decimal {
    vat_by_rate(lines, settings).iter().map(|(_, _, vat)| *vat).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Part;
    use possum_contract::catalogue::GroupPrice;
    use rust_decimal_macros::dec;

    pub(crate) fn article(number: &str, price: Decimal, parts: Vec<Part>) -> Article {
        Article {
            article_number: number.into(),
            name: number.into(),
            prices: vec![GroupPrice { price_group: 1, price }],
            vat_percent: dec!(25),
            is_wash: false,
            blocked: false,
            parts,
        }
    }

    fn part(number: &str, list: Decimal, quantity: i32, vat: Decimal) -> Part {
        Part {
            article_number: number.into(),
            name: number.into(),
            quantity,
            list_price: list,
            vat_percent: vat,
            is_wash: false,
        }
    }

    fn sold(article: &Article, quantity: i32, unit: Decimal) -> Sold<'_> {
        Sold::plain(article, quantity, article.prices[0].price, unit)
    }

    #[test]
    fn a_combination_price_is_shared_out_exactly() {
        let s = TerminalSettings::default();
        let parts = vec![
            part("W", dec!(200), 1, dec!(25)),
            part("X", dec!(100), 1, dec!(25)),
            part("F", dec!(33), 3, dec!(12)),
        ];
        let combo = article("C", dec!(250), parts);
        let lines = order_lines(&sold(&combo, 2, dec!(250)), &s);
        assert_eq!(lines.iter().map(|l| l.line_total).sum::<Decimal>(), dec!(500));
        for l in &lines {
            assert_eq!(Decimal::from(l.quantity) * l.unit_price - l.discount, l.line_total, "{l:?}");
            assert!(!l.discount.is_sign_negative(), "{l:?}");
            assert_eq!(l.combination_article_number.as_deref(), Some("C"));
        }
        assert_eq!(lines[2].quantity, 6);
        assert_eq!(vat_by_rate(&lines, &s).len(), 2);
    }

    #[test]
    fn a_combination_dearer_than_its_parts_raises_the_unit_price_instead_of_a_negative_discount() {
        let s = TerminalSettings::default();
        let combo = article("C", dec!(100), vec![part("A", dec!(10), 3, dec!(25))]);
        let lines = order_lines(&sold(&combo, 1, dec!(100)), &s);
        assert_eq!(
            (lines[0].unit_price, lines[0].discount, lines[0].line_total),
            (dec!(33.34), dec!(0.02), dec!(100))
        );
    }

    #[test]
    fn a_product_sold_below_its_list_price_carries_the_difference_as_its_discount() {
        let s = TerminalSettings::default();
        let a = article("A", dec!(99), vec![]);
        let below = order_lines(&sold(&a, 3, dec!(84.15)), &s);
        assert_eq!(
            (below[0].unit_price, below[0].discount, below[0].line_total),
            (dec!(99), dec!(44.55), dec!(252.45))
        );
        let above = order_lines(&sold(&a, 1, dec!(120)), &s);
        assert_eq!((above[0].unit_price, above[0].discount), (dec!(120), dec!(0)));
    }

    #[test]
    fn vat_is_rounded_once_per_rate() {
        let s = TerminalSettings::default();
        let a = article("A", dec!(99.60), vec![]);
        let b = article("B", dec!(49.20), vec![]);
        let lines: Vec<OrderLine> = [sold(&a, 1, dec!(99.60)), sold(&b, 1, dec!(49.20))]
            .iter()
            .flat_map(|l| order_lines(l, &s))
            .collect();
        assert_eq!(vat_total(&lines, &s), dec!(29.76));
    }
}
