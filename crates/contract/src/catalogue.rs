//! Users, categories, products and product combinations (the seed names the
//! endpoints; the shapes are this project's, see `docs/openapi.yaml`).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a staff member is; [`Role::may`] decides what they may do on the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Role {
    Cashier,
    Manager,
    Admin,
}

/// Something on the terminal that not every cashier may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Permission {
    Refund,
    PriceOverride,
    Discount,
    CloseCashDrawer,
    TerminalSettings,
    /// Retry, edit or void a record the back office rejected.
    ResolveRejected,
    ExportRecords,
}

impl Role {
    /// What the role may do at a terminal: every [`Permission`] is a
    /// manager's (and a back-office admin's), none a cashier's; a manager
    /// approves what a cashier may not (docs/openapi.yaml, "Staff approvals").
    pub fn may(self, _permission: Permission) -> bool {
        matches!(self, Role::Admin | Role::Manager)
    }

    /// Admins work at the back office only: no terminal holds them.
    pub fn works_at_terminals(self) -> bool {
        matches!(self, Role::Cashier | Role::Manager)
    }

    /// The fewest digits a PIN of this role has. A manager's PIN authorises
    /// money (and every terminal can check it offline, so it can be guessed
    /// offline): eight digits are 10^8 argon2 checks, months, not seconds.
    pub fn min_pin_digits(self) -> usize {
        match self {
            Role::Cashier => 4,
            Role::Manager | Role::Admin => 8,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct User {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    /// The cashier card; `api/Sale`'s `CashierCardNumber`.
    pub cashier_card_number: Option<String>,
    /// The PIN as an argon2id PHC string (salted, slow); the PIN itself never leaves the back office.
    pub pin_hash: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Category {
    pub id: Uuid,
    pub name: String,
    pub parent_id: Option<Uuid>,
    pub sort_order: i32,
    /// A CSS colour for the category tile.
    pub color: Option<String>,
}

/// The price of an article in one price group, VAT included when the settings say so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupPrice {
    pub price_group: u8,
    pub price: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Product {
    pub id: Uuid,
    pub article_number: String,
    /// EAN-13 or another code a scanner reads.
    pub barcode: Option<String>,
    pub name: String,
    pub category_id: Option<Uuid>,
    /// One price per price group; the default price group is always present.
    pub prices: Vec<GroupPrice>,
    pub vat_percent: Decimal,
    /// A wash program: a sale containing one gets a wash token.
    pub is_wash: bool,
    /// Blocked articles are shown but cannot be sold (`ArticleBlocked`, 16).
    pub blocked: bool,
    pub sort_order: i32,
}

/// Picks the price for `price_group`, else for `default_group`.
pub fn price_for(prices: &[GroupPrice], price_group: u8, default_group: u8) -> Option<Decimal> {
    let find = |g: u8| prices.iter().find(|p| p.price_group == g).map(|p| p.price);
    find(price_group).or_else(|| find(default_group))
}

impl Product {
    pub fn price(&self, price_group: u8, default_group: u8) -> Option<Decimal> {
        price_for(&self.prices, price_group, default_group)
    }
}

/// A bundle sold at its own price: selling it adds its parts at the combination price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProductCombination {
    pub id: Uuid,
    pub article_number: String,
    pub name: String,
    pub category_id: Option<Uuid>,
    pub prices: Vec<GroupPrice>,
    pub parts: Vec<CombinationPart>,
    pub blocked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CombinationPart {
    pub article_number: String,
    pub quantity: i32,
}

impl ProductCombination {
    pub fn price(&self, price_group: u8, default_group: u8) -> Option<Decimal> {
        price_for(&self.prices, price_group, default_group)
    }
}
