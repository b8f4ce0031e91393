//! The real back office on a loopback port with a fresh data folder, per test.

#![allow(dead_code)]

use possum_backoffice::{demo, AppState, Config};
use possum_contract::token::{TokenClaims, TokenResponse};
use reqwest::{Client, RequestBuilder, Response};
use serde_json::{json, Value};
use uuid::Uuid;

pub struct Server {
    pub url: String,
    pub state: AppState,
    pub client: Client,
    _dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

pub struct Terminal {
    pub token: String,
    pub claims: TokenClaims,
}

impl Server {
    pub async fn start() -> Self {
        Self::start_with(|c| c).await
    }

    pub async fn start_with(configure: impl FnOnce(Config) -> Config) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(configure(Config::new(dir.path()))).unwrap();
        demo::ensure_demo(&state.store).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(possum_backoffice::serve(listener, state.clone(), async move {
            let _ = stopped.await;
        }));
        Self {
            url,
            state,
            client: Client::new(),
            _dir: dir,
            stop: Some(stop),
            task: Some(tokio::spawn(async move {
                task.await.unwrap().unwrap();
            })),
        }
    }

    pub async fn shutdown(mut self) {
        self.stop.take().unwrap().send(()).unwrap();
        self.task.take().unwrap().await.unwrap();
    }

    /// The data folder, for a second process's view of the same databases (as the admin CLI has).
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    pub async fn token_raw(&self, form: &str) -> Response {
        self.token_from(&self.client, form).await
    }

    /// `POST /Token` with `form`, sent by `client` (see [`client_from`]).
    pub async fn token_from(&self, client: &Client, form: &str) -> Response {
        client
            .post(self.url("/Token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form.to_string())
            .send()
            .await
            .unwrap()
    }

    pub async fn sign_in(&self, username: &str, password: &str) -> Terminal {
        let form = serde_urlencoded::to_string([
            ("grant_type", "password"),
            ("username", username),
            ("password", password),
        ])
        .unwrap();
        let response = self.token_raw(&form).await;
        assert_eq!(response.status(), 200, "sign-in of {username}");
        let token: TokenResponse = response.json().await.unwrap();
        let claims = TokenClaims::read_unverified(&token.access_token).unwrap();
        Terminal { token: token.access_token, claims }
    }

    pub async fn demo_terminal(&self) -> Terminal {
        self.sign_in(demo::DEMO_USERNAME, demo::DEMO_PASSWORD).await
    }

    pub fn get(&self, t: &Terminal, path: &str) -> RequestBuilder {
        self.client.get(self.url(path)).bearer_auth(&t.token)
    }

    pub fn post_json(&self, t: &Terminal, path: &str, body: &Value) -> RequestBuilder {
        self.client
            .post(self.url(path))
            .bearer_auth(&t.token)
            .header("Content-Type", "application/json")
            .body(body.to_string())
    }

    /// A full pull of `path`, all pages; answers (items, deleted, final cursor).
    pub async fn pull_all(
        &self,
        t: &Terminal,
        path: &str,
        since: Option<&str>,
        page_size: u32,
    ) -> (Vec<Value>, Vec<String>, String) {
        self.pull_from(t, path, since.map(str::to_string), None, page_size).await
    }

    /// Continues a pull from a cursor and the id after which to go on.
    pub async fn pull_from(
        &self,
        t: &Terminal,
        path: &str,
        mut cursor: Option<String>,
        mut after: Option<String>,
        page_size: u32,
    ) -> (Vec<Value>, Vec<String>, String) {
        let mut items = Vec::new();
        let mut deleted = Vec::new();
        loop {
            let mut query = vec![
                ("TerminalId".to_string(), t.claims.terminal.to_string()),
                ("PageSize".into(), page_size.to_string()),
            ];
            if let Some(c) = &cursor {
                query.push(("LastExecutedDate".into(), c.clone()));
            }
            if let Some(a) = &after {
                query.push(("AfterId".into(), a.clone()));
            }
            let response = self.get(t, path).query(&query).send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}: {}", response.text().await.unwrap());
            let page: Value = response.json().await.unwrap();
            items.extend(page["Items"].as_array().unwrap().iter().cloned());
            deleted
                .extend(page["Deleted"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().to_string()));
            cursor = Some(page["NextLastExecutedDate"].as_str().unwrap().to_string());
            after = page["NextAfterId"].as_str().map(str::to_string);
            if !page["HasMore"].as_bool().unwrap() {
                return (items, deleted, cursor.unwrap());
            }
        }
    }
}

/// A sale at the shop counter by cashier 1001, cash, with the given items.
pub fn sale(items: &[(&str, i32, &str)]) -> Value {
    json!({
        "PriceGroup": 1,
        "Items": items.iter().map(|(a, q, p)| json!({"ArticleNumber": a, "Quantity": q, "Price": serde_json::from_str::<Value>(p).unwrap()})).collect::<Vec<_>>(),
        "CashierCardNumber": "1001",
        "PaymentMethod": 0,
        "CardNumber": null,
        "CardUID": null,
        "LicensePlate": null,
        "ClientNumber": 1
    })
}

/// The form of a password grant.
pub fn grant(username: &str, password: &str) -> String {
    serde_urlencoded::to_string([("grant_type", "password"), ("username", username), ("password", password)])
        .unwrap()
}

/// A client whose connections come from `ip`: another machine, as the server
/// sees it (on Linux every 127.x.y.z is this machine's loopback).
pub fn client_from(ip: &str) -> Client {
    Client::builder().local_address(Some(ip.parse().unwrap())).build().unwrap()
}

pub fn new_id() -> String {
    Uuid::new_v4().to_string()
}
