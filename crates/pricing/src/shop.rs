//! What the till and the back office must read the same way before any
//! promotion is priced: the shop's wall-clock time (campaign days and hours,
//! a plan's day, are the shop's, in the settings' `TimeZone`) and the
//! customer as the promotions see them.
//!
//! The time zone database is the caller's ([`ZoneRules`]): the back office
//! has chrono-tz; the terminal asks the browser's `Intl` (chrono-tz would add
//! about 900 KB to its WebAssembly, 130 KB compressed). The rule around it is
//! here, once: a name that is no zone means UTC.

use crate::promotions::Buyer;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use possum_contract::customer::Customer;
use possum_contract::settings::TerminalSettings;

/// A time zone database: the offset from UTC of the IANA zone `zone` at
/// `at`, or `None` when `zone` names no zone it knows.
pub trait ZoneRules {
    fn offset(&self, zone: &str, at: DateTime<Utc>) -> Option<FixedOffset>;
}

/// The shop's wall-clock time at `at` (UTC when the setting is not a zone).
pub fn shop_time(at: DateTime<Utc>, settings: &TerminalSettings, zones: &impl ZoneRules) -> NaiveDateTime {
    match zones.offset(&settings.time_zone, at) {
        Some(offset) => at.with_timezone(&offset).naive_local(),
        None => at.naive_utc(),
    }
}

/// The shop's calendar day at `at`.
pub fn shop_day(at: DateTime<Utc>, settings: &TerminalSettings, zones: &impl ZoneRules) -> NaiveDate {
    shop_time(at, settings, zones).date()
}

/// The customer as the promotions see them: their group is the name of
/// their price group (Member, Fleet…), their credits are the "every n-th
/// free" credits the back office keeps in `Loyalty`.
pub fn buyer(customer: &Customer, settings: &TerminalSettings) -> Buyer {
    let group = customer
        .price_group
        .and_then(|g| settings.price_groups.iter().find(|p| p.number == g))
        .map(|p| p.name.clone());
    Buyer {
        id: customer.id,
        group,
        free_credits: customer.loyalty.iter().map(|l| (l.campaign_id, l.credits)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, TimeZone};
    use possum_contract::customer::LoyaltyCredit;
    use possum_contract::settings::PriceGroup;
    use uuid::Uuid;

    /// Stockholm as the EU rules have it (last Sunday of March and October, 01:00 UTC).
    struct Stockholm;

    impl ZoneRules for Stockholm {
        fn offset(&self, zone: &str, at: DateTime<Utc>) -> Option<FixedOffset> {
            if zone != "Europe/Stockholm" {
                return None;
            }
            let last_sunday = |month: u32| {
                // March and October both have 31 days.
                let day = (1..=31)
                    .rev()
                    .find(|d| {
                        Utc.with_ymd_and_hms(at.year(), month, *d, 0, 0, 0).unwrap().weekday()
                            == chrono::Weekday::Sun
                    })
                    .unwrap();
                Utc.with_ymd_and_hms(at.year(), month, day, 1, 0, 0).unwrap()
            };
            let summer = at >= last_sunday(3) && at < last_sunday(10);
            FixedOffset::east_opt(if summer { 7200 } else { 3600 })
        }
    }

    fn settings(zone: &str) -> TerminalSettings {
        TerminalSettings { time_zone: zone.into(), ..TerminalSettings::default() }
    }

    #[test]
    fn the_shops_time_follows_its_zone_across_midnight_and_summer_time_and_utc_without_one() {
        let table = [
            // (UTC, zone, the shop's time)
            ("2026-12-03T05:00:00Z", "Europe/Stockholm", "2026-12-03T06:00:00"),
            ("2026-12-03T23:30:00Z", "Europe/Stockholm", "2026-12-04T00:30:00"),
            ("2026-06-03T05:00:00Z", "Europe/Stockholm", "2026-06-03T07:00:00"),
            ("2026-03-29T00:59:59Z", "Europe/Stockholm", "2026-03-29T01:59:59"),
            ("2026-03-29T01:00:00Z", "Europe/Stockholm", "2026-03-29T03:00:00"),
            ("2026-12-03T23:30:00Z", "Mars/Olympus", "2026-12-03T23:30:00"),
            ("2026-12-03T23:30:00Z", "", "2026-12-03T23:30:00"),
        ];
        for (utc, zone, local) in table {
            let at: DateTime<Utc> = utc.parse().unwrap();
            assert_eq!(
                shop_time(at, &settings(zone), &Stockholm),
                local.parse().unwrap(),
                "{utc} in {zone:?}"
            );
        }
        let late: DateTime<Utc> = "2026-12-03T23:30:00Z".parse().unwrap();
        assert_eq!(shop_day(late, &settings("Europe/Stockholm"), &Stockholm).to_string(), "2026-12-04");
    }

    #[test]
    fn a_customers_group_is_their_price_groups_name_and_their_credits_come_along() {
        let s = TerminalSettings {
            price_groups: vec![PriceGroup { number: 3, name: "Fleet".into() }],
            ..TerminalSettings::default()
        };
        let campaign = Uuid::from_u128(60);
        let fleet = Customer {
            price_group: Some(3),
            loyalty: vec![LoyaltyCredit { campaign_id: campaign, bought: 2, credits: 1 }],
            ..Customer::new(Uuid::from_u128(1), "Fleet Logistics AB")
        };
        let b = buyer(&fleet, &s);
        assert_eq!((b.group.as_deref(), b.credits(campaign)), (Some("Fleet"), 1));
        let unknown_group = Customer { price_group: Some(9), ..fleet.clone() };
        assert_eq!(buyer(&unknown_group, &s).group, None);
        assert_eq!(buyer(&Customer::new(Uuid::nil(), "Eva"), &s).group, None);
    }
}
