//! The bundled POSSUM back office: the contract of `../shared/seeds/` served
//! over HTTP from SQLite, one database per tenant.
//!
//! `main.rs` is the command line; this library is the server, so integration
//! tests start the very same thing on a loopback port.

pub mod admin;
pub mod auth;
pub mod demo;
pub mod ean;
pub mod error;
pub mod faults;
pub mod money;
pub mod push;
pub mod routes;
pub mod sale;
pub mod store;

use error::ApiResult;
use possum_contract::settings::{Setting, TerminalSettings};
use possum_contract::token::TOKEN_LIFETIME_SECONDS;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use store::Store;

#[derive(Debug, Clone)]
pub struct Config {
    /// Where `master.sqlite`, the tenant databases and the signing key live.
    pub data_dir: PathBuf,
    /// The built terminal to serve at `/`, when it exists.
    pub dist: Option<PathBuf>,
    /// Seconds a token lives: the seed's 1209599 unless a test asks for less.
    pub token_lifetime_seconds: i64,
    /// Misbehave on purpose (tests only): see `faults.rs`.
    pub faults: Option<faults::FaultPlan>,
}

impl Config {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            dist: None,
            token_lifetime_seconds: TOKEN_LIFETIME_SECONDS,
            faults: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    pub keys: Arc<auth::Keys>,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn open(config: Config) -> Result<Self, String> {
        let store = Store::open(&config.data_dir)?;
        let keys = auth::Keys::load_or_create(&config.data_dir)?;
        Ok(Self { store: Arc::new(store), keys: Arc::new(keys), config: Arc::new(config) })
    }
}

/// The tenant's typed settings, from its settings rows.
pub fn tenant_settings(conn: &rusqlite::Connection) -> ApiResult<TerminalSettings> {
    let rows = store::entity::all::<Setting>(conn)?;
    let (settings, problems) = TerminalSettings::from_rows(&rows);
    for problem in problems {
        tracing::warn!(%problem, "ignoring a malformed setting");
    }
    Ok(settings)
}

/// Serves until `shutdown` resolves, then finishes the requests under way.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = routes::router(state);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
