//! The real back office on a loopback port with a fresh data folder, per test:
//! on SQLite, or on PostgreSQL when `POSSUM_TEST_DATABASE_URL` names a
//! cluster (`postgres://user@host:port/postgres`), each test in a fresh
//! database of its own (dropped at the end).

#![allow(dead_code)]

use possum_backoffice::store::Storage;
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
    /// The test's own PostgreSQL database, when the suite runs on PostgreSQL (dropped last).
    pub database: Option<TestDatabase>,
}

/// The cluster the suite runs on, if any.
pub fn cluster_url() -> Option<String> {
    std::env::var("POSSUM_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty())
}

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// A database made for one test in the cluster, dropped with it.
pub struct TestDatabase {
    pub url: String,
    cluster: String,
    name: String,
}

/// Runs `work` on a thread of its own: the blocking PostgreSQL client refuses to run inside a runtime.
pub fn off_runtime<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|s| s.spawn(work).join().unwrap())
}

impl TestDatabase {
    pub fn create(cluster: &str) -> Self {
        let name = format!("possum_test_{}", Uuid::new_v4().simple());
        off_runtime(|| {
            let mut admin =
                postgres::Client::connect(cluster, postgres::NoTls).expect("the test cluster answers");
            admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        });
        Self { url: with_database(cluster, &name), cluster: cluster.to_string(), name }
    }

    /// A connection of its own, as another process would have.
    pub fn connect(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).unwrap()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (cluster, name) = (self.cluster.clone(), self.name.clone());
        // Best effort: the cluster is thrown away at the end of the run anyway.
        let _ = std::thread::spawn(move || {
            if let Ok(mut admin) = postgres::Client::connect(&cluster, postgres::NoTls) {
                let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        })
        .join();
    }
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
        let database = cluster_url().map(|cluster| TestDatabase::create(&cluster));
        Self::start_on(database, configure).await
    }

    /// A server on SQLite, whatever the suite runs on.
    pub async fn start_on_sqlite() -> Self {
        Self::start_on(None, |c| c).await
    }

    /// A server on `database`, or on SQLite in its data folder.
    pub async fn start_on(database: Option<TestDatabase>, configure: impl FnOnce(Config) -> Config) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = configure(Config {
            database_url: database.as_ref().map(|d| d.url.clone()),
            ..Config::new(dir.path())
        });
        let state = AppState::open(config).unwrap();
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
            database,
        }
    }

    /// Where this server's data lives, for a second instance or process over the same data.
    pub fn storage(&self) -> Storage {
        self.state.config.storage()
    }

    /// The command-line options that name this server's data (`--data-dir` or `--database-url`).
    pub fn storage_args(&self) -> Vec<String> {
        match self.storage() {
            Storage::Sqlite(dir) => vec!["--data-dir".into(), dir.display().to_string()],
            Storage::Postgres(url) => vec!["--database-url".into(), url],
        }
    }

    /// Holds tenant `tenant`'s writes from another connection (as a second
    /// process or instance would) until the returned sender is dropped.
    pub fn hold_tenant_writes(&self, tenant: Uuid) -> std::sync::mpsc::Sender<()> {
        match &self.database {
            None => hold_sqlite_lock(self.data_dir().join("tenants").join(format!("{tenant}.sqlite"))),
            Some(db) => hold_postgres_lock(
                db,
                format!(
                    "BEGIN; SET LOCAL search_path TO {}; SELECT 1 FROM change_clock FOR UPDATE",
                    possum_backoffice::store::tenant_schema(tenant)
                ),
            ),
        }
    }

    /// Holds the sign-in throttle's writes in the master database until the returned sender is dropped.
    pub fn hold_master_writes(&self) -> std::sync::mpsc::Sender<()> {
        match &self.database {
            None => hold_sqlite_lock(self.data_dir().join("master.sqlite")),
            Some(db) => {
                hold_postgres_lock(db, "BEGIN; LOCK TABLE possum.signin_addresses IN EXCLUSIVE MODE".into())
            }
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
        cursor: Option<String>,
        after: Option<String>,
        page_size: u32,
    ) -> (Vec<Value>, Vec<String>, String) {
        pull_at(&self.client, &self.url, t, path, cursor, after, page_size).await
    }
}

/// A pull of `path` from the back office at `base`, from a cursor, all pages.
pub async fn pull_at(
    client: &Client,
    base: &str,
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
        let response =
            client.get(format!("{base}{path}")).bearer_auth(&t.token).query(&query).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}: {}", response.text().await.unwrap());
        let page: Value = response.json().await.unwrap();
        items.extend(page["Items"].as_array().unwrap().iter().cloned());
        deleted.extend(page["Deleted"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().to_string()));
        cursor = Some(page["NextLastExecutedDate"].as_str().unwrap().to_string());
        after = page["NextAfterId"].as_str().map(str::to_string);
        if !page["HasMore"].as_bool().unwrap() {
            return (items, deleted, cursor.unwrap());
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

/// Holds the write lock of a SQLite file from another connection until released.
fn hold_sqlite_lock(path: std::path::PathBuf) -> std::sync::mpsc::Sender<()> {
    hold(move || {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        conn
    })
}

/// Holds what `begin` locks, in a transaction of another connection, until released.
fn hold_postgres_lock(db: &TestDatabase, begin: String) -> std::sync::mpsc::Sender<()> {
    let url = db.url.clone();
    hold(move || {
        let mut conn = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        conn.batch_execute(&begin).unwrap();
        conn
    })
}

/// Runs `take` on a thread of its own and keeps what it answers (a connection
/// in a transaction) until the returned sender is dropped or sent to.
fn hold<T: 'static>(take: impl FnOnce() -> T + Send + 'static) -> std::sync::mpsc::Sender<()> {
    let (release, released) = std::sync::mpsc::channel::<()>();
    let (held, is_held) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let holding = take();
        held.send(()).unwrap();
        let _ = released.recv();
        drop(holding);
    });
    is_held.recv().unwrap();
    release
}
