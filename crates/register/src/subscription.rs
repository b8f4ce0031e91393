//! Wash-club washes at the till: which plans a car (by licence plate or RFID
//! tag) has, and whether one covers this wash now, counting the washes this
//! terminal sold today that the back office had not counted when its plans
//! were last pulled.
//!
//! A covered wash is sold alone at its list price and paid in full with
//! `PaymentMethod::SubscriptionPayment`: the customer pays nothing, and
//! `api/Sale` (or the order) tells the back office to count it. A wash the
//! plan does not cover gets the reason and the normal price.

use chrono::{DateTime, NaiveDate, Utc};
use possum_contract::activity::{Order, OrderKind};
use possum_contract::customer::normalise_plate;
use possum_contract::loyalty::{NotCovered, Subscription};
use possum_contract::sale::PaymentMethod;
use std::fmt;

/// How the car at the till was identified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Car<'a> {
    pub plate: Option<&'a str>,
    pub tag: Option<u64>,
}

/// Why no plan covers the wash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    NoPlan,
    NotCovered(NotCovered),
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::NoPlan => write!(f, "This car has no wash-club plan."),
            Refused::NotCovered(why) => write!(f, "{why} The wash costs its normal price."),
        }
    }
}

/// The plans of `car` among `plans`: by licence plate, else by tag (the
/// order the back office looks them up in).
pub fn plans_of<'a>(plans: &'a [Subscription], car: Car<'_>) -> Vec<&'a Subscription> {
    if let Some(plate) = car.plate.map(normalise_plate).filter(|p| !p.is_empty()) {
        let found: Vec<&Subscription> = plans
            .iter()
            .filter(|s| s.license_plate.as_deref().map(normalise_plate).as_deref() == Some(plate.as_str()))
            .collect();
        if !found.is_empty() {
            return found;
        }
    }
    match car.tag {
        Some(tag) => plans.iter().filter(|s| s.card_uid == Some(tag)).collect(),
        None => vec![],
    }
}

/// This terminal's sales that count against `plan` on `today`: covered
/// washes (paid with the plan) of its customer, of its programs.
fn washes_in(
    orders: &[Order],
    plan: &Subscription,
    today: NaiveDate,
    day_of: &dyn Fn(DateTime<Utc>) -> NaiveDate,
) -> u32 {
    orders
        .iter()
        .filter(|o| o.kind == OrderKind::Sale && o.customer_id == Some(plan.customer_id))
        .filter(|o| o.payments.iter().any(|p| p.method == PaymentMethod::SubscriptionPayment))
        .filter(|o| day_of(o.created_at) == today)
        .flat_map(|o| &o.lines)
        .filter(|l| l.is_wash && l.quantity > 0 && plan.article_numbers.contains(&l.article_number))
        .map(|l| l.quantity as u32)
        .sum()
}

/// What this terminal sold that the plans as pulled may not count yet:
/// `unsent` (still in the outbox) and `recent` (the newest stored orders,
/// sent or not, which covers one sent since the plans were last pulled).
#[derive(Clone, Copy)]
pub struct OwnSales<'a> {
    pub unsent: &'a [Order],
    pub recent: &'a [Order],
    /// The shop's day of a moment (`possum_pricing::shop::shop_day`).
    pub day_of: &'a dyn Fn(DateTime<Utc>) -> NaiveDate,
}

impl OwnSales<'_> {
    /// Washes of `plan` on `today` beyond what its row records: the unsent
    /// ones, or all of today's own less what the row already counts, which
    /// ever is more (a sent wash is in the row once the plans are pulled again).
    pub fn beyond_recorded(&self, plan: &Subscription, today: NaiveDate) -> u32 {
        let unsent = washes_in(self.unsent, plan, today, self.day_of);
        let own = washes_in(self.recent, plan, today, self.day_of);
        unsent.max(own.saturating_sub(plan.washes_recorded_on(today)))
    }

    /// The covered washes `plan` has left on `today`: its daily limit less
    /// what the back office recorded and what this terminal sold beyond
    /// that; `None` when the plan has no daily limit.
    pub fn washes_left(&self, plan: &Subscription, today: NaiveDate) -> Option<u32> {
        (plan.washes_per_day != 0).then(|| {
            plan.washes_per_day
                .saturating_sub(plan.washes_recorded_on(today) + self.beyond_recorded(plan, today))
        })
    }
}

/// The plan of `car` that covers one more wash of `article` on `today`, or
/// why none does (the last plan's reason, as the back office answers).
pub fn covering<'a>(
    plans: &'a [Subscription],
    car: Car<'_>,
    article: &str,
    today: NaiveDate,
    own: &OwnSales<'_>,
) -> Result<&'a Subscription, Refused> {
    let mine = plans_of(plans, car);
    let mut why = Refused::NoPlan;
    for plan in mine {
        match plan.covers(article, today, own.beyond_recorded(plan, today)) {
            Ok(()) => return Ok(plan),
            Err(reason) => why = Refused::NotCovered(reason),
        }
    }
    Err(why)
}

#[cfg(test)]
mod tests;
