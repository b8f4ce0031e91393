//! `GET /api/Setting/GetSettings`: settings rows and the typed view a terminal uses.
//!
//! Settings travel as key/value rows so that a single changed value is a small
//! delta. [`TerminalSettings::from_rows`] folds them into one typed value,
//! falling back to a documented default for every key that is absent.

use crate::sale::PaymentMethod;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Setting {
    pub id: Uuid,
    pub key: String,
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum RoundingMode {
    /// Half away from zero, as on Swedish receipts.
    #[default]
    HalfUp,
    /// Banker's rounding.
    HalfEven,
    Down,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PriceGroup {
    pub number: u8,
    pub name: String,
}

/// A cash desk (`ClientNumber` of `api/Sale`) and what it does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CashDesk {
    pub client_number: u8,
    pub name: String,
    /// Answer an EAN-13 wash token when a sale contains a wash.
    pub wash_tokens: bool,
    /// Answer a feedback portal URL for each sale.
    pub feedback: bool,
    /// Payment methods this desk takes; anything else is `PaymentMethodNotSupported`.
    pub payment_methods: Vec<PaymentMethod>,
    /// The desk's printers (seed 000: "Settings, printers, campaigns"). A
    /// misconfigured one parses and is skipped with its problems reported.
    #[serde(default)]
    pub printers: Vec<crate::printers::Printer>,
    /// The articles of the sale screen's first page of tiles, in order
    /// (the owner's favourites for this desk); empty: the catalogue's order.
    #[serde(default)]
    pub favourites: Vec<String>,
}

/// The days around a customer's birthday in which the free birthday wash applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BirthdayWashPeriod {
    pub days_before: u32,
    pub days_after: u32,
}

/// The typed settings of a tenant. Keys of the rows are the field names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TerminalSettings {
    pub company_name: String,
    pub currency: String,
    /// Whether catalogue prices include VAT (they do in Sweden).
    pub prices_include_vat: bool,
    /// Decimals of a line or total amount.
    pub price_decimals: u32,
    pub rounding_mode: RoundingMode,
    /// Cash totals are rounded to a multiple of this (1 = whole kronor); 0 disables it.
    pub cash_rounding: Decimal,
    pub default_price_group: u8,
    pub price_groups: Vec<PriceGroup>,
    pub cash_desks: Vec<CashDesk>,
    pub feedback_portal_base_url: String,
    pub birthday_wash: BirthdayWashPeriod,
    pub sync_interval_seconds: u32,
    pub receipt_header: String,
    pub receipt_footer: String,
    /// The shop's time zone (IANA name): days and hours of limits and campaigns are the shop's.
    pub time_zone: String,
    /// The most a manager's approval may take off one line, in percent of its list price.
    pub max_discount_percent: Decimal,
    /// What a manager may approve while the back office is unreachable (PIN checked by the
    /// tablet only): money given away by one order, or paid back by one refund.
    pub offline_approval_limit: Decimal,
    /// The most one refund without a receipt may pay back.
    pub unreceipted_refund_limit: Decimal,
    /// The most one terminal may pay back without receipts in one day (the shop's day).
    pub unreceipted_refund_daily_limit: Decimal,
    /// Whether a sale paid by card, Swish or account may be refunded in cash.
    pub cash_refunds_allowed: bool,
    /// How old a catalogue a tablet selling offline may have used: a price the
    /// article had within these days is taken as sold (and reported).
    pub stale_price_days: u32,
    /// The business's organisation number, printed on every receipt (SKVFS 2014:9).
    pub organisation_number: String,
    /// The sales address, printed on every receipt.
    pub sales_address: String,
    /// The receipts' language: "sv" or "en" (the rules allow Swedish or English).
    pub receipt_language: String,
    /// The wash program (1–99) of each wash article: the bay reads it from the token.
    pub wash_programs: Vec<WashProgram>,
    /// Subscription plans sold at the till: selling the article starts or
    /// renews the customer's plan.
    pub plans: Vec<PlanOffer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WashProgram {
    pub article_number: String,
    pub program: u8,
}

/// A plan sold as an article: `Days` more of the plan for the vehicle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PlanOffer {
    pub article_number: String,
    pub plan: String,
    /// The wash programs the plan covers.
    pub article_numbers: Vec<String>,
    pub days: u32,
    pub washes_per_day: u32,
}

impl Default for TerminalSettings {
    fn default() -> Self {
        Self {
            company_name: String::new(),
            currency: "SEK".into(),
            prices_include_vat: true,
            price_decimals: 2,
            rounding_mode: RoundingMode::HalfUp,
            cash_rounding: Decimal::ZERO,
            default_price_group: 1,
            price_groups: vec![],
            cash_desks: vec![],
            feedback_portal_base_url: String::new(),
            birthday_wash: BirthdayWashPeriod { days_before: 0, days_after: 7 },
            sync_interval_seconds: 60,
            receipt_header: String::new(),
            receipt_footer: String::new(),
            time_zone: "Europe/Stockholm".into(),
            max_discount_percent: Decimal::from(50),
            offline_approval_limit: Decimal::from(200),
            unreceipted_refund_limit: Decimal::from(500),
            unreceipted_refund_daily_limit: Decimal::from(1_000),
            cash_refunds_allowed: false,
            stale_price_days: 14,
            organisation_number: String::new(),
            sales_address: String::new(),
            receipt_language: "sv".into(),
            wash_programs: vec![],
            plans: vec![],
        }
    }
}

impl TerminalSettings {
    /// Folds settings rows into typed settings. A row whose key is unknown is
    /// ignored; a row whose value has the wrong shape is reported and ignored,
    /// so one bad value never hides the others.
    pub fn from_rows<'a>(rows: impl IntoIterator<Item = &'a Setting>) -> (Self, Vec<String>) {
        let serde_json::Value::Object(mut merged) =
            serde_json::to_value(Self::default()).expect("settings serialise")
        else {
            unreachable!("settings are an object")
        };
        let mut problems = Vec::new();
        for row in rows {
            let Some(previous) = merged.insert(row.key.clone(), row.value.clone()) else {
                merged.remove(&row.key);
                continue;
            };
            if let Err(e) = serde_json::from_value::<Self>(serde_json::Value::Object(merged.clone())) {
                problems.push(format!("setting {}: {e}", row.key));
                merged.insert(row.key.clone(), previous);
            }
        }
        let settings =
            serde_json::from_value(serde_json::Value::Object(merged)).expect("every kept value parsed");
        (settings, problems)
    }

    /// The rows that carry these settings (how the back office stores them).
    pub fn to_rows(&self, id_for: impl Fn(&str) -> Uuid) -> Vec<Setting> {
        let serde_json::Value::Object(map) = serde_json::to_value(self).expect("settings serialise") else {
            unreachable!("settings are an object")
        };
        map.into_iter().map(|(key, value)| Setting { id: id_for(&key), key, value }).collect()
    }

    /// The wash program of an article (0 when it has none).
    pub fn wash_program(&self, article: &str) -> u8 {
        self.wash_programs.iter().find(|w| w.article_number == article).map_or(0, |w| w.program)
    }

    pub fn cash_desk(&self, client_number: u8) -> Option<&CashDesk> {
        self.cash_desks.iter().find(|d| d.client_number == client_number)
    }
}
