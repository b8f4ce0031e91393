//! The error contract of `api/Sale` (seed 003, "Error Handling").
//!
//! An expected error is HTTP 400 with [`ErrorResponse`]; input the server cannot
//! read at all (malformed JSON or XML, wrong content type, too large) is HTTP 400
//! with [`HttpError`], the shape ASP.NET Web API uses for it. Anything else
//! unexpected is HTTP 500 with an [`HttpError`] that names no internals.

use serde::{Deserialize, Serialize};
use std::fmt;

/// `{ "Data": …, "ApplicationErrorCode": …, "ApplicationMessage": … }`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorResponse {
    /// For 14 (ArticleNotFound) and 16 (ArticleBlocked): the article numbers concerned.
    #[serde(default)]
    pub data: Option<Vec<String>>,
    pub application_error_code: ApplicationErrorCode,
    pub application_message: String,
}

impl ErrorResponse {
    /// The body the back office answers for `code`, with the documented name as message.
    pub fn new(code: ApplicationErrorCode) -> Self {
        Self { data: None, application_error_code: code, application_message: code.name().to_string() }
    }

    pub fn with_data(code: ApplicationErrorCode, data: Vec<String>) -> Self {
        Self { data: Some(data), ..Self::new(code) }
    }
}

/// `{ "Message": "…" }`: a request the server could not read, or an unexpected failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HttpError {
    pub message: String,
}

/// The application error codes of seed 003. Code 6 is not documented there and
/// is never produced; any code the terminal does not know arrives as `Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "i32", into = "i32")]
pub enum ApplicationErrorCode {
    CardNotFound,
    ClientNotFound,
    CashierCardInvalid,
    EmptyArticleNumber,
    PaymentMethodNotSupported,
    CreditLineReached,
    NotEnoughCredit,
    AlreadyReceivedBirthdayWash,
    NoBirthdayAvailable,
    NoWashItemBirthdayWash,
    BirthdayWashNotInConfiguredTimePeriod,
    ClientNotAllowed,
    ArticleNotFound,
    CardLocked,
    ArticleBlocked,
    Unknown(i32),
}

impl ApplicationErrorCode {
    /// Every documented code, in numeric order.
    pub const DOCUMENTED: [ApplicationErrorCode; 15] = [
        Self::CardNotFound,
        Self::ClientNotFound,
        Self::CashierCardInvalid,
        Self::EmptyArticleNumber,
        Self::PaymentMethodNotSupported,
        Self::CreditLineReached,
        Self::NotEnoughCredit,
        Self::AlreadyReceivedBirthdayWash,
        Self::NoBirthdayAvailable,
        Self::NoWashItemBirthdayWash,
        Self::BirthdayWashNotInConfiguredTimePeriod,
        Self::ClientNotAllowed,
        Self::ArticleNotFound,
        Self::CardLocked,
        Self::ArticleBlocked,
    ];

    pub const fn code(self) -> i32 {
        match self {
            Self::CardNotFound => 1,
            Self::ClientNotFound => 2,
            Self::CashierCardInvalid => 3,
            Self::EmptyArticleNumber => 4,
            Self::PaymentMethodNotSupported => 5,
            Self::CreditLineReached => 7,
            Self::NotEnoughCredit => 8,
            Self::AlreadyReceivedBirthdayWash => 9,
            Self::NoBirthdayAvailable => 10,
            Self::NoWashItemBirthdayWash => 11,
            Self::BirthdayWashNotInConfiguredTimePeriod => 12,
            Self::ClientNotAllowed => 13,
            Self::ArticleNotFound => 14,
            Self::CardLocked => 15,
            Self::ArticleBlocked => 16,
            Self::Unknown(code) => code,
        }
    }

    /// The documented name, which is also the `ApplicationMessage` the server sends.
    pub const fn name(self) -> &'static str {
        match self {
            Self::CardNotFound => "CardNotFound",
            Self::ClientNotFound => "ClientNotFound",
            Self::CashierCardInvalid => "CashierCardInvalid",
            Self::EmptyArticleNumber => "EmptyArticleNumber",
            Self::PaymentMethodNotSupported => "PaymentMethodNotSupported",
            Self::CreditLineReached => "CreditLineReached",
            Self::NotEnoughCredit => "NotEnoughCredit",
            Self::AlreadyReceivedBirthdayWash => "AlreadyReceivedBirthdayWash",
            Self::NoBirthdayAvailable => "NoBirthdayAvailable",
            Self::NoWashItemBirthdayWash => "NoWashItemBirthdayWash",
            Self::BirthdayWashNotInConfiguredTimePeriod => "BirthdayWashNotInConfiguredTimePeriod",
            Self::ClientNotAllowed => "ClientNotAllowed",
            Self::ArticleNotFound => "ArticleNotFound",
            Self::CardLocked => "CardLocked",
            Self::ArticleBlocked => "ArticleBlocked",
            Self::Unknown(_) => "Unknown",
        }
    }

    /// The documented description of seed 003.
    pub const fn description(self) -> &'static str {
        match self {
            Self::CardNotFound => "The given customer card was not found",
            Self::ClientNotFound => "The given Client was not found in the system",
            Self::CashierCardInvalid => "The given cashier card was not found or is not an cashier card",
            Self::EmptyArticleNumber => "An empty article number is not supported",
            Self::PaymentMethodNotSupported => "The given payment method is not supported",
            Self::CreditLineReached => "The credit line of the customer card was reached.",
            Self::NotEnoughCredit => "Not enough credits",
            Self::AlreadyReceivedBirthdayWash => "The customer already received his birthday wash",
            Self::NoBirthdayAvailable => "There is no birthday registered to the card",
            Self::NoWashItemBirthdayWash => {
                "No wash item was found. This is needed for a free birthday wash."
            }
            Self::BirthdayWashNotInConfiguredTimePeriod => {
                "The requested birthday wash is outside the configured time period where it apply."
            }
            Self::ClientNotAllowed => "The given client can not be used by the given card",
            Self::ArticleNotFound => "One or more articles can not be found.",
            Self::CardLocked => "The given card is locked.",
            Self::ArticleBlocked => "One or more articles were blocked.",
            Self::Unknown(_) => "An error the terminal does not know.",
        }
    }

    /// Parses a documented name (the XML form and `ApplicationMessage`).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::DOCUMENTED.into_iter().find(|c| c.name() == name)
    }
}

impl From<i32> for ApplicationErrorCode {
    fn from(code: i32) -> Self {
        Self::DOCUMENTED.into_iter().find(|c| c.code() == code).unwrap_or(Self::Unknown(code))
    }
}

impl From<ApplicationErrorCode> for i32 {
    fn from(code: ApplicationErrorCode) -> i32 {
        code.code()
    }
}

impl fmt::Display for ApplicationErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.code())
    }
}
