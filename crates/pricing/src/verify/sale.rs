//! A sale's lines (pushed orders) and items (`api/Sale`) against the catalogue.
//!
//! The rules (docs/openapi.yaml, "What the back office checks of an order"):
//! - a product line's unit price is the article's price in the order's price
//!   group, or (for an order sold offline with an older catalogue) a price it
//!   had within the stale window; a discount is what was taken off it;
//! - a combination's parts carry the combination's price shared out exactly as
//!   [`crate::lines::order_lines`] does;
//! - selling away from those prices, or in a price group other than the
//!   customer's own (or the default one without a customer), is a manager's
//!   decision: the order then needs an approval, and no line may lose more
//!   than the tenant's `MaxDiscountPercent`.

use super::combination::combination_lines;
use super::promotions::{check_claim, PromotionBook};
use super::{exact_unit, PriceBook, Refusal};
use crate::article::Article;
use crate::limits::MAX_QUANTITY;
use possum_contract::activity::OrderLine;
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;

/// Why a line was sold at a price the catalogue no longer has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaleReason {
    PriceChanged,
    Deleted,
    Blocked,
    /// Sold under a campaign as it was before the owner changed or ended it.
    CampaignChanged,
    /// A free unit claimed beyond the customer's credits (another terminal used them first).
    FreeWithoutCredit,
    /// A wash paid with a wash-club plan that did not cover it when the order arrived.
    SubscriptionNotCovered,
}

impl StaleReason {
    pub fn as_str(self) -> &'static str {
        match self {
            StaleReason::PriceChanged => "PriceChanged",
            StaleReason::Deleted => "Deleted",
            StaleReason::Blocked => "Blocked",
            StaleReason::CampaignChanged => "CampaignChanged",
            StaleReason::FreeWithoutCredit => "FreeWithoutCredit",
            StaleReason::SubscriptionNotCovered => "SubscriptionNotCovered",
        }
    }
}

/// A line sold with a catalogue older than the back office's (accepted: the
/// customer paid what the receipt says; listed for the owner).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleLine {
    pub line: usize,
    pub article_number: String,
    pub reason: StaleReason,
    pub quantity: i32,
    /// The list price the terminal sold at (per unit, VAT included).
    pub sold_list_price: Decimal,
    /// Today's list price, if the article is still sold.
    pub catalogue_price: Option<Decimal>,
}

impl StaleLine {
    /// What selling with the old catalogue brought in above today's price (negative: what it cost).
    pub fn difference(&self) -> Option<Decimal> {
        self.catalogue_price.map(|now| (self.sold_list_price - now) * Decimal::from(self.quantity))
    }
}

/// What the lines of a sold order turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinesCheck {
    /// The catalogue (not the terminal) says a wash was sold.
    pub has_wash: bool,
    /// Sold away from list prices or the entitled price group: a manager must approve it.
    pub needs_approval: bool,
    /// Money below the prices the customer was entitled to: what an approval gives away.
    pub given_away: Decimal,
    /// A line sold above every price its article has (set by hand).
    pub raised_above_list: bool,
    pub stale: Vec<StaleLine>,
    /// "Every n-th free" credits the order used, per campaign.
    pub credits_used: Vec<(uuid::Uuid, u32)>,
}

/// A cashier may sell in the customer's own price group, or in the default
/// one (a customer's group is never worse for them than the default); any
/// other group is a manager's decision.
pub(super) fn may_sell_in(group: u8, entitled_group: u8, settings: &TerminalSettings) -> bool {
    group == entitled_group || group == settings.default_price_group
}

/// Checks the lines of an order (a sale, or a refund without a receipt when
/// `refund`: quantities and totals negative). `entitled_group` is the
/// customer's own price group, or the default one.
pub fn sold_lines(
    lines: &[OrderLine],
    price_group: u8,
    entitled_group: u8,
    refund: bool,
    book: &PriceBook,
    promos: &PromotionBook,
    settings: &TerminalSettings,
) -> Result<LinesCheck, Refusal> {
    let mut check = LinesCheck {
        needs_approval: !may_sell_in(price_group, entitled_group, settings),
        ..LinesCheck::default()
    };
    // As sold: positive quantities and totals, whatever the order's kind.
    let positive: Vec<OrderLine> = lines
        .iter()
        .map(|l| {
            let sign = if refund { -1 } else { 1 };
            OrderLine {
                quantity: l.quantity * sign,
                line_total: l.line_total * Decimal::from(sign),
                ..l.clone()
            }
        })
        .collect();
    let mut i = 0;
    while i < positive.len() {
        let line = &positive[i];
        if line.quantity < 1 || line.quantity > MAX_QUANTITY {
            return Err(Refusal::line(i, &line.article_number, "the quantity is out of bounds"));
        }
        match &line.combination_article_number {
            None => {
                let at = Line { i, lines: &positive, price_group, entitled_group };
                product_line(at, book, promos, settings, &mut check)?;
                i += 1;
            }
            Some(combination) => {
                let run = positive[i..]
                    .iter()
                    .take_while(|l| l.combination_article_number.as_ref() == Some(combination))
                    .count();
                combination_lines(
                    i,
                    &positive[i..i + run],
                    price_group,
                    entitled_group,
                    book,
                    settings,
                    &mut check,
                )?;
                i += run;
            }
        }
    }
    free_credits(&positive, promos, &mut check);
    Ok(check)
}

/// Free units claimed beyond the customer's credits are taken as sold (the
/// wash happened) and listed: two terminals offline may both have used one.
fn free_credits(lines: &[OrderLine], promos: &PromotionBook, check: &mut LinesCheck) {
    for (campaign, used) in check.credits_used.clone() {
        let credits = promos.buyer.as_ref().map_or(0, |b| b.credits(campaign));
        if used <= credits {
            continue;
        }
        if let Some((i, line)) =
            lines.iter().enumerate().find(|(_, l)| l.promotion.as_ref().is_some_and(|p| p.id == campaign))
        {
            check.stale.push(StaleLine {
                line: i,
                article_number: line.article_number.clone(),
                reason: StaleReason::FreeWithoutCredit,
                quantity: (used - credits) as i32,
                sold_list_price: Decimal::ZERO,
                catalogue_price: Some(line.unit_price),
            });
        }
    }
}

/// The list price a line claims to start from: its unit price when money was
/// taken off it, else its unit price if that is a price the article has (had).
pub(super) fn known_prices(
    book: &PriceBook,
    article: Option<&Article>,
    number: &str,
    group: u8,
    settings: &TerminalSettings,
) -> (Option<Decimal>, Vec<Decimal>) {
    let now = article.and_then(|a| a.price(group, settings));
    (now, book.earlier_prices(number, group).to_vec())
}

/// One line of an order, with the order's lines around it.
#[derive(Clone, Copy)]
struct Line<'a> {
    i: usize,
    lines: &'a [OrderLine],
    price_group: u8,
    entitled_group: u8,
}

fn product_line(
    at: Line<'_>,
    book: &PriceBook,
    promos: &PromotionBook,
    settings: &TerminalSettings,
    check: &mut LinesCheck,
) -> Result<(), Refusal> {
    let Line { i, lines, price_group, entitled_group } = at;
    let line = &lines[i];
    let number = line.article_number.as_str();
    let article = book.article(number);
    if article.is_some_and(Article::is_combination) {
        return Err(Refusal::line(i, number, "is a combination: its parts are its lines"));
    }
    if line.promotion.is_some() {
        return promoted_line(at, book, promos, settings, check);
    }
    let q = Decimal::from(line.quantity);
    let sold_unit = exact_unit(line.line_total, line.quantity, settings.price_decimals)
        .ok_or_else(|| Refusal::line(i, number, "LineTotal is not a whole number of unit prices"))?;
    if line.discount.is_sign_negative() || line.unit_price * q - line.discount != line.line_total {
        return Err(Refusal::line(i, number, "LineTotal is not Quantity × UnitPrice − Discount"));
    }
    let (now, earlier) = known_prices(book, article, number, price_group, settings);
    let known = |p: Decimal| now == Some(p) || earlier.contains(&p);
    // The list price the terminal started from.
    let list = if line.discount > Decimal::ZERO {
        if !known(line.unit_price) {
            return Err(Refusal::line(i, number, not_a_price(line.unit_price, now, price_group)));
        }
        Some(line.unit_price)
    } else {
        known(line.unit_price).then_some(line.unit_price)
    };
    match list {
        // Sold above any price it has: a price set by hand.
        None if now.is_none() && earlier.is_empty() => {
            let reason = match article {
                Some(_) => format!("has no price in price group {price_group}"),
                None => "is not in the catalogue".to_string(),
            };
            return Err(Refusal::line(i, number, reason));
        }
        None => {
            // Sold above every price it has (a price raised by hand). A price
            // below them comes from a till only as the list price with a discount.
            let floor = now.into_iter().chain(earlier.iter().copied()).max().unwrap_or_default();
            if line.unit_price < floor {
                return Err(Refusal::line(i, number, not_a_price(line.unit_price, now, price_group)));
            }
            check.needs_approval = true;
            check.raised_above_list = true;
        }
        Some(list) if sold_unit < list => {
            check.needs_approval = true;
            let ceiling = list * q * settings.max_discount_percent / Decimal::ONE_HUNDRED;
            if line.discount > ceiling {
                return Err(Refusal::line(
                    i,
                    number,
                    format!(
                        "the discount {} is more than {}% of the line",
                        line.discount, settings.max_discount_percent
                    ),
                ));
            }
        }
        Some(_) => {}
    }
    as_catalogued(i, line, article, check)?;
    let entitled = article.and_then(|a| a.price(entitled_group, settings)).or(list).unwrap_or(sold_unit);
    check.given_away += ((entitled - sold_unit) * q).max(Decimal::ZERO);
    if let Some(list) = list.filter(|l| now != Some(*l) || article.is_some_and(|a| a.blocked)) {
        let reason = match article {
            None => StaleReason::Deleted,
            Some(a) if a.blocked => StaleReason::Blocked,
            Some(_) => StaleReason::PriceChanged,
        };
        check.stale.push(StaleLine {
            line: i,
            article_number: number.to_string(),
            reason,
            quantity: line.quantity,
            sold_list_price: list,
            catalogue_price: now.filter(|_| reason == StaleReason::PriceChanged),
        });
    }
    Ok(())
}

/// The line's VAT rate and wash flag are the catalogue's (the catalogue, not
/// the terminal, decides whether a wash token is issued).
pub(super) fn as_catalogued(
    i: usize,
    line: &OrderLine,
    article: Option<&Article>,
    check: &mut LinesCheck,
) -> Result<(), Refusal> {
    let number = line.article_number.as_str();
    if let Some(a) = article {
        if line.vat_percent != a.vat_percent {
            return Err(Refusal::line(
                i,
                number,
                format!("VatPercent {} is not {}", line.vat_percent, a.vat_percent),
            ));
        }
        if line.is_wash != a.is_wash {
            return Err(Refusal::line(i, number, "IsWash does not match the catalogue"));
        }
        check.has_wash |= a.is_wash;
    } else {
        check.has_wash |= line.is_wash;
    }
    Ok(())
}

/// A line whose discount a promotion claims: at a list price the article has
/// (had), the promotion's exact discount, no manager needed.
fn promoted_line(
    at: Line<'_>,
    book: &PriceBook,
    promos: &PromotionBook,
    settings: &TerminalSettings,
    check: &mut LinesCheck,
) -> Result<(), Refusal> {
    let Line { i, lines, price_group, .. } = at;
    let line = &lines[i];
    let number = line.article_number.as_str();
    let article = book.article(number);
    let q = Decimal::from(line.quantity);
    if line.discount <= Decimal::ZERO || line.unit_price * q - line.discount != line.line_total {
        return Err(Refusal::line(i, number, "LineTotal is not Quantity × UnitPrice − Discount"));
    }
    let (now, earlier) = known_prices(book, article, number, price_group, settings);
    if now != Some(line.unit_price) && !earlier.contains(&line.unit_price) {
        return Err(Refusal::line(i, number, not_a_price(line.unit_price, now, price_group)));
    }
    as_catalogued(i, line, article, check)?;
    let holds = check_claim(i, lines, book.category(number), promos, settings)?;
    if holds.free_units > 0 {
        let id = line.promotion.as_ref().map(|p| p.id).unwrap_or_default();
        match check.credits_used.iter_mut().find(|(c, _)| *c == id) {
            Some((_, n)) => *n += holds.free_units,
            None => check.credits_used.push((id, holds.free_units)),
        }
    }
    let reason = if now != Some(line.unit_price) {
        Some(StaleReason::PriceChanged)
    } else if !holds.current {
        Some(StaleReason::CampaignChanged)
    } else {
        None
    };
    if let Some(reason) = reason {
        check.stale.push(StaleLine {
            line: i,
            article_number: number.to_string(),
            reason,
            quantity: line.quantity,
            sold_list_price: line.unit_price,
            catalogue_price: now,
        });
    }
    Ok(())
}

pub(super) fn not_a_price(price: Decimal, now: Option<Decimal>, group: u8) -> String {
    match now {
        Some(now) => format!("UnitPrice {price} is not its price in price group {group} ({now})"),
        None => format!("UnitPrice {price} is not a price it has had in price group {group}"),
    }
}
