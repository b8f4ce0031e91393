//! Table tests of the promotions: time boundaries in the shop's time, the
//! best single promotion per line, bundles, free credits and explanations.

use super::*;
use possum_contract::campaign::{Campaign, CampaignRule, Hours, NotInForce};
use possum_contract::loyalty::{DiscountProgram, ProgramDiscount};
use possum_contract::settings::TerminalSettings;
use rust_decimal_macros::dec;

const WASHES: Uuid = Uuid::from_u128(1);
const CAFE: Uuid = Uuid::from_u128(2);

fn campaign(id: u128, name: &str, rule: CampaignRule) -> Campaign {
    Campaign {
        id: Uuid::from_u128(id),
        name: name.into(),
        valid_from: "2026-12-01".parse().unwrap(),
        valid_to: "2026-12-31".parse().unwrap(),
        weekdays: vec![],
        hours: None,
        cash_desks: vec![],
        price_groups: vec![],
        rule,
    }
}

fn morning_premium() -> Campaign {
    Campaign {
        weekdays: vec![1, 2, 3, 4, 5],
        hours: Some(Hours { from: "06:00:00".parse().unwrap(), to: "10:00:00".parse().unwrap() }),
        ..campaign(
            10,
            "Premium 179 weekday mornings",
            CampaignRule::FixedPrice { article_number: "W200".into(), price: dec!(179) },
        )
    }
}

fn item(key: u32, article: &str, category: Uuid, quantity: i32, list: Decimal) -> Item {
    let vat = if category == CAFE { dec!(12) } else { dec!(25) };
    Item {
        key,
        article_number: article.into(),
        category: Some(category),
        quantity,
        list_price: list,
        vat_percent: vat,
    }
}

fn at(date: &str, time: &str) -> Moment {
    Moment {
        local: chrono::NaiveDateTime::new(date.parse().unwrap(), time.parse().unwrap()),
        desk: 1,
        price_group: 1,
    }
}

fn s() -> TerminalSettings {
    TerminalSettings::default()
}

fn fleet_program() -> DiscountProgram {
    DiscountProgram {
        id: Uuid::from_u128(50),
        name: "Fleet 15 % on washes".into(),
        customer_groups: vec!["Fleet".into()],
        customer_ids: vec![],
        discounts: vec![ProgramDiscount {
            category_id: Some(WASHES),
            article_number: None,
            percent: dec!(15),
        }],
    }
}

fn fleet() -> Buyer {
    Buyer { id: Uuid::from_u128(99), group: Some("Fleet".into()), free_credits: vec![] }
}

#[test]
fn a_weekday_morning_price_applies_from_six_until_just_before_ten_in_the_shops_time() {
    let items = [item(1, "W200", WASHES, 1, dec!(229))];
    let campaigns = [morning_premium()];
    // 2026-12-03 is a Thursday, 2026-12-05 a Saturday.
    let cases = [
        ("2026-12-03", "05:59:59", None),
        ("2026-12-03", "06:00:00", Some(dec!(50))),
        ("2026-12-03", "09:59:59", Some(dec!(50))),
        ("2026-12-03", "10:00:00", None),
        ("2026-12-05", "07:00:00", None),
        ("2026-11-30", "07:00:00", None),
    ];
    for (date, time, expected) in cases {
        let outcome = best_deals(&items, &campaigns, &[], at(date, time), None, &s());
        assert_eq!(outcome.deal(1).map(|d| d.discount), expected, "{date} {time}");
    }
}

#[test]
fn the_best_single_promotion_for_the_customer_wins_and_never_two_on_a_line() {
    let ten_off_washes =
        campaign(20, "10 % off washes", CampaignRule::PercentOff { category_id: WASHES, percent: dec!(10) });
    let items = [item(1, "W200", WASHES, 2, dec!(229)), item(2, "W100", WASHES, 1, dec!(149))];
    let campaigns = [morning_premium(), ten_off_washes];
    let programs = [fleet_program()];
    let moment = at("2026-12-03", "08:00:00");
    let table: Vec<(Option<Buyer>, Decimal, &str, Decimal, &str)> = vec![
        // No customer: Premium 179 (50 a wash) beats 10 % (22.90); W100 gets 10 % (14.90).
        (None, dec!(100), "Premium 179 weekday mornings", dec!(14.90), "10 % off washes"),
        // Fleet 15 %: 34.35 a Premium is still less than 50; W100 15 % (22.35) beats 10 %.
        (Some(fleet()), dec!(100), "Premium 179 weekday mornings", dec!(22.35), "Fleet 15 % on washes"),
    ];
    for (buyer, w200, w200_by, w100, w100_by) in table {
        let outcome = best_deals(&items, &campaigns, &programs, moment, buyer.as_ref(), &s());
        let one = outcome.deal(1).unwrap();
        let two = outcome.deal(2).unwrap();
        assert_eq!((one.discount, one.promotion.name.as_str()), (w200, w200_by));
        assert_eq!((two.discount, two.promotion.name.as_str()), (w100, w100_by));
    }
    // In the afternoon the fleet customer's Premium takes 15 %.
    let afternoon =
        best_deals(&items, &campaigns, &programs, at("2026-12-03", "14:00:00"), Some(&fleet()), &s());
    assert_eq!(afternoon.deal(1).unwrap().discount, dec!(68.70));
}

#[test]
fn an_amount_off_never_takes_a_price_below_zero() {
    let items = [item(1, "C100", CAFE, 3, dec!(25))];
    let campaigns =
        [campaign(30, "40 kr off coffee", CampaignRule::AmountOff { category_id: CAFE, amount: dec!(40) })];
    let outcome = best_deals(&items, &campaigns, &[], at("2026-12-03", "12:00:00"), None, &s());
    assert_eq!(outcome.deal(1).unwrap().discount, dec!(75));
}

#[test]
fn a_bundle_takes_its_units_when_the_set_saves_more_and_is_shared_exactly() {
    let deal = campaign(
        40,
        "Wash + coffee 199",
        CampaignRule::Bundle { article_numbers: vec!["W200".into(), "C100".into()], price: dec!(199) },
    );
    let items = [item(1, "W200", WASHES, 2, dec!(229)), item(2, "C100", CAFE, 1, dec!(25))];
    let outcome =
        best_deals(&items, std::slice::from_ref(&deal), &[], at("2026-12-03", "12:00:00"), None, &s());
    let (wash, coffee) = (outcome.deal(1).unwrap(), outcome.deal(2).unwrap());
    // (229 + 25 − 199) = 55 saved on one set, shared by list price: 49.59 + 5.41.
    assert_eq!((wash.discount, coffee.discount), (dec!(49.59), dec!(5.41)));
    assert_eq!(wash.promotion.name, "Wash + coffee 199");
    // The morning Premium (2 × 50 = 100) beats one set's 55: the bundle stays out.
    let morning =
        best_deals(&items, &[deal, morning_premium()], &[], at("2026-12-03", "08:00:00"), None, &s());
    assert_eq!(morning.deal(1).unwrap().promotion.name, "Premium 179 weekday mornings");
    assert_eq!(morning.deal(2), None);
    // Half a bundle is no bundle.
    let alone = best_deals(
        &items[..1],
        &[campaign(
            41,
            "b",
            CampaignRule::Bundle { article_numbers: vec!["W200".into(), "C100".into()], price: dec!(199) },
        )],
        &[],
        at("2026-12-03", "12:00:00"),
        None,
        &s(),
    );
    assert!(alone.deals.is_empty());
}

#[test]
fn a_free_wash_credit_makes_a_unit_free_for_that_customer_only() {
    let fifth = campaign(
        60,
        "Every 5th wash free",
        CampaignRule::EveryNthFree { article_numbers: vec!["W100".into(), "W200".into()], n: 5 },
    );
    let items = [item(1, "W100", WASHES, 2, dec!(149))];
    let moment = at("2026-12-03", "12:00:00");
    let with_credit = Buyer { free_credits: vec![(fifth.id, 1)], ..fleet() };
    let outcome = best_deals(&items, std::slice::from_ref(&fifth), &[], moment, Some(&with_credit), &s());
    let deal = outcome.deal(1).unwrap();
    assert_eq!((deal.discount, deal.free_units), (dec!(149), 1));
    assert_eq!(outcome.credits_used(), vec![(fifth.id, 1)]);
    assert!(best_deals(&items, std::slice::from_ref(&fifth), &[], moment, Some(&fleet()), &s())
        .deals
        .is_empty());
    assert!(best_deals(&items, &[fifth], &[], moment, None, &s()).deals.is_empty());
}

#[test]
fn the_cart_says_why_a_promotion_did_not_apply() {
    let ten_off_washes =
        campaign(20, "10 % off washes", CampaignRule::PercentOff { category_id: WASHES, percent: dec!(10) });
    let bundle = campaign(
        40,
        "Wash + coffee 199",
        CampaignRule::Bundle { article_numbers: vec!["W200".into(), "C100".into()], price: dec!(199) },
    );
    let fifth = campaign(
        60,
        "Every 5th wash free",
        CampaignRule::EveryNthFree { article_numbers: vec!["W200".into()], n: 5 },
    );
    let campaigns = [morning_premium(), ten_off_washes, bundle, fifth];
    let programs = [fleet_program()];
    let items = [item(1, "W200", WASHES, 1, dec!(229))];
    let moment = at("2026-12-05", "08:00:00");
    let outcome = best_deals(&items, &campaigns, &programs, moment, None, &s());
    let why = explain(&items, &outcome, &campaigns, &programs, moment, None, &s());
    let verdict = |name: &str| why.iter().find(|e| e.name == name).unwrap().verdict.clone();
    assert_eq!(verdict("Premium 179 weekday mornings"), Verdict::NotInForce(NotInForce::NotThisWeekday));
    assert!(matches!(verdict("10 % off washes"), Verdict::Applied { .. }));
    assert_eq!(verdict("Wash + coffee 199"), Verdict::BundleIncomplete);
    assert_eq!(verdict("Every 5th wash free"), Verdict::NotForThisCustomer);
    assert_eq!(verdict("Fleet 15 % on washes"), Verdict::NotForThisCustomer);
    let fleet_outcome = best_deals(&items, &campaigns, &programs, moment, Some(&fleet()), &s());
    let why = explain(&items, &fleet_outcome, &campaigns, &programs, moment, Some(&fleet()), &s());
    let verdict = |name: &str| why.iter().find(|e| e.name == name).unwrap().verdict.clone();
    assert_eq!(verdict("10 % off washes"), Verdict::Beaten { by: "Fleet 15 % on washes".into() });
    assert_eq!(verdict("Every 5th wash free"), Verdict::NoCredit);
}
