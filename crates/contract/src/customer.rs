//! Customers, their cards and credit (`GetCustomers`, `PostCustomer`, `GetDepositHistory`).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Customer {
    pub id: Uuid,
    pub name: String,
    pub card_number: Option<String>,
    #[serde(rename = "CardUID")]
    pub card_uid: Option<u64>,
    pub license_plate: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub birthday: Option<NaiveDate>,
    /// The customer's own price group, if any.
    pub price_group: Option<u8>,
    /// How far the account may go below zero with `CreditPayment`; 0 means no credit.
    pub credit_line: Decimal,
    /// Prepaid credit when positive, debt on the credit line when negative.
    pub balance: Decimal,
    pub locked: bool,
    /// Cash desks (`ClientNumber`) this card may be used at; empty means all.
    pub allowed_clients: Vec<u8>,
    /// The last date a free birthday wash was given.
    pub last_birthday_wash: Option<NaiveDate>,
    /// Progress and earned credits of "every n-th free" campaigns, kept by the back office.
    #[serde(default)]
    pub loyalty: Vec<LoyaltyCredit>,
}

/// A customer's standing in one "every n-th free" campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoyaltyCredit {
    pub campaign_id: Uuid,
    /// Qualifying units bought towards the next free one.
    pub bought: u32,
    /// Free units earned and not yet used.
    pub credits: u32,
}

impl Customer {
    /// A customer with a name and nothing else: no card, no credit, nothing owed.
    pub fn new(id: Uuid, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            card_number: None,
            card_uid: None,
            license_plate: None,
            email: None,
            phone: None,
            birthday: None,
            price_group: None,
            credit_line: Decimal::ZERO,
            balance: Decimal::ZERO,
            locked: false,
            allowed_clients: vec![],
            last_birthday_wash: None,
            loyalty: vec![],
        }
    }
}

/// A customer created or edited at the terminal (`POST /api/Customer/PostCustomer`).
///
/// `Id` is the change's own client-generated id (the back office stores each
/// change once); `CustomerId` is the customer it creates or edits. Credit and
/// balance are not editable from a terminal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CustomerChange {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub name: String,
    pub card_number: Option<String>,
    #[serde(rename = "CardUID")]
    pub card_uid: Option<u64>,
    pub license_plate: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub changed_at: DateTime<Utc>,
}

/// A movement of a customer's balance (`GET /api/DepositHistory/GetDepositHistory`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DepositHistory {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub kind: DepositKind,
    /// Positive adds to the balance, negative takes from it.
    pub amount: Decimal,
    pub balance_after: Decimal,
    pub created_at: DateTime<Utc>,
    pub note: Option<String>,
    /// The order that caused it, if any.
    pub order_id: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DepositKind {
    Deposit,
    Sale,
    Refund,
    Adjustment,
}

/// Card numbers compare without spaces or dashes and in capitals
/// ("1000 0001 " = "10000001"). Terminal and back office store and compare
/// them only in this form.
pub fn normalise_card(card: &str) -> String {
    card.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase).collect()
}

/// Licence plates compare without spaces or dashes and in capitals
/// ("abc 123" = "ABC-123" = "ABC123"). Terminal and back office both use this.
pub fn normalise_plate(plate: &str) -> String {
    plate.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect()
}
