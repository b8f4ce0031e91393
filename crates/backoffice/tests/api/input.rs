use crate::common::*;
use serde_json::Value;

async fn message(response: reqwest::Response) -> String {
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    body["Message"].as_str().expect("a Message").to_string()
}

#[tokio::test]
async fn bad_input_answers_400_with_a_clear_message_and_changes_nothing() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let post = |body: &str, content_type: &str| {
        server
            .client
            .post(server.url("/api/Sale"))
            .bearer_auth(&t.token)
            .header("Content-Type", content_type)
            .body(body.to_string())
            .send()
    };
    assert!(message(post("{\"PriceGroup\": ", "application/json").await.unwrap())
        .await
        .contains("not valid JSON"));
    assert!(message(post("{}", "text/plain").await.unwrap())
        .await
        .contains("Content-Type text/plain is not supported"));
    assert!(message(post(r#"{"PriceGroup":1,"Discount":5}"#, "application/json").await.unwrap())
        .await
        .contains("unknown field `Discount`"));
    assert!(message(post(r#"{"PriceGroup":300}"#, "application/json").await.unwrap())
        .await
        .contains("not valid JSON"));
    let negative = sale(&[("W100", -1, "149.00")]);
    assert!(message(post(&negative.to_string(), "application/json").await.unwrap())
        .await
        .contains("Quantity must be from 1"));
    let absurd = sale(&[("W100", 1, "99999999999.00")]);
    assert!(message(post(&absurd.to_string(), "application/json").await.unwrap())
        .await
        .contains("Price must be from 0"));
    let negative_price = sale(&[("W100", 1, "-5")]);
    assert!(message(post(&negative_price.to_string(), "application/json").await.unwrap())
        .await
        .contains("Price must be from 0"));
    let mut unknown_group = sale(&[("W100", 1, "149.00")]);
    unknown_group["PriceGroup"] = 64.into();
    assert!(message(post(&unknown_group.to_string(), "application/json").await.unwrap())
        .await
        .contains("PriceGroup 64 is not a price group"));
    let empty = sale(&[]);
    assert!(message(post(&empty.to_string(), "application/json").await.unwrap())
        .await
        .contains("at least one item"));
    let huge = format!(
        "{{\"Items\": [{}]}}",
        vec![r#"{"ArticleNumber":"W100","Quantity":1,"Price":1}"#; 120_000].join(",")
    );
    assert!(message(post(&huge, "application/json").await.unwrap()).await.contains("larger than"));

    // None of it sold anything.
    let db = server.state.store.tenant(t.claims.tenant).unwrap();
    let sales: i64 = db
        .read_blocking(|c| {
            Ok(c.query_row("SELECT count(*) FROM sales", possum_backoffice::params![], |r| r.get(0))?)
        })
        .unwrap();
    assert_eq!(sales, 0);
}

#[tokio::test]
async fn unknown_api_paths_answer_404_and_the_server_stops_cleanly() {
    let server = Server::start().await;
    let t = server.demo_terminal().await;
    let response = server.get(&t, "/api/Nothing/Here").send().await.unwrap();
    assert_eq!(response.status(), 404);
    let preflight = server
        .client
        .request(reqwest::Method::OPTIONS, server.url("/api/Sale"))
        .header("Origin", "http://tablet.local:9000")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    server.shutdown().await;
}

#[tokio::test]
async fn the_built_terminal_is_served_with_pwa_friendly_caching() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<!DOCTYPE html><title>POSSUM</title>").unwrap();
    std::fs::write(dist.path().join("possum-terminal-c461de2a2a8395b_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let server =
        Server::start_with(|c| possum_backoffice::Config { dist: Some(dist.path().to_path_buf()), ..c })
            .await;
    let get = |path: &str| server.client.get(server.url(path)).send();

    let wasm = get("/possum-terminal-c461de2a2a8395b_bg.wasm").await.unwrap();
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.headers()["cache-control"], "public, max-age=31536000, immutable");
    let index = get("/").await.unwrap();
    assert_eq!(index.headers()["cache-control"], "no-cache");
    // An app route reloads into the app.
    let deep = get("/sale/history").await.unwrap();
    assert_eq!(deep.status(), 200);
    assert!(deep.text().await.unwrap().contains("POSSUM"));
    // The API is never answered by the static files.
    let api = get("/api/Nothing").await.unwrap();
    assert_eq!(api.status(), 404);
    assert!(api.text().await.unwrap().contains("no such API endpoint"));
    let compressed =
        server.client.get(server.url("/")).header("Accept-Encoding", "gzip").send().await.unwrap();
    assert_eq!(compressed.status(), 200);
}
