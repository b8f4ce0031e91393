//! What the back office knows of promotions when it checks an order or a
//! sale: the campaigns (today's and, within the stale window, the versions
//! before each change), the discount programs, and the customer as a buyer
//! (their price group's name is their customer group; their "every n-th
//! free" credits). Also the loyalty bookkeeping an order causes.

use crate::params;
use crate::store::sql::{self, Tx};
use crate::store::{clock, entity};
use chrono::{DateTime, Utc};
use possum_contract::activity::Order;
use possum_contract::campaign::{campaigns_from_rows, Campaign, CampaignRule};
use possum_contract::customer::{Customer, LoyaltyCredit};
use possum_contract::loyalty::DiscountProgram;
use possum_contract::settings::{Setting, TerminalSettings};
use possum_pricing::promotions::Moment;
use possum_pricing::verify::PromotionBook;

const DAY_US: i64 = 86_400_000_000;

/// The time zone database behind the shared shop-time rule: chrono-tz.
pub struct Zones;

impl possum_pricing::shop::ZoneRules for Zones {
    fn offset(&self, zone: &str, at: DateTime<Utc>) -> Option<chrono::FixedOffset> {
        use chrono::Offset;
        let zone = zone.parse::<chrono_tz::Tz>().ok()?;
        Some(at.with_timezone(&zone).offset().fix())
    }
}

/// The shop's wall-clock time at `at`: the same rule the till applies
/// (`possum_pricing::shop`), so a campaign's hours mean the same on both sides.
pub fn shop_time(at: DateTime<Utc>, settings: &TerminalSettings) -> chrono::NaiveDateTime {
    possum_pricing::shop::shop_time(at, settings, &Zones)
}

/// The calendar day of `at` in the shop's time zone.
pub fn shop_day(at: DateTime<Utc>, settings: &TerminalSettings) -> String {
    possum_pricing::shop::shop_day(at, settings, &Zones).to_string()
}

/// Today's campaigns.
pub fn campaigns(conn: &Tx<'_>) -> sql::Result<Vec<Campaign>> {
    let rows = entity::all::<Setting>(conn)?;
    Ok(campaigns_from_rows(&rows).0)
}

pub use possum_pricing::shop::buyer;

/// Everything an order made at `at`, at `desk`, in `price_group`, may claim.
pub fn book(
    conn: &Tx<'_>,
    at: DateTime<Utc>,
    desk: u8,
    price_group: u8,
    customer: Option<&Customer>,
    settings: &TerminalSettings,
) -> sql::Result<PromotionBook> {
    let mut versions: Vec<(Campaign, bool)> = campaigns(conn)?.into_iter().map(|c| (c, true)).collect();
    let since = clock::now_us() - i64::from(settings.stale_price_days) * DAY_US;
    let bodies =
        conn.query_map("SELECT body FROM earlier_campaigns WHERE replaced_at >= ?1", params![since], |r| {
            r.get::<String>(0)
        })?;
    for body in bodies {
        if let Ok(campaign) = serde_json::from_str::<Campaign>(&body) {
            versions.push((campaign, false));
        }
    }
    Ok(PromotionBook {
        campaigns: versions,
        programs: entity::all::<DiscountProgram>(conn)?,
        buyer: customer.map(|c| buyer(c, settings)),
        moment: Moment { local: shop_time(at, settings), desk, price_group },
    })
}

/// The loyalty an order of `customer` causes: the free units it used come
/// off their credits; the qualifying units paid for count towards the next
/// free one of each "every n-th free" campaign in force. Answers whether the
/// customer changed.
pub fn settle_loyalty(
    customer: &mut Customer,
    order: &Order,
    used: &[(uuid::Uuid, u32)],
    book: &PromotionBook,
) -> bool {
    let before = customer.loyalty.clone();
    for (campaign, units) in used {
        if let Some(credit) = customer.loyalty.iter_mut().find(|l| l.campaign_id == *campaign) {
            credit.credits = credit.credits.saturating_sub(*units);
        }
    }
    for (campaign, _) in book.campaigns.iter().filter(|(_, current)| *current) {
        let CampaignRule::EveryNthFree { article_numbers, n } = &campaign.rule else { continue };
        if campaign.in_force(book.moment.local, book.moment.desk, book.moment.price_group).is_err() {
            continue;
        }
        let free: u32 = used.iter().filter(|(c, _)| *c == campaign.id).map(|(_, u)| *u).sum();
        let bought: u32 = order
            .lines
            .iter()
            .filter(|l| article_numbers.contains(&l.article_number))
            .map(|l| l.quantity.max(0) as u32)
            .sum::<u32>()
            .saturating_sub(free);
        if bought == 0 {
            continue;
        }
        let credit = match customer.loyalty.iter_mut().find(|l| l.campaign_id == campaign.id) {
            Some(credit) => credit,
            None => {
                customer.loyalty.push(LoyaltyCredit { campaign_id: campaign.id, bought: 0, credits: 0 });
                customer.loyalty.last_mut().expect("just pushed")
            }
        };
        credit.bought += bought;
        credit.credits += credit.bought / n;
        credit.bought %= n;
    }
    customer.loyalty != before
}
