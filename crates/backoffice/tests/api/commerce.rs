//! The seed's commercial half through HTTP: campaigns (admin checks, pulled
//! with the settings, claims on orders), discount programs and subscriptions
//! (pulled as deltas), the wash-token reserve and the bay's validation, and
//! staff hours.

use crate::common::*;
use crate::money::{accepted, push_orders, refused};
use crate::till::Till;
use possum_backoffice::admin::commerce;
use possum_backoffice::{admin, demo};
use possum_contract::activity::{Promotion, PromotionKind, PushResponse};
use possum_contract::campaign::CampaignRule;
use possum_contract::endpoints::{PullModule, PushKind, DISCOUNT_PROGRAMS, SALE, SUBSCRIPTIONS};
use possum_contract::loyalty::SubscriptionStatus;
use possum_contract::sale::PaymentMethod;
use possum_contract::wash_token::{compose, ReservedToken, TokenValidation, VALIDATE_TOKEN, WASH_TOKENS};
use serde_json::{json, Value};

fn store(server: &Server) -> &possum_backoffice::store::Store {
    &server.state.store
}

#[tokio::test]
async fn the_admin_refuses_impossible_overlapping_or_unknown_campaigns() {
    let server = Server::start().await;
    let base = |rule: Value| json!({"Id": new_id(), "Name": "Test", "ValidFrom": "2026-12-01", "ValidTo": "2026-12-31", "Rule": rule});
    let set = |v: &Value| commerce::set_campaign(store(&server), demo::DEMO_TENANT, &v.to_string());
    let mut backwards = base(json!({"Kind": "FixedPrice", "ArticleNumber": "W100", "Price": 99}));
    backwards["ValidTo"] = json!("2026-11-01");
    assert!(set(&backwards).unwrap_err().to_string().contains("before ValidFrom"));
    let unknown = base(json!({"Kind": "FixedPrice", "ArticleNumber": "NOPE", "Price": 99}));
    assert!(set(&unknown).unwrap_err().to_string().contains("not in the catalogue"));
    let good = base(json!({"Kind": "FixedPrice", "ArticleNumber": "W100", "Price": 99}));
    set(&good).unwrap();
    let again = base(json!({"Kind": "FixedPrice", "ArticleNumber": "W100", "Price": 89}));
    assert!(set(&again).unwrap_err().to_string().contains("overlaps the campaign"));
    let other_hours = {
        let mut c = again.clone();
        c["ValidFrom"] = json!("2027-01-01");
        c["ValidTo"] = json!("2027-01-31");
        c
    };
    set(&other_hours).unwrap();
    // A pulled campaign travels as a settings row; an ended one as its tombstone.
    let t = server.demo_terminal().await;
    let (rows, _, cursor) = server.pull_all(&t, PullModule::Settings.path(), None, 1000).await;
    let id = good["Id"].as_str().unwrap();
    assert!(rows
        .iter()
        .any(|r| r["Key"] == format!("Campaign:{id}") && r["Value"]["Rule"]["Kind"] == "FixedPrice"));
    commerce::end_campaign(store(&server), demo::DEMO_TENANT, id.parse().unwrap()).unwrap();
    let (_, deleted, _) = server.pull_all(&t, PullModule::Settings.path(), Some(&cursor), 1000).await;
    assert_eq!(deleted, [id.to_string()]);
}

#[tokio::test]
async fn programs_and_subscriptions_are_pulled_as_deltas_with_tombstones() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let (programs, _, _) = server.pull_all(&t, DISCOUNT_PROGRAMS, None, 100).await;
    assert_eq!(programs.len(), 1);
    assert_eq!(programs[0]["CustomerGroups"], json!(["Fleet"]));
    let (plans, _, cursor) = server.pull_all(&t, SUBSCRIPTIONS, None, 100).await;
    let statuses: Vec<&str> = plans.iter().map(|p| p["Status"].as_str().unwrap()).collect();
    assert_eq!(statuses.len(), 2);
    assert!(statuses.contains(&"Active") && statuses.contains(&"Paused"));
    let paused =
        plans.iter().find(|p| p["Status"] == "Paused").unwrap()["Id"].as_str().unwrap().parse().unwrap();
    commerce::set_subscription_status(store(&server), demo::DEMO_TENANT, paused, SubscriptionStatus::Active)
        .unwrap();
    let (changed, _, _) = server.pull_all(&t, SUBSCRIPTIONS, Some(&cursor), 100).await;
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["Status"], "Active");
}

#[tokio::test]
async fn a_subscribed_car_washes_once_a_day_and_a_paused_one_pays() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let wash_club = |plate: &str| {
        let mut request = sale(&[("W200", 1, "229.00")]);
        request["PaymentMethod"] = json!(6);
        request["LicensePlate"] = json!(plate);
        request
    };
    let first = server.post_json(&t, SALE, &wash_club("DEM 000")).send().await.unwrap();
    assert_eq!(first.status(), 200, "{}", first.text().await.unwrap());
    let second = server.post_json(&t, SALE, &wash_club("DEM000")).send().await.unwrap();
    assert_eq!(second.status(), 400);
    assert!(second.text().await.unwrap().contains("used today"));
    let paused = server.post_json(&t, SALE, &wash_club("DEM001")).send().await.unwrap();
    assert!(paused.text().await.unwrap().contains("paused"));
    let not_in_plan = {
        let mut r = wash_club("DEM000");
        r["Items"] = json!([{"ArticleNumber": "W100", "Quantity": 1, "Price": 149}]);
        r
    };
    assert!(server
        .post_json(&t, SALE, &not_in_plan)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("not in the plan"));
    let plans = commerce::subscriptions(store(&server), demo::DEMO_TENANT).unwrap();
    let active = plans.iter().find(|p| p.status == SubscriptionStatus::Active).unwrap();
    assert_eq!(active.washes_on_last_day, 1);
}

#[tokio::test]
async fn a_plan_sold_at_the_till_starts_the_customers_wash_club() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let till = Till::open(&server, &t).await;
    // Eva (plate ABC123) buys 30 days of the wash club, then washes with it.
    let order =
        till.sale(&till.with_customer(till.cart(&[("M030", 1)]), "10000001"), PaymentMethod::CardPayment);
    accepted(&server, &t, &order).await;
    let plans = commerce::subscriptions(store(&server), demo::DEMO_TENANT).unwrap();
    let eva = plans.iter().find(|p| p.license_plate.as_deref() == Some("ABC123")).expect("Eva's plan");
    assert_eq!(eva.plan, "Wash club");
    let mut wash = sale(&[("W300", 1, "299.00")]);
    wash["PaymentMethod"] = json!(6);
    wash["LicensePlate"] = json!("ABC123");
    assert_eq!(server.post_json(&t, SALE, &wash).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_weekday_morning_price_sold_offline_is_what_the_back_office_computes() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let till = Till::open(&server, &t).await;
    let campaign = possum_contract::campaign::campaigns_from_rows(
        &serde_json::from_value::<Vec<possum_contract::settings::Setting>>(Value::Array(
            server.pull_all(&t, PullModule::Settings.path(), None, 1000).await.0,
        ))
        .unwrap(),
    )
    .0
    .into_iter()
    .find(|c| c.name == demo::commerce::MORNING_CAMPAIGN)
    .unwrap();
    let promotion = Promotion { id: campaign.id, name: campaign.name.clone(), kind: PromotionKind::Campaign };
    let mut cart = till.cart(&[("X20", 2)]);
    let key = cart.lines[0].key;
    cart.lines.iter_mut().find(|l| l.key == key).unwrap().promotion =
        Some((promotion, "40.00".parse().unwrap()));
    let mut order = till.sale(&cart, PaymentMethod::CardPayment);
    // Thursday 3 December 2026, 07:30 in Stockholm.
    order.created_at = "2026-12-03T06:30:00Z".parse().unwrap();
    accepted(&server, &t, &order).await;
    // The same line claimed on a Saturday is refused: the campaign was not in force.
    let mut saturday = till.sale(&cart, PaymentMethod::CardPayment);
    saturday.created_at = "2026-12-05T06:30:00Z".parse().unwrap();
    assert!(refused(&server, &t, &saturday).await.contains("not in force"));
    assert!(matches!(campaign.rule, CampaignRule::FixedPrice { .. }));
}

#[tokio::test]
async fn a_reserved_token_prints_at_once_and_the_bay_takes_it_once() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let till = Till::open(&server, &t).await;
    let (reserve, _, cursor) = server.pull_all(&t, WASH_TOKENS, None, 100).await;
    assert_eq!(reserve.len(), 20);
    let first: ReservedToken = serde_json::from_value(reserve[0].clone()).unwrap();
    // A wash sold offline carries the token composed at the till: program 2 (W200).
    let token = compose(2, &first.digits).unwrap();
    let validate = |token: &str| {
        let body = json!({ "Token": token });
        let request = server.post_json(&t, VALIDATE_TOKEN, &body).send();
        async move { request.await.unwrap().json::<TokenValidation>().await.unwrap() }
    };
    // The bay takes it before the order has even arrived.
    let at_bay = validate(&token).await;
    assert!(at_bay.valid);
    assert_eq!((at_bay.program, at_bay.article_numbers.clone()), (Some(2), vec!["W200".to_string()]));
    assert!(!validate(&token).await.valid, "once only");
    let mut order = till.sale(&till.cart(&[("W200", 1)]), PaymentMethod::CardPayment);
    order.token = Some(token.clone());
    let answer = push_orders(&server, &t, &[&order]).await;
    assert_eq!(answer.receipts[0].token.as_deref(), Some(token.as_str()));
    // The reserve is topped up again, the used digits gone from this terminal's list.
    let (_, deleted, _) = server.pull_all(&t, WASH_TOKENS, Some(&cursor), 100).await;
    assert!(deleted.contains(&first.id.to_string()));

    // A second reserved token, sold, then the wash refunded: void at the bay.
    let second: ReservedToken = serde_json::from_value(reserve[1].clone()).unwrap();
    let token2 = compose(2, &second.digits).unwrap();
    let mut sold = till.sale(&till.cart(&[("W200", 1)]), PaymentMethod::CardPayment);
    sold.token = Some(token2.clone());
    accepted(&server, &t, &sold).await;
    let refund = till.refund(&sold, PaymentMethod::CardPayment, false);
    crate::money::approve(&server, &t, till.user("2001").id, "24682468", refund.id, &["Refund"]).await;
    accepted(&server, &t, &refund).await;
    let refunded = validate(&token2).await;
    assert!(!refunded.valid && refunded.message.unwrap().contains("refunded"));
    // A token of another terminal's reserve, or made up, is refused on the order.
    let mut made_up = till.sale(&till.cart(&[("W200", 1)]), PaymentMethod::CardPayment);
    made_up.token = Some(compose(2, "000000001").unwrap());
    assert!(refused(&server, &t, &made_up).await.contains("not in this terminal's reserve"));
    assert!(!validate("7310000000010").await.valid);
}

#[tokio::test]
async fn clock_in_and_out_reach_the_back_office_as_hours_per_person_and_day() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let anna = crate::push::demo_user("1001");
    let log = |event: &str, at: &str| json!({"Id": new_id(), "TerminalId": t.claims.terminal, "UserId": anna, "Event": event, "At": at});
    let records = json!([
        log("ClockIn", "2026-12-02T07:00:00Z"),
        log("ClockOut", "2026-12-02T15:30:00Z"),
        log("ClockIn", "2026-12-03T07:00:00Z")
    ]);
    let answer: PushResponse = server
        .post_json(&t, PushKind::EmployeeLog.path(), &records)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer.acknowledged.len(), 3, "{answer:?}");
    let hours = admin::report(store(&server), demo::DEMO_TENANT, "hours").unwrap();
    assert_eq!(hours.len(), 2);
    assert_eq!((hours[0]["Day"].as_str(), hours[0]["Hours"].as_str()), (Some("2026-12-02"), Some("8.50")));
    assert_eq!(hours[1]["StillClockedIn"], json!(true));
    let stranger = json!([{"Id": new_id(), "TerminalId": t.claims.terminal, "UserId": new_id(), "Event": "ClockIn", "At": "2026-12-03T07:00:00Z"}]);
    let refused: PushResponse = server
        .post_json(&t, PushKind::EmployeeLog.path(), &stranger)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(refused.rejected.len(), 1);
}

#[tokio::test]
async fn a_free_wash_credit_and_the_fleet_program_are_taken_and_counted() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let till = Till::open(&server, &t).await;
    let settings_rows: Vec<possum_contract::settings::Setting> = serde_json::from_value(Value::Array(
        server.pull_all(&t, PullModule::Settings.path(), None, 1000).await.0,
    ))
    .unwrap();
    let campaigns = possum_contract::campaign::campaigns_from_rows(&settings_rows).0;
    let (programs, _, _) = server.pull_all(&t, DISCOUNT_PROGRAMS, None, 100).await;
    let programs: Vec<possum_contract::loyalty::DiscountProgram> =
        serde_json::from_value(Value::Array(programs)).unwrap();
    // What the till does: the promotions' best deals on the cart of the customer.
    let deal = |card: &str, items: &[(&str, i32)]| {
        let mut cart = till.with_customer(till.cart(items), card);
        let customer = &cart.customer.as_ref().unwrap().customer;
        let group = customer
            .price_group
            .and_then(|g| till.settings.price_groups.iter().find(|p| p.number == g))
            .map(|p| p.name.clone());
        let buyer = possum_pricing::promotions::Buyer {
            id: customer.id,
            group,
            free_credits: customer.loyalty.iter().map(|l| (l.campaign_id, l.credits)).collect(),
        };
        let categories =
            |a: &str| till.products.iter().find(|p| p.article_number == a).and_then(|p| p.category_id);
        let items = cart.promotion_items(categories);
        let moment = possum_pricing::promotions::Moment {
            local: "2026-12-03T12:00:00".parse().unwrap(),
            desk: 1,
            price_group: cart.price_group,
        };
        let outcome = possum_pricing::promotions::best_deals(
            &items,
            &campaigns,
            &programs,
            moment,
            Some(&buyer),
            &till.settings,
        );
        cart.apply_deals(&outcome);
        let mut order = till.sale(&cart, PaymentMethod::CardPayment);
        order.created_at = "2026-12-03T11:00:00Z".parse().unwrap();
        order
    };
    // The customer with card 10000102 has one free wash credit (demo data).
    let free = deal("10000102", &[("W100", 1)]);
    assert_eq!(free.total, "0.00".parse().unwrap());
    accepted(&server, &t, &free).await;
    let after = admin::customer_by_card(store(&server), demo::DEMO_TENANT, "10000102").unwrap();
    assert_eq!(after.loyalty[0].credits, 0, "the credit was used");
    // The same free claim again (another terminal had the credit too): taken, and listed.
    let mut twice = free.clone();
    twice.id = uuid::Uuid::new_v4();
    twice.invoice_number += 100;
    accepted(&server, &t, &twice).await;
    let listed = admin::report(store(&server), demo::DEMO_TENANT, "stale-prices").unwrap();
    assert!(listed.iter().any(|r| r["Reason"] == "FreeWithoutCredit"));
    // Fleet Logistics (price group Fleet) gets 10 % off extras.
    let fleet = deal("10000002", &[("X10", 2)]);
    assert_eq!(fleet.lines[0].discount, "9.80".parse().unwrap());
    accepted(&server, &t, &fleet).await;
    // Washes bought count towards the next free one.
    let five = deal("10000103", &[("W100", 5)]);
    accepted(&server, &t, &five).await;
    let earned = admin::customer_by_card(store(&server), demo::DEMO_TENANT, "10000103").unwrap();
    assert_eq!((earned.loyalty[0].bought, earned.loyalty[0].credits), (0, 1));
}

#[tokio::test]
async fn a_desks_printers_and_favourites_travel_with_the_settings_and_a_bad_printer_is_refused() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let bad = r#"[{"Name": "Counter", "Role": "Receipt", "Connection": "Network", "Address": "not an address!", "PaperWidth": 70}]"#;
    assert!(admin::set_printers(store(&server), demo::DEMO_TENANT, 1, bad).is_err());
    let good = r#"[{"Name": "Counter", "Role": "Receipt", "Connection": "Network", "Address": "192.168.1.40:8008", "PaperWidth": 80, "CashDrawer": true}]"#;
    admin::set_printers(store(&server), demo::DEMO_TENANT, 1, good).unwrap();
    assert!(admin::set_favourites(store(&server), demo::DEMO_TENANT, 1, vec!["NOPE".into()]).is_err());
    admin::set_favourites(store(&server), demo::DEMO_TENANT, 1, vec!["W300".into(), "C100".into()]).unwrap();
    let rows: Vec<possum_contract::settings::Setting> = serde_json::from_value(Value::Array(
        server.pull_all(&t, PullModule::Settings.path(), None, 1000).await.0,
    ))
    .unwrap();
    let (settings, problems) = possum_contract::settings::TerminalSettings::from_rows(&rows);
    assert!(problems.is_empty(), "{problems:?}");
    let desk = settings.cash_desk(1).unwrap();
    assert_eq!(desk.printers.len(), 1);
    assert!(desk.printers[0].problems().is_empty());
    assert_eq!(desk.favourites, ["W300", "C100"]);
}
