//! The bundled POSSUM back office: the contract of `../shared/seeds/` served
//! over HTTP from SQLite (one database per tenant) or from PostgreSQL (one
//! schema per tenant, several instances over one database).
//!
//! `main.rs` is the command line; this library is the server, so integration
//! tests start the very same thing on a loopback port.

pub mod admin;
pub mod auth;
pub mod catalogue;
pub mod demo;
pub mod error;
pub mod faults;
pub mod hashing;
pub mod limits;
pub mod net;
pub mod promotions;
pub mod push;
pub mod registers;
pub mod reports;
pub mod routes;
pub mod sale;
pub mod signin;
pub mod staff;
pub mod store;
pub mod subscriptions;
pub mod wash_tokens;

use error::ApiResult;
use possum_contract::settings::{Setting, TerminalSettings};
use possum_contract::token::TOKEN_LIFETIME_SECONDS;
use std::path::PathBuf;
use std::sync::Arc;
use store::Store;

#[derive(Debug, Clone)]
pub struct Config {
    /// Where `master.sqlite`, the tenant databases and the signing key live
    /// (SQLite, when no `database_url` is given).
    pub data_dir: PathBuf,
    /// `postgres://…`: the data lives in PostgreSQL, shared by every instance
    /// given the same URL (the signing key too); `data_dir` is then unused.
    pub database_url: Option<String>,
    /// The built terminal to serve at `/`, when it exists.
    pub dist: Option<PathBuf>,
    /// Seconds a token lives: the seed's 1209599 unless a test asks for less.
    pub token_lifetime_seconds: i64,
    /// Misbehave on purpose (tests only): see `faults.rs`.
    pub faults: Option<faults::FaultPlan>,
    /// Threads, queues, connections and timeouts: see `limits.rs`.
    pub limits: limits::Limits,
}

impl Config {
    /// Where the data lives: PostgreSQL when a URL is given, else SQLite in `data_dir`.
    pub fn storage(&self) -> store::Storage {
        match &self.database_url {
            Some(url) => store::Storage::Postgres(url.clone()),
            None => store::Storage::Sqlite(self.data_dir.clone()),
        }
    }

    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            database_url: None,
            dist: None,
            token_lifetime_seconds: TOKEN_LIFETIME_SECONDS,
            faults: None,
            limits: limits::Limits::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    pub keys: Arc<auth::Keys>,
    pub config: Arc<Config>,
    /// Argon2 checks, on threads of their own (sign-ins, staff PINs).
    pub hashes: Arc<hashing::HashPool>,
}

impl AppState {
    pub fn open(config: Config) -> Result<Self, String> {
        let store = Store::open_storage(&config.storage(), &config.limits)?;
        let keys = match &config.database_url {
            None => auth::Keys::load_or_create(&config.data_dir)?,
            Some(_) => auth::Keys::shared(&store)?,
        };
        let hashes = hashing::HashPool::new(config.limits.hash_threads, config.limits.hash_queue);
        Ok(Self {
            store: Arc::new(store),
            keys: Arc::new(keys),
            config: Arc::new(config),
            hashes: Arc::new(hashes),
        })
    }
}

/// The tenant's typed settings, from its settings rows.
pub fn tenant_settings(conn: &store::Tx<'_>) -> ApiResult<TerminalSettings> {
    let rows = store::entity::all::<Setting>(conn)?;
    let (settings, problems) = TerminalSettings::from_rows(&rows);
    for problem in problems {
        tracing::warn!(%problem, "ignoring a malformed setting");
    }
    Ok(settings)
}

/// Serves until `shutdown` resolves, then finishes the requests under way,
/// within the connection limit and timeouts of `state.config.limits`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = state.config.limits.clone();
    net::serve(listener, routes::router(state), &limits, shutdown).await
}
