use crate::common::*;
use possum_contract::activity::PushResponse;
use possum_contract::sale::is_valid_ean13;
use serde_json::{json, Value};
use uuid::Uuid;

fn num(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// The demo user with cashier card `card`, as the demo data names its ids.
pub fn demo_user(card: &str) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("possum-demo:user:{card}").as_bytes())
}

/// A one-line order as a terminal pushes it: `article` at its catalogue price
/// `price`, sold by Anna (1001), paid in cash (rounded to whole kronor as the
/// demo settings say) with the VAT of the line.
pub fn order(t: &Terminal, id: &str, invoice: i64, article: &str, price: &str, is_wash: bool) -> Value {
    let price: rust_decimal::Decimal = price.parse().unwrap();
    let vat = if article.starts_with('C') { "12" } else { "25" };
    let line = possum_contract::activity::OrderLine {
        article_number: article.into(),
        name: article.into(),
        quantity: 1,
        unit_price: price,
        discount: rust_decimal::Decimal::ZERO,
        vat_percent: vat.parse().unwrap(),
        line_total: price,
        is_wash,
        combination_article_number: None,
        promotion: None,
    };
    let settings = possum_backoffice::demo::demo_settings();
    let vat_total = possum_pricing::lines::vat_total(std::slice::from_ref(&line), &settings);
    let total = possum_pricing::money::round_cash(price, &settings);
    json!({
        "Id": id, "Kind": "Sale", "TerminalId": t.claims.terminal, "ClientNumber": 1,
        "InvoiceNumber": invoice, "CreatedAt": "2026-11-22T10:00:00Z",
        "CashierId": demo_user("1001"), "CashierName": "Anna Andersson", "CustomerId": null, "PriceGroup": 1,
        "Lines": [line],
        "Rounding": total - price, "Total": total, "VatTotal": vat_total,
        "Payments": [{ "Method": 0, "Amount": total, "Tendered": total, "Change": num("0") }],
        "RefundOf": null, "SoldOffline": true, "Token": null
    })
}

/// The same order paid wholly with `method` (no cash rounding).
fn paid_with(mut order: Value, method: i64) -> Value {
    let lines = order["Lines"][0]["LineTotal"].clone();
    order["Rounding"] = num("0");
    order["Total"] = lines.clone();
    order["Payments"] = json!([{ "Method": method, "Amount": lines, "Tendered": null, "Change": null }]);
    order
}

async fn push(server: &Server, t: &Terminal, path: &str, records: Value) -> PushResponse {
    let response = server.post_json(t, path, &records).send().await.unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

fn stored_orders(server: &Server, t: &Terminal) -> i64 {
    let db = server.state.store.tenant(t.claims.tenant).unwrap();
    db.read_blocking(|conn| {
        Ok(conn.query_row("SELECT count(*) FROM orders", possum_backoffice::params![], |r| r.get(0))?)
    })
    .unwrap()
}

#[tokio::test]
async fn an_order_posted_twice_is_stored_once_and_acknowledged_both_times() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let id = new_id();
    let first =
        push(&server, &t, "/api/Order/PostOrder", json!([order(&t, &id, 1, "W100", "149.00", true)])).await;
    let again =
        push(&server, &t, "/api/Order/PostOrder", json!([order(&t, &id, 1, "W100", "149.00", true)])).await;
    assert_eq!(first.acknowledged, vec![id.parse::<uuid::Uuid>().unwrap()]);
    assert_eq!(again.acknowledged, first.acknowledged);
    assert_eq!(stored_orders(&server, &t), 1);
    // An order sold offline gets its wash token when it arrives, and the same one on a re-post.
    let token = first.receipts[0].token.clone().expect("a wash token");
    assert!(is_valid_ean13(&token));
    assert_eq!(again.receipts[0].token.as_deref(), Some(token.as_str()));
}

#[tokio::test]
async fn a_bad_record_is_rejected_with_its_reason_and_the_rest_are_stored() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let (good, bad, reused) = (new_id(), new_id(), new_id());
    let mut wrong = order(&t, &bad, 2, "S100", "89.90", false);
    wrong["Payments"][0]["Amount"] = num("80.00");
    let response = push(
        &server,
        &t,
        "/api/Order/PostOrder",
        json!([
            order(&t, &good, 1, "S100", "89.90", false),
            wrong,
            order(&t, &reused, 1, "C100", "25.00", false)
        ]),
    )
    .await;
    assert_eq!(response.acknowledged, vec![good.parse::<uuid::Uuid>().unwrap()]);
    assert_eq!(response.rejected.len(), 2);
    assert!(response.rejected[0].message.contains("add up to 80.00"), "{}", response.rejected[0].message);
    assert!(
        response.rejected[1].message.contains("InvoiceNumber 1 was already used"),
        "{}",
        response.rejected[1].message
    );
    assert_eq!(stored_orders(&server, &t), 1);
}

#[tokio::test]
async fn the_invoice_counter_answers_the_highest_number_the_terminal_used() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let counter =
        |t: &Terminal, id: Uuid| server.get(t, &format!("/api/Setting/GetInvoiceCounter?TerminalId={id}"));
    let last = |response: Value| response["LastInvoiceNumber"].as_i64().unwrap();
    let answer: Value = counter(&t, t.claims.terminal).send().await.unwrap().json().await.unwrap();
    assert_eq!(answer, json!({ "TerminalId": t.claims.terminal, "LastInvoiceNumber": 0 }));

    // Orders count before their counter arrives; a counter counts without its orders.
    push(&server, &t, "/api/Order/PostOrder", json!([order(&t, &new_id(), 3, "S100", "89.90", false)])).await;
    assert_eq!(last(counter(&t, t.claims.terminal).send().await.unwrap().json().await.unwrap()), 3);
    let record = json!([{ "Id": new_id(), "TerminalId": t.claims.terminal, "LastInvoiceNumber": 7, "UpdatedAt": "2026-11-22T10:00:00Z" }]);
    push(&server, &t, "/api/Setting/PostInvoiceCounter", record).await;
    assert_eq!(last(counter(&t, t.claims.terminal).send().await.unwrap().json().await.unwrap()), 7);

    // Only the terminal's own numbers, and only with its token.
    assert_eq!(counter(&t, Uuid::new_v4()).send().await.unwrap().status(), 403);
    let anonymous = server
        .client
        .get(server.url(&format!("/api/Setting/GetInvoiceCounter?TerminalId={}", t.claims.terminal)))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(
        server.get(&t, "/api/Setting/GetInvoiceCounter?TerminalId=nope").send().await.unwrap().status(),
        400
    );
}

/// A cash refund of the one-line sale `sale`, sold by `cashier` and
/// approved offline by `approver` (a user who may refund, or not).
fn refund_by(sale: &Value, invoice: i64, cashier: Uuid, approver: Uuid) -> Value {
    let mut refund = sale.clone();
    let negate = |v: &Value| num(&format!("-{v}"));
    refund["CashierId"] = json!(cashier);
    refund["Id"] = json!(new_id());
    refund["Kind"] = json!("Refund");
    refund["InvoiceNumber"] = json!(invoice);
    refund["RefundOf"] = sale["Id"].clone();
    refund["Lines"][0]["Quantity"] = json!(-1);
    refund["Lines"][0]["LineTotal"] = negate(&sale["Lines"][0]["LineTotal"]);
    refund["Rounding"] = negate(&sale["Rounding"]);
    refund["Total"] = negate(&sale["Total"]);
    refund["VatTotal"] = negate(&sale["VatTotal"]);
    refund["Payments"] =
        json!([{ "Method": 0, "Amount": negate(&sale["Total"]), "Tendered": null, "Change": null }]);
    refund["Approval"] = json!({ "UserId": approver, "Offline": true });
    refund
}

#[tokio::test]
async fn a_refund_needs_a_received_sale_and_never_gives_back_more_than_it_sold() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let refund = |sale: &Value, invoice| refund_by(sale, invoice, demo_user("1001"), demo_user("2001"));
    let sale = order(&t, &new_id(), 1, "S100", "89.90", false);
    let early = refund(&sale, 2);
    let response = push(&server, &t, "/api/Order/PostOrder", json!([early])).await;
    assert!(
        response.rejected[0].message.contains("is not a sale this back office has received"),
        "{:?}",
        response.rejected
    );

    let response = push(&server, &t, "/api/Order/PostOrder", json!([sale, refund(&sale, 3)])).await;
    assert_eq!((response.acknowledged.len(), response.rejected.len()), (2, 0), "{:?}", response.rejected);
    let response = push(&server, &t, "/api/Order/PostOrder", json!([refund(&sale, 4)])).await;
    assert!(
        response.rejected[0].message.contains("sold 1 times on invoice 1 and 1 were refunded already"),
        "{:?}",
        response.rejected
    );
    let mut of_a_refund = refund(&sale, 5);
    of_a_refund["RefundOf"] = json!(response.rejected[0].id);
    let response = push(&server, &t, "/api/Order/PostOrder", json!([of_a_refund])).await;
    assert_eq!(response.rejected.len(), 1);
    assert_eq!(stored_orders(&server, &t), 2);
}

#[tokio::test]
async fn the_back_office_checks_each_users_role_again() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let (cashier, manager) = (demo_user("1001"), demo_user("2001"));
    let sale = order(&t, &new_id(), 1, "S100", "89.90", false);
    assert_eq!(
        push(&server, &t, "/api/Order/PostOrder", json!([sale])).await.acknowledged.len(),
        1,
        "a cashier sells"
    );

    // Refunds: approved by a manager, not by a cashier or a stranger, and never by nobody.
    let mut unapproved = refund_by(&sale, 2, cashier, manager);
    unapproved["Approval"] = Value::Null;
    let refusals = push(
        &server,
        &t,
        "/api/Order/PostOrder",
        json!([
            unapproved,
            refund_by(&sale, 2, cashier, cashier),
            refund_by(&sale, 2, cashier, Uuid::new_v4())
        ]),
    )
    .await;
    assert_eq!(refusals.rejected.len(), 3, "{:?}", refusals.acknowledged);
    assert!(refusals.rejected[0].message.contains("needs a manager's approval"), "{:?}", refusals.rejected);
    assert!(refusals.rejected[1].message.contains("not an active manager"), "{:?}", refusals.rejected);
    assert!(refusals.rejected[2].message.contains("not an active manager"), "{:?}", refusals.rejected);
    let approved =
        push(&server, &t, "/api/Order/PostOrder", json!([refund_by(&sale, 2, cashier, manager)])).await;
    assert_eq!(approved.acknowledged.len(), 1, "{:?}", approved.rejected);

    // Money off a line needs a manager's approval.
    let discounted = |invoice: i64| {
        let mut o = paid_with(order(&t, &new_id(), invoice, "W200", "200.00", true), 1);
        o["Lines"][0]["UnitPrice"] = num("229.00");
        o["Lines"][0]["Discount"] = num("29.00");
        o
    };
    let mut with_approval = discounted(4);
    with_approval["Approval"] = json!({ "UserId": manager, "Offline": true });
    let response = push(&server, &t, "/api/Order/PostOrder", json!([discounted(3), with_approval])).await;
    assert!(response.rejected[0].message.contains("needs a manager's approval"), "{:?}", response.rejected);
    assert_eq!(response.acknowledged.len(), 1, "{:?}", response.rejected);

    // Closing the drawer and its Z report are a manager's; opening it is anyone's.
    let drawer = |event: &str, user: Uuid| {
        json!({"Id": new_id(), "SessionId": new_id(), "TerminalId": t.claims.terminal, "Event": event, "Amount": num("0"), "Reason": null,
               "Counted": [], "UserId": user, "CreatedAt": "2026-11-22T10:00:00Z"})
    };
    let response = push(
        &server,
        &t,
        "/api/CashDrawerLog/PostCashDrawerLog",
        json!([
            drawer("Open", cashier),
            drawer("Close", cashier),
            drawer("ZReport", cashier),
            drawer("Close", manager),
            drawer("ZReport", manager)
        ]),
    )
    .await;
    assert_eq!(response.acknowledged.len(), 3, "{:?}", response.rejected);
    assert_eq!(response.rejected.len(), 2);
    assert!(
        response.rejected.iter().all(|r| r.message.contains("may not close the cash drawer")),
        "{:?}",
        response.rejected
    );
}

#[tokio::test]
async fn a_record_that_does_not_parse_is_rejected_alone_but_one_without_an_id_fails_the_batch() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let log = |id: &str| json!({"Id": id, "TerminalId": t.claims.terminal, "Level": "Info", "Category": "test", "Message": "hello", "Context": null, "CreatedAt": "2026-11-22T10:00:00Z"});
    let broken = json!({"Id": new_id(), "Level": "Loud"});
    let response = push(&server, &t, "/api/Callback/PostDeviceLog", json!([log(&new_id()), broken])).await;
    assert_eq!((response.acknowledged.len(), response.rejected.len()), (1, 1));
    assert!(response.rejected[0].message.contains("not a valid DeviceLog"));

    let without_id =
        server.post_json(&t, "/api/Callback/PostDeviceLog", &json!([{"Message": "x"}])).send().await.unwrap();
    assert_eq!(without_id.status(), 400);
    let not_array =
        server.post_json(&t, "/api/Callback/PostDeviceLog", &log(&new_id())).send().await.unwrap();
    assert_eq!(not_array.status(), 400);
}

#[tokio::test]
async fn a_swish_payment_waits_for_its_order() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let order_id = new_id();
    let payment = json!([{"Id": new_id(), "OrderId": order_id, "Amount": num("149.00"), "PayerAlias": "+46701234567",
                          "Reference": "SW123", "Status": "Paid", "CreatedAt": "2026-11-22T10:00:00Z"}]);
    let early = push(&server, &t, "/api/Order/PostSwishPayment", payment.clone()).await;
    assert!(early.rejected[0].message.contains("post the order before its payments"));
    let swish_order = paid_with(order(&t, &order_id, 7, "W100", "149.00", true), 4);
    push(&server, &t, "/api/Order/PostOrder", json!([swish_order])).await;
    let late = push(&server, &t, "/api/Order/PostSwishPayment", payment).await;
    assert_eq!(late.acknowledged.len(), 1);
}

#[tokio::test]
async fn an_order_that_went_through_api_sale_is_not_charged_or_tokened_twice() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let id = new_id();
    let mut request = sale(&[("W100", 1, "149.00")]);
    request["PaymentMethod"] = 3.into();
    request["CardNumber"] = "10000001".into();
    let response =
        server.post_json(&t, "/api/Sale", &request).header("Idempotency-Key", &id).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let sold: Value = response.json().await.unwrap();

    let mut pushed = paid_with(order(&t, &id, 1, "W100", "149.00", true), 3);
    pushed["CustomerId"] = json!(uuid_of_card(&server, &t, "10000001"));
    let ack = push(&server, &t, "/api/Order/PostOrder", json!([pushed])).await;
    assert_eq!(ack.receipts[0].token.as_deref(), sold["Token"].as_str());
    let (customers, _, _) = server.pull_all(&t, "/api/Customer/GetCustomers", None, 1000).await;
    let eva = customers.iter().find(|c| c["CardNumber"] == "10000001").unwrap();
    assert_eq!(eva["Balance"].to_string(), "351.00", "charged once: 500.00 - 149.00");
}

fn uuid_of_card(server: &Server, t: &Terminal, card: &str) -> String {
    let db = server.state.store.tenant(t.claims.tenant).unwrap();
    let card = card.to_string();
    db.read_blocking(move |conn| {
        Ok(conn.query_row(
            "SELECT id FROM customers WHERE card_number = ?1",
            possum_backoffice::params![card],
            |r| r.get(0),
        )?)
    })
    .unwrap()
}

#[tokio::test]
async fn every_push_endpoint_stores_a_valid_record() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let now = "2026-11-22T10:00:00Z";
    let term = t.claims.terminal;
    let cases = [
        (
            "/api/Order/PostOpenOrder",
            json!({"Id": new_id(), "OpenOrderId": new_id(), "TerminalId": term, "Status": "Parked", "Label": "Volvo XC60",
            "CashierId": new_id(), "CustomerId": null, "PriceGroup": 1, "Lines": order(&t, &new_id(), 1, "W100", "149.00", true)["Lines"].clone(),
            "Total": num("149.00"), "ChangedAt": now}),
        ),
        (
            "/api/Setting/PostInvoiceCounter",
            json!({"Id": new_id(), "TerminalId": term, "LastInvoiceNumber": 42, "UpdatedAt": now}),
        ),
        (
            "/api/CashDrawerLog/PostCashDrawerLog",
            json!({"Id": new_id(), "SessionId": new_id(), "TerminalId": term, "Event": "Open",
            "Amount": num("500.00"), "Reason": null, "Counted": [], "UserId": new_id(), "CreatedAt": now}),
        ),
        (
            "/api/Callback/PostDeviceLog",
            json!({"Id": new_id(), "TerminalId": term, "Level": "Warning", "Category": "sync",
            "Message": "pull failed", "Context": {"Module": "products"}, "CreatedAt": now}),
        ),
    ];
    for (path, record) in cases {
        let response = push(&server, &t, path, json!([record])).await;
        assert_eq!(response.acknowledged.len(), 1, "{path}: {:?}", response.rejected);
    }
    let cash_out = json!({"Id": new_id(), "SessionId": new_id(), "TerminalId": term, "Event": "CashOut",
        "Amount": num("100.00"), "Reason": " ", "Counted": [], "UserId": new_id(), "CreatedAt": now});
    let refused = push(&server, &t, "/api/CashDrawerLog/PostCashDrawerLog", json!([cash_out])).await;
    assert!(refused.rejected[0].message.contains("need a Reason"));
    let other_terminal =
        json!({"Id": new_id(), "TerminalId": new_id(), "LastInvoiceNumber": 1, "UpdatedAt": now});
    let refused = push(&server, &t, "/api/Setting/PostInvoiceCounter", json!([other_terminal])).await;
    assert!(refused.rejected[0].message.contains("TerminalId does not match"));
}

#[tokio::test]
async fn a_customer_created_at_the_terminal_is_pulled_by_every_terminal() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let kiosk = server.sign_in("kiosk.terminal@possum.com", "SuperSecret123!").await;
    let (_, _, cursor) = server.pull_all(&kiosk, "/api/Customer/GetCustomers", None, 1000).await;
    let customer_id = new_id();
    let change = |card: &str| {
        json!({"Id": new_id(), "CustomerId": customer_id, "Name": "Nora New", "CardNumber": card, "CardUID": null,
        "LicensePlate": "NEW 001", "Email": null, "Phone": null, "Birthday": "1990-03-04", "ChangedAt": "2026-11-22T10:00:00Z"})
    };
    let taken = push(&server, &t, "/api/Customer/PostCustomer", json!([change("10000001")])).await;
    assert!(taken.rejected[0].message.contains("belongs to another customer"));
    let created = push(&server, &t, "/api/Customer/PostCustomer", json!([change("99000001")])).await;
    assert_eq!(created.acknowledged.len(), 1);
    let (delta, _, _) = server.pull_all(&kiosk, "/api/Customer/GetCustomers", Some(&cursor), 1000).await;
    assert_eq!(delta.len(), 1);
    assert_eq!(delta[0]["Name"], "Nora New");
    assert_eq!(delta[0]["Balance"].to_string(), "0");
    // The licence plate identifies the new customer at once.
    let mut request = sale(&[("C100", 1, "25.00")]);
    request["LicensePlate"] = "new-001".into();
    assert_eq!(server.post_json(&t, "/api/Sale", &request).send().await.unwrap().status(), 200);
}
