//! The binary's command line: `serve`, `admin …` and `generate`, with the
//! help text each prints. `main.rs` runs them.

use clap::{Parser, Subcommand};
use possum_backoffice::demo;
use rust_decimal::Decimal;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "possum-backoffice", version, about = "The bundled POSSUM back office")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the API (and the built terminal, when present).
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        #[arg(long, default_value = "data")]
        data_dir: PathBuf,
        /// PostgreSQL instead of SQLite in `--data-dir`: `postgres://user:password@host:port/database`.
        #[arg(long, env = "POSSUM_DATABASE_URL")]
        database_url: Option<String>,
        /// Create the demo car wash if it does not exist.
        #[arg(long)]
        demo: bool,
        /// The built terminal to serve at `/`.
        #[arg(long, default_value = "dist")]
        dist: PathBuf,
        /// Token lifetime in seconds (the seed's 1209599 unless testing expiry).
        #[arg(long, default_value_t = possum_contract::token::TOKEN_LIFETIME_SECONDS)]
        token_lifetime: i64,
        /// Misbehave on purpose, for reliability tests: `seed=42,rate=0.3,delay=1500`.
        #[arg(long)]
        faults: Option<possum_backoffice::faults::FaultPlan>,
        /// Connections served at once (lowered to what the open-file limit allows).
        #[arg(long, default_value_t = possum_backoffice::limits::Limits::default().max_connections)]
        max_connections: usize,
        /// Connections to PostgreSQL this instance keeps at most (shared by every tenant).
        #[arg(long, default_value_t = possum_backoffice::limits::Limits::default().pg_connections)]
        pg_connections: usize,
    },
    /// Change a running tenant's data (prices, blocks, locks, deletions).
    Admin {
        #[arg(long, default_value = "data")]
        data_dir: PathBuf,
        /// PostgreSQL instead of SQLite in `--data-dir`: `postgres://user:password@host:port/database`.
        #[arg(long, env = "POSSUM_DATABASE_URL")]
        database_url: Option<String>,
        #[arg(long, default_value = demo::DEMO_TENANT)]
        tenant: String,
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Create a large tenant for benchmarks.
    Generate {
        #[arg(long, default_value = "data")]
        data_dir: PathBuf,
        /// PostgreSQL instead of SQLite in `--data-dir`: `postgres://user:password@host:port/database`.
        #[arg(long, env = "POSSUM_DATABASE_URL")]
        database_url: Option<String>,
        #[arg(long, default_value = "bench")]
        tenant: String,
        #[arg(long, default_value = "bench.terminal@possum.com")]
        username: String,
        #[arg(long, default_value = demo::DEMO_PASSWORD)]
        password: String,
        #[arg(long, default_value_t = 50_000)]
        products: u32,
        #[arg(long, default_value_t = 200_000)]
        customers: u32,
    },
}

#[derive(Subcommand)]
pub enum AdminAction {
    /// Set an article's price in a price group.
    SetPrice {
        article: String,
        price: Decimal,
        #[arg(long, default_value_t = 1)]
        price_group: u8,
    },
    BlockArticle {
        article: String,
    },
    UnblockArticle {
        article: String,
    },
    DeleteProduct {
        article: String,
    },
    LockCard {
        card: String,
    },
    UnlockCard {
        card: String,
    },
    /// Add prepaid credit to a customer card.
    Deposit {
        card: String,
        amount: Decimal,
    },
    /// Print the orders terminals pushed, as a JSON array.
    Orders,
    /// Print the customer with this card number, as JSON.
    Customer {
        card: String,
    },
    /// Print the pushed records of a kind (CashDrawerLog, DeviceLog, Customer, OpenOrder…), as a JSON array.
    Records {
        kind: String,
    },
    /// Change a terminal login's password (read from standard input unless
    /// given): the tokens issued before stop working, and its sign-in lock is cleared.
    SetPassword {
        username: String,
        #[arg(long)]
        password: Option<String>,
    },
    /// Set a member of staff's PIN (by cashier card): 4+ digits for a cashier, 8+ for a manager.
    SetPin {
        card: String,
        pin: String,
    },
    /// Deactivate a member of staff: terminals drop them, and they authorise nothing.
    DeactivateStaff {
        card: String,
    },
    ActivateStaff {
        card: String,
    },
    /// Change a setting of GetSettings (the value as JSON), e.g. `OfflineApprovalLimit 300`.
    SetSetting {
        key: String,
        value: String,
    },
    /// Print a review report as a JSON array: offline-approvals, stale-prices, unreceipted-refunds, hours
    /// or registers (each tablet's register id and control unit, to register with Skatteverket).
    Report {
        name: String,
    },
    /// Create or replace a campaign from its JSON (see docs/openapi.yaml, Campaign).
    SetCampaign {
        json: String,
    },
    /// End a campaign now (terminals drop it at their next pull).
    EndCampaign {
        id: uuid::Uuid,
    },
    /// Create or replace a discount program from its JSON.
    SetProgram {
        json: String,
    },
    /// Give a customer (by card) a wash-club plan for their vehicle.
    AddSubscription {
        card: String,
        plan: String,
        /// Comma-separated wash articles the plan covers.
        #[arg(long)]
        articles: String,
        #[arg(long)]
        until: chrono::NaiveDate,
        #[arg(long)]
        plate: Option<String>,
        #[arg(long, default_value_t = 1)]
        washes_per_day: u32,
    },
    /// Set a subscription's status: active, paused or ended.
    SubscriptionStatus {
        id: uuid::Uuid,
        status: String,
    },
    /// Print the journal of a register between two days (inclusive) as XML.
    ExportJournal {
        register: String,
        #[arg(long)]
        from: chrono::NaiveDate,
        #[arg(long)]
        to: chrono::NaiveDate,
    },
    /// Set a cash desk's printers from their JSON (see docs/openapi.yaml, Printer).
    SetPrinters {
        desk: u8,
        json: String,
    },
    /// Set a cash desk's favourite tiles (comma-separated article numbers, in order).
    SetFavourites {
        desk: u8,
        articles: String,
    },
    /// Copy the tenant from the SQLite data folder (`--data-dir`) to PostgreSQL
    /// (`--database-url`): its rows, its terminal logins and its id, then
    /// print the counts and totals of both sides (a shop joining a chain).
    CopyTenant,
    /// Put a customer in a price group (their customer group); 0 for none.
    SetCustomerGroup {
        card: String,
        group: u8,
    },
}
