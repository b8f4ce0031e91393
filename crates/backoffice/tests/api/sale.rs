use crate::common::*;
use possum_contract::error::{ApplicationErrorCode as Code, ErrorResponse};
use possum_contract::sale::{is_valid_ean13, SaleResponseModel};
use possum_contract::xml;
use serde_json::Value;

async fn sell(server: &Server, t: &Terminal, request: &Value) -> Result<SaleResponseModel, ErrorResponse> {
    let response = server.post_json(t, "/api/Sale", request).send().await.unwrap();
    match response.status().as_u16() {
        200 => Ok(response.json().await.unwrap()),
        400 => Err(response.json().await.unwrap()),
        other => panic!("HTTP {other}: {}", response.text().await.unwrap()),
    }
}

fn with(mut request: Value, changes: &[(&str, Value)]) -> Value {
    for (key, value) in changes {
        request[*key] = value.clone();
    }
    request
}

#[tokio::test]
async fn a_wash_sale_answers_a_valid_unique_ean13_token_and_a_feedback_url() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let mut tokens = std::collections::BTreeSet::new();
    for _ in 0..20 {
        let answer = sell(&server, &t, &sale(&[("W200", 1, "229.00"), ("C100", 2, "25.00")])).await.unwrap();
        let token = answer.token.unwrap();
        assert!(is_valid_ean13(&token) && token.starts_with('2'), "{token}");
        assert!(tokens.insert(token), "tokens are unique");
        assert!(answer
            .feedback_portal_url
            .unwrap()
            .starts_with("https://feedback.possum.example/demo-car-wash/"));
    }
    let shop_only = sell(&server, &t, &sale(&[("S100", 1, "89.90")])).await.unwrap();
    assert_eq!(shop_only.token, None, "no wash, no token");
    let combination = sell(&server, &t, &sale(&[("K200", 1, "269.00")])).await.unwrap();
    assert!(combination.token.is_some(), "a combination holding a wash is a wash");
}

#[tokio::test]
async fn the_kiosk_desk_issues_tokens_without_feedback() {
    let server = Server::start().await;
    let kiosk = server.sign_in("kiosk.terminal@possum.com", "SuperSecret123!").await;
    let answer = sell(
        &server,
        &kiosk,
        &with(sale(&[("W100", 1, "149.00")]), &[("ClientNumber", 2.into()), ("PaymentMethod", 1.into())]),
    )
    .await
    .unwrap();
    assert!(answer.token.is_some());
    assert_eq!(answer.feedback_portal_url, None);
}

#[tokio::test]
async fn every_application_error_code_is_reachable_with_the_demo_data() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let wash = || sale(&[("W100", 1, "149.00")]);
    let card = |number: &str, method: i64| {
        with(wash(), &[("CardNumber", number.into()), ("PaymentMethod", method.into())])
    };
    let cases: Vec<(Code, Value)> = vec![
        (Code::CardNotFound, card("99999999", 0)),
        (Code::CardNotFound, with(wash(), &[("PaymentMethod", 3.into())])),
        (Code::ClientNotFound, with(wash(), &[("ClientNumber", 9.into())])),
        (Code::CashierCardInvalid, with(wash(), &[("CashierCardNumber", "4001".into())])),
        (Code::CashierCardInvalid, with(wash(), &[("CashierCardNumber", "10000001".into())])),
        (Code::CashierCardInvalid, with(wash(), &[("CashierCardNumber", Value::Null)])),
        (Code::EmptyArticleNumber, sale(&[("W100", 1, "149.00"), ("", 1, "1.00")])),
        (Code::PaymentMethodNotSupported, with(wash(), &[("PaymentMethod", 42.into())])),
        (Code::CreditLineReached, card("10000002", 2)),
        (Code::CreditLineReached, card("10000005", 2)),
        (Code::NotEnoughCredit, card("10000007", 3)),
        (Code::AlreadyReceivedBirthdayWash, card("10000009", 5)),
        (Code::NoBirthdayAvailable, card("10000005", 5)),
        (
            Code::NoWashItemBirthdayWash,
            with(
                sale(&[("C100", 1, "25.00")]),
                &[("CardNumber", "10000004".into()), ("PaymentMethod", 5.into())],
            ),
        ),
        (Code::BirthdayWashNotInConfiguredTimePeriod, card("10000006", 5)),
        (Code::ClientNotAllowed, card("10000008", 0)),
        (Code::ArticleNotFound, sale(&[("NOPE", 1, "1.00"), ("W100", 1, "149.00"), ("NOPE", 1, "1.00")])),
        (Code::CardLocked, card("10000003", 0)),
        (Code::ArticleBlocked, sale(&[("S900", 1, "49.00")])),
    ];
    for (code, request) in cases {
        let error = sell(&server, &t, &request).await.expect_err(&format!("{code} for {request}"));
        assert_eq!(error.application_error_code, code, "{request}");
        assert_eq!(error.application_message, code.name());
    }
    let kiosk = server.sign_in("kiosk.terminal@possum.com", "SuperSecret123!").await;
    let cash_at_kiosk =
        sell(&server, &kiosk, &with(wash(), &[("ClientNumber", 2.into())])).await.unwrap_err();
    assert_eq!(cash_at_kiosk.application_error_code, Code::PaymentMethodNotSupported);

    let not_found =
        sell(&server, &t, &sale(&[("NOPE", 1, "1.00"), ("GONE", 1, "1.00"), ("NOPE", 1, "1.00")]))
            .await
            .unwrap_err();
    assert_eq!(not_found.data, Some(vec!["NOPE".to_string(), "GONE".to_string()]));
    let blocked = sell(&server, &t, &sale(&[("S900", 1, "49.00")])).await.unwrap_err();
    assert_eq!(blocked.data, Some(vec!["S900".to_string()]));
}

#[tokio::test]
async fn a_birthday_wash_is_given_once() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let request = with(
        sale(&[("W300", 1, "299.00")]),
        &[("CardNumber", "10000004".into()), ("PaymentMethod", 5.into())],
    );
    assert!(sell(&server, &t, &request).await.unwrap().token.is_some());
    assert_eq!(
        sell(&server, &t, &request).await.unwrap_err().application_error_code,
        Code::AlreadyReceivedBirthdayWash
    );
}

#[tokio::test]
async fn customers_are_found_by_card_then_rfid_then_licence_plate() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let prepaid = |changes: &[(&str, Value)]| {
        with(with(sale(&[("C100", 1, "25.00")]), &[("PaymentMethod", 3.into())]), changes)
    };
    sell(&server, &t, &prepaid(&[("CardUID", 3_735_928_559u64.into())])).await.unwrap();
    sell(&server, &t, &prepaid(&[("LicensePlate", "abc 123".into())])).await.unwrap();
    // The card number wins over a licence plate of someone else.
    let petra =
        sell(&server, &t, &prepaid(&[("CardNumber", "10000007".into()), ("LicensePlate", "ABC123".into())]))
            .await
            .unwrap_err();
    assert_ne!(petra.application_error_code, Code::CardNotFound);
    let (customers, _, _) = server.pull_all(&t, "/api/Customer/GetCustomers", None, 1000).await;
    let eva = customers.iter().find(|c| c["CardNumber"] == "10000001").unwrap();
    assert_eq!(eva["Balance"].to_string(), "450.00", "two prepaid coffees");
    let (history, _, _) = server.pull_all(&t, "/api/DepositHistory/GetDepositHistory", None, 1000).await;
    assert_eq!(history.iter().filter(|h| h["Kind"] == "Sale").count(), 2);
}

#[tokio::test]
async fn credit_is_charged_atomically_under_concurrent_sales() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    // Carl Credit: credit line 2000, balance 0. Thirty concurrent 98.00 sales: exactly twenty fit.
    let request =
        with(sale(&[("X10", 2, "49.00")]), &[("CardNumber", "10000010".into()), ("PaymentMethod", 2.into())]);
    let attempts = (0..30).map(|_| {
        let request = request.clone();
        let builder = server.post_json(&t, "/api/Sale", &request);
        async move { builder.send().await.unwrap().status().as_u16() }
    });
    let statuses = futures_join_all(attempts).await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 20);
    assert_eq!(statuses.iter().filter(|s| **s == 400).count(), 10);
    let (customers, _, _) = server.pull_all(&t, "/api/Customer/GetCustomers", None, 1000).await;
    let carl = customers.iter().find(|c| c["CardNumber"] == "10000010").unwrap();
    assert_eq!(carl["Balance"].to_string(), "-1960.00");
}

async fn futures_join_all<F: std::future::Future<Output = u16> + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<u16> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn an_idempotency_key_makes_a_retried_sale_charge_once() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let key = new_id();
    let request = with(
        sale(&[("W100", 1, "149.00")]),
        &[("CardNumber", "10000001".into()), ("PaymentMethod", 3.into())],
    );
    let send = |r: &Value| server.post_json(&t, "/api/Sale", r).header("Idempotency-Key", &key).send();
    let first: SaleResponseModel = send(&request).await.unwrap().json().await.unwrap();
    let second: SaleResponseModel = send(&request).await.unwrap().json().await.unwrap();
    assert_eq!(first, second);
    let (customers, _, _) = server.pull_all(&t, "/api/Customer/GetCustomers", None, 1000).await;
    let eva = customers.iter().find(|c| c["CardNumber"] == "10000001").unwrap();
    assert_eq!(eva["Balance"].to_string(), "351.00");
    let different = send(&sale(&[("W300", 1, "299.00")])).await.unwrap();
    assert_eq!(different.status(), 409);
    // A refused sale is not remembered: the corrected retry with the same key goes through.
    let key2 = new_id();
    let refused = server
        .post_json(&t, "/api/Sale", &sale(&[("S900", 1, "49.00")]))
        .header("Idempotency-Key", &key2)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let fixed = server
        .post_json(&t, "/api/Sale", &sale(&[("S100", 1, "89.90")]))
        .header("Idempotency-Key", &key2)
        .send()
        .await
        .unwrap();
    assert_eq!(fixed.status(), 200);
}

#[tokio::test]
async fn the_sale_speaks_xml_too() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let body = r#"<SaleRequestModel xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <ClientNumber>1</ClientNumber><PriceGroup>1</PriceGroup>
  <Items><SaleItem><ArticleNumber>W100</ArticleNumber><Quantity>1</Quantity><Price>149</Price></SaleItem></Items>
  <CashierCardNumber>1001</CashierCardNumber><PaymentMethod>CashPayment</PaymentMethod></SaleRequestModel>"#;
    let post = |b: &str, content_type: &str| {
        server
            .client
            .post(server.url("/api/Sale"))
            .bearer_auth(&t.token)
            .header("Content-Type", content_type)
            .body(b.to_string())
            .send()
    };
    let ok = post(body, "application/xml").await.unwrap();
    assert_eq!(ok.status(), 200);
    assert!(ok.headers()["content-type"].to_str().unwrap().starts_with("application/xml"));
    let answer = xml::sale_response_from_xml(&ok.text().await.unwrap()).unwrap();
    assert!(is_valid_ean13(&answer.token.unwrap()));

    let blocked = post(&body.replace("W100", "S900"), "text/xml").await.unwrap();
    assert_eq!(blocked.status(), 400);
    let error = xml::error_from_xml(&blocked.text().await.unwrap()).unwrap();
    assert_eq!(error.application_error_code, Code::ArticleBlocked);
    assert_eq!(error.data, Some(vec!["S900".into()]));

    let broken = post("<SaleRequestModel><Items>", "application/xml").await.unwrap();
    assert_eq!(broken.status(), 400);
    let unknown_method = post(&body.replace("CashPayment", "GoldBars"), "application/xml").await.unwrap();
    let error = xml::error_from_xml(&unknown_method.text().await.unwrap()).unwrap();
    assert_eq!(error.application_error_code, Code::PaymentMethodNotSupported);
}
