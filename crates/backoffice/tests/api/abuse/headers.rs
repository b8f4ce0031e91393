//! What every answer says about itself: no sniffing, no referrer, no storing
//! of API answers; and 401s that name no library internals.

use crate::common::*;
use possum_backoffice::Config;
use reqwest::Response;

fn assert_headers(response: &Response, api: bool) {
    let what = format!("{} {}", response.status(), response.url().path());
    let headers = response.headers();
    assert_eq!(headers.get("x-content-type-options").map(|v| v.to_str().unwrap()), Some("nosniff"), "{what}");
    assert_eq!(headers.get("referrer-policy").map(|v| v.to_str().unwrap()), Some("no-referrer"), "{what}");
    if api {
        assert_eq!(headers.get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"), "{what}");
    }
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_api_answers_are_not_stored() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<!doctype html><title>POSSUM</title>").unwrap();
    let dist_path = dist.path().to_path_buf();
    let server = Server::start_with(move |c| Config { dist: Some(dist_path), ..c }).await;
    let t = server.demo_terminal().await;
    let pull = format!("/api/Customer/GetCustomers?TerminalId={}", t.claims.terminal);

    assert_headers(&server.token_raw(&grant(possum_backoffice::demo::DEMO_USERNAME, "wrong")).await, true);
    assert_headers(&server.get(&t, &pull).send().await.unwrap(), true);
    assert_headers(&server.client.get(server.url(&pull)).send().await.unwrap(), true);
    assert_headers(&server.get(&t, "/api/Nothing/Here").send().await.unwrap(), true);
    assert_headers(&server.post_json(&t, "/api/Sale", &serde_json::json!({})).send().await.unwrap(), true);
    assert_headers(&server.client.get(server.url("/health")).send().await.unwrap(), false);
    // A terminal served from another origin may read Retry-After.
    let cross_origin = server
        .client
        .post(server.url("/Token"))
        .header("Origin", "http://tablet.example")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(grant("a@b.se", "c"))
        .send()
        .await
        .unwrap();
    let exposed = cross_origin.headers().get("access-control-expose-headers").map(|v| v.to_str().unwrap());
    assert!(exposed.is_some_and(|v| v.to_ascii_lowercase().contains("retry-after")), "{exposed:?}");
    let page = server.client.get(server.url("/sale")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_headers(&page, false);
}

/// A JWT with the given header and claims, signed with nothing.
fn unsigned_jwt(header: &serde_json::Value, claims: &serde_json::Value) -> String {
    use base64::Engine as _;
    let part = |v: &serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    format!("{}.{}.", part(header), part(claims))
}

#[tokio::test]
async fn a_refused_token_is_answered_in_plain_words() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let claims = serde_json::to_value(&t.claims).unwrap();
    let path = format!("/api/Product/GetProducts?TerminalId={}", t.claims.terminal);
    for token in [
        unsigned_jwt(&serde_json::json!({"alg": "none", "typ": "JWT"}), &claims),
        unsigned_jwt(&serde_json::json!({"alg": "HS512", "typ": "JWT"}), &claims),
        "not.a.jwt".to_string(),
        format!("{}x", t.token),
    ] {
        let response = server.client.get(server.url(&path)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), 401);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body, serde_json::json!({"Message": "The access token is not valid."}), "{token}");
    }
}
