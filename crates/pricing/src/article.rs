//! Something that can be sold: a product, or a combination with its parts.

use crate::money;
use possum_contract::catalogue::{price_for, GroupPrice, Product, ProductCombination};
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub article_number: String,
    pub name: String,
    pub prices: Vec<GroupPrice>,
    pub vat_percent: Decimal,
    pub is_wash: bool,
    pub blocked: bool,
    /// Empty for a product; the parts of a combination.
    pub parts: Vec<Part>,
}

/// One product inside a combination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub article_number: String,
    pub name: String,
    pub quantity: i32,
    /// The part's price in the default group: its weight when the combination's price is shared out.
    pub list_price: Decimal,
    pub vat_percent: Decimal,
    pub is_wash: bool,
}

/// A combination names a part the catalogue does not hold: it cannot be sold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("The combination {combination} names article {article}, which is not in the catalogue.")]
pub struct UnknownPart {
    pub combination: String,
    pub article: String,
}

impl Article {
    pub fn from_product(p: &Product) -> Self {
        Self {
            article_number: p.article_number.clone(),
            name: p.name.clone(),
            prices: p.prices.clone(),
            vat_percent: p.vat_percent,
            is_wash: p.is_wash,
            blocked: p.blocked,
            parts: vec![],
        }
    }

    /// A combination; `product` finds each part in the catalogue.
    pub fn from_combination(
        c: &ProductCombination,
        settings: &TerminalSettings,
        product: impl Fn(&str) -> Option<Product>,
    ) -> Result<Self, UnknownPart> {
        let default_group = settings.default_price_group;
        let mut parts = Vec::with_capacity(c.parts.len());
        for part in &c.parts {
            let p = product(&part.article_number).ok_or_else(|| UnknownPart {
                combination: c.name.clone(),
                article: part.article_number.clone(),
            })?;
            let list = p.price(default_group, default_group).unwrap_or_default();
            parts.push(Part {
                article_number: p.article_number.clone(),
                name: p.name.clone(),
                quantity: part.quantity.max(1),
                list_price: money::gross_price(list, p.vat_percent, settings),
                vat_percent: p.vat_percent,
                is_wash: p.is_wash,
            });
        }
        Ok(Self {
            article_number: c.article_number.clone(),
            name: c.name.clone(),
            prices: c.prices.clone(),
            vat_percent: parts.first().map(|p| p.vat_percent).unwrap_or_default(),
            is_wash: parts.iter().any(|p| p.is_wash),
            blocked: c.blocked,
            parts,
        })
    }

    pub fn is_combination(&self) -> bool {
        !self.parts.is_empty()
    }

    /// The VAT-inclusive unit price in `group` (else the default group).
    pub fn price(&self, group: u8, settings: &TerminalSettings) -> Option<Decimal> {
        let price = price_for(&self.prices, group, settings.default_price_group)?;
        Some(money::gross_price(price, self.vat_percent, settings))
    }
}
