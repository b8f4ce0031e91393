use crate::common::*;
use possum_contract::token::{OAuthError, TokenResponse, TOKEN_LIFETIME_SECONDS};

#[tokio::test]
async fn the_seed_login_answers_the_seed_token_shape() {
    let server = Server::start().await;
    let response = server
        .token_raw("grant_type=password&username=terminal.user@possum.com&password=SuperSecret123!")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: serde_json::Value = response.json().await.unwrap();
    let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, [".expires", ".issued", "access_token", "expires_in", "token_type"]);
    let token: TokenResponse = serde_json::from_value(body).unwrap();
    assert_eq!(token.token_type, "bearer");
    assert_eq!(token.expires_in, TOKEN_LIFETIME_SECONDS);
    assert_eq!((token.expires - token.issued).num_seconds(), TOKEN_LIFETIME_SECONDS);
    assert!(!token.issued.to_rfc3339().contains('.'), "whole seconds as in the seed");
    let claims = possum_contract::token::TokenClaims::read_unverified(&token.access_token).unwrap();
    assert_eq!(claims.client_number, 1);
    assert_eq!(claims.sub, "terminal.user@possum.com");
}

async fn oauth_error(server: &Server, form: &str) -> OAuthError {
    let response = server.token_raw(form).await;
    assert_eq!(response.status(), 400, "{form}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn bad_grants_answer_400_with_an_oauth_error() {
    let server = Server::start().await;
    assert_eq!(
        oauth_error(&server, "grant_type=password&username=terminal.user@possum.com&password=wrong")
            .await
            .error,
        "invalid_grant"
    );
    assert_eq!(
        oauth_error(&server, "grant_type=password&username=nobody@possum.com&password=x").await.error,
        "invalid_grant"
    );
    assert_eq!(
        oauth_error(&server, "grant_type=client_credentials&username=a&password=b").await.error,
        "unsupported_grant_type"
    );
    assert_eq!(oauth_error(&server, "username=a&password=b").await.error, "invalid_request");
    assert_eq!(oauth_error(&server, "grant_type=password&username=a").await.error, "invalid_request");
    let json = server
        .client
        .post(server.url("/Token"))
        .header("Content-Type", "application/json")
        .body(r#"{"grant_type":"password"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 400);
    assert_eq!(json.json::<OAuthError>().await.unwrap().error, "invalid_request");
}

#[tokio::test]
async fn repeated_failures_lock_the_login_even_for_the_right_password() {
    let server = Server::start().await;
    for _ in 0..possum_backoffice::signin::FAILURES_BEFORE_LOCK {
        oauth_error(&server, "grant_type=password&username=terminal.user@possum.com&password=guess").await;
    }
    let locked = oauth_error(
        &server,
        "grant_type=password&username=terminal.user@possum.com&password=SuperSecret123!",
    )
    .await;
    assert!(locked.error_description.unwrap().contains("Too many failed sign-ins"));
    // Another login of the same tenant is not affected.
    server.sign_in("kiosk.terminal@possum.com", "SuperSecret123!").await;
}

#[tokio::test]
async fn api_calls_without_a_valid_token_answer_401() {
    let server = Server::start().await;
    let terminal = server.demo_terminal().await;
    let path = format!("/api/Product/GetProducts?TerminalId={}", terminal.claims.terminal);
    let none = server.client.get(server.url(&path)).send().await.unwrap();
    assert_eq!(none.status(), 401);
    assert_eq!(none.headers()["www-authenticate"], "Bearer");
    let garbage = server.client.get(server.url(&path)).bearer_auth("not.a.jwt").send().await.unwrap();
    assert_eq!(garbage.status(), 401);
    let mut forged = terminal.token.clone();
    forged.pop();
    forged.push(if terminal.token.ends_with('A') { 'B' } else { 'A' });
    let tampered = server.client.get(server.url(&path)).bearer_auth(forged).send().await.unwrap();
    assert_eq!(tampered.status(), 401);
    let sale =
        server.client.post(server.url("/api/Sale")).json(&sale(&[("W100", 1, "149")])).send().await.unwrap();
    assert_eq!(sale.status(), 401);
    assert_eq!(server.get(&terminal, &path).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn an_expired_token_answers_401() {
    let server = Server::start_with(|c| possum_backoffice::Config { token_lifetime_seconds: 1, ..c }).await;
    let terminal = server.demo_terminal().await;
    let path = format!("/api/Category/GetCategories?TerminalId={}", terminal.claims.terminal);
    assert_eq!(server.get(&terminal, &path).send().await.unwrap().status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(server.get(&terminal, &path).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn a_terminal_id_other_than_the_tokens_answers_403() {
    let server = Server::start().await;
    let terminal = server.demo_terminal().await;
    let kiosk = server.sign_in("kiosk.terminal@possum.com", "SuperSecret123!").await;
    let path = format!("/api/Product/GetProducts?TerminalId={}", kiosk.claims.terminal);
    assert_eq!(server.get(&terminal, &path).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn a_tenant_never_sees_another_tenants_data() {
    let server = Server::start().await;
    possum_backoffice::demo::generate(
        &server.state.store,
        "other",
        "other@possum.com",
        "Other-Secret-1",
        3,
        2,
    )
    .unwrap();
    let demo = server.demo_terminal().await;
    let other = server.sign_in("other@possum.com", "Other-Secret-1").await;
    assert_ne!(demo.claims.tenant, other.claims.tenant);
    let (demo_products, _, _) = server.pull_all(&demo, "/api/Product/GetProducts", None, 100).await;
    let (other_products, _, _) = server.pull_all(&other, "/api/Product/GetProducts", None, 100).await;
    assert_eq!(other_products.len(), 3);
    assert!(demo_products.iter().all(|p| !p["ArticleNumber"].as_str().unwrap().starts_with('P')));
    // A demo article does not exist for the other tenant.
    let mut request = sale(&[("W100", 1, "149")]);
    request["ClientNumber"] = 1.into();
    let response = server.post_json(&other, "/api/Sale", &request).send().await.unwrap();
    assert_eq!(response.status(), 400);
    let error: serde_json::Value = response.json().await.unwrap();
    assert_eq!(error["ApplicationErrorCode"], 14);
}
