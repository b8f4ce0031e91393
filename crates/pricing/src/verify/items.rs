//! The items of an `api/Sale` request against the catalogue (online: today's
//! prices, a promotion in force, or a manager's approval).

use super::promotions::PromotionBook;
use super::sale::may_sell_in;
use super::{PriceBook, Refusal};
use crate::limits::{is_sane, MAX_AMOUNT, MAX_QUANTITY, MAX_SALE_ITEMS, MAX_SCALE};
use crate::promotions::{option_for, Item};
use possum_contract::campaign::CampaignRule;
use possum_contract::sale::SaleItem;
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;

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
