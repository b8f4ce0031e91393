//! Table tests of promotions on the cart: the demo's weekday-morning
//! campaign in the shop's time, the fleet program, credits already used
//! offline, and what goes to `api/Sale` at which price.

use super::*;
use crate::cart::tests::product;
use crate::cart::{Article, AttachedCustomer, IdentifiedBy};
use possum_contract::activity::{OrderLine, Promotion};
use possum_contract::campaign::Hours;
use possum_contract::customer::{Customer, LoyaltyCredit};
use possum_contract::loyalty::ProgramDiscount;
use possum_contract::settings::PriceGroup;
use possum_pricing::promotions::Verdict;
use rust_decimal_macros::dec;

const EXTRAS: Uuid = Uuid::from_u128(7);
const WASHES: Uuid = Uuid::from_u128(8);

fn campaign(id: u128, name: &str, rule: CampaignRule) -> Campaign {
    Campaign {
        id: Uuid::from_u128(id),
        name: name.into(),
        valid_from: "2026-01-01".parse().unwrap(),
        valid_to: "2026-12-31".parse().unwrap(),
        weekdays: vec![],
        hours: None,
        cash_desks: vec![],
        price_groups: vec![],
        rule,
    }
}

/// The demo's "Morning underbody wash 39 kr": X20 at 39, Monday–Friday 06–10, desk 1.
fn morning() -> Campaign {
    Campaign {
        weekdays: vec![1, 2, 3, 4, 5],
        hours: Some(Hours { from: "06:00:00".parse().unwrap(), to: "10:00:00".parse().unwrap() }),
        cash_desks: vec![1],
        ..campaign(
            10,
            "Morning underbody wash 39 kr",
            CampaignRule::FixedPrice { article_number: "X20".into(), price: dec!(39) },
        )
    }
}

fn fifth_free() -> Campaign {
    campaign(
        60,
        "Every 5th wash free",
        CampaignRule::EveryNthFree { article_numbers: vec!["W200".into()], n: 5 },
    )
}

fn fleet_program() -> DiscountProgram {
    DiscountProgram {
        id: Uuid::from_u128(50),
        name: "Fleet 10 % on extras".into(),
        customer_groups: vec!["Fleet".into()],
        customer_ids: vec![],
        discounts: vec![ProgramDiscount {
            category_id: Some(EXTRAS),
            article_number: None,
            percent: dec!(10),
        }],
    }
}

fn settings() -> TerminalSettings {
    TerminalSettings {
        price_groups: vec![
            PriceGroup { number: 1, name: "Standard".into() },
            PriceGroup { number: 3, name: "Fleet".into() },
        ],
        ..TerminalSettings::default()
    }
}

fn category(article: &str) -> Option<Uuid> {
    match article {
        "X10" | "X20" => Some(EXTRAS),
        "W200" => Some(WASHES),
        _ => None,
    }
}

fn cart(lines: &[(&str, Decimal, i32)]) -> Cart {
    let s = settings();
    let mut cart = Cart::new(1);
    for (article, price, quantity) in lines {
        let key = cart.add(Article::from_product(&product(article, &[(1, *price)], dec!(25))), &s).unwrap();
        cart.set_quantity(key, *quantity).unwrap();
    }
    cart
}

fn with_customer(mut cart: Cart, customer: Customer) -> Cart {
    cart.price_group = customer.price_group.unwrap_or(1);
    cart.customer = Some(AttachedCustomer { customer, by: IdentifiedBy::CardNumber });
    cart
}

fn fleet() -> Customer {
    Customer { price_group: Some(3), ..Customer::new(Uuid::from_u128(2), "Fleet Logistics AB") }
}

fn at(local: &str) -> NaiveDateTime {
    local.parse().unwrap()
}

#[test]
fn the_weekday_morning_price_applies_at_desk_one_in_the_shops_hours_and_comes_off_again() {
    let campaigns = [morning()];
    let promotions = Promotions { campaigns: &campaigns, programs: &[], credits_used: &[] };
    let s = settings();
    // 2026-12-03 is a Thursday, 2026-12-05 a Saturday.
    let table = [
        ("2026-12-03T05:59:59", 1, None),
        ("2026-12-03T06:00:00", 1, Some(dec!(40))),
        ("2026-12-03T09:59:59", 1, Some(dec!(40))),
        ("2026-12-03T10:00:00", 1, None),
        ("2026-12-03T07:00:00", 2, None),
        ("2026-12-05T07:00:00", 1, None),
    ];
    let mut c = cart(&[("X20", dec!(59), 2), ("S100", dec!(89.90), 1)]);
    for (local, desk, off) in table {
        promotions.apply(&mut c, at(local), desk, category, &s);
        let line = &c.lines[0];
        assert_eq!(line.promotion.as_ref().map(|(_, o)| *o), off, "{local} at desk {desk}");
        assert_eq!(c.lines[1].promotion, None);
        let expected_total = dec!(118) + dec!(89.90) - off.unwrap_or_default();
        assert_eq!(c.totals(&s).total, expected_total, "{local}");
    }
    let why = promotions.explain(&c, at("2026-12-05T07:00:00"), 1, category, &s);
    assert!(matches!(why[0].verdict, Verdict::NotInForce(_)), "{why:?}");
}

#[test]
fn the_fleet_program_applies_to_a_fleet_customer_only_and_the_best_for_them_wins() {
    let campaigns = [morning()];
    let programs = [fleet_program()];
    let promotions = Promotions { campaigns: &campaigns, programs: &programs, credits_used: &[] };
    let s = settings();
    let afternoon = at("2026-12-03T14:00:00");
    let mut fleet_cart = with_customer(cart(&[("X10", dec!(49), 1), ("X20", dec!(59), 1)]), fleet());
    promotions.apply(&mut fleet_cart, afternoon, 1, category, &s);
    let names: Vec<Option<&str>> =
        fleet_cart.lines.iter().map(|l| l.promotion.as_ref().map(|(p, _)| p.name.as_str())).collect();
    assert_eq!(names, [Some("Fleet 10 % on extras"); 2]);
    assert_eq!(fleet_cart.totals(&s).discount, dec!(10.80));
    // In the morning the campaign's 20 kr beats the program's 5.90 on X20.
    promotions.apply(&mut fleet_cart, at("2026-12-03T08:00:00"), 1, category, &s);
    assert_eq!(fleet_cart.lines[1].promotion.as_ref().unwrap().0.name, "Morning underbody wash 39 kr");
    // Someone else, or nobody, gets no program.
    let eva = Customer::new(Uuid::from_u128(3), "Eva Ek");
    for mut other in [with_customer(cart(&[("X10", dec!(49), 1)]), eva), cart(&[("X10", dec!(49), 1)])] {
        promotions.apply(&mut other, afternoon, 1, category, &s);
        assert_eq!(other.lines[0].promotion, None);
        let why = promotions.explain(&other, afternoon, 1, category, &s);
        let fleet_why = why.iter().find(|e| e.name == "Fleet 10 % on extras").unwrap();
        assert_eq!(fleet_why.verdict, Verdict::NotForThisCustomer);
    }
}

fn free_line_order(customer: Uuid, campaign: &Campaign, free_units: u32) -> Order {
    let line = OrderLine {
        article_number: "W200".into(),
        name: "Premium wash".into(),
        quantity: 2,
        unit_price: dec!(229),
        discount: dec!(229) * Decimal::from(free_units),
        vat_percent: dec!(25),
        line_total: dec!(458) - dec!(229) * Decimal::from(free_units),
        is_wash: true,
        combination_article_number: None,
        promotion: Some(Promotion {
            id: campaign.id,
            name: campaign.name.clone(),
            kind: PromotionKind::Campaign,
        }),
    };
    Order {
        id: Uuid::new_v4(),
        kind: OrderKind::Sale,
        terminal_id: Uuid::nil(),
        client_number: 1,
        invoice_number: 1,
        created_at: chrono::Utc::now(),
        cashier_id: Uuid::nil(),
        cashier_name: "Anna".into(),
        customer_id: Some(customer),
        price_group: 1,
        lines: vec![line],
        rounding: Decimal::ZERO,
        total: Decimal::ZERO,
        vat_total: Decimal::ZERO,
        payments: vec![],
        refund_of: None,
        sold_offline: true,
        token: None,
        approval: None,
        register_id: None,
    }
}

#[test]
fn a_free_wash_credit_used_by_an_unsent_sale_is_not_given_twice() {
    let fifth = fifth_free();
    let campaigns = [fifth.clone()];
    let s = settings();
    let cecilia = Customer {
        loyalty: vec![LoyaltyCredit { campaign_id: fifth.id, bought: 0, credits: 1 }],
        ..Customer::new(Uuid::from_u128(4), "Cecilia Berg")
    };
    let noon = at("2026-12-03T12:00:00");
    let mut c = with_customer(cart(&[("W200", dec!(229), 1)]), cecilia.clone());
    Promotions { campaigns: &campaigns, programs: &[], credits_used: &[] }
        .apply(&mut c, noon, 1, category, &s);
    assert_eq!(c.totals(&s).total, dec!(0), "her fifth wash is free");

    let unsent = [
        free_line_order(cecilia.id, &fifth, 1),
        free_line_order(Uuid::from_u128(99), &fifth, 1),
        free_line_order(cecilia.id, &morning(), 1),
    ];
    let used = credits_used(&unsent, cecilia.id, &campaigns);
    assert_eq!(used, vec![(fifth.id, 1)], "her own sale, and the free-wash campaign only");
    let mut again = with_customer(cart(&[("W200", dec!(229), 1)]), cecilia);
    let promotions = Promotions { campaigns: &campaigns, programs: &[], credits_used: &used };
    promotions.apply(&mut again, noon, 1, category, &s);
    assert_eq!(again.totals(&s).total, dec!(229), "the credit went with the unsent sale");
    let why = promotions.explain(&again, noon, 1, category, &s);
    assert_eq!(why[0].verdict, Verdict::NoCredit);
}

#[test]
fn api_sale_gets_the_promoted_unit_price_and_bundles_and_free_units_go_as_orders() {
    let s = settings();
    let bundle = campaign(
        40,
        "Wash + underbody 259",
        CampaignRule::Bundle { article_numbers: vec!["W200".into(), "X20".into()], price: dec!(259) },
    );
    let campaigns = [morning(), bundle, fifth_free()];
    let promotions = Promotions { campaigns: &campaigns, programs: &[], credits_used: &[] };
    let morning_at = at("2026-12-03T08:00:00");

    let mut one_line = cart(&[("X20", dec!(59), 3)]);
    promotions.apply(&mut one_line, morning_at, 1, category, &s);
    assert_eq!(sale_price(&one_line.lines[0]), dec!(39));
    assert!(!order_only(&one_line, &campaigns, &s));
    let request =
        crate::order::sale_request(&one_line, possum_contract::sale::PaymentMethod::CardPayment, None, 1);
    assert_eq!(request.items[0].price, dec!(39), "api/Sale is told the campaign's price");

    let mut set = cart(&[("W200", dec!(229), 1), ("X20", dec!(59), 1)]);
    promotions.apply(&mut set, at("2026-12-03T14:00:00"), 1, category, &s);
    assert_eq!(set.lines[0].promotion.as_ref().unwrap().0.name, "Wash + underbody 259");
    assert!(order_only(&set, &campaigns, &s), "a bundle has no unit price of its own");

    let plain = cart(&[("S100", dec!(89.90), 1)]);
    assert_eq!(sale_price(&plain.lines[0]), dec!(89.90));
    assert!(!order_only(&plain, &campaigns, &s));

    // A per-unit amount that is not exact in öre cannot be an item price.
    let mut odd = cart(&[("X20", dec!(59), 3)]);
    let promotion = Promotion { id: Uuid::from_u128(77), name: "odd".into(), kind: PromotionKind::Program };
    odd.lines[0].promotion = Some((promotion, dec!(10)));
    assert!(order_only(&odd, &campaigns, &s));
}
