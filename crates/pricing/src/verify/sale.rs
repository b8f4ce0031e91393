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

use super::promotions::{check_claim, PromotionBook};
use super::{exact_unit, PriceBook, Refusal};
use crate::article::Article;
use crate::limits::{is_sane, MAX_AMOUNT, MAX_QUANTITY, MAX_SALE_ITEMS, MAX_SCALE};
use crate::lines::{order_lines, Sold};
use crate::promotions::{option_for, Item};
use possum_contract::activity::OrderLine;
use possum_contract::campaign::CampaignRule;
use possum_contract::sale::SaleItem;
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
fn may_sell_in(group: u8, entitled_group: u8, settings: &TerminalSettings) -> bool {
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
fn known_prices(
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
fn as_catalogued(
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

fn not_a_price(price: Decimal, now: Option<Decimal>, group: u8) -> String {
    match now {
        Some(now) => format!("UnitPrice {price} is not its price in price group {group} ({now})"),
        None => format!("UnitPrice {price} is not a price it has had in price group {group}"),
    }
}

/// The parts of one combination as sold (one or more cart lines of it in a row).
fn combination_lines(
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

/// Whether a campaign in force, or the customer's discount program, takes
/// exactly `off` off one unit of `unit` (the one-line promotions; a bundle or
/// a free unit is never a uniform unit price, so the till pushes those as
/// orders only).
fn promotes(unit: &Item, off: Decimal, promos: &PromotionBook, settings: &TerminalSettings) -> bool {
    let moment = promos.moment;
    let by_campaign = promos.campaigns.iter().filter(|(_, current)| *current).any(|(c, _)| {
        !matches!(c.rule, CampaignRule::Bundle { .. } | CampaignRule::EveryNthFree { .. })
            && c.in_force(moment.local, moment.desk, moment.price_group).is_ok()
            && option_for(unit, &c.rule, 0, settings).is_some_and(|(d, _)| d == off)
    });
    let by_program = promos.buyer.as_ref().is_some_and(|b| {
        promos.programs.iter().filter(|p| p.is_for(b.id, b.group.as_deref())).any(|p| {
            p.discounts.iter().any(|d| {
                (d.article_number.as_deref() == Some(unit.article_number.as_str())
                    || (d.category_id.is_some() && d.category_id == unit.category))
                    && crate::money::round(unit.list_price * d.percent / Decimal::ONE_HUNDRED, settings)
                        == off
            })
        })
    });
    off > Decimal::ZERO && (by_campaign || by_program)
}

fn gcd(a: i32, b: i32) -> i32 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}

/// What the items of an `api/Sale` request turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemsCheck {
    pub has_wash: bool,
    /// How many washes: a birthday wash sale holds exactly one.
    pub washes: i32,
    /// Σ quantity × price, VAT included: what the sale charges.
    pub total: Decimal,
    pub needs_approval: bool,
    pub given_away: Decimal,
}

/// Why the items of an `api/Sale` request are refused, in the seed's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemsError {
    /// Not one item, or more than [`MAX_SALE_ITEMS`], or a quantity out of bounds (HTTP 400).
    Bounds(String),
    /// `EmptyArticleNumber` (4).
    EmptyArticleNumber,
    /// `ArticleNotFound` (14) with the article numbers.
    NotFound(Vec<String>),
    /// `ArticleBlocked` (16) with the article numbers.
    Blocked(Vec<String>),
    /// A price that is not the catalogue's (HTTP 400, naming the item).
    Price(Refusal),
}

/// The article numbers of a request's items, each once, in the order they
/// first appear (for reading the book, and for `Data` of errors 14 and 16).
pub fn item_articles(items: &[SaleItem]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for item in items {
        if let Some(number) = item.article_number.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            if seen.insert(number) {
                out.push(number.to_string());
            }
        }
    }
    out
}

/// The bounds of a request's items, checked before any catalogue is read.
pub fn item_bounds(items: &[SaleItem]) -> Result<(), ItemsError> {
    if items.is_empty() || items.len() > MAX_SALE_ITEMS {
        return Err(ItemsError::Bounds(format!(
            "Items must hold at least one item and at most {MAX_SALE_ITEMS}."
        )));
    }
    if let Some(i) = items.iter().position(|i| i.quantity < 1 || i.quantity > MAX_QUANTITY) {
        return Err(ItemsError::Bounds(format!("Items[{i}].Quantity must be from 1 to {MAX_QUANTITY}.")));
    }
    if let Some(i) = items.iter().position(|i| !is_sane(i.price, false)) {
        return Err(ItemsError::Bounds(format!(
            "Items[{i}].Price must be from 0 to {MAX_AMOUNT} with at most {MAX_SCALE} decimals."
        )));
    }
    Ok(())
}

/// Checks an `api/Sale` request's items: online, a price must be today's
/// price in the price group unless a manager approved the sale (`approved`).
pub fn sale_items(
    items: &[SaleItem],
    price_group: u8,
    entitled_group: u8,
    approved: bool,
    book: &PriceBook,
    promos: &PromotionBook,
    settings: &TerminalSettings,
) -> Result<ItemsCheck, ItemsError> {
    item_bounds(items)?;
    if items.iter().any(|i| i.article_number.as_deref().is_none_or(|a| a.trim().is_empty())) {
        return Err(ItemsError::EmptyArticleNumber);
    }
    let numbers = item_articles(items);
    let missing: Vec<String> = numbers.iter().filter(|n| book.article(n).is_none()).cloned().collect();
    if !missing.is_empty() {
        return Err(ItemsError::NotFound(missing));
    }
    let blocked: Vec<String> =
        numbers.iter().filter(|n| book.article(n).is_some_and(|a| a.blocked)).cloned().collect();
    if !blocked.is_empty() {
        return Err(ItemsError::Blocked(blocked));
    }
    let mut check = ItemsCheck {
        needs_approval: !may_sell_in(price_group, entitled_group, settings),
        ..ItemsCheck::default()
    };
    for (i, item) in items.iter().enumerate() {
        let number = item.article_number.as_deref().unwrap_or_default().trim();
        let article = book.article(number).expect("every article was found above");
        let place = || format!("Items[{i}] ({number})");
        let Some(list) = article.price(price_group, settings) else {
            return Err(ItemsError::Price(Refusal::at(
                place(),
                format!("has no price in price group {price_group}"),
            )));
        };
        if item.price.normalize().scale() > settings.price_decimals || item.price.is_sign_negative() {
            return Err(ItemsError::Price(Refusal::at(
                place(),
                format!("Price {} is not an amount", item.price),
            )));
        }
        let q = Decimal::from(item.quantity);
        let unit = Item {
            key: 0,
            article_number: number.to_string(),
            category: book.category(number),
            quantity: 1,
            list_price: list,
            vat_percent: article.vat_percent,
        };
        if item.price != list && promotes(&unit, list - item.price, promos, settings) {
            // A campaign or the customer's program in force gives this price: the owner's rule, nobody's approval.
        } else if item.price != list {
            if !approved {
                return Err(ItemsError::Price(Refusal::at(
                    place(),
                    format!(
                        "Price {} is not its price in price group {price_group} ({list}): sync the terminal, or have a manager approve the change",
                        item.price
                    ),
                )));
            }
            check.needs_approval = true;
            if (list - item.price) * Decimal::ONE_HUNDRED > list * settings.max_discount_percent {
                return Err(ItemsError::Price(Refusal::at(
                    place(),
                    format!("more than {}% off its price", settings.max_discount_percent),
                )));
            }
        }
        let entitled = article.price(entitled_group, settings).unwrap_or(list);
        check.given_away += ((entitled - item.price) * q).max(Decimal::ZERO);
        check.total += item.price * q;
        if article.is_wash {
            check.has_wash = true;
            check.washes += item.quantity;
        }
    }
    if check.needs_approval && !approved {
        return Err(ItemsError::Price(Refusal::at(
            "PriceGroup",
            format!("price group {price_group} is neither the default nor the customer's own: a manager must approve it"),
        )));
    }
    Ok(check)
}
