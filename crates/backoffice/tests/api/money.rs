//! Money a terminal's token could move before the money rules (issue 16):
//! each attack through HTTP, refused with its reason, changing nothing.

use crate::common::*;
use crate::till::Till;
use possum_backoffice::{admin, demo};
use possum_contract::activity::{Order, PushResponse};
use possum_contract::endpoints::{PushKind, APPROVAL, SALE};
use possum_contract::sale::PaymentMethod;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;
use uuid::Uuid;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

pub async fn push_orders(server: &Server, t: &Terminal, orders: &[&Order]) -> PushResponse {
    let body = Value::Array(orders.iter().map(|o| Till::json(o)).collect());
    let response = server.post_json(t, PushKind::Order.path(), &body).send().await.unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

/// The refusal of the one order pushed, or a panic naming what was stored instead.
pub async fn refused(server: &Server, t: &Terminal, order: &Order) -> String {
    let answer = push_orders(server, t, &[order]).await;
    assert!(answer.acknowledged.is_empty(), "stored although it should not be: {answer:?}");
    answer.rejected[0].message.clone()
}

pub async fn accepted(server: &Server, t: &Terminal, order: &Order) {
    let answer = push_orders(server, t, &[order]).await;
    assert!(answer.rejected.is_empty(), "refused: {:?}", answer.rejected);
}

fn balance(server: &Server, card: &str) -> Decimal {
    admin::customer_by_card(&server.state.store, demo::DEMO_TENANT, card).unwrap().balance
}

fn orders_stored(server: &Server) -> usize {
    admin::orders(&server.state.store, demo::DEMO_TENANT).unwrap().len()
}

#[tokio::test]
async fn a_refund_pays_back_no_more_than_its_sale_and_only_to_the_sales_customer() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let till = Till::open(&server, &t).await;
    let sale = till.sale(&till.cart(&[("W100", 1)]), PaymentMethod::CashPayment);
    accepted(&server, &t, &sale).await;
    let carl = till.customer("10000010");
    let before = balance(&server, "10000010");

    // The attack: −1 × W100 but −5,000, paid to Carl Credit's account.
    let mut greedy = till.refund(&sale, PaymentMethod::PrepaidPayment, true);
    greedy.lines[0].line_total = d("-5000");
    greedy.lines[0].discount = Decimal::ZERO;
    greedy.total = d("-5000");
    greedy.rounding = Decimal::ZERO;
    greedy.vat_total = d("-1000.00");
    greedy.payments[0].amount = d("-5000");
    greedy.customer_id = Some(carl.id);
    let why = refused(&server, &t, &greedy).await;
    assert!(why.contains("CustomerId") || why.contains("more than was paid"), "{why}");
    // Carl alone, the amount honest: still not the sale's customer, nor its payment method.
    let mut to_carl = till.refund(&sale, PaymentMethod::PrepaidPayment, true);
    to_carl.customer_id = Some(carl.id);
    assert!(refused(&server, &t, &to_carl).await.contains("sale's own customer"));
    let mut by_prepaid = till.refund(&sale, PaymentMethod::PrepaidPayment, true);
    by_prepaid.payments[0].amount = by_prepaid.total;
    let why = refused(&server, &t, &by_prepaid).await;
    assert!(why.contains("did not pay this sale") || why.contains("needs a customer"), "{why}");
    assert_eq!(balance(&server, "10000010"), before, "Carl's balance must not move");

    // The honest refund (cash, as paid, approved offline within the limit) goes through, once.
    let honest = till.refund(&sale, PaymentMethod::CashPayment, true);
    accepted(&server, &t, &honest).await;
    let again = till.refund(&sale, PaymentMethod::CashPayment, true);
    assert!(refused(&server, &t, &again).await.contains("refunded already"));
}

#[tokio::test]
async fn a_refund_without_a_receipt_is_bounded_never_to_an_account_and_listed() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let till = Till::open(&server, &t).await;
    let magnus = till.user("2001");
    let petra_before = balance(&server, "10000007");
    // The attack: −10,000,000 to a card, naming a manager as the cashier.
    let lines = till.sale(&till.cart(&[("W100", 1)]), PaymentMethod::CashPayment).lines;
    let mut huge = till.refund(
        &till.sale(&till.cart(&[("W100", 1)]), PaymentMethod::CashPayment),
        PaymentMethod::PrepaidPayment,
        true,
    );
    huge.refund_of = None;
    huge.lines = lines
        .iter()
        .map(|l| possum_contract::activity::OrderLine {
            quantity: -1,
            line_total: d("-10000000"),
            discount: Decimal::ZERO,
            unit_price: d("10000000"),
            ..l.clone()
        })
        .collect();
    huge.total = d("-10000000");
    huge.vat_total = d("-2000000.00");
    huge.payments[0].amount = huge.total;
    huge.cashier_id = magnus.id;
    huge.customer_id = Some(till.customer("10000007").id);
    let why = refused(&server, &t, &huge).await;
    assert!(!why.is_empty());
    assert_eq!(balance(&server, "10000007"), petra_before);

    // Within the limits, in cash: stored and listed for the owner.
    let mut small = till.refund(
        &till.sale(&till.cart(&[("W100", 1)]), PaymentMethod::CashPayment),
        PaymentMethod::CashPayment,
        true,
    );
    small.refund_of = None;
    accepted(&server, &t, &small).await;
    let listed = admin::report(&server.state.store, demo::DEMO_TENANT, "unreceipted-refunds").unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["ApprovedBy"], json!(magnus.id.to_string()));
    // The same to a customer's prepaid account: never.
    let mut to_account = till.refund(
        &till.sale(&till.cart(&[("W100", 1)]), PaymentMethod::CashPayment),
        PaymentMethod::PrepaidPayment,
        true,
    );
    to_account.refund_of = None;
    to_account.customer_id = Some(till.customer("10000007").id);
    assert!(refused(&server, &t, &to_account).await.contains("never to a customer account"));
    // More than the day's limit (1,000 by default) in several refunds of 447 (3 × W100) each.
    let mut three = till.refund(
        &till.sale(&till.cart(&[("W100", 3)]), PaymentMethod::CashPayment),
        PaymentMethod::CashPayment,
        false,
    );
    three.refund_of = None;
    // Approved online by Magnus, so the offline limit is not what stops it.
    approve(&server, &t, magnus.id, "24682468", three.id, &["Refund"]).await;
    accepted(&server, &t, &three).await;
    let mut fourth = till.refund(
        &till.sale(&till.cart(&[("W100", 3)]), PaymentMethod::CashPayment),
        PaymentMethod::CashPayment,
        false,
    );
    fourth.refund_of = None;
    approve(&server, &t, magnus.id, "24682468", fourth.id, &["Refund"]).await;
    assert!(refused(&server, &t, &fourth).await.contains("daily limit"));
}

#[tokio::test]
async fn prices_and_line_totals_are_the_back_offices_not_the_terminals() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let till = Till::open(&server, &t).await;
    // api/Sale: W300 (299.00) at Price 0 on credit.
    let carl_before = balance(&server, "10000010");
    let mut free = sale(&[("W300", 1, "0")]);
    free["PaymentMethod"] = json!(2);
    free["CardNumber"] = json!("10000010");
    let response = server.post_json(&t, SALE, &free).send().await.unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert!(body["Message"].as_str().unwrap().contains("Items[0] (W300)"), "{body}");
    assert_eq!(balance(&server, "10000010"), carl_before);

    // PostOrder: a unit price of 1.00 from a cashier; a total that is not quantity × price; a negative line.
    let honest = till.sale(&till.cart(&[("W100", 1), ("C100", 2)]), PaymentMethod::CardPayment);
    let mut cheap = honest.clone();
    cheap.lines[0].unit_price = d("1.00");
    cheap.lines[0].line_total = d("1.00");
    cheap.total = cheap.lines.iter().map(|l| l.line_total).sum();
    cheap.vat_total = possum_pricing::lines::vat_total(&cheap.lines, &till.settings);
    cheap.payments[0].amount = cheap.total;
    assert!(refused(&server, &t, &cheap).await.contains("Lines[0] (W100)"));
    let mut odd = honest.clone();
    odd.lines[1].line_total = d("10.00");
    odd.total = odd.lines.iter().map(|l| l.line_total).sum();
    odd.vat_total = possum_pricing::lines::vat_total(&odd.lines, &till.settings);
    odd.payments[0].amount = odd.total;
    assert!(refused(&server, &t, &odd).await.contains("Lines[1] (C100)"));
    let mut negative = honest.clone();
    negative.lines[1].line_total = d("-50.00");
    assert!(refused(&server, &t, &negative).await.contains("Lines[1]"));
    assert_eq!(orders_stored(&server), 0);
    accepted(&server, &t, &honest).await;
}

#[tokio::test]
async fn fleet_prices_need_the_fleet_customer_or_a_managers_approval() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let till = Till::open(&server, &t).await;
    let mut anyone = till.cart(&[("W100", 1)]);
    anyone.set_price_group(3, &till.settings);
    let at_fleet = till.sale(&anyone, PaymentMethod::CardPayment);
    assert!(refused(&server, &t, &at_fleet).await.contains("approval"));
    let fleet = till.with_customer(till.cart(&[("W100", 1)]), "10000002");
    accepted(&server, &t, &till.sale(&fleet, PaymentMethod::CardPayment)).await;
    // api/Sale likewise.
    let mut request = sale(&[("W100", 1, "119.00")]);
    request["PriceGroup"] = json!(3);
    assert_eq!(server.post_json(&t, SALE, &request).send().await.unwrap().status(), 400);
    request["CardNumber"] = json!("10000002");
    request["PaymentMethod"] = json!(1);
    assert_eq!(server.post_json(&t, SALE, &request).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn client_number_is_the_tokens_cash_desk() {
    let server = Server::start().await;
    let kiosk = server.sign_in(demo::KIOSK_USERNAME, demo::DEMO_PASSWORD).await;
    let shop = server.demo_terminal().await;
    // The kiosk (desk 2, no cash) selling cash as desk 1.
    let as_shop = sale(&[("W100", 1, "149.00")]);
    let response = server.post_json(&kiosk, SALE, &as_shop).send().await.unwrap();
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("not this terminal's cash desk"));
    // The shop using desk 2's customer (Karl Kiosk may only be served at desk 2).
    let mut as_kiosk = sale(&[("W100", 1, "149.00")]);
    as_kiosk["ClientNumber"] = json!(2);
    as_kiosk["PaymentMethod"] = json!(3);
    as_kiosk["CardNumber"] = json!("10000008");
    assert_eq!(server.post_json(&shop, SALE, &as_kiosk).send().await.unwrap().status(), 400);
    // PostOrder likewise.
    let till = Till::open(&server, &shop).await;
    let mut elsewhere = till.sale(&till.cart(&[("W100", 1)]), PaymentMethod::CardPayment);
    elsewhere.client_number = 2;
    assert!(refused(&server, &shop, &elsewhere).await.contains("not this terminal's cash desk"));
}

#[tokio::test]
async fn an_order_reusing_a_sales_id_must_be_that_sale() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let till = Till::open(&server, &t).await;
    let carl = "10000010";
    // A 25.00 coffee through api/Sale on Carl's credit, under the order's id.
    let coffee = till.with_customer(till.cart(&[("C100", 1)]), carl);
    let order = till.sale(&coffee, PaymentMethod::CreditPayment);
    let request =
        possum_register::order::sale_request(&coffee, PaymentMethod::CreditPayment, Some("1001"), 1);
    let response = server
        .post_json(&t, SALE, &serde_json::to_value(&request).unwrap())
        .header("Idempotency-Key", order.id.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let after_sale = balance(&server, carl);
    assert_eq!(after_sale, d("-25.00"));
    // The same id on an order of 10 × W300 on credit: refused, nothing charged.
    let big = till.with_customer(till.cart(&[("W300", 10)]), carl);
    let mut swapped = till.sale(&big, PaymentMethod::CreditPayment);
    swapped.id = order.id;
    assert!(refused(&server, &t, &swapped).await.contains("already charged through api/Sale"));
    assert_eq!(balance(&server, carl), after_sale);
    // The true order is stored and charges nothing twice.
    accepted(&server, &t, &order).await;
    assert_eq!(balance(&server, carl), after_sale);
    // An Idempotency-Key naming that sale on another request: a 400, not a 500.
    let other = sale(&[("C100", 1, "25.00")]);
    let response = server
        .post_json(&t, SALE, &other)
        .header("Idempotency-Key", order.id.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    let plain = server.post_json(&t, SALE, &other).send().await.unwrap();
    assert_eq!(plain.status(), 200);
}

#[tokio::test]
async fn an_idempotency_key_equal_to_an_earlier_sales_id_is_a_400() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let till = Till::open(&server, &t).await;
    let order = till.sale(&till.cart(&[("C100", 1)]), PaymentMethod::CardPayment);
    accepted(&server, &t, &order).await;
    let response = server
        .post_json(&t, SALE, &sale(&[("C100", 1, "25.00")]))
        .header("Idempotency-Key", order.id.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("already recorded"));
}

#[tokio::test]
async fn counters_and_amounts_have_upper_bounds() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let counter = json!([{"Id": new_id(), "TerminalId": t.claims.terminal, "LastInvoiceNumber": i64::MAX, "UpdatedAt": "2026-12-01T10:00:00Z"}]);
    let answer: PushResponse = server
        .post_json(&t, PushKind::InvoiceCounter.path(), &counter)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer.rejected.len(), 1, "{answer:?}");
    let till = Till::open(&server, &t).await;
    let mut order = till.sale(&till.cart(&[("C100", 1)]), PaymentMethod::CardPayment);
    order.invoice_number = 1_000_000_000;
    assert!(refused(&server, &t, &order).await.contains("InvoiceNumber"));
}

#[tokio::test]
async fn a_sale_of_many_unknown_articles_is_answered_at_once() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let items: Vec<(String, i32, &str)> = (0..500).map(|n| (format!("U{n}"), 1, "1.00")).collect();
    let borrowed: Vec<(&str, i32, &str)> = items.iter().map(|(a, q, p)| (a.as_str(), *q, *p)).collect();
    let started = std::time::Instant::now();
    let response = server.post_json(&t, SALE, &sale(&borrowed)).send().await.unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["ApplicationErrorCode"], 14);
    assert_eq!(body["Data"].as_array().unwrap().len(), 500);
    // 80,000 distinct items (just under the 4 MiB body limit) are refused before any is looked up.
    let many: Vec<(String, i32, &str)> = (0..80_000).map(|n| (format!("U{n}"), 1, "1")).collect();
    let borrowed: Vec<(&str, i32, &str)> = many.iter().map(|(a, q, p)| (a.as_str(), *q, *p)).collect();
    let body = sale(&borrowed);
    assert!(body.to_string().len() < 4 * 1024 * 1024);
    let response = server.post_json(&t, SALE, &body).send().await.unwrap();
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("at most 500"));
    // Not a timing assertion on the whole: a guard against the quadratic path coming back.
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[tokio::test]
async fn card_numbers_are_one_form_everywhere() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let customer = |card: &str| {
        json!([{"Id": new_id(), "CustomerId": new_id(), "Name": "Seven", "CardNumber": card, "CardUID": null,
            "LicensePlate": null, "Email": null, "Phone": null, "Birthday": null, "ChangedAt": "2026-12-01T10:00:00Z"}])
    };
    let first: PushResponse = server
        .post_json(&t, PushKind::Customer.path(), &customer("7777 "))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(first.acknowledged.len(), 1);
    let second = server.post_json(&t, PushKind::Customer.path(), &customer("7777 ")).send().await.unwrap();
    assert_eq!(second.status(), 200, "a duplicate card is a refusal of the record, never a 500");
    let second: PushResponse = second.json().await.unwrap();
    assert!(second.rejected[0].message.contains("belongs to another customer"));
    let spaced: PushResponse = server
        .post_json(&t, PushKind::Customer.path(), &customer(" 77-77"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(spaced.rejected.len(), 1);
    // The stored card is the normal form, and api/Sale finds it typed either way.
    assert_eq!(
        admin::customer_by_card(&server.state.store, demo::DEMO_TENANT, "7777")
            .unwrap()
            .card_number
            .as_deref(),
        Some("7777")
    );
    let mut by_card = sale(&[("C100", 1, "25.00")]);
    by_card["CardNumber"] = json!(" 7777 ");
    by_card["PaymentMethod"] = json!(1);
    assert_eq!(server.post_json(&t, SALE, &by_card).send().await.unwrap().status(), 200);
}

/// Asks the back office for a manager's approval.
pub async fn ask_approval(
    server: &Server,
    t: &Terminal,
    user: Uuid,
    pin: &str,
    order: Uuid,
    permissions: &[&str],
) -> reqwest::Response {
    let body = json!({"UserId": user, "Pin": pin, "OrderId": order, "Permissions": permissions});
    server.post_json(t, APPROVAL, &body).send().await.unwrap()
}

/// A manager's approval that must be given.
pub async fn approve(
    server: &Server,
    t: &Terminal,
    user: Uuid,
    pin: &str,
    order: Uuid,
    permissions: &[&str],
) {
    let response = ask_approval(server, t, user, pin, order, permissions).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}
