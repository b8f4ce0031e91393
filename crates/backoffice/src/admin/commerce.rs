//! The owner's commercial rules at the back office: campaigns, discount
//! programs and wash-club subscriptions. Each change is checked against the
//! catalogue and the rules already in force, and refused with a clear
//! message when it cannot work (impossible dates, overlapping rules, unknown
//! articles or categories).

use super::{change, tenant_db};
use crate::error::{ApiError, ApiResult};
use crate::promotions;
use crate::store::sql::Tx;
use crate::store::{entity, Store};
use chrono::NaiveDate;
use possum_contract::campaign::{Campaign, CampaignRule, Hours, CAMPAIGN_KEY_PREFIX};
use possum_contract::catalogue::{Category, Product, ProductCombination};
use possum_contract::customer::{normalise_card, normalise_plate, Customer};
use possum_contract::loyalty::{DiscountProgram, Subscription, SubscriptionStatus};
use possum_contract::settings::Setting;
use uuid::Uuid;

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::BadRequest(message.into())
}

fn article_exists(conn: &Tx<'_>, number: &str) -> ApiResult<bool> {
    Ok(entity::find_by::<Product>(conn, "article_number", number)?.is_some()
        || entity::find_by::<ProductCombination>(conn, "article_number", number)?.is_some())
}

fn category_exists(conn: &Tx<'_>, id: Uuid) -> ApiResult<bool> {
    Ok(entity::get::<Category>(conn, id)?.is_some())
}

/// The articles and categories a campaign names must exist.
fn check_catalogue(conn: &Tx<'_>, campaign: &Campaign) -> ApiResult<()> {
    let articles: Vec<&String> = match &campaign.rule {
        CampaignRule::FixedPrice { article_number, .. } => vec![article_number],
        CampaignRule::Bundle { article_numbers, .. } | CampaignRule::EveryNthFree { article_numbers, .. } => {
            article_numbers.iter().collect()
        }
        CampaignRule::PercentOff { category_id, .. } | CampaignRule::AmountOff { category_id, .. } => {
            if !category_exists(conn, *category_id)? {
                return Err(bad(format!("Category {category_id} is not in the catalogue.")));
            }
            vec![]
        }
    };
    for a in articles {
        if !article_exists(conn, a)? {
            return Err(bad(format!("Article {a} is not in the catalogue.")));
        }
    }
    Ok(())
}

/// What a campaign applies to, to tell whether two of them overlap.
fn target(rule: &CampaignRule) -> Vec<String> {
    match rule {
        CampaignRule::FixedPrice { article_number, .. } => vec![format!("article {article_number}")],
        CampaignRule::PercentOff { category_id, .. } | CampaignRule::AmountOff { category_id, .. } => {
            vec![format!("category {category_id}")]
        }
        CampaignRule::Bundle { article_numbers, .. } => {
            let mut sorted = article_numbers.clone();
            sorted.sort();
            vec![format!("bundle {}", sorted.join("+"))]
        }
        CampaignRule::EveryNthFree { article_numbers, .. } => {
            article_numbers.iter().map(|a| format!("free {a}")).collect()
        }
    }
}

fn meet<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.is_empty() || b.is_empty() || a.iter().any(|x| b.contains(x))
}

fn hours_meet(a: Option<Hours>, b: Option<Hours>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.from < b.to && b.from < a.to,
        _ => true,
    }
}

/// Two campaigns of the same kind on the same target that can run at the
/// same moment, desk and price group: which one wins would be an accident.
pub fn overlap(a: &Campaign, b: &Campaign) -> bool {
    let same_target = target(&a.rule).iter().any(|t| target(&b.rule).contains(t));
    same_target
        && a.valid_from <= b.valid_to
        && b.valid_from <= a.valid_to
        && meet(&a.weekdays, &b.weekdays)
        && hours_meet(a.hours, b.hours)
        && meet(&a.cash_desks, &b.cash_desks)
        && meet(&a.price_groups, &b.price_groups)
}

/// Creates or replaces a campaign (by its `Id`), after every check.
pub fn set_campaign(store: &Store, tenant: &str, json: &str) -> ApiResult<Campaign> {
    let campaign: Campaign =
        serde_json::from_str(json).map_err(|e| bad(format!("This is not a campaign: {e}.")))?;
    let problems = campaign.problems();
    if !problems.is_empty() {
        return Err(bad(problems.join(" ")));
    }
    change(store, tenant, |tx, stamp| {
        check_catalogue(tx, &campaign)?;
        if let Some(other) =
            promotions::campaigns(tx)?.iter().find(|c| c.id != campaign.id && overlap(c, &campaign))
        {
            return Err(bad(format!(
                "It overlaps the campaign {} ({}): the same articles at the same times. End or change that one first.",
                other.name, other.id
            )));
        }
        entity::upsert(tx, stamp, &campaign.to_row())?;
        Ok(campaign.clone())
    })
}

/// Ends a campaign now: terminals drop it at their next pull.
pub fn end_campaign(store: &Store, tenant: &str, id: Uuid) -> ApiResult<()> {
    change(store, tenant, |tx, stamp| {
        let row = entity::get::<Setting>(tx, id)?.filter(|r| r.key.starts_with(CAMPAIGN_KEY_PREFIX));
        let row = row.ok_or_else(|| ApiError::NotFound(format!("no campaign {id}")))?;
        entity::delete::<Setting>(tx, stamp, row.id)?;
        Ok(())
    })
}

/// Creates or replaces a discount program, after checking its articles and categories.
pub fn set_program(store: &Store, tenant: &str, json: &str) -> ApiResult<DiscountProgram> {
    let program: DiscountProgram =
        serde_json::from_str(json).map_err(|e| bad(format!("This is not a discount program: {e}.")))?;
    let problems = program.problems();
    if !problems.is_empty() {
        return Err(bad(problems.join(" ")));
    }
    change(store, tenant, |tx, stamp| {
        for d in &program.discounts {
            if let Some(category) = d.category_id {
                if !category_exists(tx, category)? {
                    return Err(bad(format!("Category {category} is not in the catalogue.")));
                }
            }
            if let Some(article) = &d.article_number {
                if !article_exists(tx, article)? {
                    return Err(bad(format!("Article {article} is not in the catalogue.")));
                }
            }
        }
        entity::upsert(tx, stamp, &program)?;
        Ok(program.clone())
    })
}

/// What a new wash-club plan is: for the customer with card `card`, on
/// `plate` (else the customer's), covering `articles`, until `until`.
pub struct NewPlan<'a> {
    pub card: &'a str,
    pub plan: &'a str,
    pub plate: Option<&'a str>,
    pub articles: Vec<String>,
    pub until: NaiveDate,
    pub washes_per_day: u32,
}

pub fn add_subscription(store: &Store, tenant: &str, new: NewPlan<'_>) -> ApiResult<Subscription> {
    if new.plan.trim().is_empty() || new.articles.is_empty() {
        return Err(bad("A plan has a name and covers at least one wash."));
    }
    change(store, tenant, |tx, stamp| {
        let customer = customer(tx, new.card)?;
        for a in &new.articles {
            if !article_exists(tx, a)? {
                return Err(bad(format!("Article {a} is not in the catalogue.")));
            }
        }
        let plate =
            new.plate.map(normalise_plate).or_else(|| customer.license_plate.as_deref().map(normalise_plate));
        if plate.is_none() && customer.card_uid.is_none() {
            return Err(bad(
                "A plan is for a vehicle: give a licence plate (the customer has none, nor an RFID tag).",
            ));
        }
        let plan = Subscription {
            id: Uuid::new_v4(),
            customer_id: customer.id,
            plan: new.plan.trim().to_string(),
            license_plate: plate,
            card_uid: customer.card_uid,
            article_numbers: new.articles.clone(),
            status: SubscriptionStatus::Active,
            valid_until: new.until,
            washes_per_day: new.washes_per_day,
            last_wash_day: None,
            washes_on_last_day: 0,
        };
        entity::upsert(tx, stamp, &plan)?;
        Ok(plan)
    })
}

pub fn set_subscription_status(
    store: &Store,
    tenant: &str,
    id: Uuid,
    status: SubscriptionStatus,
) -> ApiResult<()> {
    change(store, tenant, |tx, stamp| {
        let mut plan = entity::get::<Subscription>(tx, id)?
            .ok_or_else(|| ApiError::NotFound(format!("no subscription {id}")))?;
        plan.status = status;
        Ok(entity::upsert(tx, stamp, &plan)?)
    })
}

/// Puts a customer in a price group (their customer group for discount programs).
pub fn set_customer_group(store: &Store, tenant: &str, card: &str, group: Option<u8>) -> ApiResult<()> {
    change(store, tenant, |tx, stamp| {
        let mut c = customer(tx, card)?;
        c.price_group = group;
        Ok(entity::upsert(tx, stamp, &c)?)
    })
}

fn customer(tx: &Tx<'_>, card: &str) -> ApiResult<Customer> {
    entity::find_by::<Customer>(tx, "card_number", normalise_card(card).as_str())?
        .ok_or_else(|| ApiError::NotFound(format!("no customer with card number {card}")))
}

/// Every subscription of the tenant, as JSON (for staff and tests).
pub fn subscriptions(store: &Store, tenant: &str) -> ApiResult<Vec<Subscription>> {
    tenant_db(store, tenant)?.read_blocking(|conn| Ok(entity::all::<Subscription>(conn)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campaign(rule: CampaignRule) -> Campaign {
        Campaign {
            id: Uuid::new_v4(),
            name: "c".into(),
            valid_from: "2026-12-01".parse().unwrap(),
            valid_to: "2026-12-31".parse().unwrap(),
            weekdays: vec![],
            hours: None,
            cash_desks: vec![],
            price_groups: vec![],
            rule,
        }
    }

    #[test]
    fn campaigns_on_the_same_article_at_the_same_time_overlap() {
        let fixed = |a: &str| CampaignRule::FixedPrice { article_number: a.into(), price: 100.into() };
        let morning = Campaign {
            weekdays: vec![1, 2, 3, 4, 5],
            hours: Some(Hours { from: "06:00:00".parse().unwrap(), to: "10:00:00".parse().unwrap() }),
            ..campaign(fixed("W200"))
        };
        let evening = Campaign {
            hours: Some(Hours { from: "18:00:00".parse().unwrap(), to: "22:00:00".parse().unwrap() }),
            ..campaign(fixed("W200"))
        };
        let weekend = Campaign { weekdays: vec![6, 7], ..campaign(fixed("W200")) };
        let january = Campaign {
            valid_from: "2027-01-01".parse().unwrap(),
            valid_to: "2027-01-31".parse().unwrap(),
            ..campaign(fixed("W200"))
        };
        assert!(overlap(&morning, &campaign(fixed("W200"))));
        assert!(!overlap(&morning, &evening));
        assert!(!overlap(&morning, &weekend));
        assert!(!overlap(&morning, &january));
        assert!(!overlap(&morning, &campaign(fixed("W300"))));
    }
}
