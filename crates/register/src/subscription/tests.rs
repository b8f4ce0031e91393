//! Table tests of wash-club washes: the car's plans by plate or tag, each
//! reason a wash is not covered, and the terminal's own washes counted once.

use super::*;
use chrono::Duration;
use possum_contract::activity::{OrderLine, OrderPayment};
use possum_contract::loyalty::SubscriptionStatus;
use rust_decimal::Decimal;
use uuid::Uuid;

fn plan(n: u128, plate: &str, status: SubscriptionStatus, per_day: u32) -> Subscription {
    Subscription {
        id: Uuid::from_u128(n),
        customer_id: Uuid::from_u128(100 + n),
        plan: "Wash club".into(),
        license_plate: Some(plate.into()),
        card_uid: Some(1000 + n as u64),
        article_numbers: vec!["W200".into(), "W300".into()],
        status,
        valid_until: "2026-12-31".parse().unwrap(),
        washes_per_day: per_day,
        last_wash_day: None,
        washes_on_last_day: 0,
    }
}

fn today() -> NaiveDate {
    "2026-12-03".parse().unwrap()
}

/// The shop's day: UTC + 1 h (Stockholm in winter).
fn day_of(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(1)).date_naive()
}

/// A sale of `article` to `customer` at `utc`, paid with `method`.
fn wash(customer: Uuid, article: &str, method: PaymentMethod, utc: &str) -> Order {
    Order {
        id: Uuid::new_v4(),
        kind: OrderKind::Sale,
        terminal_id: Uuid::nil(),
        client_number: 1,
        invoice_number: 1,
        created_at: utc.parse().unwrap(),
        cashier_id: Uuid::nil(),
        cashier_name: "Anna".into(),
        customer_id: Some(customer),
        price_group: 1,
        lines: vec![OrderLine {
            article_number: article.into(),
            name: article.into(),
            quantity: 1,
            unit_price: Decimal::from(229),
            discount: Decimal::ZERO,
            vat_percent: Decimal::from(25),
            line_total: Decimal::from(229),
            is_wash: true,
            combination_article_number: None,
            promotion: None,
        }],
        rounding: Decimal::ZERO,
        total: Decimal::from(229),
        vat_total: Decimal::ZERO,
        payments: vec![OrderPayment { method, amount: Decimal::from(229), tendered: None, change: None }],
        refund_of: None,
        sold_offline: true,
        token: None,
        approval: None,
        register_id: None,
    }
}

const NOTHING: OwnSales<'static> = OwnSales { unsent: &[], recent: &[], day_of: &day_of };

#[test]
fn a_car_is_found_by_plate_else_tag_and_each_reason_is_told() {
    let ended = plan(3, "END333", SubscriptionStatus::Ended, 1);
    let expired = Subscription {
        valid_until: "2026-12-02".parse().unwrap(),
        ..plan(4, "OLD444", SubscriptionStatus::Active, 1)
    };
    let plans = [
        plan(1, "DEM000", SubscriptionStatus::Active, 1),
        plan(2, "DEM001", SubscriptionStatus::Paused, 1),
        ended,
        expired,
    ];
    let car = |plate: Option<&'static str>, tag: Option<u64>| Car { plate, tag };
    let table: Vec<(Car, &str, Result<u128, Refused>)> = vec![
        (car(Some("dem 000"), None), "W200", Ok(1)),
        (car(Some("DEM-000"), None), "W300", Ok(1)),
        (car(None, Some(1001)), "W200", Ok(1)),
        (car(Some("XYZ999"), Some(1001)), "W200", Ok(1)),
        (car(Some("DEM000"), None), "W100", Err(Refused::NotCovered(NotCovered::NotInPlan))),
        (car(Some("DEM001"), None), "W200", Err(Refused::NotCovered(NotCovered::Paused))),
        (car(Some("END333"), None), "W200", Err(Refused::NotCovered(NotCovered::Ended))),
        (
            car(Some("OLD444"), None),
            "W200",
            Err(Refused::NotCovered(NotCovered::Expired("2026-12-02".parse().unwrap()))),
        ),
        (car(Some("XYZ999"), None), "W200", Err(Refused::NoPlan)),
        (car(None, None), "W200", Err(Refused::NoPlan)),
    ];
    for (car, article, expected) in table {
        let got = covering(&plans, car, article, today(), &NOTHING).map(|p| p.id.as_u128());
        assert_eq!(got, expected, "{car:?} {article}");
    }
    assert!(Refused::NotCovered(NotCovered::Paused).to_string().contains("paused"));
}

#[test]
fn the_terminals_own_washes_today_count_once_whether_sent_or_not() {
    let alva = plan(1, "DEM000", SubscriptionStatus::Active, 1);
    let twice = plan(1, "DEM000", SubscriptionStatus::Active, 2);
    let recorded = |p: &Subscription, n: u32| Subscription {
        last_wash_day: Some(today()),
        washes_on_last_day: n,
        ..p.clone()
    };
    let customer = alva.customer_id;
    let sub = PaymentMethod::SubscriptionPayment;
    let this_morning = wash(customer, "W200", sub, "2026-12-03T07:00:00Z");
    let yesterday_late = wash(customer, "W200", sub, "2026-12-02T22:30:00Z"); // 23:30 in the shop
    let after_midnight = wash(customer, "W200", sub, "2026-12-02T23:30:00Z"); // 00:30 today
    let paid_by_card = wash(customer, "W200", PaymentMethod::CardPayment, "2026-12-03T07:00:00Z");
    let someone_else = wash(Uuid::from_u128(7), "W200", sub, "2026-12-03T07:00:00Z");
    let used = Err(Refused::NotCovered(NotCovered::UsedToday(1)));
    // (plan as pulled, unsent, recent (sent or not), covered?)
    type Case = (&'static str, Subscription, Vec<Order>, Vec<Order>, Result<(), Refused>);
    let table: Vec<Case> = vec![
        ("nothing yet", alva.clone(), vec![], vec![], Ok(())),
        (
            "sold here, unsent",
            alva.clone(),
            vec![this_morning.clone()],
            vec![this_morning.clone()],
            used.clone(),
        ),
        ("sent, plans not pulled since", alva.clone(), vec![], vec![this_morning.clone()], used.clone()),
        ("sent and pulled", recorded(&alva, 1), vec![], vec![this_morning.clone()], used.clone()),
        ("another terminal's wash", recorded(&alva, 1), vec![], vec![], used.clone()),
        (
            "yesterday in the shop's time",
            alva.clone(),
            vec![yesterday_late.clone()],
            vec![yesterday_late],
            Ok(()),
        ),
        ("today in the shop's time", alva.clone(), vec![after_midnight.clone()], vec![after_midnight], used),
        ("paid by card", alva.clone(), vec![paid_by_card.clone()], vec![paid_by_card], Ok(())),
        ("someone else's", alva.clone(), vec![someone_else.clone()], vec![someone_else], Ok(())),
        // Two a day: one sent and pulled is counted once, not twice.
        ("two a day, one counted", recorded(&twice, 1), vec![], vec![this_morning.clone()], Ok(())),
        (
            "two a day, one counted and one unsent",
            recorded(&twice, 1),
            vec![this_morning.clone()],
            vec![this_morning.clone(), this_morning.clone()],
            Err(Refused::NotCovered(NotCovered::UsedToday(2))),
        ),
    ];
    for (what, plan, unsent, recent, expected) in table {
        let own = OwnSales { unsent: &unsent, recent: &recent, day_of: &day_of };
        let plans = [plan];
        let got =
            covering(&plans, Car { plate: Some("DEM000"), tag: None }, "W200", today(), &own).map(|_| ());
        assert_eq!(got, expected, "{what}");
    }
}
