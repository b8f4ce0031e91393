//! Wash-club subscriptions at the back office: the plan that covers a wash
//! (`SubscriptionPayment`), the washes counted for fair use, and plans sold
//! at the till (an article of `Plans` in the settings starts or renews one).

use crate::store::entity;
use crate::store::sql::{self, Tx};
use chrono::NaiveDate;
use possum_contract::customer::{normalise_plate, Customer};
use possum_contract::loyalty::{NotCovered, Subscription, SubscriptionStatus};
use possum_contract::settings::TerminalSettings;
use uuid::Uuid;

/// The subscriptions of a vehicle: by licence plate, else RFID UID, else the customer's.
pub fn of_vehicle(
    conn: &Tx<'_>,
    plate: Option<&str>,
    uid: Option<u64>,
    customer: Option<Uuid>,
) -> sql::Result<Vec<Subscription>> {
    if let Some(plate) = plate.map(normalise_plate).filter(|p| !p.is_empty()) {
        let found = entity::find_all::<Subscription>(conn, "license_plate", plate.as_str())?;
        if !found.is_empty() {
            return Ok(found);
        }
    }
    if let Some(uid) = uid {
        let found = entity::find_all::<Subscription>(conn, "card_uid", uid as i64)?;
        if !found.is_empty() {
            return Ok(found);
        }
    }
    match customer {
        Some(id) => entity::find_all::<Subscription>(conn, "customer_id", id.to_string()),
        None => Ok(vec![]),
    }
}

/// The subscription that covers one wash of `article` on `today`, or why none does.
pub fn covering(
    subscriptions: &[Subscription],
    article: &str,
    today: NaiveDate,
) -> Result<Subscription, String> {
    let mut why = NotCovered::NotInPlan;
    for s in subscriptions {
        match s.covers(article, today, 0) {
            Ok(()) => return Ok(s.clone()),
            Err(reason) => why = reason,
        }
    }
    if subscriptions.is_empty() {
        return Err("This vehicle has no wash-club plan.".into());
    }
    Err(why.to_string())
}

/// Counts one covered wash on `today` (fair use).
pub fn record_wash(
    tx: &Tx<'_>,
    stamp: i64,
    mut subscription: Subscription,
    today: NaiveDate,
) -> sql::Result<()> {
    if subscription.last_wash_day == Some(today) {
        subscription.washes_on_last_day += 1;
    } else {
        subscription.last_wash_day = Some(today);
        subscription.washes_on_last_day = 1;
    }
    entity::upsert(tx, stamp, &subscription)
}

/// Starts or renews the plans `articles` (quantity each) sell to `customer`:
/// `Days` more from the later of today and the plan's end, active again.
pub fn sell_plans<'a>(
    tx: &Tx<'_>,
    stamp: i64,
    customer: &Customer,
    articles: impl IntoIterator<Item = (&'a str, i32)>,
    today: NaiveDate,
    settings: &TerminalSettings,
) -> sql::Result<()> {
    for (article, quantity) in articles {
        let Some(offer) = settings.plans.iter().find(|p| p.article_number == article) else { continue };
        let days = i64::from(offer.days) * i64::from(quantity.max(0));
        let mine = entity::find_all::<Subscription>(tx, "customer_id", customer.id.to_string())?;
        let mut plan = mine.into_iter().find(|s| s.plan == offer.plan).unwrap_or_else(|| Subscription {
            id: Uuid::new_v4(),
            customer_id: customer.id,
            plan: offer.plan.clone(),
            license_plate: customer.license_plate.as_deref().map(normalise_plate),
            card_uid: customer.card_uid,
            article_numbers: offer.article_numbers.clone(),
            status: SubscriptionStatus::Active,
            valid_until: today - chrono::Duration::days(1),
            washes_per_day: offer.washes_per_day,
            last_wash_day: None,
            washes_on_last_day: 0,
        });
        plan.valid_until =
            plan.valid_until.max(today - chrono::Duration::days(1)) + chrono::Duration::days(days);
        plan.status = SubscriptionStatus::Active;
        plan.article_numbers = offer.article_numbers.clone();
        plan.washes_per_day = offer.washes_per_day;
        entity::upsert(tx, stamp, &plan)?;
    }
    Ok(())
}
