//! The demo tenant's commercial fixtures (docs/demo-data.md, "Campaigns,
//! programs and the wash club"): a weekday-morning campaign, an "every 5th
//! wash free" campaign, the fleet's discount program, a subscribed car and a
//! paused one. Chosen so that the other demo flows keep their prices: the
//! morning campaign is on the underbody wash, the program on extras.

use super::{d, id};
use crate::error::ApiResult;
use crate::store::entity;
use crate::store::sql::Tx;
use chrono::{Duration, NaiveDate};
use possum_contract::campaign::{Campaign, CampaignRule, Hours};
use possum_contract::customer::{Customer, LoyaltyCredit};
use possum_contract::loyalty::{DiscountProgram, ProgramDiscount, Subscription, SubscriptionStatus};
use possum_contract::settings::{PlanOffer, WashProgram};

pub const MORNING_CAMPAIGN: &str = "Morning underbody wash 39 kr";
pub const FIFTH_WASH_FREE: &str = "Every 5th wash free";

pub fn wash_programs() -> Vec<WashProgram> {
    [("W100", 1), ("W200", 2), ("W300", 3)]
        .iter()
        .map(|(a, p)| WashProgram { article_number: (*a).into(), program: *p })
        .collect()
}

pub fn plans() -> Vec<PlanOffer> {
    vec![PlanOffer {
        article_number: "M030".into(),
        plan: "Wash club".into(),
        article_numbers: vec!["W200".into(), "W300".into()],
        days: 30,
        washes_per_day: 1,
    }]
}

pub fn campaigns(today: NaiveDate) -> Vec<Campaign> {
    let year = |c: Campaign| Campaign {
        valid_from: today - Duration::days(30),
        valid_to: today + Duration::days(365),
        ..c
    };
    vec![
        year(Campaign {
            id: id("campaign:morning-underbody"),
            name: MORNING_CAMPAIGN.into(),
            valid_from: today,
            valid_to: today,
            weekdays: vec![1, 2, 3, 4, 5],
            hours: Some(Hours {
                from: "06:00:00".parse().expect("a time"),
                to: "10:00:00".parse().expect("a time"),
            }),
            cash_desks: vec![1],
            price_groups: vec![],
            rule: CampaignRule::FixedPrice { article_number: "X20".into(), price: d("39.00") },
        }),
        year(Campaign {
            id: id("campaign:fifth-wash"),
            name: FIFTH_WASH_FREE.into(),
            valid_from: today,
            valid_to: today,
            weekdays: vec![],
            hours: None,
            cash_desks: vec![],
            price_groups: vec![],
            rule: CampaignRule::EveryNthFree {
                article_numbers: vec!["W100".into(), "W200".into(), "W300".into()],
                n: 5,
            },
        }),
    ]
}

pub fn fleet_program() -> DiscountProgram {
    DiscountProgram {
        id: id("program:fleet-extras"),
        name: "Fleet 10 % on extras".into(),
        customer_groups: vec!["Fleet".into()],
        customer_ids: vec![],
        discounts: vec![ProgramDiscount {
            category_id: Some(id("category:Extras")),
            article_number: None,
            percent: d("10"),
        }],
    }
}

fn plan(card: &str, plate: &str, status: SubscriptionStatus, today: NaiveDate) -> Subscription {
    Subscription {
        id: id(&format!("subscription:{card}")),
        customer_id: id(&format!("customer:{card}")),
        plan: "Wash club".into(),
        license_plate: Some(plate.into()),
        card_uid: None,
        article_numbers: vec!["W200".into(), "W300".into()],
        status,
        valid_until: today + Duration::days(30),
        washes_per_day: 1,
        last_wash_day: None,
        washes_on_last_day: 0,
    }
}

/// Writes the campaigns, the program and the subscriptions; gives one
/// customer a free wash credit.
pub fn write(tx: &Tx<'_>, stamp: i64, today: NaiveDate, customers: &mut [Customer]) -> ApiResult<()> {
    for campaign in campaigns(today) {
        entity::upsert(tx, stamp, &campaign.to_row())?;
    }
    entity::upsert(tx, stamp, &fleet_program())?;
    entity::upsert(tx, stamp, &plan("10000100", "DEM000", SubscriptionStatus::Active, today))?;
    entity::upsert(tx, stamp, &plan("10000101", "DEM001", SubscriptionStatus::Paused, today))?;
    if let Some(c) = customers.iter_mut().find(|c| c.card_number.as_deref() == Some("10000102")) {
        c.loyalty = vec![LoyaltyCredit { campaign_id: id("campaign:fifth-wash"), bought: 0, credits: 1 }];
    }
    Ok(())
}
