//! What a customer has beyond their card: discount programs (seed 000:
//! "Reuse the same token to fetch subscriptions, deposits and discount
//! programs") and subscriptions, the car-wash membership. Both are pulled as
//! deltas like every other module (see `endpoints::DISCOUNT_PROGRAMS` and
//! `endpoints::SUBSCRIPTIONS`).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Discounts a group of customers (fleet, staff, members) or named customers
/// have on categories or articles, applied when the customer is on the sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DiscountProgram {
    pub id: Uuid,
    pub name: String,
    /// Customer groups it is for (a customer's `Group`).
    #[serde(default)]
    pub customer_groups: Vec<String>,
    /// Customers it is for by id, whatever their group.
    #[serde(default)]
    pub customer_ids: Vec<Uuid>,
    pub discounts: Vec<ProgramDiscount>,
}

/// A percentage off an article, or off every article of a category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ProgramDiscount {
    #[serde(default)]
    pub category_id: Option<Uuid>,
    #[serde(default)]
    pub article_number: Option<String>,
    pub percent: Decimal,
}

impl DiscountProgram {
    pub fn is_for(&self, customer: Uuid, group: Option<&str>) -> bool {
        self.customer_ids.contains(&customer)
            || group.is_some_and(|g| self.customer_groups.iter().any(|c| c == g))
    }

    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push("Name must not be empty.".into());
        }
        if self.customer_groups.is_empty() && self.customer_ids.is_empty() {
            out.push("A program is for a customer group or named customers.".into());
        }
        if self.discounts.is_empty() {
            out.push("A program has at least one discount.".into());
        }
        for d in &self.discounts {
            if d.category_id.is_some() == d.article_number.is_some() {
                out.push("Each discount names a category or an article, not both.".into());
            }
            if d.percent <= Decimal::ZERO || d.percent > Decimal::ONE_HUNDRED {
                out.push("Each discount is more than 0 and at most 100 percent.".into());
            }
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubscriptionStatus {
    Active,
    Paused,
    Ended,
}

/// A wash-club plan for one vehicle, by licence plate and/or RFID tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Subscription {
    pub id: Uuid,
    pub customer_id: Uuid,
    /// The plan's name as staff and the receipt say it ("Wash club Premium").
    pub plan: String,
    /// Licence plate (normal form: `normalise_plate`).
    pub license_plate: Option<String>,
    #[serde(rename = "CardUID")]
    pub card_uid: Option<u64>,
    /// The wash programs it covers.
    pub article_numbers: Vec<String>,
    pub status: SubscriptionStatus,
    /// The last day it covers, in the shop's time zone.
    pub valid_until: NaiveDate,
    /// Fair use: covered washes per day (0: no limit).
    pub washes_per_day: u32,
    /// The last day a covered wash was recorded by the back office, and how many that day.
    pub last_wash_day: Option<NaiveDate>,
    pub washes_on_last_day: u32,
}

/// Why a subscription does not cover a wash now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotCovered {
    Paused,
    Ended,
    Expired(NaiveDate),
    NotInPlan,
    UsedToday(u32),
}

impl std::fmt::Display for NotCovered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotCovered::Paused => write!(f, "The plan is paused."),
            NotCovered::Ended => write!(f, "The plan has ended."),
            NotCovered::Expired(day) => write!(f, "The plan ran until {day}."),
            NotCovered::NotInPlan => write!(f, "This wash is not in the plan."),
            NotCovered::UsedToday(n) => write!(f, "The plan's {n} wash(es) a day are used today."),
        }
    }
}

impl Subscription {
    /// Whether it covers one more wash of `article` on `today`, given the
    /// covered washes already known for today beyond what the back office
    /// recorded (`more_today`: the terminal's own sales since its last pull).
    pub fn covers(&self, article: &str, today: NaiveDate, more_today: u32) -> Result<(), NotCovered> {
        match self.status {
            SubscriptionStatus::Paused => return Err(NotCovered::Paused),
            SubscriptionStatus::Ended => return Err(NotCovered::Ended),
            SubscriptionStatus::Active => {}
        }
        if today > self.valid_until {
            return Err(NotCovered::Expired(self.valid_until));
        }
        if !self.article_numbers.iter().any(|a| a == article) {
            return Err(NotCovered::NotInPlan);
        }
        if self.washes_per_day > 0 && self.washes_recorded_on(today) + more_today >= self.washes_per_day {
            return Err(NotCovered::UsedToday(self.washes_per_day));
        }
        Ok(())
    }

    /// The washes this row records on `today` (it counts only its last wash day).
    pub fn washes_recorded_on(&self, today: NaiveDate) -> u32 {
        if self.last_wash_day == Some(today) {
            self.washes_on_last_day
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Subscription {
        Subscription {
            id: Uuid::nil(),
            customer_id: Uuid::nil(),
            plan: "Wash club".into(),
            license_plate: Some("SUB111".into()),
            card_uid: None,
            article_numbers: vec!["W200".into()],
            status: SubscriptionStatus::Active,
            valid_until: "2026-12-31".parse().unwrap(),
            washes_per_day: 1,
            last_wash_day: None,
            washes_on_last_day: 0,
        }
    }

    #[test]
    fn a_plan_covers_one_wash_a_day_of_its_programs_while_active() {
        let today: NaiveDate = "2026-12-03".parse().unwrap();
        let p = plan();
        assert_eq!(p.covers("W200", today, 0), Ok(()));
        assert_eq!(p.covers("W200", today, 1), Err(NotCovered::UsedToday(1)));
        assert_eq!(p.covers("W300", today, 0), Err(NotCovered::NotInPlan));
        let washed = Subscription { last_wash_day: Some(today), washes_on_last_day: 1, ..p.clone() };
        assert_eq!(washed.covers("W200", today, 0), Err(NotCovered::UsedToday(1)));
        assert_eq!(washed.covers("W200", today.succ_opt().unwrap(), 0), Ok(()));
        let paused = Subscription { status: SubscriptionStatus::Paused, ..p.clone() };
        assert_eq!(paused.covers("W200", today, 0), Err(NotCovered::Paused));
        assert!(matches!(p.covers("W200", "2027-01-01".parse().unwrap(), 0), Err(NotCovered::Expired(_))));
    }
}
