//! Campaigns: promotions the owner sets at the back office. They travel with
//! the settings (seed 000: "Settings, printers, campaigns — GetSettings"), one
//! settings row per campaign with the key `Campaign:<Id>`, so a changed or
//! ended campaign is a small delta (a tombstone when deleted).

use crate::settings::Setting;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The key prefix of a campaign's settings row.
pub const CAMPAIGN_KEY_PREFIX: &str = "Campaign:";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Campaign {
    pub id: Uuid,
    /// What the cart line and the receipt call it ("Morning wash").
    pub name: String,
    /// The first and the last day it runs, in the shop's time zone.
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    /// ISO days of the week it runs, 1 = Monday … 7 = Sunday; empty: every day.
    #[serde(default)]
    pub weekdays: Vec<u8>,
    /// The hours of the day it runs, from (inclusive) to (exclusive); absent: all day.
    #[serde(default)]
    pub hours: Option<Hours>,
    /// Cash desks (`ClientNumber`) it runs at; empty: all.
    #[serde(default)]
    pub cash_desks: Vec<u8>,
    /// Price groups it applies to; empty: all.
    #[serde(default)]
    pub price_groups: Vec<u8>,
    pub rule: CampaignRule,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Hours {
    pub from: NaiveTime,
    pub to: NaiveTime,
}

/// What a campaign does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "Kind", rename_all_fields = "PascalCase", deny_unknown_fields)]
pub enum CampaignRule {
    /// An article sells at a fixed price ("Premium wash 179 kr").
    FixedPrice { article_number: String, price: Decimal },
    /// A percentage off every article of a category.
    PercentOff { category_id: Uuid, percent: Decimal },
    /// An amount off each unit of every article of a category (never below zero).
    AmountOff { category_id: Uuid, amount: Decimal },
    /// One of each article together at one price ("wash + coffee 199 kr").
    Bundle { article_numbers: Vec<String>, price: Decimal },
    /// An identified customer earns one of these articles free for every `n`
    /// bought (a loyalty credit kept on the customer by the back office).
    EveryNthFree { article_numbers: Vec<String>, n: u32 },
}

/// Why a campaign is not in force at a moment (or `None` when it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotInForce {
    NotYet,
    Ended,
    NotThisWeekday,
    NotThisHour,
    NotThisDesk,
    NotThisPriceGroup,
}

impl Campaign {
    /// Whether the campaign runs at `local` (the shop's wall-clock time), at
    /// `desk`, for `price_group`.
    pub fn in_force(&self, local: NaiveDateTime, desk: u8, price_group: u8) -> Result<(), NotInForce> {
        let day = local.date();
        if day < self.valid_from {
            return Err(NotInForce::NotYet);
        }
        if day > self.valid_to {
            return Err(NotInForce::Ended);
        }
        let weekday = day.weekday().number_from_monday() as u8;
        if !self.weekdays.is_empty() && !self.weekdays.contains(&weekday) {
            return Err(NotInForce::NotThisWeekday);
        }
        if let Some(hours) = self.hours {
            let time = local.time();
            if time < hours.from || time >= hours.to {
                return Err(NotInForce::NotThisHour);
            }
        }
        if !self.cash_desks.is_empty() && !self.cash_desks.contains(&desk) {
            return Err(NotInForce::NotThisDesk);
        }
        if !self.price_groups.is_empty() && !self.price_groups.contains(&price_group) {
            return Err(NotInForce::NotThisPriceGroup);
        }
        Ok(())
    }

    /// What is wrong with it, for the back office's admin: impossible dates
    /// or hours, an empty or negative rule. (Unknown articles and categories
    /// are the admin's to check against the catalogue.)
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() || self.name.chars().count() > 100 {
            out.push("Name must hold 1 to 100 characters.".into());
        }
        if self.valid_to < self.valid_from {
            out.push(format!("ValidTo {} is before ValidFrom {}.", self.valid_to, self.valid_from));
        }
        if self.weekdays.iter().any(|d| !(1..=7).contains(d)) {
            out.push("Weekdays are 1 (Monday) to 7 (Sunday).".into());
        }
        if self.hours.is_some_and(|h| h.to <= h.from) {
            out.push("Hours must end after they start.".into());
        }
        let money =
            |d: &Decimal| d.is_sign_negative() || *d > Decimal::from(10_000_000) || d.normalize().scale() > 4;
        match &self.rule {
            CampaignRule::FixedPrice { article_number, price } => {
                if article_number.trim().is_empty() || money(price) {
                    out.push("A fixed price names an article and a price of zero or more.".into());
                }
            }
            CampaignRule::PercentOff { percent, .. } => {
                if percent.is_sign_negative() || *percent > Decimal::ONE_HUNDRED || percent.is_zero() {
                    out.push("Percent must be more than 0 and at most 100.".into());
                }
            }
            CampaignRule::AmountOff { amount, .. } => {
                if money(amount) || amount.is_zero() {
                    out.push("Amount must be more than zero.".into());
                }
            }
            CampaignRule::Bundle { article_numbers, price } => {
                let mut sorted = article_numbers.clone();
                sorted.sort();
                sorted.dedup();
                if article_numbers.len() < 2 || sorted.len() != article_numbers.len() || money(price) {
                    out.push(
                        "A bundle names two or more different articles and a price of zero or more.".into(),
                    );
                }
            }
            CampaignRule::EveryNthFree { article_numbers, n } => {
                if article_numbers.is_empty() || !(2..=100).contains(n) {
                    out.push("Every n-th free names the articles and an n from 2 to 100.".into());
                }
            }
        }
        out
    }

    /// The settings row that carries it.
    pub fn to_row(&self) -> Setting {
        Setting {
            id: self.id,
            key: format!("{CAMPAIGN_KEY_PREFIX}{}", self.id),
            value: serde_json::to_value(self).expect("a campaign serialises"),
        }
    }
}

/// The campaigns among settings rows. A row that is not a valid campaign is
/// reported and skipped; the others still apply.
pub fn campaigns_from_rows<'a>(rows: impl IntoIterator<Item = &'a Setting>) -> (Vec<Campaign>, Vec<String>) {
    let mut campaigns = Vec::new();
    let mut problems = Vec::new();
    for row in rows.into_iter().filter(|r| r.key.starts_with(CAMPAIGN_KEY_PREFIX)) {
        match serde_json::from_value::<Campaign>(row.value.clone()) {
            Ok(c) if c.problems().is_empty() => campaigns.push(c),
            Ok(c) => problems.push(format!("campaign {}: {}", c.name, c.problems().join(" "))),
            Err(e) => problems.push(format!("setting {}: {e}", row.key)),
        }
    }
    campaigns.sort_by_key(|c| c.id);
    (campaigns, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn morning_wash() -> Campaign {
        Campaign {
            id: Uuid::nil(),
            name: "Morning wash".into(),
            valid_from: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            valid_to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            weekdays: vec![1, 2, 3, 4, 5],
            hours: Some(Hours {
                from: NaiveTime::from_hms_opt(6, 0, 0).unwrap(),
                to: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            }),
            cash_desks: vec![1],
            price_groups: vec![],
            rule: CampaignRule::FixedPrice { article_number: "W200".into(), price: Decimal::from(179) },
        }
    }

    fn at(date: &str, time: &str) -> NaiveDateTime {
        NaiveDateTime::new(date.parse().unwrap(), time.parse().unwrap())
    }

    #[test]
    fn a_weekday_morning_campaign_runs_on_weekday_mornings_only() {
        let c = morning_wash();
        // 2026-12-03 is a Thursday.
        assert_eq!(c.in_force(at("2026-12-03", "06:00:00"), 1, 1), Ok(()));
        assert_eq!(c.in_force(at("2026-12-03", "09:59:59"), 1, 1), Ok(()));
        assert_eq!(c.in_force(at("2026-12-03", "10:00:00"), 1, 1), Err(NotInForce::NotThisHour));
        assert_eq!(c.in_force(at("2026-12-03", "05:59:59"), 1, 1), Err(NotInForce::NotThisHour));
        assert_eq!(c.in_force(at("2026-12-05", "07:00:00"), 1, 1), Err(NotInForce::NotThisWeekday));
        assert_eq!(c.in_force(at("2026-12-03", "07:00:00"), 2, 1), Err(NotInForce::NotThisDesk));
        assert_eq!(c.in_force(at("2026-11-30", "07:00:00"), 1, 1), Err(NotInForce::NotYet));
        assert_eq!(c.in_force(at("2027-01-01", "07:00:00"), 1, 1), Err(NotInForce::Ended));
    }

    #[test]
    fn campaigns_travel_as_settings_rows_and_a_bad_row_is_skipped_alone() {
        let good = morning_wash();
        let mut impossible = morning_wash();
        impossible.id = Uuid::from_u128(2);
        impossible.valid_to = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let garbage = Setting {
            id: Uuid::from_u128(3),
            key: "Campaign:x".into(),
            value: serde_json::json!({"Name": 5}),
        };
        let other =
            Setting { id: Uuid::from_u128(4), key: "Currency".into(), value: serde_json::json!("SEK") };
        let rows = vec![good.to_row(), impossible.to_row(), garbage, other];
        let (campaigns, problems) = campaigns_from_rows(&rows);
        assert_eq!(campaigns, vec![good.clone()]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        let json = serde_json::to_value(&good).unwrap();
        assert_eq!(json["Rule"]["Kind"], "FixedPrice");
        assert_eq!(json["Rule"]["ArticleNumber"], "W200");
        assert_eq!(json["Hours"]["From"], "06:00:00");
    }
}
