//! Staff proof: what a terminal holds of staff, a manager's PIN checked
//! online, approvals given offline within the tenant's limit, and staff who
//! are not active authorising nothing.

use crate::common::*;
use crate::money::{accepted, approve, ask_approval, refused};
use crate::till::Till;
use possum_backoffice::{admin, demo};
use possum_contract::activity::StaffApproval;
use possum_contract::catalogue::User;
use possum_contract::endpoints::{PullModule, SALE};
use possum_contract::sale::PaymentMethod;
use serde_json::{json, Value};

const MAGNUS_PIN: &str = "24682468";

#[tokio::test]
async fn a_terminal_holds_only_active_cashiers_and_managers() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let (items, _, cursor) = server.pull_all(&t, PullModule::Users.path(), None, 100).await;
    let users: Vec<User> = items.into_iter().map(|v| serde_json::from_value(v).unwrap()).collect();
    let cards: Vec<&str> = users.iter().filter_map(|u| u.cashier_card_number.as_deref()).collect();
    assert_eq!(cards, ["1001", "2001"].iter().copied().filter(|c| cards.contains(c)).collect::<Vec<_>>());
    assert!(!cards.contains(&"3001"), "no back-office admin on a terminal");
    assert!(!cards.contains(&"4001"), "no deactivated cashier on a terminal");
    assert!(users.iter().all(|u| u.active && u.pin_hash.is_some()));
    // Deactivated: gone from every terminal at its next pull.
    admin::set_active(&server.state.store, demo::DEMO_TENANT, "2001", false).unwrap();
    let (_, deleted, _) = server.pull_all(&t, PullModule::Users.path(), Some(&cursor), 100).await;
    let magnus = users.iter().find(|u| u.cashier_card_number.as_deref() == Some("2001")).unwrap();
    assert_eq!(deleted, [magnus.id.to_string()]);
}

#[tokio::test]
async fn a_managers_pin_is_checked_online_and_locked_after_wrong_guesses() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let till = Till::open(&server, &t).await;
    let (magnus, anna) = (till.user("2001"), till.user("1001"));
    let order = uuid::Uuid::new_v4();
    let wrong = ask_approval(&server, &t, magnus.id, "11111111", order, &["Discount"]).await;
    assert_eq!(wrong.status(), 400);
    let body: Value = wrong.json().await.unwrap();
    assert!(body["Message"].as_str().unwrap().contains("PIN"), "{body}");
    // A cashier cannot approve, whatever the PIN.
    assert_eq!(ask_approval(&server, &t, anna.id, "1234", order, &["Discount"]).await.status(), 403);
    let right = ask_approval(&server, &t, magnus.id, MAGNUS_PIN, order, &["Discount"]).await;
    assert_eq!(right.status(), 200);
    let body: Value = right.json().await.unwrap();
    assert_eq!(body["UserName"], "Magnus Manager");
    // Five wrong guesses lock the manager's approvals; the right PIN then waits too.
    for _ in 0..5 {
        assert_eq!(
            ask_approval(&server, &t, magnus.id, "00000000", order, &["Discount"]).await.status(),
            400
        );
    }
    let locked = ask_approval(&server, &t, magnus.id, MAGNUS_PIN, order, &["Discount"]).await;
    assert_eq!(locked.status(), 429);
    assert!(locked.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn a_discount_needs_an_approval_online_or_within_the_offline_limit() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let till = Till::open(&server, &t).await;
    let magnus = till.user("2001");
    let discounted = |percent: i64| {
        let mut cart = till.cart(&[("W300", 1)]);
        let key = cart.lines[0].key;
        cart.discount_percent(key, percent.into(), possum_contract::catalogue::Role::Manager, &till.settings)
            .unwrap();
        till.sale(&cart, PaymentMethod::CardPayment)
    };
    // No approval at all: refused.
    let bare = discounted(10);
    assert!(refused(&server, &t, &bare).await.contains("approval"));
    // Approved online for this order: stored.
    approve(&server, &t, magnus.id, MAGNUS_PIN, bare.id, &["Discount"]).await;
    accepted(&server, &t, &bare).await;
    // Approved offline, 29.90 off (under the 200 limit): stored and listed for review.
    let mut offline = discounted(10);
    offline.approval = Some(StaffApproval { user_id: magnus.id, offline: true });
    accepted(&server, &t, &offline).await;
    let review = admin::report(&server.state.store, demo::DEMO_TENANT, "offline-approvals").unwrap();
    assert_eq!(review.len(), 1);
    assert_eq!(review[0]["OrderId"], json!(offline.id.to_string()));
    assert_eq!(review[0]["Amount"], "29.90");
    // Offline, 50 % of two W300 (299.00) off: over the limit, refused.
    let mut cart = till.cart(&[("W300", 2)]);
    let key = cart.lines[0].key;
    cart.discount_percent(key, 50.into(), possum_contract::catalogue::Role::Manager, &till.settings).unwrap();
    let mut big = till.sale(&cart, PaymentMethod::CardPayment);
    big.approval = Some(StaffApproval { user_id: magnus.id, offline: true });
    assert!(refused(&server, &t, &big).await.contains("more than the 200"));
    // More than the tenant's 50 % off even with an approval.
    let mut cart = till.cart(&[("W300", 1)]);
    let key = cart.lines[0].key;
    cart.discount_percent(key, 60.into(), possum_contract::catalogue::Role::Manager, &till.settings).unwrap();
    let greedy = till.sale(&cart, PaymentMethod::CardPayment);
    approve(&server, &t, magnus.id, MAGNUS_PIN, greedy.id, &["Discount"]).await;
    assert!(refused(&server, &t, &greedy).await.contains("50%"));
}

#[tokio::test]
async fn an_api_sale_away_from_list_prices_needs_an_online_approval_for_its_id() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let till = Till::open(&server, &t).await;
    let magnus = till.user("2001");
    let id = uuid::Uuid::new_v4();
    let request = sale(&[("W300", 1, "269.10")]);
    let send = || server.post_json(&t, SALE, &request).header("Idempotency-Key", id.to_string()).send();
    assert_eq!(send().await.unwrap().status(), 400);
    approve(&server, &t, magnus.id, MAGNUS_PIN, id, &["PriceOverride"]).await;
    assert_eq!(send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn staff_who_are_not_active_authorise_nothing() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let till = Till::open(&server, &t).await;
    let magnus = till.user("2001");
    let sale = till.sale(&till.cart(&[("W100", 1)]), PaymentMethod::CashPayment);
    accepted(&server, &t, &sale).await;
    let online = till.refund(&sale, PaymentMethod::CashPayment, false);
    approve(&server, &t, magnus.id, MAGNUS_PIN, online.id, &["Refund"]).await;
    admin::set_active(&server.state.store, demo::DEMO_TENANT, "2001", false).unwrap();
    assert!(refused(&server, &t, &online).await.contains("no longer an active manager"));
    let offline = till.refund(&sale, PaymentMethod::CashPayment, true);
    assert!(refused(&server, &t, &offline).await.contains("not an active manager"));
    let response = ask_approval(&server, &t, magnus.id, MAGNUS_PIN, uuid::Uuid::new_v4(), &["Refund"]).await;
    assert_eq!(response.status(), 403);
    // A refund naming a cashier who is gone is refused too.
    let mut by_fred = till.refund(&sale, PaymentMethod::CashPayment, true);
    by_fred.cashier_id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, b"possum-demo:user:4001");
    assert!(refused(&server, &t, &by_fred).await.contains("not an active member of staff"));
}

#[tokio::test]
async fn an_older_price_sold_offline_is_taken_and_reported_with_the_difference() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let till = Till::open(&server, &t).await;
    let sold_at_149 = till.sale(&till.cart(&[("W100", 2)]), PaymentMethod::CardPayment);
    admin::set_price(&server.state.store, demo::DEMO_TENANT, "W100", 1, "159.00".parse().unwrap()).unwrap();
    accepted(&server, &t, &sold_at_149).await;
    let report = admin::report(&server.state.store, demo::DEMO_TENANT, "stale-prices").unwrap();
    assert_eq!(report.len(), 1);
    assert_eq!(
        (report[0]["SoldPrice"].as_str(), report[0]["CataloguePrice"].as_str()),
        (Some("149.00"), Some("159.00"))
    );
    assert_eq!(report[0]["Difference"], "-20.00");
    // A price it never had is still refused.
    let mut made_up = till.sale(&till.cart(&[("W100", 1)]), PaymentMethod::CardPayment);
    made_up.lines[0].unit_price = "139.00".parse().unwrap();
    made_up.lines[0].discount = "-10".parse().unwrap();
    assert!(!refused(&server, &t, &made_up).await.is_empty());
}
