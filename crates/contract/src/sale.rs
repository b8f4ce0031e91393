//! `POST api/Sale`: `SaleRequestModel`, `SaleItem`, `PaymentMethod`, `SaleResponseModel` (seed 003).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Handles a direct sale and the payment of it.
///
/// Every field may be absent, as with the .NET model binder the seed describes:
/// numbers default to 0 and strings to null, and validation (not parsing)
/// answers the application error code. Unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields, default)]
pub struct SaleRequestModel {
    /// The Price Group.
    pub price_group: u8,
    /// The purchased items.
    pub items: Vec<SaleItem>,
    /// The number of the cashier card.
    pub cashier_card_number: Option<String>,
    /// The payment method.
    pub payment_method: PaymentMethod,
    /// The card number of the customer card; if not available the licence plate may be used instead.
    pub card_number: Option<String>,
    /// The UID of the customer card, if RFID card (optional).
    #[serde(rename = "CardUID")]
    pub card_uid: Option<u64>,
    /// The licence plate of the customer (optional).
    pub license_plate: Option<String>,
    /// The current Client Number (unique POS id number, the cash desk).
    pub client_number: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields, default)]
pub struct SaleItem {
    pub article_number: Option<String>,
    pub quantity: i32,
    /// Unit price, VAT included, in the tenant's currency.
    pub price: Decimal,
}

/// The payment method of a sale. JSON carries the number, XML the name.
///
/// The seed documents only `0 = CashPayment`; the other values are this
/// project's decision (see `docs/openapi.yaml`). A number or name the server
/// does not know is kept as `Unsupported` so that validation, not parsing,
/// answers `PaymentMethodNotSupported` (5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(from = "i64", into = "i64")]
pub enum PaymentMethod {
    #[default]
    CashPayment,
    /// A bank card through the card terminal.
    CardPayment,
    /// Charged to the customer's account, up to its credit line.
    CreditPayment,
    /// Paid from prepaid credit on the customer card.
    PrepaidPayment,
    SwishPayment,
    /// A free birthday wash for the identified customer.
    BirthdayWashPayment,
    /// A wash covered by the vehicle's subscription (wash club): nothing to pay.
    SubscriptionPayment,
    Unsupported(i64),
}

impl PaymentMethod {
    pub const KNOWN: [PaymentMethod; 7] = [
        Self::CashPayment,
        Self::CardPayment,
        Self::CreditPayment,
        Self::PrepaidPayment,
        Self::SwishPayment,
        Self::BirthdayWashPayment,
        Self::SubscriptionPayment,
    ];

    pub const fn code(self) -> i64 {
        match self {
            Self::CashPayment => 0,
            Self::CardPayment => 1,
            Self::CreditPayment => 2,
            Self::PrepaidPayment => 3,
            Self::SwishPayment => 4,
            Self::BirthdayWashPayment => 5,
            Self::SubscriptionPayment => 6,
            Self::Unsupported(code) => code,
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Self::CashPayment => "CashPayment",
            Self::CardPayment => "CardPayment",
            Self::CreditPayment => "CreditPayment",
            Self::PrepaidPayment => "PrepaidPayment",
            Self::SwishPayment => "SwishPayment",
            Self::BirthdayWashPayment => "BirthdayWashPayment",
            Self::SubscriptionPayment => "SubscriptionPayment",
            Self::Unsupported(_) => "Unsupported",
        }
    }

    pub fn from_name(name: &str) -> Self {
        Self::KNOWN.into_iter().find(|m| m.name() == name).unwrap_or(Self::Unsupported(-1))
    }

    /// Whether the method needs an identified customer card.
    pub const fn needs_customer(self) -> bool {
        matches!(
            self,
            Self::CreditPayment
                | Self::PrepaidPayment
                | Self::BirthdayWashPayment
                | Self::SubscriptionPayment
        )
    }
}

impl From<i64> for PaymentMethod {
    fn from(code: i64) -> Self {
        Self::KNOWN.into_iter().find(|m| m.code() == code).unwrap_or(Self::Unsupported(code))
    }
}

impl From<PaymentMethod> for i64 {
    fn from(m: PaymentMethod) -> i64 {
        m.code()
    }
}

impl fmt::Display for PaymentMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct SaleResponseModel {
    /// A URL to the feedback portal for this booking, when feedback is enabled for the cash desk.
    pub feedback_portal_url: Option<String>,
    /// The EAN-13 wash token, when the sale contains a wash and the cash desk generates tokens.
    pub token: Option<String>,
}

/// The check digit of the first twelve digits of an EAN-13 code.
pub fn ean13_check_digit(first12: &[u8; 12]) -> u8 {
    let sum: u32 =
        first12.iter().enumerate().map(|(i, d)| u32::from(*d) * if i % 2 == 0 { 1 } else { 3 }).sum();
    ((10 - sum % 10) % 10) as u8
}

/// Whether `code` is thirteen digits with a correct EAN-13 check digit.
pub fn is_valid_ean13(code: &str) -> bool {
    let digits: Vec<u8> = code.bytes().map(|b| b.wrapping_sub(b'0')).collect();
    if digits.len() != 13 || digits.iter().any(|d| *d > 9) {
        return false;
    }
    let first12: [u8; 12] = digits[..12].try_into().expect("twelve digits");
    ean13_check_digit(&first12) == digits[12]
}
