//! The back office's checks of an order a terminal sold: every line against
//! the back office's own catalogue and the documented rules, the totals, and a
//! refund against what is left of its sale. A terminal's amounts are claims;
//! these functions say whether the claims hold, and why not.
//!
//! They are pure: the back office reads the catalogue rows an order names into
//! a [`PriceBook`] and calls them inside its write transaction.

mod combination;
mod items;
mod promotions;
mod refund;
mod sale;
mod totals;

pub use items::{item_articles, item_bounds, sale_items, ItemsCheck, ItemsError};
pub use promotions::{check_claim, ClaimHolds, PromotionBook};
pub use refund::{refund_of_sale, refund_without_receipt, RefundCheck, UNRECEIPTED_METHODS};
pub use sale::{sold_lines, LinesCheck, StaleLine, StaleReason};
pub use totals::totals;

use crate::article::Article;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt;

/// What the back office knows of the articles one order names: the articles
/// as they are now, and the prices each had in each group within the stale
/// window (a tablet that sold offline may not have pulled a change yet).
#[derive(Debug, Clone, Default)]
pub struct PriceBook {
    articles: HashMap<String, Article>,
    /// VAT-inclusive prices per (article, price group) other than today's, newest first.
    earlier: HashMap<(String, u8), Vec<Decimal>>,
    /// Each article's category, for campaigns and programs on categories.
    categories: HashMap<String, uuid::Uuid>,
}

impl PriceBook {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add_article(&mut self, article: Article) {
        self.articles.insert(article.article_number.clone(), article);
    }

    /// A VAT-inclusive price `article` had in `group` within the stale window.
    pub fn add_earlier_price(&mut self, article: &str, group: u8, price: Decimal) {
        let prices = self.earlier.entry((article.to_string(), group)).or_default();
        if !prices.contains(&price) {
            prices.push(price);
        }
    }

    pub fn set_category(&mut self, article: &str, category: uuid::Uuid) {
        self.categories.insert(article.to_string(), category);
    }

    pub fn category(&self, article: &str) -> Option<uuid::Uuid> {
        self.categories.get(article).copied()
    }

    pub fn article(&self, number: &str) -> Option<&Article> {
        self.articles.get(number)
    }

    pub fn earlier_prices(&self, number: &str, group: u8) -> &[Decimal] {
        self.earlier.get(&(number.to_string(), group)).map(Vec::as_slice).unwrap_or_default()
    }

    /// Whether any price of the article changed within the window.
    pub fn changed_lately(&self, number: &str) -> bool {
        self.earlier.keys().any(|(a, _)| a == number)
    }
}

/// Why an order or a sale request does not hold, naming the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `Lines[3]`, `Items[0]`, `Payments[1]` or the field, e.g. `Total`.
    pub place: String,
    pub reason: String,
}

impl Refusal {
    pub fn at(place: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { place: place.into(), reason: reason.into() }
    }

    pub fn line(index: usize, article: &str, reason: impl Into<String>) -> Self {
        Self::at(format!("Lines[{index}] ({article})"), reason)
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.reason)
    }
}

impl std::error::Error for Refusal {}

/// The exact unit price of `total` over `quantity`, if it has at most `decimals` decimals.
pub(crate) fn exact_unit(total: Decimal, quantity: i32, decimals: u32) -> Option<Decimal> {
    if quantity == 0 {
        return None;
    }
    let unit = total / Decimal::from(quantity);
    (unit.normalize().scale() <= decimals && unit * Decimal::from(quantity) == total).then_some(unit)
}

#[cfg(test)]
mod tests;
