//! Campaigns and discount programs applied to a cart, the same at the till
//! (online or offline) and at the back office.
//!
//! The rule that combines them (docs/openapi.yaml, "Campaigns and discount
//! programs"): each line gets at most one promotion, the one that takes the
//! most off it for the customer; a bundle takes the units it joins when the
//! set saves more than those lines' own best; an "every n-th free" credit of
//! the customer makes a unit free when that is the line's best. A line whose
//! price a manager set by hand gets none. Never two on one line.

mod engine;
mod explain;

pub use engine::{best_deals, bundle_shares, option_for, Deal, Outcome};
pub use explain::{explain, Explanation, Verdict};

use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use uuid::Uuid;

/// One cart line as the promotions see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The cart line's key, to put the deal back on it.
    pub key: u32,
    pub article_number: String,
    pub category: Option<Uuid>,
    pub quantity: i32,
    /// The price group's price, VAT included.
    pub list_price: Decimal,
    pub vat_percent: Decimal,
}

/// When and where the sale happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// The shop's wall-clock time (the back office converts with the tenant's `TimeZone`).
    pub local: NaiveDateTime,
    pub desk: u8,
    pub price_group: u8,
}

/// The customer on the sale, as the promotions see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buyer {
    pub id: Uuid,
    pub group: Option<String>,
    /// "Every n-th free" credits the customer has earned, per campaign.
    pub free_credits: Vec<(Uuid, u32)>,
}

impl Buyer {
    pub fn credits(&self, campaign: Uuid) -> u32 {
        self.free_credits.iter().find(|(c, _)| *c == campaign).map_or(0, |(_, n)| *n)
    }
}

#[cfg(test)]
mod tests;
